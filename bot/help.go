package bot

import (
	"strings"
)

// Help is the usage of one command, with examples that run as written.
type Help struct {
	Verb     string
	Usage    string
	Summary  string
	Examples []string
	Notes    string
}

// Helps lists every command in the order help shows them.
var Helps = []Help{
	{"add", "add <name> [every <cadence>] [at <company>] [as <role>] [#tag ...] [: note]", "add a contact",
		[]string{"add Jane Doe every 2w at Acme as CTO #investor : met at GopherCon", "add \"Zoë Ångström\" at Lund University", "add <@U123|bob> Bob Lee"},
		"Quotes keep a name together when it holds a word like at or as. A Slack mention is stored with the contact."},
	{"met", "met <name>[, <name> ...] [<when>] [: note]", "log a meeting with one or more contacts; resets their clocks",
		[]string{"met Jane yesterday : coffee, talked about hiring", "met Jane, Bob last friday : team lunch", "met \"Jane Doe\" on Nov 1"},
		"When: today (default), yesterday, last friday, monday (the most recent), 3 days ago, on 2026-11-01, on Nov 1. Never in the future."},
	{"gave", "gave <name> <what> [<when>]", "log a favour you gave",
		[]string{"gave Jane Doe intro to Bob", "gave Jane a book tip yesterday"}, ""},
	{"got", "got <name> <what> [<when>]", "log a favour you received",
		[]string{"got Jane referral to Acme's CTO", "got Bob feedback on my talk 3 days ago"}, ""},
	{"note", "note <name> <text>", "add a note (does not reset the clock)",
		[]string{"note Jane moving to Berlin in March"}, ""},
	{"promise", "promise <name> <what> [by <when>]", "record something you owe",
		[]string{"promise Jane send the deck by friday", "promise Bob an intro to Ana by Dec 1"},
		"by friday is the coming Friday; the promise is late once that day is over."},
	{"done", "done <name> [<what>]", "complete an open promise (logs it as given)",
		[]string{"done Jane", "done Jane deck"}, "Name the promise when the contact has more than one open."},
	{"show", "show <name>", "the contact card: details, cadence, last contact, next due, balance, promises, history",
		[]string{"show Jane"}, ""},
	{"list", "list [#tag] [due|cold|all]", "your contacts; cold = overdue by more than one full cadence",
		[]string{"list", "list due", "list #investor cold"}, ""},
	{"due", "due", "what the digest would say right now",
		[]string{"due"}, ""},
	{"snooze", "snooze <name> <duration|until date>", "no nudges for that contact until then",
		[]string{"snooze Jane 2w", "snooze Bob 1 month", "snooze Jane until 2026-12-01"}, "Durations: 3d, 2w, 1 month, 6 weeks."},
	{"every", "every <name> <cadence>", "change a contact's cadence (never stops nudges)",
		[]string{"every Jane 2w", "every Bob quarterly", "every Ana never"},
		"Cadences: 2w, 30d, 3 months, weekly, biweekly, monthly, quarterly, yearly, never."},
	{"edit", "edit <name> <field> <value>", "change name, company, role, email, url or note",
		[]string{"edit Jane company Globex", "edit Jane email jane@example.com", "edit Jane role -"}, "A value of - clears the field."},
	{"tag", "tag <name> #tag ...", "add tags",
		[]string{"tag Jane #investor #berlin"}, ""},
	{"untag", "untag <name> #tag ...", "remove tags",
		[]string{"untag Jane #berlin"}, ""},
	{"remove", "remove <name>", "delete a contact and its history; undo restores it",
		[]string{"remove Bob"}, ""},
	{"undo", "undo", "undo your last change (within 15 minutes)",
		[]string{"undo"}, ""},
	{"settings", "settings [tz <Area/City>] [digest <time|cron>|off] [cadence <c>] [max <n>] [share on|off]", "show or change your settings",
		[]string{"settings", "settings tz Europe/Berlin digest weekdays 08:30", "settings digest off", "settings cadence 6w max 10 share on"},
		"Digest schedules: 09:00, weekdays 09:00, mondays 08:30, daily 18:00 or a cron expression like 0 9 * * 1-5, in your time zone. share on lets teammates see that you know someone at a company (who-knows) and puts you in the team's givers list."},
	{"digest", "digest", "send your digest to your DMs now",
		[]string{"digest"}, ""},
	{"team", "team summary here [<schedule>] | team summary off | team summary now", "team admins: choose the summary channel and schedule, stop it, or post one now",
		[]string{"team summary here", "team summary here fridays 16:00", "team summary off", "team summary now"},
		"The summary counts meetings, favours and kept promises; it never names a contact, a company or a note."},
	{"who-knows", "who-knows <company|#tag>", "which teammates (with share on) know someone there",
		[]string{"who-knows Acme", "who-knows #investor"}, "It names teammates, never their contacts."},
	{"import", "import", "bring in contacts from a LinkedIn Connections.csv, a vCard file or a kith export",
		[]string{"import"}, "On Discord attach the file to the command; on Slack share the file with kith in a DM."},
	{"export", "export [json|csv|vcard]", "your data as files (CSV and JSON)",
		[]string{"export", "export vcard"}, ""},
	{"forget-me", "forget-me", "delete all your data, after a confirmation",
		[]string{"forget-me"}, ""},
	{"help", "help [command]", "usage with examples",
		[]string{"help", "help met"}, ""},
}

// helpFor returns the help of a canonical verb.
func helpFor(verb string) (Help, bool) {
	for _, h := range Helps {
		if h.Verb == verb {
			return h, true
		}
	}
	return Help{}, false
}

// helpMessage is the reply to help or help <command>.
func helpMessage(command, topic string) Message {
	if topic != "" {
		h, _ := helpFor(topic)
		var b strings.Builder
		b.WriteString(h.Summary + ".\n")
		b.WriteString("Use: " + command + " " + h.Usage + "\n")
		b.WriteString("Examples:\n")
		for _, e := range h.Examples {
			b.WriteString("  " + command + " " + e + "\n")
		}
		if h.Notes != "" {
			b.WriteString(h.Notes + "\n")
		}
		return Message{Title: command + " " + h.Verb, Text: strings.TrimSpace(b.String())}
	}
	m := Message{Title: "kith commands"}
	var b strings.Builder
	for _, h := range Helps {
		line := "*" + h.Usage + "* — " + h.Summary + ". e.g. " + command + " " + h.Examples[0]
		b.WriteString(line + "\n")
	}
	m.Text = strings.TrimSpace(b.String())
	m.Footer = "Names: exact, a unique start or word, or a close spelling; quotes group a name. Type " + command + " help <command> for more."
	return m
}
