package storagetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// undo runs Undo at now and returns its label and error.
func undo(s reminders.Store, owner reminders.OwnerID, now time.Time) (string, error) {
	var label string
	err := s.Update(ctx, owner, reminders.Change{Now: now}, func(tx reminders.OwnerTx) error {
		var err error
		label, err = tx.Undo(now)
		return err
	})
	return label, err
}

// snapshot is everything an owner can read, to compare before and after.
type snapshot struct {
	Settings reminders.Settings
	Contacts []reminders.Contact
	History  map[uint64][]reminders.Interaction
	Promises []reminders.Promise
	Activity reminders.ActivityCounts
}

func snap(t *testing.T, s reminders.Store, owner reminders.OwnerID) snapshot {
	t.Helper()
	sn := snapshot{History: map[uint64][]reminders.Interaction{}}
	view(t, s, owner, func(tx reminders.OwnerTx) error {
		var err error
		if sn.Settings, err = tx.Settings(); err != nil {
			return err
		}
		if sn.Contacts, err = tx.Contacts(); err != nil {
			return err
		}
		for _, c := range sn.Contacts {
			if sn.History[c.ID], err = tx.History(c.ID, 0); err != nil {
				return err
			}
		}
		if sn.Promises, err = tx.Promises(0); err != nil {
			return err
		}
		sn.Activity, err = tx.Activity(time.Time{}, t0.Add(365*day))
		return err
	})
	return sn
}

func testUndo(t *testing.T, s reminders.Store) {
	jane := addContact(t, s, alice, "Jane")
	if err := logged(t, s, alice, reminders.Change{Now: t0}, reminders.Interaction{ContactID: jane, Kind: reminders.Got, At: t0, Logged: t0, Text: "a referral"}); err != nil {
		t.Fatal(err)
	}
	update(t, s, alice, func(tx reminders.OwnerTx) error {
		return tx.PutPromise(&reminders.Promise{ContactID: jane, What: "deck", Created: t0})
	})
	tests := []struct {
		label  string
		change func(tx reminders.OwnerTx) error
	}{
		{"met Jane", func(tx reminders.OwnerTx) error {
			i := reminders.Interaction{ContactID: jane, Kind: reminders.Met, At: t0, Logged: t0, Text: "coffee"}
			if err := tx.AddInteraction(&i); err != nil {
				return err
			}
			c, err := tx.Contact(jane)
			if err != nil {
				return err
			}
			c.Record(i)
			return tx.PutContact(&c)
		}},
		{"added Bob", func(tx reminders.OwnerTx) error {
			return tx.PutContact(&reminders.Contact{Name: "Bob", Added: t0})
		}},
		{"renamed Jane", func(tx reminders.OwnerTx) error {
			c, err := tx.Contact(jane)
			if err != nil {
				return err
			}
			c.Name = "Janet"
			return tx.PutContact(&c)
		}},
		{"removed Jane", func(tx reminders.OwnerTx) error { return tx.DeleteContact(jane) }},
		{"settings tz Europe/Berlin", func(tx reminders.OwnerTx) error {
			return tx.PutSettings(reminders.Settings{TimeZone: "Europe/Berlin"})
		}},
	}
	for _, tc := range tests {
		before := snap(t, s, alice)
		now := t0.Add(time.Minute)
		if err := s.Update(ctx, alice, reminders.Change{Undo: tc.label, Now: now}, tc.change); err != nil {
			t.Fatalf("%s: %v", tc.label, err)
		}
		if reflect.DeepEqual(snap(t, s, alice), before) {
			t.Fatalf("%s changed nothing", tc.label)
		}
		label, err := undo(s, alice, now.Add(reminders.UndoWindow))
		if err != nil || label != tc.label {
			t.Fatalf("undo %s = %q, %v", tc.label, label, err)
		}
		if after := snap(t, s, alice); !reflect.DeepEqual(after, before) {
			t.Errorf("undo %s:\n got %+v\nwant %+v", tc.label, after, before)
		}
		// Not twice: a second undo must not redo or reach further back.
		_, err = undo(s, alice, now.Add(time.Minute))
		wantCode(t, err, reminders.ENOTFOUND)
		if after := snap(t, s, alice); !reflect.DeepEqual(after, before) {
			t.Errorf("second undo after %s changed data", tc.label)
		}
	}
	_, err := undo(s, bob, t0)
	wantCode(t, err, reminders.ENOTFOUND)
}

func testUndoWindow(t *testing.T, s reminders.Store) {
	if err := s.Update(ctx, alice, reminders.Change{Undo: "added Jane", Now: t0}, func(tx reminders.OwnerTx) error {
		return tx.PutContact(&reminders.Contact{Name: "Jane", Added: t0})
	}); err != nil {
		t.Fatal(err)
	}
	_, err := undo(s, alice, t0.Add(reminders.UndoWindow+time.Second))
	wantCode(t, err, reminders.ENOTFOUND)
	if got := contactNames(t, s, alice); len(got) != 1 {
		t.Errorf("contacts after a late undo = %q, want Jane kept", got)
	}
	// Another owner's undo never touches Alice's change.
	if err := s.Update(ctx, alice, reminders.Change{Undo: "added Bob", Now: t0}, func(tx reminders.OwnerTx) error {
		return tx.PutContact(&reminders.Contact{Name: "Bob", Added: t0})
	}); err != nil {
		t.Fatal(err)
	}
	_, err = undo(s, bob, t0)
	wantCode(t, err, reminders.ENOTFOUND)
	if got := contactNames(t, s, alice); len(got) != 2 {
		t.Errorf("Alice's contacts after Bob's undo = %q", got)
	}
}

func testUndoInvalidated(t *testing.T, s reminders.Store) {
	jane := addContact(t, s, alice, "Jane")
	other := addContact(t, s, alice, "Other")
	edit := func(id uint64, note string, label string) {
		t.Helper()
		if err := s.Update(ctx, alice, reminders.Change{Undo: label, Now: t0}, func(tx reminders.OwnerTx) error {
			c, err := tx.Contact(id)
			if err != nil {
				return err
			}
			c.Note = note
			return tx.PutContact(&c)
		}); err != nil {
			t.Fatal(err)
		}
	}
	// A later change that is not undoable but touches other data keeps the undo.
	edit(jane, "one", "edit Jane note")
	edit(other, "x", "")
	if label, err := undo(s, alice, t0); err != nil || label != "edit Jane note" {
		t.Errorf("undo after an unrelated change = %q, %v", label, err)
	}
	// One that overwrites what undo would restore drops it: undo must not
	// silently revert the newer change.
	edit(jane, "two", "edit Jane note")
	edit(jane, "three", "")
	_, err := undo(s, alice, t0)
	wantCode(t, err, reminders.ENOTFOUND)
	view(t, s, alice, func(tx reminders.OwnerTx) error {
		c, err := tx.Contact(jane)
		if c.Note != "three" {
			t.Errorf("note = %q, want the newest change kept", c.Note)
		}
		return err
	})
}
