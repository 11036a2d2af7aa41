package storagetest

import (
	"fmt"
	"reflect"
	"slices"
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

// testNeighbours: owners who start using kith one after another have data
// side by side in a store (bbolt keeps each owner's records in a key range of
// one shared bucket); each one's reads stop at the edges of their own data,
// and forgetting the middle one leaves both neighbours whole.
func testNeighbours(t *testing.T, s reminders.Store) {
	owners := []reminders.OwnerID{"slack:T1:UFIRST", "slack:T1:UMIDDLE", "slack:T1:ULAST"}
	for n, o := range owners {
		for _, name := range []string{"Ann", "Ben"} {
			id := addContact(t, s, o, fmt.Sprintf("%s %d", name, n))
			for _, kind := range []reminders.Kind{reminders.Met, reminders.Gave} {
				if err := logged(t, s, o, reminders.Change{Now: t0}, reminders.Interaction{ContactID: id, Kind: kind, At: t0, Logged: t0}); err != nil {
					t.Fatal(err)
				}
			}
			update(t, s, o, func(tx reminders.OwnerTx) error {
				return tx.PutPromise(&reminders.Promise{ContactID: id, What: fmt.Sprintf("deck %d", n), Created: t0})
			})
		}
	}
	check := func(n int, o reminders.OwnerID) snapshot {
		t.Helper()
		sn := snap(t, s, o)
		if len(sn.Contacts) != 2 || sn.Contacts[0].Name != fmt.Sprintf("Ann %d", n) || sn.Contacts[1].Name != fmt.Sprintf("Ben %d", n) {
			t.Errorf("%s: contacts %+v", o, sn.Contacts)
		}
		for _, c := range sn.Contacts {
			if h := sn.History[c.ID]; len(h) != 2 || h[0].ContactID != c.ID || h[1].ContactID != c.ID {
				t.Errorf("%s: history of %s: %+v", o, c.Name, h)
			}
		}
		if len(sn.Promises) != 2 || sn.Promises[0].What != fmt.Sprintf("deck %d", n) {
			t.Errorf("%s: promises %+v", o, sn.Promises)
		}
		if sn.Activity.Met != 2 || sn.Activity.Gave != 2 {
			t.Errorf("%s: activity %+v, want 2 met and 2 gave", o, sn.Activity)
		}
		view(t, s, o, func(tx reminders.OwnerTx) error {
			names, err := tx.Names(nil)
			if len(names) != 2 {
				t.Errorf("%s: names %+v", o, names)
			}
			return err
		})
		return sn
	}
	before := map[reminders.OwnerID]snapshot{}
	for n, o := range owners {
		before[o] = check(n, o)
	}
	if err := s.DeleteOwner(ctx, owners[1]); err != nil {
		t.Fatal(err)
	}
	for n, o := range []reminders.OwnerID{owners[0], owners[2]} {
		if after := check(2*n, o); !reflect.DeepEqual(after, before[o]) {
			t.Errorf("%s changed when their neighbour was forgotten: %+v, was %+v", o, after, before[o])
		}
	}
	if sn := snap(t, s, owners[1]); len(sn.Contacts) != 0 || len(sn.Promises) != 0 || sn.Activity != (reminders.ActivityCounts{}) {
		t.Errorf("the forgotten owner still has %+v", sn)
	}
	got, err := s.Owners(ctx)
	if err != nil || !slices.Equal(got, []reminders.OwnerID{owners[0], owners[2]}) {
		t.Errorf("owners after forgetting the middle one = %v, %v", got, err)
	}
}
