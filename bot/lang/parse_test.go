package lang_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// parseEnv is the parser tests' world: people() with three open promises, at wednesday.
func parseEnv(t testing.TB) lang.Env {
	now := wednesday(t)
	return lang.Env{Now: now, Loc: now.Location(), Contacts: people(), Promises: []reminders.Promise{
		{ID: 1, ContactID: 1, What: "send the deck", Created: now.AddDate(0, 0, -3)},
		{ID: 2, ContactID: 3, What: "intro to Ana", Created: now.AddDate(0, 0, -3)},
		{ID: 3, ContactID: 3, What: "book tip", Created: now.AddDate(0, 0, -2)},
		{ID: 4, ContactID: 6, What: "old favour", Created: now.AddDate(0, 0, -9), Done: now.AddDate(0, 0, -1)},
	}}
}

// want describes the parts of a Parsed a case checks; empty fields are not checked.
type want struct {
	verb    string
	names   []string
	when    string // "2006-01-02 15:04" in New York; "zero" for the zero time
	text    string
	note    string
	name    string
	code    string // an error code instead of a result
	says    string // part of the error sentence
	check   func(t *testing.T, p lang.Parsed)
	company string
}

func TestParse(t *testing.T) {
	env := parseEnv(t)
	ny := env.Loc
	tests := []struct {
		in string
		want
	}{
		// add
		{"add Jane Smith every 2w at Acme as CTO #investor #Berlin : met at GopherCon", want{verb: "add", name: "Jane Smith", note: "met at GopherCon", company: "Acme", check: func(t *testing.T, p lang.Parsed) {
			if p.Role != "CTO" || p.Cadence != (reminders.Cadence{N: 2, Unit: reminders.Weeks}) || !slices.Equal(p.Tags, []string{"investor", "berlin"}) {
				t.Errorf("add parsed as %+v", p)
			}
		}}},
		{"add Ana Lima", want{verb: "add", name: "Ana Lima"}},
		{"add \"Kat at Home\" at Acme", want{verb: "add", name: "Kat at Home", company: "Acme"}},
		// A keyword with nothing after it is a mistake, never part of the name.
		{"add Thomas As", want{code: reminders.EINVALID, says: `as needs a role after it, e.g. add Jane Doe as CTO; if "As" is part of the name, quote it: add "Thomas As"`}},
		{"add \"Thomas As\"", want{verb: "add", name: "Thomas As"}},
		{"add Jane Doe at", want{code: reminders.EINVALID, says: "at needs a company after it"}},
		{"add Kim every", want{code: reminders.EINVALID, says: "every needs a cadence after it"}},
		{"add Kim as", want{code: reminders.EINVALID, says: "as needs a role after it"}},
		{"add Kim at as CTO", want{code: reminders.EINVALID, says: "at needs a company after it"}},
		{"add Kim #", want{code: reminders.EINVALID, says: `"#" is not a tag`}},
		{"add Zoë Ångström Jr: met in Lund", want{verb: "add", name: "Zoë Ångström Jr", note: "met in Lund"}},
		{"add <@U123|bob> Bob Marley", want{verb: "add", name: "Bob Marley", check: func(t *testing.T, p lang.Parsed) {
			if p.Mention != "U123" {
				t.Errorf("mention = %q", p.Mention)
			}
		}}},
		{"add <@U999|sam>", want{verb: "add", name: "sam"}},
		{"add <@U999>", want{code: reminders.EINVALID, says: "say the name"}},
		{"add <@U777|bob> Bobby", want{code: reminders.ECONFLICT}}, // that mention is Bob Lee already
		{"add jane doe", want{code: reminders.ECONFLICT, says: "already have"}},
		{"add", want{code: reminders.EINVALID, says: "add Jane Doe"}},
		{"add Ana every fortnightly-ish", want{code: reminders.EINVALID, says: "cadence"}},
		{"add Ana at Acme at Globex", want{code: reminders.EINVALID, says: "twice"}},
		{"add Ana #bad!tag", want{code: reminders.EINVALID, says: "not a tag"}},
		// met
		{"met Jane Doe yesterday : coffee", want{verb: "met", names: []string{"Jane Doe"}, when: "2026-11-17 10:00", note: "coffee"}},
		{"met \"Jane Doe\" yesterday", want{verb: "met", names: []string{"Jane Doe"}, when: "2026-11-17 10:00"}},
		{"met “Jane Doe” yesterday", want{verb: "met", names: []string{"Jane Doe"}, when: "2026-11-17 10:00"}},
		{"met Jane Doe, Bob yesterday : coffee", want{verb: "met", names: []string{"Jane Doe", "Bob Lee"}, when: "2026-11-17 10:00", note: "coffee"}},
		{"met Jane Doe,Bob,Anna", want{verb: "met", names: []string{"Jane Doe", "Bob Lee", "Anna Karenina"}, when: "zero"}},
		{"met \"Jane Roe\", May last friday", want{verb: "met", names: []string{"Jane Roe", "May"}, when: "2026-11-13 10:00"}},
		{"met Jane Doe, Jane Doe", want{verb: "met", names: []string{"Jane Doe"}}}, // once each
		{"met Jane yesterday", want{code: reminders.EINVALID, says: "Jane Roe"}},
		{"met Jane", want{code: reminders.EINVALID, says: "Jane Doe"}},
		{"met May yesterday", want{verb: "met", names: []string{"May"}, when: "2026-11-17 10:00"}},
		{"met May", want{verb: "met", names: []string{"May"}, when: "zero"}},
		{"met May on May 3", want{verb: "met", names: []string{"May"}, when: "2026-05-03 10:00"}},
		{"met May May 3", want{verb: "met", names: []string{"May"}, when: "2026-05-03 10:00"}},
		{"met May 3 days ago", want{verb: "met", names: []string{"May"}, when: "2026-11-15 10:00"}},
		{"met Zoë Ångström last friday", want{verb: "met", names: []string{"Zoë Ångström"}, when: "2026-11-13 10:00"}},
		{"met zoe 3 days ago", want{verb: "met", names: []string{"Zoë Ångström"}, when: "2026-11-15 10:00"}},
		{"met Bob on 2026-11-01", want{verb: "met", names: []string{"Bob Lee"}, when: "2026-11-01 10:00"}},
		{"met Bob on Nov 1", want{verb: "met", names: []string{"Bob Lee"}, when: "2026-11-01 10:00"}},
		{"met Bob monday", want{verb: "met", names: []string{"Bob Lee"}, when: "2026-11-16 10:00"}},
		{"met Bob today", want{verb: "met", names: []string{"Bob Lee"}, when: "2026-11-18 10:00"}},
		{"met Bob tomorrow", want{code: reminders.EINVALID, says: "future"}},
		{"met Bob on 2027-01-01", want{code: reminders.EINVALID, says: "future"}},
		{"met Bob on Feb 30", want{code: reminders.EINVALID, says: "not a date"}},
		{"met Smith yesterday", want{code: reminders.ENOTFOUND, says: `"Smith"`}},
		{"met <@U777> today", want{verb: "met", names: []string{"Bob Lee"}}},
		{"met <@U777|bob>, Anna", want{verb: "met", names: []string{"Bob Lee", "Anna Karenina"}}},
		{"met <@U404>", want{code: reminders.ENOTFOUND, says: "<@U404>"}},
		{"met Anna Karenian yesterday", want{verb: "met", names: []string{"Anna Karenina"}, when: "2026-11-17 10:00"}},
		{"met \"Jane Doe yesterday", want{code: reminders.EINVALID, says: "quote"}},
		{"met \"\" yesterday", want{code: reminders.EINVALID, says: "empty"}},
		{"met", want{code: reminders.EINVALID, says: "met "}},
		{"met O'Brien yesterday: at 10:30 sharp", want{verb: "met", names: []string{"O'Brien"}, note: "at 10:30 sharp"}},
		// gave, got
		{"gave Jane Doe intro to Bob", want{verb: "gave", names: []string{"Jane Doe"}, text: "intro to Bob", when: "zero"}},
		{"gave Jane Doe intro to Bob yesterday", want{verb: "gave", names: []string{"Jane Doe"}, text: "intro to Bob", when: "2026-11-17 10:00"}},
		{"gave Doe a book tip", want{verb: "gave", names: []string{"Jane Doe"}, text: "a book tip"}},
		{"gave \"Jane Doe\" notes from May", want{verb: "gave", names: []string{"Jane Doe"}, text: "notes from May", when: "zero"}},
		{"got Bob feedback on my talk 3 days ago", want{verb: "got", names: []string{"Bob Lee"}, text: "feedback on my talk", when: "2026-11-15 10:00"}},
		{"got Bob referral to Acme's CTO", want{verb: "got", names: []string{"Bob Lee"}, text: "referral to Acme's CTO"}},
		{"got Bob a ticket tomorrow", want{code: reminders.EINVALID, says: "future"}},
		{"gave Jane Doe a book on 2026-02-30", want{code: reminders.EINVALID, says: `"on 2026-02-30" is not a date`}},
		{"got Bob advice 1800-01-01", want{code: reminders.EINVALID, says: `"1800-01-01" is not a date`}},
		{"gave Jane Doe the 2026-11-01 report", want{verb: "gave", names: []string{"Jane Doe"}, text: "the 2026-11-01 report", when: "zero"}},
		{"gave Jane Doe", want{code: reminders.EINVALID, says: "say what"}},
		{"gave Jane intro", want{code: reminders.EINVALID, says: "Jane Roe"}},
		{"gave Smith intro", want{code: reminders.ENOTFOUND, says: "add Smith"}},
		// note
		{"note Jane Doe moving to Berlin in March", want{verb: "note", names: []string{"Jane Doe"}, text: "moving to Berlin in March"}},
		{"note Anna", want{code: reminders.EINVALID, says: "what to note"}},
		// promise
		{"promise Jane Doe send the deck by friday", want{verb: "promise", names: []string{"Jane Doe"}, text: "send the deck", when: "2026-11-20 00:00"}},
		{"promise Bob an intro to Ana by Dec 1", want{verb: "promise", names: []string{"Bob Lee"}, text: "an intro to Ana", when: "2026-12-01 00:00"}},
		{"promise Bob stand by me", want{verb: "promise", names: []string{"Bob Lee"}, text: "stand by me", when: "zero"}},
		{"promise Bob the deck by today", want{verb: "promise", names: []string{"Bob Lee"}, text: "the deck", when: "2026-11-18 00:00"}},
		{"promise Bob the deck by 2026-11-01", want{code: reminders.EINVALID, says: "passed"}},
		{"promise Bob the deck by next fridya", want{code: reminders.EINVALID, says: "not a date"}},
		{"promise Bob", want{code: reminders.EINVALID, says: "what you promised"}},
		{"promise Bob by friday", want{code: reminders.EINVALID, says: "what you promised"}},
		// done
		{"done Jane Doe", want{verb: "done", names: []string{"Jane Doe"}, check: promiseID(1)}},
		{"done Bob book", want{verb: "done", names: []string{"Bob Lee"}, check: promiseID(3)}},
		{"done Bob Lee intro", want{verb: "done", names: []string{"Bob Lee"}, check: promiseID(2)}},
		{"done Bob", want{code: reminders.EINVALID, says: "intro to Ana"}},
		{"done Bob cake", want{code: reminders.ENOTFOUND, says: "cake"}},
		{"done Anna", want{code: reminders.ENOTFOUND, says: "no open promise"}},
		// show, remove
		{"show Jane Doe", want{verb: "show", names: []string{"Jane Doe"}}},
		{"show jane d", want{verb: "show", names: []string{"Jane Doe"}}},
		{"show \"Zoë Ångström\"", want{verb: "show", names: []string{"Zoë Ångström"}}},
		{"show Jane", want{code: reminders.EINVALID}},
		{"show", want{code: reminders.EINVALID, says: "show Jane"}},
		{"remove Bob", want{verb: "remove", names: []string{"Bob Lee"}}},
		{"remove Smith", want{code: reminders.ENOTFOUND}},
		// list, due
		{"list", want{verb: "list", check: filter("all", "")}},
		{"list due", want{verb: "list", check: filter("due", "")}},
		{"list #Investor cold", want{verb: "list", check: filter("cold", "investor")}},
		{"list all #a", want{verb: "list", check: filter("all", "a")}},
		{"list foo", want{code: reminders.EINVALID, says: "list due"}},
		{"list due cold", want{code: reminders.EINVALID}},
		{"due", want{verb: "due"}},
		{"due now", want{code: reminders.EINVALID}},
		// snooze
		{"snooze Jane Doe 2w", want{verb: "snooze", names: []string{"Jane Doe"}, when: "2026-12-02 10:00"}},
		{"snooze Jane Doe 1 month", want{verb: "snooze", names: []string{"Jane Doe"}, when: "2026-12-18 10:00"}},
		{"snooze Bob 6 weeks", want{verb: "snooze", names: []string{"Bob Lee"}, when: "2026-12-30 10:00"}},
		{"snooze Bob 3d", want{verb: "snooze", names: []string{"Bob Lee"}, when: "2026-11-21 10:00"}},
		{"snooze Jane Doe until 2026-12-01", want{verb: "snooze", names: []string{"Jane Doe"}, when: "2026-12-01 00:00"}},
		{"snooze Jane Doe", want{code: reminders.EINVALID, says: "how long"}},
		{"snooze Jane Doe until yesterday", want{code: reminders.EINVALID}},
		// every
		{"every Jane Doe 2w", want{verb: "every", names: []string{"Jane Doe"}, check: cadence(reminders.Cadence{N: 2, Unit: reminders.Weeks})}},
		{"every Bob quarterly", want{verb: "every", names: []string{"Bob Lee"}, check: cadence(reminders.Cadence{N: 3, Unit: reminders.Months})}},
		{"every Bob 6 months", want{verb: "every", names: []string{"Bob Lee"}, check: cadence(reminders.Cadence{N: 6, Unit: reminders.Months})}},
		{"every Anna never", want{verb: "every", names: []string{"Anna Karenina"}, check: cadence(reminders.NeverCadence)}},
		{"every Bob sometimes", want{code: reminders.EINVALID, says: "cadence"}},
		{"every Bob", want{code: reminders.EINVALID, says: "how often"}},
		// edit
		{"edit Jane Doe company Globex Corp", want{verb: "edit", names: []string{"Jane Doe"}, text: "Globex Corp"}},
		{"edit Jane Doe email jane@example.com", want{verb: "edit", text: "jane@example.com"}},
		{"edit Jane Doe email nope", want{code: reminders.EINVALID, says: "email"}},
		{"edit Jane Doe url https://example.com/jane", want{verb: "edit", text: "https://example.com/jane"}},
		{"edit Jane Doe url <https://example.com/jane|example.com/jane>", want{verb: "edit", text: "https://example.com/jane"}},
		{"edit Jane Doe email <mailto:jane@example.com|jane@example.com>", want{verb: "edit", text: "jane@example.com"}},
		{"edit Jane Doe url example", want{code: reminders.EINVALID, says: "web address"}},
		{"edit Jane Doe name Bob Lee", want{code: reminders.ECONFLICT}},
		{"edit Jane Doe name Jane Smith", want{verb: "edit", text: "Jane Smith"}},
		{"edit Jane Doe role -", want{verb: "edit", text: ""}},
		{"edit Jane Doe name -", want{code: reminders.EINVALID, says: "remove"}},
		{"edit Jane Doe height 180", want{code: reminders.EINVALID, says: "which field"}},
		{"edit Jane Doe company", want{code: reminders.EINVALID, says: "new company"}},
		// tag, untag
		{"tag Jane Doe #investor #Berlin", want{verb: "tag", names: []string{"Jane Doe"}, check: tags("investor", "berlin")}},
		{"untag Jane Doe #berlin", want{verb: "untag", check: tags("berlin")}},
		{"tag Jane Doe", want{code: reminders.EINVALID, says: "which tags"}},
		// settings
		{"settings", want{verb: "settings", check: func(t *testing.T, p lang.Parsed) {
			if p.Settings != nil {
				t.Errorf("settings alone changes %+v", p.Settings)
			}
		}}},
		{"settings tz Europe/Berlin digest weekdays 08:30 cadence 6w max 10 share on", want{verb: "settings", check: func(t *testing.T, p lang.Parsed) {
			s := p.Settings
			if s == nil || *s.TimeZone != "Europe/Berlin" || *s.Digest != "weekdays 08:30" || *s.Cadence != (reminders.Cadence{N: 6, Unit: reminders.Weeks}) || *s.Max != 10 || !*s.Share {
				t.Errorf("settings parsed as %+v", s)
			}
		}}},
		{"settings tz america/new_york", want{verb: "settings", check: func(t *testing.T, p lang.Parsed) {
			if *p.Settings.TimeZone != "America/New_York" {
				t.Errorf("tz = %q", *p.Settings.TimeZone)
			}
		}}},
		{"settings digest off", want{verb: "settings"}},
		{"settings digest 0 9 * * 1-5", want{verb: "settings"}},
		{"settings digest mondays 08:30 share off", want{verb: "settings"}},
		{"settings max 30", want{code: reminders.EINVALID, says: "1 to 25"}},
		{"settings max 0", want{code: reminders.EINVALID}},
		{"settings tz Mars/Base", want{code: reminders.EINVALID, says: "time zone"}},
		{"settings digest sometimes", want{code: reminders.EINVALID, says: "schedule"}},
		{"settings share maybe", want{code: reminders.EINVALID, says: "on or off"}},
		{"settings colour blue", want{code: reminders.EINVALID, says: "settings [tz"}},
		{"settings tz", want{code: reminders.EINVALID}},
		// team, who-knows
		{"team summary here", want{verb: "team"}},
		{"team summary here fridays 16:00", want{verb: "team", check: func(t *testing.T, p lang.Parsed) {
			if p.Team != "here" || p.Schedule != "fridays 16:00" {
				t.Errorf("team parsed as %q %q", p.Team, p.Schedule)
			}
		}}},
		{"team summary off", want{verb: "team"}},
		{"team summary now", want{verb: "team"}},
		{"team summary", want{code: reminders.EINVALID, says: "team summary here"}},
		{"team summary here sometimes", want{code: reminders.EINVALID, says: "schedule"}},
		{"who-knows Acme", want{verb: "who-knows", text: "Acme"}},
		{"who knows Acme Corp", want{verb: "who-knows", text: "Acme Corp"}},
		{"who-knows #investor", want{verb: "who-knows", check: tags("investor")}},
		{"who-knows", want{code: reminders.EINVALID, says: "who-knows Acme"}},
		// the rest
		{"undo", want{verb: "undo"}},
		{"digest", want{verb: "digest"}},
		{"import", want{verb: "import"}},
		{"export", want{verb: "export"}},
		{"export vcard", want{verb: "export"}},
		{"export pdf", want{code: reminders.EINVALID, says: "export json"}},
		{"forget-me", want{verb: "forget-me"}},
		{"help", want{verb: "help"}},
		{"", want{verb: "help"}},
		{"help met", want{verb: "help", check: func(t *testing.T, p lang.Parsed) {
			if p.Topic != "met" {
				t.Errorf("topic %q", p.Topic)
			}
		}}},
		{"help nope", want{code: reminders.EINVALID, says: "help"}},
		{"frobnicate", want{code: reminders.EINVALID, says: "not a command"}},
		{"mte Jane", want{code: reminders.EINVALID, says: "did you mean met"}},
		{"MET Bob", want{verb: "met", names: []string{"Bob Lee"}}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := lang.Parse(tt.in, env)
			if tt.code != "" {
				if reminders.ErrorCode(err) != tt.code {
					t.Fatalf("Parse(%q) = %+v, %v; want error %s", tt.in, p, err, tt.code)
				}
				if !strings.Contains(err.Error(), tt.says) {
					t.Errorf("error %q does not say %q", err, tt.says)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if tt.verb != "" && p.Verb != tt.verb {
				t.Errorf("verb %q, want %q", p.Verb, tt.verb)
			}
			if tt.names != nil {
				var got []string
				for _, c := range p.Contacts {
					got = append(got, c.Name)
				}
				if !slices.Equal(got, tt.names) {
					t.Errorf("contacts %q, want %q", got, tt.names)
				}
			}
			when := p.When.In(ny)
			if tt.verb == "promise" { // a "by" date is a calendar day, held as midnight UTC
				when = p.When.UTC()
			}
			switch {
			case tt.when == "zero" && !p.When.IsZero():
				t.Errorf("when %s, want none", p.When)
			case tt.when != "" && tt.when != "zero" && when.Format("2006-01-02 15:04") != tt.when:
				t.Errorf("when %s, want %s", when.Format("2006-01-02 15:04"), tt.when)
			}
			if tt.text != "" && p.Text != tt.text || (tt.verb == "edit" && p.Text != tt.text) {
				t.Errorf("text %q, want %q", p.Text, tt.text)
			}
			if tt.note != "" && p.Note != tt.note {
				t.Errorf("note %q, want %q", p.Note, tt.note)
			}
			if tt.name != "" && p.Name != tt.name {
				t.Errorf("name %q, want %q", p.Name, tt.name)
			}
			if tt.company != "" && p.Company != tt.company {
				t.Errorf("company %q, want %q", p.Company, tt.company)
			}
			if tt.check != nil {
				tt.check(t, p)
			}
		})
	}
}

func promiseID(id uint64) func(*testing.T, lang.Parsed) {
	return func(t *testing.T, p lang.Parsed) {
		if p.Promise.ID != id {
			t.Errorf("promise %d (%q), want %d", p.Promise.ID, p.Promise.What, id)
		}
	}
}

func filter(f, tag string) func(*testing.T, lang.Parsed) {
	return func(t *testing.T, p lang.Parsed) {
		if p.Filter != f || (tag == "") != (len(p.Tags) == 0) || (tag != "" && p.Tags[0] != tag) {
			t.Errorf("list filter %q tags %q, want %q %q", p.Filter, p.Tags, f, tag)
		}
	}
}

func cadence(c reminders.Cadence) func(*testing.T, lang.Parsed) {
	return func(t *testing.T, p lang.Parsed) {
		if p.Cadence != c {
			t.Errorf("cadence %+v, want %+v", p.Cadence, c)
		}
	}
}

func tags(want ...string) func(*testing.T, lang.Parsed) {
	return func(t *testing.T, p lang.Parsed) {
		if !slices.Equal(p.Tags, want) {
			t.Errorf("tags %q, want %q", p.Tags, want)
		}
	}
}

// TestParseLongestName checks that a name is the longest leading run of
// words naming a contact, and that an exact name beats a longer prefix.
func TestParseLongestName(t *testing.T) {
	now := wednesday(t)
	env := lang.Env{Now: now, Loc: now.Location(), Contacts: []reminders.Contact{
		{ID: 1, Name: "Jane"}, {ID: 2, Name: "Jane Doe"}, {ID: 3, Name: "Jane Doe Anderson"}, {ID: 4, Name: "Bob"},
	}}
	tests := []struct{ in, name, text string }{
		{"gave Jane Doe intro to Bob", "Jane Doe", "intro to Bob"},
		{"gave Jane a book", "Jane", "a book"},
		{"gave Jane Doe a book", "Jane Doe", "a book"},
		{"gave Jane Doe Anderson a book", "Jane Doe Anderson", "a book"},
		{"gave Jane Doe And a book", "Jane Doe", "And a book"},
		{"gave Anderson a book", "Jane Doe Anderson", "a book"},
		{"got Bob Jane's number", "Bob", "Jane's number"},
	}
	for _, tt := range tests {
		p, err := lang.Parse(tt.in, env)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if p.Contacts[0].Name != tt.name || p.Text != tt.text {
			t.Errorf("Parse(%q) = %q / %q, want %q / %q", tt.in, p.Contacts[0].Name, p.Text, tt.name, tt.text)
		}
	}
}

// TestParseNeverFuture checks that no interaction date lands after now, in any zone.
func TestParseNeverFuture(t *testing.T) {
	for _, zone := range []string{"UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/New_York"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 18, 23, 30, 0, 0, time.UTC)
		env := lang.Env{Now: now, Loc: loc, Contacts: people()}
		for _, when := range []string{"", "today", "yesterday", "monday", "wednesday", "thursday", "on Nov 18", "on Nov 19", "2026-11-19"} {
			p, err := lang.Parse("met Bob "+when, env)
			if err != nil {
				continue
			}
			if p.When.After(now) {
				t.Errorf("%s: met Bob %s = %s, after now %s", zone, when, p.When, now)
			}
		}
	}
}
