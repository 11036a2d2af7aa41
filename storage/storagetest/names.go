package storagetest

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/kith-bot/kith/reminders"
)

// brief shows contacts as what Names returns, "id name <mention>", and
// flags any other field set.
func brief(cs []reminders.Contact) []string {
	out := make([]string, 0, len(cs))
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%d %s <%s>", c.ID, c.Name, c.Mention))
	}
	return out
}

// sameNames fails unless tx's Names are its Contacts with only ID, Name and
// Mention set, in the same order.
func sameNames(t *testing.T, tx reminders.OwnerTx, when string) {
	t.Helper()
	cs, err := tx.Contacts()
	if err != nil {
		t.Fatalf("%s: Contacts: %v", when, err)
	}
	names, err := tx.Names(nil)
	if err != nil {
		t.Fatalf("%s: Names: %v", when, err)
	}
	if got, want := brief(names), brief(cs); !slices.Equal(got, want) {
		t.Errorf("%s: Names = %q, want %q", when, got, want)
	}
	for _, n := range names {
		if !reflect.DeepEqual(n, reminders.Contact{ID: n.ID, Name: n.Name, Mention: n.Mention}) {
			t.Errorf("%s: Names sets more than ID, Name and Mention: %+v", when, n)
		}
	}
}

// checkNames runs sameNames in a read transaction.
func checkNames(t *testing.T, s reminders.Store, owner reminders.OwnerID, when string) {
	t.Helper()
	view(t, s, owner, func(tx reminders.OwnerTx) error {
		sameNames(t, tx, when)
		return nil
	})
}

func testNames(t *testing.T, s reminders.Store) {
	view(t, s, alice, func(tx reminders.OwnerTx) error {
		names, err := tx.Names(nil)
		if err != nil || len(names) != 0 {
			t.Errorf("Names of a new owner = %+v, %v; want none", names, err)
		}
		return nil
	})
	jane := reminders.Contact{Name: "Jane Doe", Mention: "UJANE", Company: "Acme", Tags: []string{"ai"}, Note: "met at KubeCon", Added: t0}
	update(t, s, alice, func(tx reminders.OwnerTx) error {
		jane.ID = 0
		return tx.PutContact(&jane)
	})
	addContact(t, s, alice, "bob smith")
	carol := addContact(t, s, alice, "Carol")
	addContact(t, s, alice, "Zoë Ångström")
	addContact(t, s, alice, "jane")
	checkNames(t, s, alice, "after adding")

	// edit runs fn on a contact in an undoable change, checks Names inside
	// the change and after it, then undoes it and checks again.
	edit := func(what string, id uint64, fn func(c *reminders.Contact)) {
		t.Helper()
		if err := s.Update(ctx, alice, reminders.Change{Undo: what, Now: t0}, func(tx reminders.OwnerTx) error {
			c, err := tx.Contact(id)
			if err != nil {
				return err
			}
			fn(&c)
			if err := tx.PutContact(&c); err != nil {
				return err
			}
			sameNames(t, tx, what+", inside the change")
			return nil
		}); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		checkNames(t, s, alice, what)
		if _, err := undo(s, alice, t0); err != nil {
			t.Fatalf("undo %s: %v", what, err)
		}
		checkNames(t, s, alice, "undo "+what)
	}
	tests := []struct {
		what string
		id   uint64
		fn   func(c *reminders.Contact)
	}{
		{"rename", jane.ID, func(c *reminders.Contact) { c.Name = "Jane Roe" }},
		{"rename in case only", carol, func(c *reminders.Contact) { c.Name = "CAROL" }},
		{"rename moving in the order", carol, func(c *reminders.Contact) { c.Name = "Aaron" }},
		{"change mention", jane.ID, func(c *reminders.Contact) { c.Mention = "UOTHER" }},
		{"add mention", carol, func(c *reminders.Contact) { c.Mention = "UCAROL" }},
		{"clear mention", jane.ID, func(c *reminders.Contact) { c.Mention = "" }},
		{"change another field", jane.ID, func(c *reminders.Contact) { c.Company = "Initech" }},
	}
	for _, tc := range tests {
		edit(tc.what, tc.id, tc.fn)
	}
	// Renames that stay (no undo) and a delete, then undo of the delete.
	update(t, s, alice, func(tx reminders.OwnerTx) error {
		c, err := tx.Contact(carol)
		if err != nil {
			return err
		}
		c.Name, c.Mention = "Carol King", "UCAROL"
		return tx.PutContact(&c)
	})
	checkNames(t, s, alice, "after a kept rename")
	if err := s.Update(ctx, alice, reminders.Change{Undo: "remove Jane Doe", Now: t0}, func(tx reminders.OwnerTx) error {
		return tx.DeleteContact(jane.ID)
	}); err != nil {
		t.Fatal(err)
	}
	checkNames(t, s, alice, "after a delete")
	view(t, s, alice, func(tx reminders.OwnerTx) error {
		names, err := tx.Names(nil)
		for _, n := range names {
			if n.ID == jane.ID {
				t.Errorf("a deleted contact is still in Names: %+v", n)
			}
		}
		return err
	})
	if _, err := undo(s, alice, t0); err != nil {
		t.Fatal(err)
	}
	checkNames(t, s, alice, "undo of the delete")
	view(t, s, alice, func(tx reminders.OwnerTx) error {
		names, err := tx.Names(nil)
		want := []string{"bob smith", "Carol King", "jane", "Jane Doe", "Zoë Ångström"}
		var got []string
		for _, n := range names {
			got = append(got, n.Name)
			if n.ID == jane.ID && n.Mention != "UJANE" {
				t.Errorf("Jane Doe's mention after undoing the delete = %q, want UJANE", n.Mention)
			}
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("Names after undoing the delete = %q, want %q", got, want)
		}
		return err
	})

	// Names appends to what it is given, and memory reused from full
	// contacts leaves nothing of them behind.
	view(t, s, alice, func(tx reminders.OwnerTx) error {
		cs, err := tx.Contacts()
		if err != nil {
			return err
		}
		want, _ := tx.Names(nil)
		got, err := tx.Names([]reminders.Contact{{ID: 99, Name: "kept"}})
		if err != nil || len(got) != len(want)+1 || got[0].Name != "kept" || !slices.Equal(brief(got[1:]), brief(want)) {
			t.Errorf("Names after one contact = %q, %v; want it kept, then %q", brief(got), err, brief(want))
		}
		reused, err := tx.Names(slices.Clone(cs)[:0])
		if err != nil || !slices.Equal(brief(reused), brief(cs)) {
			t.Errorf("Names into reused memory = %q, %v; want %q", brief(reused), err, brief(cs))
		}
		for _, n := range reused {
			if !reflect.DeepEqual(n, reminders.Contact{ID: n.ID, Name: n.Name, Mention: n.Mention}) {
				t.Errorf("Names into reused memory kept more than ID, Name and Mention: %+v", n)
			}
		}
		return nil
	})

	// Each owner sees only their own names, and the same name is free to both.
	addContact(t, s, bob, "Jane Doe")
	view(t, s, bob, func(tx reminders.OwnerTx) error {
		names, err := tx.Names(nil)
		if err == nil && (len(names) != 1 || names[0].Name != "Jane Doe" || names[0].Mention != "") {
			t.Errorf("Bob's Names = %+v, want his Jane Doe only", names)
		}
		return err
	})
	checkNames(t, s, alice, "after Bob's writes")
	checkNames(t, s, bob, "Bob's")
}
