package lang_test

import (
	"strings"
	"testing"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// FuzzParse checks that no input makes the parser panic, fail with anything
// but a user-facing error, or date an interaction in the future.
func FuzzParse(f *testing.F) {
	for _, h := range lang.Verbs() {
		for _, e := range h.Examples {
			f.Add(e)
		}
	}
	for _, s := range []string{
		"met Jane, Bob yesterday : coffee", "met \"Jane Doe\" yesterday", "gave Jane Doe intro to Bob",
		"met Zoë Ångström last friday", "met May on May 3", "snooze Jane until 2026-12-01",
		"promise Jane send the deck by friday", "met <@U777|bob>, Anna", "met \"Jane", "add <@U1",
		"settings digest 0 9 * * 1-5", "met Bob 99999 weeks ago", "met ,,,", "list #", "“", "<@>",
	} {
		f.Add(s)
	}
	env := parseEnv(f)
	f.Fuzz(func(t *testing.T, text string) {
		p, err := lang.Parse(text, env)
		if err != nil {
			switch reminders.ErrorCode(err) {
			case reminders.EINVALID, reminders.ENOTFOUND, reminders.ECONFLICT:
			default:
				t.Fatalf("Parse(%q): %v is not a user-facing error", text, err)
			}
			if strings.TrimSpace(reminders.ErrorMessage(err)) == "" {
				t.Fatalf("Parse(%q): empty error sentence", text)
			}
			return
		}
		switch p.Verb {
		case "met", "gave", "got":
			if p.When.After(env.Now) {
				t.Fatalf("Parse(%q) dates an interaction in the future: %s", text, p.When)
			}
			if len(p.Contacts) == 0 {
				t.Fatalf("Parse(%q) names no contact", text)
			}
		}
	})
}
