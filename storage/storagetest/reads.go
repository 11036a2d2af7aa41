package storagetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// testReadsSeeWrites checks that a read inside a change sees what the
// change wrote before it, whatever was read earlier in the same change: a
// store may keep rows it read, but never past a write, a delete or an undo.
func testReadsSeeWrites(t *testing.T, s reminders.Store) {
	jane := addContact(t, s, alice, "Jane")
	now := t0.Add(time.Minute)
	err := s.Update(ctx, alice, reminders.Change{Undo: "renamed Jane", Now: now}, func(tx reminders.OwnerTx) error {
		i := reminders.Interaction{ContactID: jane, Kind: reminders.Met, At: t0, Logged: t0, Text: "coffee"}
		if err := tx.AddInteraction(&i); err != nil {
			return err
		}
		c, err := tx.Contact(jane)
		if err != nil {
			return err
		}
		c.Record(i)
		c.Name, c.Note = "Janet", "renamed"
		if err := tx.PutContact(&c); err != nil {
			return err
		}
		if got, err := tx.Contact(jane); err != nil || got.Name != "Janet" || got.Note != "renamed" || got.LastNote != "coffee" {
			t.Errorf("Contact after PutContact = %+v, %v", got, err)
		}
		// Written back under its old name: the read kept of Janet must not answer.
		c.Name, c.Note = "Jane", "back"
		if err := tx.PutContact(&c); err != nil {
			return err
		}
		if got, err := tx.Contact(jane); err != nil || got.Name != "Jane" || got.Note != "back" {
			t.Errorf("Contact after the second PutContact = %+v, %v", got, err)
		}
		// And again under the same name, which a store may write in place.
		c.Note = "again"
		if err := tx.PutContact(&c); err != nil {
			return err
		}
		if got, err := tx.Contact(jane); err != nil || got.Note != "again" {
			t.Errorf("Contact after the third PutContact = %+v, %v", got, err)
		}
		// A second interaction on the contact read in this change.
		i2 := reminders.Interaction{ContactID: jane, Kind: reminders.Note, At: t0, Logged: t0, Text: "likes tea"}
		return tx.AddInteraction(&i2)
	})
	if err != nil {
		t.Fatal(err)
	}
	view(t, s, alice, func(tx reminders.OwnerTx) error {
		if h, err := tx.History(jane, 0); err != nil || len(h) != 2 {
			t.Errorf("History = %+v, %v; want two entries", h, err)
		}
		return nil
	})

	// Undo inside a change that read the contact first: a read after it
	// sees the restored record.
	update(t, s, alice, func(tx reminders.OwnerTx) error {
		if c, err := tx.Contact(jane); err != nil || c.Note != "again" {
			t.Errorf("Contact before undo = %+v, %v", c, err)
		}
		if _, err := tx.Undo(now); err != nil {
			return err
		}
		c, err := tx.Contact(jane)
		if err != nil || c.Note != "" || c.Name != "Jane" {
			t.Errorf("Contact after undo = %+v, %v; want the record before the change", c, err)
		}
		if h, err := tx.History(jane, 0); err != nil || len(h) != 0 {
			t.Errorf("History after undo = %+v, %v; want none", h, err)
		}
		return nil
	})

	// A contact deleted in a change takes no interaction or promise after,
	// even though it was read before.
	err = s.Update(ctx, alice, reminders.Change{Now: t0}, func(tx reminders.OwnerTx) error {
		if _, err := tx.Contact(jane); err != nil {
			return err
		}
		if err := tx.DeleteContact(jane); err != nil {
			return err
		}
		if _, err := tx.Contact(jane); reminders.ErrorCode(err) != reminders.ENOTFOUND {
			t.Errorf("Contact after DeleteContact: %v, want ENOTFOUND", err)
		}
		if err := tx.PutPromise(&reminders.Promise{ContactID: jane, What: "deck", Created: t0}); reminders.ErrorCode(err) != reminders.ENOTFOUND {
			t.Errorf("PutPromise after DeleteContact: %v, want ENOTFOUND", err)
		}
		return tx.AddInteraction(&reminders.Interaction{ContactID: jane, Kind: reminders.Met, At: t0, Logged: t0})
	})
	wantCode(t, err, reminders.ENOTFOUND)
	if names := contactNames(t, s, alice); len(names) != 1 {
		t.Errorf("contacts after the failed change = %q, want Jane kept", names)
	}
}

