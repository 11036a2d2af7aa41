package lang_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// misreadEnv is the world of the misreadings a new user hit: Tue Dec 2, 2026.
func misreadEnv() lang.Env {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	return lang.Env{Now: now, Loc: time.UTC, Contacts: []reminders.Contact{
		{ID: 1, Name: "Ann"}, {ID: 2, Name: "Ann Marie"}, {ID: 3, Name: "Roe"}, {ID: 4, Name: "Zoe Li"}, {ID: 5, Name: "Kim Wu"},
	}}
}

// TestMisreadings checks what a new user typed is read as they meant it,
// or refused with a sentence, never read as something else.
func TestMisreadings(t *testing.T) {
	env := misreadEnv()
	tests := []struct {
		in, name, text, when, notice string
		says                         string // an error's sentence instead
	}{
		// The longest leading run of words that names a contact, whatever the case.
		{in: "gave ann marie intro to Bob", name: "Ann Marie", text: "intro to Bob"},
		{in: "gave ANN MARIE intro to Bob", name: "Ann Marie", text: "intro to Bob"},
		{in: "gave ann intro to Bob", name: "Ann", text: "intro to Bob"},
		// A trailing date is the date, and a favour needs its text.
		{in: "got Roe 3 days ago", says: "say what was received, e.g. got Roe"},
		{in: "gave Roe yesterday", says: "say what was given"},
		{in: "got Roe a tip 3 days ago", name: "Roe", text: "a tip", when: "2026-11-29"},
		// A day without a year that is still to come this year is last year's, said aloud.
		{in: "met Zoe on Dec 3", name: "Zoe Li", when: "2025-12-03", notice: "Dec 3 is still to come this year, so this is last year's: Wed Dec 3, 2025."},
		{in: "met Zoe on Dec 1", name: "Zoe Li", when: "2026-12-01"},
		{in: "met Zoe on Dec 3 2025", name: "Zoe Li", when: "2025-12-03"},
		{in: "gave Zoe a book 3 December", name: "Zoe Li", text: "a book", when: "2025-12-03", notice: "last year's"},
		// Cadences and snoozes longer than ten years are refused alike.
		{in: "every Kim 300y", says: `"300y" is longer than ten years`},
		{in: "every Kim 5000 weeks", says: "longer than ten years"},
		{in: "snooze Kim 300y", says: `"300y" is longer than ten years`},
		{in: "snooze Kim until 2040-01-01", says: "longer than ten years"},
		{in: "every Kim 10y", name: "Kim Wu"},
		{in: "snooze Kim 10 years", name: "Kim Wu"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := lang.Parse(tt.in, env)
			if tt.says != "" {
				if err == nil || reminders.ErrorCode(err) != reminders.EINVALID || !strings.Contains(err.Error(), tt.says) {
					t.Fatalf("Parse(%q) = %+v, %v; want an error saying %q", tt.in, p, err, tt.says)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got := p.Contacts[0].Name; got != tt.name {
				t.Errorf("name = %q, want %q", got, tt.name)
			}
			if tt.text != "" && p.Text != tt.text {
				t.Errorf("text = %q, want %q", p.Text, tt.text)
			}
			if tt.when != "" && p.When.Format("2006-01-02") != tt.when {
				t.Errorf("when = %s, want %s", p.When, tt.when)
			}
			if !strings.Contains(p.Notice, tt.notice) || (tt.notice == "") != (p.Notice == "") {
				t.Errorf("notice = %q, want %q", p.Notice, tt.notice)
			}
		})
	}
}

// TestDigestTimeUnderstood checks that a digest time is shown as understood, or refused.
func TestDigestTimeUnderstood(t *testing.T) {
	env := misreadEnv()
	for in, want := range map[string]string{
		"settings digest 9": "09:00", "settings digest 9pm": "21:00", "settings digest 9:05": "09:05",
		"settings digest Weekdays 9PM": "weekdays 21:00", "settings digest 0 9 * * 1-5": "0 9 * * 1-5",
		"settings digest 9:5": "", "settings digest 25": "",
	} {
		p, err := lang.Parse(in, env)
		switch {
		case want == "" && err == nil:
			t.Errorf("Parse(%q) = %q, want it refused", in, *p.Settings.Digest)
		case want != "" && err != nil:
			t.Errorf("Parse(%q): %v", in, err)
		case want != "" && *p.Settings.Digest != want:
			t.Errorf("Parse(%q) = %q, want %q", in, *p.Settings.Digest, want)
		}
	}
	p, err := lang.Parse("team summary here fridays 4pm", env)
	if err != nil || p.Schedule != "fridays 16:00" {
		t.Errorf("team summary here fridays 4pm = %q, %v", p.Schedule, err)
	}
}

// TestCloseSpellingFlagged checks that a name read only by a close spelling
// is flagged, so that a command that writes can ask before acting on it.
func TestCloseSpellingFlagged(t *testing.T) {
	env := lang.Env{Now: time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC), Loc: time.UTC, Contacts: []reminders.Contact{
		{ID: 1, Name: "Jane Roe"}, {ID: 2, Name: "Finn Khan32"}, {ID: 3, Name: "Bob Lee"},
	}}
	for in, close := range map[string][]uint64{
		"met Janet":                 {1},
		"met Jane":                  nil,
		"met jane roe":              nil,
		"gave Khan33 intro":         {2},
		"gave Khan32 intro":         nil,
		"met \"Jnae Roe\", Bbo Lee": {1, 3},
		"show Jnae Roe":             {1},
		"snooze Jnae Roe 2w":        {1},
		"met Janet, Jane Roe":       {1},
		"promise Bbo Lee a book":    {3},
	} {
		p, err := lang.Parse(in, env)
		if err != nil {
			t.Errorf("Parse(%q): %v", in, err)
			continue
		}
		if !slices.Equal(p.Close, close) {
			t.Errorf("Parse(%q).Close = %v, want %v", in, p.Close, close)
		}
	}
}
