package bot_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

// manyContacts is a large network: 2,000 contacts.
func manyContacts() []reminders.Contact {
	out := make([]reminders.Contact, 0, 2000)
	for i := range 2000 {
		out = append(out, reminders.Contact{ID: uint64(i + 1), Name: fmt.Sprintf("Person%04d Surname%d", i, i%97)})
	}
	return out
}

// BenchmarkCommandMet measures a whole typed command against a real bbolt
// file with 2,000 contacts: parse, resolve, write durably, reply.
func BenchmarkCommandMet(b *testing.B) {
	store, err := bolt.Open(filepath.Join(b.TempDir(), "kith.db"), bolt.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	owner := reminders.Owner{Platform: reminders.PlatformConsole, User: "bench"}
	now := wednesday(b)
	err = store.Update(context.Background(), owner.ID(), reminders.Change{Now: now}, func(tx reminders.OwnerTx) error {
		for _, c := range manyContacts() {
			c.ID, c.Added = 0, now.AddDate(0, -2, 0)
			if err := tx.PutContact(&c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	clock := now
	bt := bot.New(store, bot.Options{Now: func() time.Time { return clock }})
	i := 0
	// The contact is named exactly, then by a prefix only it has, which
	// resolution must compare with every contact's name.
	for _, typed := range []struct{ kind, text string }{{"exact", "Person1999 Surname59"}, {"loose", "person1999"}} {
		b.Run("name="+typed.kind, func(b *testing.B) {
			for b.Loop() {
				i++
				clock = clock.Add(time.Second)
				m := bt.Command(context.Background(), bot.Request{Owner: owner, Text: "met " + typed.text + " : coffee", Key: fmt.Sprint(i)})
				if m.Error || !strings.Contains(m.Text, "Person1999 Surname59") {
					b.Fatal(m.Text)
				}
			}
		})
	}
}
