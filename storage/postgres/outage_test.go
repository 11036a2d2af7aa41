package postgres_test

import (
	"context"
	"testing"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/postgres/pgtest"
)

// TestOutage stops Postgres under a running store: writes fail with
// EUNAVAILABLE (the user is told to try again), nothing acknowledged is
// lost, and the store recovers by itself when the server is back. It has
// a server of its own, since it stops it.
func TestOutage(t *testing.T) {
	srv := pgtest.Start(t)
	s := openDB(t, srv)
	ctx := context.Background()
	owner := reminders.OwnerID("slack:T1:U1")
	put := func(name string) error {
		return s.Update(ctx, owner, reminders.Change{}, func(tx reminders.OwnerTx) error {
			c := reminders.Contact{Name: name}
			return tx.PutContact(&c)
		})
	}
	if err := put("Before"); err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	if err := put("During"); reminders.ErrorCode(err) != reminders.EUNAVAILABLE {
		t.Errorf("write while the database is down = %v, want EUNAVAILABLE", err)
	}
	if err := s.Ping(ctx); err == nil {
		t.Error("Ping succeeded while the database is down")
	}
	srv.Resume(t)
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping after the database came back: %v", err)
	}
	if err := put("After"); err != nil {
		t.Fatalf("write after the database came back: %v", err)
	}
	var names []string
	if err := s.View(ctx, owner, func(tx reminders.OwnerTx) error {
		cs, err := tx.Contacts()
		for _, c := range cs {
			names = append(names, c.Name)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(names) != 2 || names[0] != "After" || names[1] != "Before" {
		t.Errorf("contacts = %q, want the acknowledged writes only", names)
	}
}
