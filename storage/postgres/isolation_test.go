package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
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

// testNewOwnerNamedContacts: a change that finds no row for its owner has
// read the contacts it named without the owner's lock, and reads them again
// once it holds it. Here the change's request key waits for another
// delivery's, so that the owner is created with a contact between its lock
// statement (no row) and its read of the contact, and the contact is
// changed under the owner's lock after that read and before the change
// takes the lock by inserting the owner's row: the record read first is
// stale, and a change that wrote it back would undo the other's.
func testNewOwnerNamedContacts(t *testing.T, srv *pgtest.Server) {
	ctx := context.Background()
	url := srv.NewDB(t)
	s := openURL(t, url)
	const owner = reminders.OwnerID("slack:T1:UNEW")
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	const first = 1 // the id a new owner's first contact gets

	// Another delivery with the same key, not yet committed.
	other, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	if _, err := other.Exec(ctx, `BEGIN`); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Exec(ctx, `INSERT INTO kith_request_keys (owner, key, seen) VALUES ($1, 'k', $2)`, string(owner), t0); err != nil {
		t.Fatal(err)
	}
	var note string
	read := make(chan error, 1)
	go func() {
		read <- s.Update(ctx, owner, reminders.Change{Key: "k", Now: t0, Contacts: []uint64{first}}, func(tx reminders.OwnerTx) error {
			c, err := tx.Contact(first)
			note = c.Note
			return err
		})
	}()
	waitForLockWaitIn(t, url, "INSERT INTO kith_request_keys")

	jane := reminders.Contact{Name: "Jane", Note: "old", Added: t0}
	if err := s.Update(ctx, owner, reminders.Change{Now: t0}, func(tx reminders.OwnerTx) error { jane.ID = 0; return tx.PutContact(&jane) }); err != nil {
		t.Fatal(err)
	}
	if jane.ID != first {
		t.Fatalf("the new owner's first contact has id %d, want %d", jane.ID, first)
	}
	inFn, release := make(chan struct{}), make(chan struct{})
	edited := make(chan error, 1)
	go func() {
		edited <- s.Update(ctx, owner, reminders.Change{Now: t0}, func(tx reminders.OwnerTx) error {
			c, err := tx.Contact(first)
			if err != nil {
				return err
			}
			c.Note = "new"
			if err := tx.PutContact(&c); err != nil {
				return err
			}
			close(inFn)
			<-release
			return nil
		})
	}()
	<-inFn
	// The other delivery fails: the change goes on, reads Jane as "old",
	// and waits for the edit's lock to insert the owner's row.
	if _, err := other.Exec(ctx, `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
	waitForLockWaitIn(t, url, "INSERT INTO kith_owners")
	close(release)
	if err := <-edited; err != nil {
		t.Fatalf("the edit: %v", err)
	}
	if err := <-read; err != nil {
		t.Fatalf("the change: %v", err)
	}
	if note != "new" {
		t.Errorf("the change read Note %q; want %q, committed before it held the owner's lock", note, "new")
	}
}
