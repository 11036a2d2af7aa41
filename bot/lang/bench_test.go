package lang_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// manyContacts is a large network: 2,000 contacts.
func manyContacts() []reminders.Contact {
	out := make([]reminders.Contact, 0, 2000)
	for i := range 2000 {
		out = append(out, reminders.Contact{ID: uint64(i + 1), Name: fmt.Sprintf("Person%04d Surname%d", i, i%97)})
	}
	return out
}

// BenchmarkParse measures parsing a command that needs name resolution over 2,000 contacts.
func BenchmarkParse(b *testing.B) {
	now := wednesday(b)
	env := lang.Env{Now: now, Loc: now.Location(), Contacts: manyContacts()}
	for _, in := range []string{"met Person1999 Surname59 yesterday : coffee", "gave Persn1999 Surname59 intro to Bob", "list due"} {
		b.Run(in, func(b *testing.B) {
			for b.Loop() {
				if _, err := lang.Parse(in, env); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// worstCommands are the slowest commands to read that fit in MaxCommand:
// thousands of unquoted words that all look like the start of a name (once
// minutes to read), a promise full of "by", and a meeting with every
// contact it can name.
func worstCommands() map[string]string {
	fill := func(prefix, word string) string {
		return prefix + strings.Repeat(word, (lang.MaxCommand-len(prefix))/len(word))
	}
	return map[string]string{
		"gave words":     fill("gave ", "Person1 "),
		"gave a name":    fill("gave Person1999 Surname59 ", "Surname59 "),
		"promise by":     fill("promise Person1999 Surname59 ", "by "),
		"met many":       fill("met ", "Person1999 Surname59, "),
		"met unknown":    fill("met ", "Nobody "),
		"show long name": fill("show ", "x"),
	}
}

// BenchmarkParseWorst reads the worst commands over 2,000 contacts, beside
// a typical one, so their ratio shows what one long command costs.
func BenchmarkParseWorst(b *testing.B) {
	now := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	env := lang.Env{Now: now, Loc: time.UTC, Contacts: manyContacts()}
	cases := worstCommands()
	cases["typical"] = "met Person1999 Surname59 yesterday : coffee"
	for _, name := range slices.Sorted(maps.Keys(cases)) {
		b.Run(strings.ReplaceAll(name, " ", "_"), func(b *testing.B) {
			for b.Loop() {
				lang.Parse(cases[name], env) //nolint:errcheck // most of them are refused, as they should be
			}
		})
	}
}
