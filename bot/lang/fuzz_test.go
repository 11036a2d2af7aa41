package lang_test

import (
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// parseBudget is how long reading one command may take in the fuzz target:
// the longest command takes a few milliseconds (see BenchmarkParseWorst),
// so this leaves room for a busy machine and still catches a search that
// grows with the square of the command's length.
const parseBudget = 250 * time.Millisecond

// FuzzParse checks that no input makes the parser panic, fail with anything
// but a user-facing error, date an interaction in the future, or take longer
// than parseBudget (the fastest of three tries, so a pause of the machine
// is not taken for a slow input).
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
	for _, s := range worstCommands() {
		f.Add(s)
	}
	env := parseEnv(f)
	env.Contacts = append(env.Contacts, manyContacts()[:200]...)
	f.Fuzz(func(t *testing.T, text string) {
		p, err := timedParse(t, text, env)
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

// timedParse parses text and, while fuzzing (go test -fuzz, as .ci/fuzz
// runs it), fails when even the fastest of three tries takes longer than
// parseBudget. A plain go test holds no timed assertion, since a busy
// machine would fail it; BenchmarkParseWorst measures the same inputs.
func timedParse(t *testing.T, text string, env lang.Env) (lang.Parsed, error) {
	if !fuzzing() {
		return lang.Parse(text, env)
	}
	fastest := time.Duration(1<<63 - 1)
	var p lang.Parsed
	var err error
	for range 3 {
		start := time.Now()
		p, err = lang.Parse(text, env)
		if fastest = min(fastest, time.Since(start)); fastest <= parseBudget*budgetScale {
			return p, err
		}
	}
	t.Fatalf("Parse of %d bytes (%.60q...) took %v; the budget is %v", len(text), text, fastest, parseBudget*budgetScale)
	return p, err
}

// fuzzing reports whether this test binary runs with -test.fuzz.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}
