package transfer_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

// now is the fixed clock of these tests.
var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const (
	alice = reminders.OwnerID("slack:T0001:U0001")
	bob   = reminders.OwnerID("discord:200000000000000001")
)

// openStore opens a real bbolt store in a temporary directory.
func openStore(t testing.TB) reminders.Store {
	t.Helper()
	s, err := bolt.Open(filepath.Join(t.TempDir(), "kith.db"), bolt.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// fixture reads a file of testdata.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// contacts returns the owner's contacts by name.
func contacts(t testing.TB, s reminders.Store, owner reminders.OwnerID) map[string]reminders.Contact {
	t.Helper()
	out := map[string]reminders.Contact{}
	err := s.View(context.Background(), owner, func(tx reminders.OwnerTx) error {
		cs, err := tx.Contacts()
		for _, c := range cs {
			out[c.Name] = c
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// day is midnight UTC of a date.
func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
