package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/postgres/pgtest"
)

// testDefaultIsolation: a change reads what the change before it on the
// same owner committed even when the database's default isolation is
// REPEATABLE READ (set by an operator for the database, the role or, as
// here, the URL). Update's reads, the contacts it names beforehand among
// them, are correct only when their snapshots are taken after the owner's
// lock is granted, which READ COMMITTED does statement by statement; a
// transaction snapshot would be taken by the lock statement before it
// waits. A change that waited for another deleting a contact would then
// see the contact and log a meeting with it.
func testDefaultIsolation(t *testing.T, srv *pgtest.Server) {
	ctx := context.Background()
	url := srv.NewDB(t)
	s := openURL(t, url+"&default_transaction_isolation=repeatable%20read")
	const owner = reminders.OwnerID("slack:T1:U1")
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, named := range []bool{true, false} {
		c := reminders.Contact{Name: "Jane", Added: t0}
		if err := s.Update(ctx, owner, reminders.Change{Now: t0}, func(tx reminders.OwnerTx) error { c.ID = 0; return tx.PutContact(&c) }); err != nil {
			t.Fatal(err)
		}
		// The deletion holds the owner's lock until released; it writes
		// no new id and no undo record, so the owner's row stays as it was.
		inFn, release := make(chan struct{}), make(chan struct{})
		deleted := make(chan error, 1)
		go func() {
			deleted <- s.Update(ctx, owner, reminders.Change{Now: t0}, func(tx reminders.OwnerTx) error {
				if err := tx.DeleteContact(c.ID); err != nil {
					return err
				}
				close(inFn)
				<-release
				return nil
			})
		}()
		<-inFn
		change := reminders.Change{Now: t0}
		if named {
			change.Contacts = []uint64{c.ID}
		}
		met := make(chan error, 1)
		go func() {
			met <- s.Update(ctx, owner, change, func(tx reminders.OwnerTx) error {
				return tx.AddInteraction(&reminders.Interaction{ContactID: c.ID, Kind: reminders.Met, At: t0, Logged: t0})
			})
		}()
		waitForLockWait(t, url)
		close(release)
		if err := <-deleted; err != nil {
			t.Fatalf("DeleteContact: %v", err)
		}
		if err := <-met; reminders.ErrorCode(err) != reminders.ENOTFOUND {
			t.Errorf("named beforehand %v: a meeting with the contact deleted by the change before = %v; want ENOTFOUND", named, err)
		}
		if err := s.View(ctx, owner, func(tx reminders.OwnerTx) error {
			h, err := tx.History(c.ID, 0)
			if len(h) != 0 {
				t.Errorf("named beforehand %v: the deleted contact has %d interactions; want none", named, len(h))
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
}
