package lang_test

import (
	"fmt"
	"testing"

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