// testUndoInUndoableChange runs Undo inside a change that is itself
// undoable: it must find the record the last change left, as in any
// other change, and leave none behind.
func testUndoInUndoableChange(t *testing.T, s reminders.Store) {
	jane := addContact(t, s, alice, "Jane")
	before := snap(t, s, alice)
	if err := logged(t, s, alice, reminders.Change{Undo: "met Jane", Now: t0}, reminders.Interaction{ContactID: jane, Kind: reminders.Met, At: t0, Logged: t0}); err != nil {
		t.Fatal(err)
	}
	var label string
	err := s.Update(ctx, alice, reminders.Change{Undo: "undo", Now: t0}, func(tx reminders.OwnerTx) error {
		var err error
		label, err = tx.Undo(t0)
		return err
	})
	if err != nil || label != "met Jane" {
		t.Fatalf("Undo = %q, %v; want met Jane", label, err)
	}
	if after := snap(t, s, alice); !reflect.DeepEqual(after, before) {
		t.Errorf("after undo:\n got %+v\nwant %+v", after, before)
	}
	_, err = undo(s, alice, t0)
	wantCode(t, err, reminders.ENOTFOUND)
}

// testContactsHint checks Change.Contacts is only a hint: a change that
// names contacts beforehand reads and writes exactly as one that does not,
// ids that are not the owner's stay not found, and undo restores what the
// change found.
func testContactsHint(t *testing.T, s reminders.Store) {
	jane := addContact(t, s, alice, "Jane")
	addContact(t, s, bob, "Bob's first")
	bobs := addContact(t, s, bob, "Bob's second") // an id Alice does not have
	if bobs == jane {
		t.Fatalf("ids %d and %d should differ for this test", bobs, jane)
	}
	before := snap(t, s, alice)
	hint := reminders.Change{Key: "hinted", Undo: "met Jane", Now: t0, Contacts: []uint64{jane, bobs, 999}}
	err := s.Update(ctx, alice, hint, func(tx reminders.OwnerTx) error {
		if _, err := tx.Contact(bobs); reminders.ErrorCode(err) != reminders.ENOTFOUND {
			t.Errorf("Contact(another owner's id) = %v, want ENOTFOUND", err)
		}
		if err := tx.AddInteraction(&reminders.Interaction{ContactID: bobs, Kind: reminders.Met, At: t0, Logged: t0}); reminders.ErrorCode(err) != reminders.ENOTFOUND {
			t.Errorf("AddInteraction(another owner's id) = %v, want ENOTFOUND", err)
		}
		if _, err := tx.Contact(999); reminders.ErrorCode(err) != reminders.ENOTFOUND {
			t.Errorf("Contact(999) = %v, want ENOTFOUND", err)
		}
		i := reminders.Interaction{ContactID: jane, Kind: reminders.Met, At: t0, Logged: t0, Text: "coffee"}
		if err := tx.AddInteraction(&i); err != nil {
			return err
		}
		c, err := tx.Contact(jane)
		if err != nil {
			return err
		}
		c.Record(i)
		c.Note = "hinted"
		if err := tx.PutContact(&c); err != nil {
			return err
		}
		if got, err := tx.Contact(jane); err != nil || got.Note != "hinted" {
			t.Errorf("Contact after PutContact = %+v, %v", got, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	view(t, s, alice, func(tx reminders.OwnerTx) error {
		c, err := tx.Contact(jane)
		if err != nil || c.Note != "hinted" || c.LastNote != "coffee" {
			t.Errorf("stored contact = %+v, %v", c, err)
		}
		if h, err := tx.History(jane, 0); err != nil || len(h) != 1 {
			t.Errorf("History = %+v, %v; want one entry", h, err)
		}
		return nil
	})
	view(t, s, bob, func(tx reminders.OwnerTx) error {
		if h, err := tx.History(bobs, 0); err != nil || len(h) != 0 {
			t.Errorf("Bob's history = %+v, %v; want none", h, err)
		}
		return nil
	})
	// The same key again: fn does not run, hint or not.
	ran := false
	err = s.Update(ctx, alice, hint, func(tx reminders.OwnerTx) error { ran = true; return nil })
	if err != reminders.ErrDuplicate && reminders.ErrorCode(err) != reminders.EDUPLICATE {
		t.Errorf("second delivery = %v, want ErrDuplicate", err)
	}
	if ran {
		t.Error("the function ran for a duplicate key")
	}
	if label, err := undo(s, alice, t0.Add(time.Minute)); err != nil || label != "met Jane" {
		t.Fatalf("undo = %q, %v", label, err)
	}
	if after := snap(t, s, alice); !reflect.DeepEqual(after, before) {
		t.Errorf("undo of the hinted change:\n got %+v\nwant %+v", after, before)
	}
	// A hinted contact deleted in the change is gone for the rest of it.
	err = s.Update(ctx, alice, reminders.Change{Now: t0, Contacts: []uint64{jane}}, func(tx reminders.OwnerTx) error {
		if err := tx.DeleteContact(jane); err != nil {
			return err
		}
		if _, err := tx.Contact(jane); reminders.ErrorCode(err) != reminders.ENOTFOUND {
			t.Errorf("Contact after DeleteContact = %v, want ENOTFOUND", err)
		}
		return tx.AddInteraction(&reminders.Interaction{ContactID: jane, Kind: reminders.Met, At: t0, Logged: t0})
	})
	wantCode(t, err, reminders.ENOTFOUND)
	// A forged hint (a button carrying another owner's contact) gives no
	// write access to it either: not to replace it, not to promise on it.
	bobBefore := snap(t, s, bob)
	err = s.Update(ctx, alice, reminders.Change{Key: "forged", Undo: "edit", Now: t0, Contacts: []uint64{bobs}}, func(tx reminders.OwnerTx) error {
		if err := tx.PutContact(&reminders.Contact{ID: bobs, Name: "Mallory", Added: t0}); reminders.ErrorCode(err) != reminders.ENOTFOUND {
			t.Errorf("PutContact(another owner's id) = %v, want ENOTFOUND", err)
		}
		if err := tx.PutPromise(&reminders.Promise{ContactID: bobs, What: "deck", Created: t0}); reminders.ErrorCode(err) != reminders.ENOTFOUND {
			t.Errorf("PutPromise(another owner's id) = %v, want ENOTFOUND", err)
		}
		if err := tx.DeleteContact(bobs); reminders.ErrorCode(err) != reminders.ENOTFOUND {
			t.Errorf("DeleteContact(another owner's id) = %v, want ENOTFOUND", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if after := snap(t, s, bob); !reflect.DeepEqual(after, bobBefore) {
		t.Errorf("Bob's data after Alice's forged hint:\n got %+v\nwant %+v", after, bobBefore)
	}
	// A new owner's hint finds nothing.
	err = s.Update(ctx, "slack:T1:UNEW", reminders.Change{Now: t0, Contacts: []uint64{jane}}, func(tx reminders.OwnerTx) error {
		_, err := tx.Contact(jane)
		return err
	})
	wantCode(t, err, reminders.ENOTFOUND)
}

// testUndoRestoresOddText: an undoable change's before-images are kept as
// the store read them (Postgres copies jsonb's text into the record rather
// than re-encoding it), so text that JSON encoders escape differently — HTML
// characters, U+2028, quotes, backslashes, a tab, non-ASCII — is restored
// exactly, as are settings and a rename in the same change.
func testUndoRestoresOddText(t *testing.T, s reminders.Store) {
	jane := addContact(t, s, alice, "Jane")
	odd := "</script> & \u2028 \u00e9 \U0001F600 \"q\" \\ \t"
	update(t, s, alice, func(tx reminders.OwnerTx) error {
		c, err := tx.Contact(jane)
		if err != nil {
			return err
		}
		c.Note = odd
		c.Mention = "<@U1>"
		if err := tx.PutContact(&c); err != nil {
			return err
		}
		st, _ := tx.Settings()
		st.TimeZone = "Europe/Paris"
		return tx.PutSettings(st)
	})
	before := snap(t, s, alice)
	err := s.Update(ctx, alice, reminders.Change{Undo: "edit", Now: t0, Contacts: []uint64{jane}}, func(tx reminders.OwnerTx) error {
		c, err := tx.Contact(jane)
		if err != nil {
			return err
		}
		c.Note = "plain"
		c.Name = "Janet"
		if err := tx.PutContact(&c); err != nil {
			return err
		}
		st, _ := tx.Settings()
		st.TimeZone = "UTC"
		if err := tx.PutSettings(st); err != nil {
			return err
		}
		p := reminders.Promise{ContactID: jane, What: odd, Created: t0}
		return tx.PutPromise(&p)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := undo(s, alice, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if after := snap(t, s, alice); !reflect.DeepEqual(after, before) {
		t.Errorf("after undo:\n got %+v\nwant %+v", after, before)
	}
}
