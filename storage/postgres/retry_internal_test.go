package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/postgres/pgtest"
)

// TestRetryStartsAfresh: when Postgres aborts an attempt for a deadlock,
// Update runs fn again in a new transaction that knows nothing of the
// first: the contacts it named are read again with the lock, a read sees
// the stored record rather than the aborted attempt's write, and the undo
// record, which an undoable change replaces without reading, is the one of
// the attempt that committed, restoring what was stored before it.
func TestRetryStartsAfresh(t *testing.T) {
	srv := pgtest.Start(t)
	ctx := context.Background()
	s, err := Open(ctx, srv.NewDB(t), Options{PruneEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	owner := reminders.OwnerID("slack:T1:U1")
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	jane := reminders.Contact{Name: "Jane", Added: now}
	err = s.Update(ctx, owner, reminders.Change{Now: now}, func(tx reminders.OwnerTx) error { return tx.PutContact(&jane) })
	if err != nil {
		t.Fatal(err)
	}
	note := func(n string) func(tx reminders.OwnerTx) error {
		return func(tx reminders.OwnerTx) error {
			c, err := tx.Contact(jane.ID)
			if err != nil {
				return err
			}
			c.Note = n
			return tx.PutContact(&c)
		}
	}
	if err := s.Update(ctx, owner, reminders.Change{Undo: "note a", Now: now}, note("a")); err != nil {
		t.Fatal(err)
	}
	attempts := 0
	change := reminders.Change{Key: "k", Undo: "note b", Now: now.Add(time.Minute), Contacts: []uint64{jane.ID}}
	err = s.Update(ctx, owner, change, func(tx reminders.OwnerTx) error {
		attempts++
		c, err := tx.Contact(jane.ID)
		if err != nil {
			return err
		}
		if c.Note != "a" {
			t.Errorf("attempt %d read Note %q; want the stored %q", attempts, c.Note, "a")
		}
		i := reminders.Interaction{ContactID: jane.ID, Kind: reminders.Met, At: now, Logged: now}
		if err := tx.AddInteraction(&i); err != nil {
			return err
		}
		c.Record(i)
		c.Note = "b"
		if err := tx.PutContact(&c); err != nil {
			return err
		}
		if attempts == 1 {
			return &pgconn.PgError{Code: "40P01", Message: "deadlock detected (injected)"}
		}
		return nil
	})
	if err != nil || attempts != 2 {
		t.Fatalf("Update = %v after %d attempts; want success at the second", err, attempts)
	}
	var history []reminders.Interaction
	read := func() reminders.Contact {
		t.Helper()
		var c reminders.Contact
		err := s.View(ctx, owner, func(tx reminders.OwnerTx) error {
			var err error
			if c, err = tx.Contact(jane.ID); err != nil {
				return err
			}
			history, err = tx.History(jane.ID, 0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := read(); c.Note != "b" || len(history) != 1 {
		t.Errorf("after the retried change: Note %q, %d interactions; want b and 1", c.Note, len(history))
	}
	var label string
	err = s.Update(ctx, owner, reminders.Change{Now: now.Add(2 * time.Minute)}, func(tx reminders.OwnerTx) error {
		label, err = tx.Undo(now.Add(2 * time.Minute))
		return err
	})
	if err != nil || label != "note b" {
		t.Fatalf("Undo = %q, %v; want note b", label, err)
	}
	if c := read(); c.Note != "a" || len(history) != 0 {
		t.Errorf("after undo: Note %q, %d interactions; want a and none", c.Note, len(history))
	}
	err = s.Update(ctx, owner, reminders.Change{Key: "k", Now: now.Add(3 * time.Minute)}, func(reminders.OwnerTx) error { return nil })
	if err != reminders.ErrDuplicate {
		t.Errorf("the retried change's key again = %v; want ErrDuplicate", err)
	}
}
