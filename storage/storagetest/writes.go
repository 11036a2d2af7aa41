package storagetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/kith-bot/kith/reminders"
)

func testFailedUpdate(t *testing.T, s reminders.Store) {
	boom := errors.New("boom")
	var seen []uint64
	err := s.Update(ctx, alice, reminders.Change{Now: t0}, func(tx reminders.OwnerTx) error {
		c := reminders.Contact{Name: "Ghost", Added: t0}
		if err := tx.PutContact(&c); err != nil {
			return err
		}
		seen = append(seen, c.ID)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want the function's error", err)
	}
	if got := contactNames(t, s, alice); len(got) != 0 {
		t.Errorf("a failed change left contacts %q", got)
	}
	// The id handed out in the failed run is handed out again: nothing leaked.
	if id := addContact(t, s, alice, "Real"); id != seen[0] {
		t.Errorf("next contact id = %d, want %d (the failed run's id, unused)", id, seen[0])
	}
}

func testReadOnlyView(t *testing.T, s reminders.Store) {
	err := s.View(ctx, alice, func(tx reminders.OwnerTx) error {
		return tx.PutContact(&reminders.Contact{Name: "Sneaky"})
	})
	if err == nil {
		t.Error("PutContact inside View succeeded")
	}
	if got := contactNames(t, s, alice); len(got) != 0 {
		t.Errorf("a View wrote contacts %q", got)
	}
	view(t, s, "console:nobody", func(tx reminders.OwnerTx) error {
		if tx.Owner() != "console:nobody" {
			t.Errorf("Owner() = %q", tx.Owner())
		}
		cs, err := tx.Contacts()
		if len(cs) != 0 {
			t.Errorf("unknown owner has contacts %+v", cs)
		}
		return err
	})
}

func testKeys(t *testing.T, s reminders.Store) {
	jane := addContact(t, s, alice, "Jane")
	met := reminders.Interaction{ContactID: jane, Kind: reminders.Met, At: t0, Logged: t0}
	change := reminders.Change{Key: "delivery-1", Now: t0}
	if err := logged(t, s, alice, change, met); err != nil {
		t.Fatal(err)
	}
	ran := false
	err := s.Update(ctx, alice, change, func(tx reminders.OwnerTx) error { ran = true; return nil })
	if err != reminders.ErrDuplicate && reminders.ErrorCode(err) != reminders.EDUPLICATE {
		t.Errorf("second delivery = %v, want ErrDuplicate", err)
	}
	if ran {
		t.Error("the function ran for a duplicate key")
	}
	// Keys are per owner: Bob's request with the same key is his own.
	if err := s.Update(ctx, bob, change, func(tx reminders.OwnerTx) error { return nil }); err != nil {
		t.Errorf("same key for another owner = %v", err)
	}
	// A failed change does not consume its key.
	failed := reminders.Change{Key: "delivery-2", Now: t0}
	_ = s.Update(ctx, alice, failed, func(tx reminders.OwnerTx) error { return errors.New("boom") })
	if err := logged(t, s, alice, failed, met); err != nil {
		t.Errorf("retry after a failure = %v, want it applied", err)
	}
	// Keys are remembered for two days, then forgotten.
	for i := range 20 {
		later := reminders.Change{Key: fmt.Sprintf("later-%d", i), Now: t0.Add(49 * 60 * 60 * 1e9)}
		if err := s.Update(ctx, alice, later, func(tx reminders.OwnerTx) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	err = s.Update(ctx, alice, reminders.Change{Key: "delivery-1", Now: t0.Add(49 * 60 * 60 * 1e9)}, func(tx reminders.OwnerTx) error { return nil })
	if err != nil {
		t.Errorf("a key from 49 hours ago = %v, want it forgotten", err)
	}
	view(t, s, alice, func(tx reminders.OwnerTx) error {
		h, err := tx.History(jane, 0)
		if len(h) != 2 {
			t.Errorf("history = %d entries, want 2 (one per applied key)", len(h))
		}
		return err
	})
}

func testKeysConcurrent(t *testing.T, s reminders.Store) {
	jane := addContact(t, s, alice, "Jane")
	const n = 16
	errs := make([]error, n)
	var wg sync.WaitGroup
	for g := range n {
		wg.Go(func() {
			i := reminders.Interaction{ContactID: jane, Kind: reminders.Met, At: t0, Logged: t0}
			errs[g] = logged(t, s, alice, reminders.Change{Key: "double-click", Now: t0}, i)
		})
	}
	wg.Wait()
	applied := 0
	for _, err := range errs {
		switch reminders.ErrorCode(err) {
		case "":
			applied++
		case reminders.EDUPLICATE:
		default:
			t.Errorf("concurrent delivery = %v", err)
		}
	}
	if applied != 1 {
		t.Errorf("%d of %d concurrent deliveries applied, want 1", applied, n)
	}
	view(t, s, alice, func(tx reminders.OwnerTx) error {
		h, err := tx.History(jane, 0)
		if len(h) != 1 {
			t.Errorf("history = %d entries, want 1", len(h))
		}
		return err
	})
}

func testConcurrentWriters(t *testing.T, s reminders.Store) {
	const writers, each = 8, 10
	ids := make([][]uint64, writers)
	var wg sync.WaitGroup
	for g := range writers {
		owner := reminders.OwnerID(fmt.Sprintf("console:w%d", g%2))
		wg.Go(func() {
			for n := range each {
				c := reminders.Contact{Name: fmt.Sprintf("c%d-%d", g, n), Added: t0}
				err := s.Update(ctx, owner, reminders.Change{Key: c.Name, Now: t0}, func(tx reminders.OwnerTx) error {
					c.ID = 0
					return tx.PutContact(&c)
				})
				if err != nil {
					t.Errorf("Update: %v", err)
					return
				}
				ids[g] = append(ids[g], c.ID)
			}
		})
	}
	wg.Wait()
	for g := range writers {
		owner := reminders.OwnerID(fmt.Sprintf("console:w%d", g%2))
		view(t, s, owner, func(tx reminders.OwnerTx) error {
			for n, id := range ids[g] {
				c, err := tx.Contact(id)
				if err != nil || c.Name != fmt.Sprintf("c%d-%d", g, n) {
					t.Errorf("acknowledged contact %d = %+v, %v", id, c, err)
				}
			}
			return nil
		})
	}
	if got := len(contactNames(t, s, "console:w0")) + len(contactNames(t, s, "console:w1")); got != writers*each {
		t.Errorf("%d contacts, want %d", got, writers*each)
	}
}
