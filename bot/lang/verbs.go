package lang

import "strings"

// Verb is one command of the language. Everything that lists commands (help,
// Discord's command tree, Slack's routing, the metrics' labels) is derived
// from the table of verbs, so a new command is one entry here and one
// handler in bot.
type Verb struct {
	Name     string   // the canonical word, as the spec names it
	Aliases  []string // other words that start the same command
	Usage    string   // its form, as help shows it
	Summary  string   // what it does, in a few words without a capital or a stop
	Examples []string // commands that run as written; the first is the one usage errors show
	Notes    string   // more on how to write it, for help <command>
	// Names is true for a command that names the owner's contacts, so its
	// text is read against their names.
	Names bool
	// ReadOnly is true for a command that never changes the owner's data.
	ReadOnly bool
	// Group names the family of related commands it belongs to where a
	// platform nests commands (Discord allows 25 per level); "" for a
	// command at the top.
	Group string
}

// verbs lists every command in the order help shows them.
var verbs = []Verb{
	{Name: "add", Aliases: []string{"new"}, Names: true,
		Usage:   "add <name> [every <cadence>] [at <company>] [as <role>] [#tag ...] [: note]",
		Summary: "add a contact",
		Examples: []string{"add Jane Doe every 2w at Acme as CTO #investor : met at GopherCon", "add \"Zoë Ångström\" at Lund University",
			"add <@U123|bob> Bob Lee"},
		Notes: "Quotes keep a name together when it holds a word like at or as. A Slack mention is stored with the contact."},
	{Name: "met", Aliases: []string{"meet", "saw"}, Names: true,
		Usage:    "met <name>[, <name> ...] [<when>] [: note]",
		Summary:  "log a meeting with one or more contacts; resets their clocks",
		Examples: []string{"met Jane yesterday : coffee, talked about hiring", "met Jane, Bob last friday : team lunch", "met \"Jane Doe\" on Nov 1"},
		Notes:    "When: today (default), yesterday, last friday, monday (the most recent), 3 days ago, on {past}, on Nov 1. Never in the future."},
	{Name: "gave", Aliases: []string{"give"}, Names: true,
		Usage:    "gave <name> <what> [<when>]",
		Summary:  "log a favour you gave",
		Examples: []string{"gave Jane Doe intro to Bob", "gave Jane a book tip yesterday"}},
	{Name: "got", Aliases: []string{"get"}, Names: true,
		Usage:    "got <name> <what> [<when>]",
		Summary:  "log a favour you received",
		Examples: []string{"got Jane referral to Acme's CTO", "got Bob feedback on my talk 3 days ago"}},
	{Name: "note", Names: true,
		Usage:    "note <name> <text>",
		Summary:  "add a note (does not reset the clock)",
		Examples: []string{"note Jane moving to Berlin in March"}},
	{Name: "promise", Aliases: []string{"owe"}, Names: true,
		Usage:    "promise <name> <what> [by <when>]",
		Summary:  "record something you owe",
		Examples: []string{"promise Jane send the deck by friday", "promise Bob an intro to Ana by Dec 1"},
		Notes:    "by friday is the coming Friday; the promise is late once that day is over. An open promise shows in every digest until done, on top once late; snoozing the contact hides it until the snooze ends."},
	{Name: "done", Names: true,
		Usage:    "done <name> [<what>]",
		Summary:  "complete an open promise (logs it as given)",
		Examples: []string{"done Jane", "done Jane deck"},
		Notes:    "Name the promise when the contact has more than one open."},
	{Name: "show", Aliases: []string{"card"}, Names: true, ReadOnly: true,
		Usage:    "show <name> [all]",
		Summary:  "the contact card: details, cadence, last contact, next due, balance, promises, history",
		Examples: []string{"show Jane", "show Jane all"},
		Notes:    "The card lists the 5 latest history entries and says how many more there are; show Jane all lists them all."},
	{Name: "list", Aliases: []string{"ls"}, ReadOnly: true,
		Usage:    "list [#tag] [due|cold|all] [page]",
		Summary:  "your contacts; cold = overdue by more than one full cadence",
		Examples: []string{"list", "list due", "list #investor cold", "list all 2"},
		Notes:    "A long list comes 50 at a time: list all 2 shows the second page, and on Slack and Discord the More button shows the next."},
	{Name: "due", ReadOnly: true,
		Usage:    "due",
		Summary:  "what the digest would say right now",
		Examples: []string{"due"},
		Notes:    "Late promises first, then important dates, then who is due by cadence, then open promises not yet late; list due lists only who is due by cadence."},
	{Name: "snooze", Names: true,
		Usage:    "snooze <name> <duration|until date>",
		Summary:  "no nudges for that contact until then",
		Examples: []string{"snooze Jane 2w", "snooze Bob 1 month", "snooze Jane until {future}"},
		Notes:    "Durations: 3d, 2w, 1 month, 6 weeks."},
	{Name: "every", Aliases: []string{"cadence"}, Names: true,
		Usage:    "every <name> <cadence> | every #tag <cadence>",
		Summary:  "change a contact's cadence, or every tagged contact's (never stops nudges)",
		Examples: []string{"every Jane 2w", "every Bob quarterly", "every Ana never", "every #investor monthly"},
		Notes:    "Cadences: 2w, 30d, 3 months, weekly, biweekly, monthly, quarterly, yearly, never. every #tag applies to every contact with the tag, now and later; a contact's own every wins, and every #tag default drops the tag's. show says where a contact's cadence comes from."},
	{Name: "remember", Names: true,
		Usage:    "remember <name> <label> on <date> | remember <name> <label> off",
		Summary:  "an important date (birthday, work anniversary, any label); digests bring it a week ahead",
		Examples: []string{"remember Jane birthday on May 3", "remember Jane work anniversary on 2019-09-01", "remember Jane birthday off"},
		Notes:    "Without a year, or with a past one, the date comes back every year (Feb 29 falls on Feb 28 in other years); with a year still to come it happens once. Digests bring it from 7 days before through the day, even when the contact is not due."},
	{Name: "edit", Aliases: []string{"set"}, Names: true, Group: "contact",
		Usage:    "edit <name> <field> <value>",
		Summary:  "change name, company, role, email, url or note",
		Examples: []string{"edit Jane company Globex", "edit Jane email jane@example.com", "edit Jane role -"},
		Notes:    "A value of - clears the field."},
	{Name: "tag", Names: true, Group: "contact",
		Usage:    "tag <name> #tag ...",
		Summary:  "add tags",
		Examples: []string{"tag Jane #investor #berlin"}},
	{Name: "untag", Names: true, Group: "contact",
		Usage:    "untag <name> #tag ...",
		Summary:  "remove tags",
		Examples: []string{"untag Jane #berlin"}},
	{Name: "remove", Aliases: []string{"rm", "delete"}, Names: true, Group: "contact",
		Usage:    "remove <name>",
		Summary:  "delete a contact and its history; undo restores it",
		Examples: []string{"remove Bob"}},
	{Name: "undo",
		Usage:    "undo",
		Summary:  "undo your last change (within 15 minutes)",
		Examples: []string{"undo"}},
	{Name: "settings", Aliases: []string{"setting"},
		Usage:    "settings [tz <Area/City>] [digest <time|cron>|off] [cadence <c>] [max <n>] [share on|off]",
		Summary:  "show or change your settings",
		Examples: []string{"settings", "settings tz Europe/Berlin digest weekdays 08:30", "settings digest off", "settings cadence 6w max 10 share on"},
		Notes:    "Digest schedules: 09:00, weekdays 09:00, mondays 08:30, daily 18:00 or a cron expression like 0 9 * * 1-5, in your time zone. share on lets teammates see that you know someone at a company (who-knows) and puts you in the team's givers list."},
	{Name: "digest", ReadOnly: true,
		Usage:    "digest",
		Summary:  "send your digest to your DMs now",
		Examples: []string{"digest"}},
	{Name: "team",
		Usage:    "team summary here [<schedule>] | team summary off | team summary now",
		Summary:  "team admins: choose the summary channel and schedule, stop it, or post one now",
		Examples: []string{"team summary here", "team summary here fridays 16:00", "team summary off", "team summary now"},
		Notes:    "The summary counts meetings, favours and kept promises; it never names a contact, a company or a note."},
	{Name: "who-knows", Aliases: []string{"whoknows", "who"}, ReadOnly: true,
		Usage:    "who-knows <company|#tag> [: why]",
		Summary:  "which teammates (with share on) know someone there, each with an Ask for an intro button",
		Examples: []string{"who-knows Acme", "who-knows #investor : raising a seed round", "who-knows Globex : looking for their data team lead"},
		Notes:    "It names teammates, never their contacts. Ask for an intro sends the teammate your why; they choose privately whether and whom to introduce, and only then do you learn the name. One ask per teammate and company a week."},
	{Name: "import",
		Usage:    "import",
		Summary:  "bring in contacts from a LinkedIn Connections.csv, a vCard file or a kith export",
		Examples: []string{"import"},
		Notes:    "On Discord attach the file to the command; on Slack share the file with kith in a DM."},
	{Name: "export", ReadOnly: true,
		Usage:    "export [json|csv|vcard]",
		Summary:  "your data as files (CSV and JSON)",
		Examples: []string{"export", "export vcard"}},
	{Name: "forget-me", Aliases: []string{"forgetme"},
		Usage:    "forget-me",
		Summary:  "delete all your data, after a confirmation",
		Examples: []string{"forget-me"}},
	{Name: "help", Aliases: []string{"?"}, ReadOnly: true,
		Usage:    "help [command]",
		Summary:  "usage with examples",
		Examples: []string{"help", "help met"}},
}

