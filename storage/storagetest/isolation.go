package storagetest

import (
	"testing"

	"github.com/kith-bot/kith/reminders"
)

func testIsolation(t *testing.T, s reminders.Store) {
	jane := addContact(t, s, alice, "Jane")
	if err := logged(t, s, alice, reminders.Change{Now: t0}, reminders.Interaction{ContactID: jane, Kind: reminders.Met, At: t0, Logged: t0, Text: "secret"}); err != nil {
		t.Fatal(err)
	}
	update(t, s, alice, func(tx reminders.OwnerTx) error {
		return tx.PutPromise(&reminders.Promise{ContactID: jane, What: "secret deck", Created: t0})
	})
	before := snap(t, s, alice)

	// Bob knows Alice's contact id and name; none of it reaches her data.
	view(t, s, bob, func(tx reminders.OwnerTx) error {
		_, err := tx.Contact(jane)
		wantCode(t, err, reminders.ENOTFOUND)
		_, err = tx.ContactByName("Jane")
		wantCode(t, err, reminders.ENOTFOUND)
		if h, _ := tx.History(jane, 0); len(h) != 0 {
			t.Errorf("Bob reads Alice's history: %+v", h)
		}
		if p, _ := tx.Promises(jane); len(p) != 0 {
			t.Errorf("Bob reads Alice's promises: %+v", p)
		}
		if p, _ := tx.Promises(0); len(p) != 0 {
			t.Errorf("Bob reads Alice's promises: %+v", p)
		}
		return nil
	})
	writes := []struct {
		name string
		fn   func(tx reminders.OwnerTx) error
	}{
		{"PutContact", func(tx reminders.OwnerTx) error {
			return tx.PutContact(&reminders.Contact{ID: jane, Name: "Hijacked"})
		}},
		{"DeleteContact", func(tx reminders.OwnerTx) error { return tx.DeleteContact(jane) }},
		{"AddInteraction", func(tx reminders.OwnerTx) error {
			return tx.AddInteraction(&reminders.Interaction{ContactID: jane, Kind: reminders.Met, At: t0, Logged: t0})
		}},
		{"PutPromise", func(tx reminders.OwnerTx) error {
			return tx.PutPromise(&reminders.Promise{ContactID: jane, What: "x", Created: t0})
		}},
		{"PutPromise replace", func(tx reminders.OwnerTx) error {
			return tx.PutPromise(&reminders.Promise{ID: 1, ContactID: jane, What: "x", Created: t0})
		}},
	}
	for _, w := range writes {
		err := s.Update(ctx, bob, reminders.Change{Now: t0}, w.fn)
		if reminders.ErrorCode(err) != reminders.ENOTFOUND {
			t.Errorf("Bob's %s on Alice's contact = %v, want ENOTFOUND", w.name, err)
		}
	}
	// Bob's own contacts get their own ids and names without touching Alice's.
	bobJane := addContact(t, s, bob, "Jane")
	update(t, s, bob, func(tx reminders.OwnerTx) error { return tx.DeleteContact(bobJane) })
	if after := snap(t, s, alice); len(after.Contacts) != 1 || after.Contacts[0].Name != "Jane" || len(after.History[jane]) != 1 || len(after.Promises) != 1 {
		t.Errorf("Alice's data changed by Bob: %+v, was %+v", after, before)
	}
}
