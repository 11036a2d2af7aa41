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

// BenchmarkLogMeeting logs a meeting with one of 2,000 contacts on a real
// bbolt file, typed and through the form, side by side: the form must cost
// no more than the command it stands for.
func BenchmarkLogMeeting(b *testing.B) {
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
	b.Run("via=typed", func(b *testing.B) {
		for b.Loop() {
			i++
			clock = clock.Add(time.Second)
			m := bt.Command(context.Background(), bot.Request{Owner: owner, Text: "met person1999 : coffee", Key: fmt.Sprint(i)})
			if m.Error || !strings.Contains(m.Text, "Person1999 Surname59") {
				b.Fatal(m.Text)
			}
		}
	})
	b.Run("via=form", func(b *testing.B) {
		for b.Loop() {
			i++
			clock = clock.Add(time.Second)
			res := bt.Submit(context.Background(), bot.Submission{Owner: owner, Kind: bot.ModalLogMeeting, Key: fmt.Sprint(i),
				Values: map[string]string{bot.InputNames: "person1999", bot.InputNote: "coffee"}})
			if res.Errors != nil || !strings.Contains(res.Reply.Text, "Person1999 Surname59") {
				b.Fatal(res)
			}
		}
	})
}

// BenchmarkCompleteZone is one keystroke of settings tz autocomplete, which
// Discord wants answered within 3 seconds.
func BenchmarkCompleteZone(b *testing.B) {
	for _, typed := range []string{"", "europe/be", "york"} {
		b.Run("typed="+typed, func(b *testing.B) {
			for b.Loop() {
				if len(bot.CompleteZone(typed)) == 0 {
					b.Fatal("no zones")
				}
			}
		})
	}
}