// byWord maps every word a command may start with, in lower case, to its verb.
var byWord = func() map[string]*Verb {
	m := map[string]*Verb{}
	for i := range verbs {
		v := &verbs[i]
		for _, w := range append([]string{v.Name}, v.Aliases...) {
			if m[w] != nil {
				panic("lang: the word " + w + " starts two commands")
			}
			m[w] = v
		}
	}
	return m
}()

// Verbs returns every command in the order help shows them.
func Verbs() []Verb {
	out := make([]Verb, len(verbs))
	copy(out, verbs)
	return out
}

// Names returns the canonical word of every command, in help's order.
func Names() []string {
	out := make([]string, len(verbs))
	for i, v := range verbs {
		out[i] = v.Name
	}
	return out
}

// Lookup finds the command a word starts, by its name or an alias, ignoring case.
func Lookup(word string) (Verb, bool) {
	v := byWord[strings.ToLower(word)]
	if v == nil {
		return Verb{}, false
	}
	return *v, true
}

// VerbOf is the canonical verb of a command's text: "help" for no text, ""
// for a first word that is no command.
func VerbOf(text string) string {
	first, _, _ := strings.Cut(strings.TrimSpace(text), " ")
	if first == "" {
		return "help"
	}
	v, _ := Lookup(first)
	return v.Name
}
