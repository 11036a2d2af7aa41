package storagetest

import (
	"reflect"
	"slices"
	"testing"

	"github.com/kith-bot/kith/reminders"
)

func testSettings(t *testing.T, s reminders.Store) {
	view(t, s, alice, func(tx reminders.OwnerTx) error {
		got, err := tx.Settings()
		if err == nil && !reflect.DeepEqual(got, reminders.Settings{}) {
			t.Errorf("Settings of a new owner = %+v, want zero", got)
		}
		return err
	})
	want := reminders.Settings{TimeZone: "Europe/Berlin", Digest: "mondays 08:30", Max: 7, Share: true, Name: "Alice", Created: t0, Cadence: reminders.Cadence{N: 2, Unit: reminders.Weeks}}
	update(t, s, alice, func(tx reminders.OwnerTx) error { return tx.PutSettings(want) })
	view(t, s, alice, func(tx reminders.OwnerTx) error {
		got, err := tx.Settings()
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Errorf("Settings = %+v, want %+v", got, want)
		}
		return err
	})
}

func testContacts(t *testing.T, s reminders.Store) {
	want := reminders.Contact{Name: "Jane Doe", Company: "Acme", Role: "CTO", Email: "jane@example.com", Tags: []string{"ai", "berlin"}, Note: "met at KubeCon", Cadence: reminders.Cadence{N: 2, Unit: reminders.Weeks}, Added: t0}
	update(t, s, alice, func(tx reminders.OwnerTx) error {
		want.ID = 0
		return tx.PutContact(&want)
	})
	if want.ID == 0 {
		t.Fatal("PutContact did not set the new ID")
	}
	addContact(t, s, alice, "bob smith")
	addContact(t, s, alice, "Carol")

	view(t, s, alice, func(tx reminders.OwnerTx) error {
		got, err := tx.Contact(want.ID)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Contact = %+v, want %+v", got, want)
		}
		for _, name := range []string{"Jane Doe", "jane doe", "  JANE   doe "} {
			got, err := tx.ContactByName(name)
			if err != nil || got.ID != want.ID {
				t.Errorf("ContactByName(%q) = %d, %v; want %d", name, got.ID, err, want.ID)
			}
		}
		_, err = tx.ContactByName("Jane")
		wantCode(t, err, reminders.ENOTFOUND)
		_, err = tx.Contact(9999)
		wantCode(t, err, reminders.ENOTFOUND)
		return nil
	})
	if got, w := contactNames(t, s, alice), []string{"bob smith", "Carol", "Jane Doe"}; !slices.Equal(got, w) {
		t.Errorf("Contacts order = %q, want %q (by name, any case)", got, w)
	}

	// Replace, renaming: the old name no longer resolves, the new one does.
	update(t, s, alice, func(tx reminders.OwnerTx) error {
		c, err := tx.Contact(want.ID)
		if err != nil {
			return err
		}
		c.Name, c.Company = "Jane Roe", "Initech"
		return tx.PutContact(&c)
	})
	view(t, s, alice, func(tx reminders.OwnerTx) error {
		_, err := tx.ContactByName("jane doe")
		wantCode(t, err, reminders.ENOTFOUND)
		c, err := tx.ContactByName("jane roe")
		if err != nil || c.ID != want.ID || c.Company != "Initech" {
			t.Errorf("after rename: %+v, %v", c, err)
		}
		return nil
	})

	// Bad input changes nothing and says why.
	err := s.Update(ctx, alice, reminders.Change{Now: t0}, func(tx reminders.OwnerTx) error {
		return tx.PutContact(&reminders.Contact{Name: "  "})
	})
	wantCode(t, err, reminders.EINVALID)
	err = s.Update(ctx, alice, reminders.Change{Now: t0}, func(tx reminders.OwnerTx) error {
		return tx.PutContact(&reminders.Contact{ID: 9999, Name: "Ghost"})
	})
	wantCode(t, err, reminders.ENOTFOUND)
	if got := contactNames(t, s, alice); len(got) != 3 {
		t.Errorf("contacts after bad input = %q, want 3", got)
	}
}

func testNameUnique(t *testing.T, s reminders.Store) {
	jane := addContact(t, s, alice, "Jane Doe")
	bobID := addContact(t, s, alice, "Bob")
	tests := []struct {
		name string
		c    reminders.Contact
		code string
	}{
		{"same name", reminders.Contact{Name: "Jane Doe"}, reminders.ECONFLICT},
		{"other case and spaces", reminders.Contact{Name: "jane   DOE"}, reminders.ECONFLICT},
		{"rename onto another", reminders.Contact{ID: bobID, Name: "JANE DOE"}, reminders.ECONFLICT},
		{"own name in other case", reminders.Contact{ID: jane, Name: "JANE doe"}, ""},
		{"new name", reminders.Contact{Name: "Jane Doeling"}, ""},
	}
	for _, tc := range tests {
		err := s.Update(ctx, alice, reminders.Change{Now: t0}, func(tx reminders.OwnerTx) error {
			c := tc.c
			return tx.PutContact(&c)
		})
		if reminders.ErrorCode(err) != tc.code {
			t.Errorf("%s: PutContact(%+v) = %v, want code %q", tc.name, tc.c, err, tc.code)
		}
	}
	if got, w := contactNames(t, s, alice), []string{"Bob", "JANE doe", "Jane Doeling"}; !slices.Equal(got, w) {
		t.Errorf("contacts = %q, want %q", got, w)
	}
	// Names are unique per owner, not across owners.
	addContact(t, s, bob, "Jane Doe")
}

func testDeleteContact(t *testing.T, s reminders.Store) {
	jane := addContact(t, s, alice, "Jane")
	other := addContact(t, s, alice, "Other")
	for _, id := range []uint64{jane, other} {
		i, _ := reminders.NewInteraction(id, reminders.Met, t0.Add(-day), t0, "coffee")
		if err := logged(t, s, alice, reminders.Change{Now: t0}, i); err != nil {
			t.Fatal(err)
		}
		update(t, s, alice, func(tx reminders.OwnerTx) error {
			return tx.PutPromise(&reminders.Promise{ContactID: id, What: "send the deck", Created: t0})
		})
	}
	update(t, s, alice, func(tx reminders.OwnerTx) error { return tx.DeleteContact(jane) })
	view(t, s, alice, func(tx reminders.OwnerTx) error {
		_, err := tx.Contact(jane)
		wantCode(t, err, reminders.ENOTFOUND)
		_, err = tx.ContactByName("jane")
		wantCode(t, err, reminders.ENOTFOUND)
		if h, _ := tx.History(jane, 0); len(h) != 0 {
			t.Errorf("history of a removed contact = %+v", h)
		}
		if p, _ := tx.Promises(jane); len(p) != 0 {
			t.Errorf("promises of a removed contact = %+v", p)
		}
		if h, _ := tx.History(other, 0); len(h) != 1 {
			t.Errorf("history of the other contact = %+v, want 1 entry", h)
		}
		if p, _ := tx.Promises(0); len(p) != 1 || p[0].ContactID != other {
			t.Errorf("all promises = %+v, want only the other contact's", p)
		}
		a, err := tx.Activity(t0.Add(-day*7), t0.Add(day))
		if a.Met != 1 {
			t.Errorf("activity after removing a contact = %+v, want 1 met", a)
		}
		return err
	})
	// The name is free again.
	addContact(t, s, alice, "jane")
	err := s.Update(ctx, alice, reminders.Change{Now: t0}, func(tx reminders.OwnerTx) error { return tx.DeleteContact(9999) })
	wantCode(t, err, reminders.ENOTFOUND)
}
