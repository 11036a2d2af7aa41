package storagetest

import (
	"reflect"
	"sync"
	"testing"

	"github.com/kith-bot/kith/reminders"
)

// RunReplicas checks the promises that must hold across replicas: open
// returns two stores on the same data (two connections to one Postgres
// database; a single-process store may return itself twice). Each test
// gets fresh data.
func RunReplicas(t *testing.T, open func(t *testing.T) (a, b reminders.Store)) {
	tests := []struct {
		name string
		fn   func(t *testing.T, a, b reminders.Store)
	}{
		{"KeysAcrossStores", keysAcrossStores},
		{"UndoAcrossStores", undoAcrossStores},
		{"ConcurrentUndo", concurrentUndo},
		{"TwoSchedulers", twoSchedulers},
		{"Takeover", takeover},
		{"DeferredLate", deferredLate},
		{"SentLate", sentLate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a, b := open(t)
			tc.fn(t, a, b)
		})
	}
}

// keysAcrossStores delivers one platform request to both replicas many
// times at once: exactly one delivery changes data.
func keysAcrossStores(t *testing.T, a, b reminders.Store) {
	jane := addContact(t, a, alice, "Jane")
	const n = 16
	errs := make([]error, n)
	var wg sync.WaitGroup
	for g := range n {
		s := a
		if g%2 == 1 {
			s = b
		}
		wg.Go(func() {
			i := reminders.Interaction{ContactID: jane, Kind: reminders.Met, At: t0, Logged: t0}
			errs[g] = logged(t, s, alice, reminders.Change{Key: "retried-delivery", Now: t0}, i)
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
			t.Errorf("delivery = %v", err)
		}
	}
	if applied != 1 {
		t.Errorf("%d of %d deliveries across two replicas applied, want 1", applied, n)
	}
	for _, s := range []reminders.Store{a, b} {
		view(t, s, alice, func(tx reminders.OwnerTx) error {
			h, err := tx.History(jane, 0)
			if len(h) != 1 {
				t.Errorf("history = %d entries, want 1", len(h))
			}
			return err
		})
	}
}

// undoAcrossStores makes a change on one replica and undoes it on the other.
func undoAcrossStores(t *testing.T, a, b reminders.Store) {
	jane := addContact(t, a, alice, "Jane")
	before := snap(t, b, alice)
	if err := logged(t, a, alice, reminders.Change{Undo: "met Jane", Now: t0}, reminders.Interaction{ContactID: jane, Kind: reminders.Met, At: t0, Logged: t0}); err != nil {
		t.Fatal(err)
	}
	label, err := undo(b, alice, t0.Add(reminders.UndoWindow/2))
	if err != nil || label != "met Jane" {
		t.Fatalf("undo on the other replica = %q, %v", label, err)
	}
	if after := snap(t, a, alice); !reflect.DeepEqual(after, before) {
		t.Errorf("after undo on the other replica:\n%+v\nwant\n%+v", after, before)
	}
}

// concurrentUndo: two replicas undo the same change at once; it is undone
// once and the other says there is nothing to undo.
func concurrentUndo(t *testing.T, a, b reminders.Store) {
	jane := addContact(t, a, alice, "Jane")
	if err := logged(t, a, alice, reminders.Change{Now: t0}, reminders.Interaction{ContactID: jane, Kind: reminders.Met, At: t0, Logged: t0}); err != nil {
		t.Fatal(err)
	}
	before := snap(t, a, alice)
	if err := logged(t, a, alice, reminders.Change{Undo: "met Jane", Now: t0}, reminders.Interaction{ContactID: jane, Kind: reminders.Met, At: t0.Add(day), Logged: t0}); err != nil {
		t.Fatal(err)
	}
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for g := range n {
		s := a
		if g%2 == 1 {
			s = b
		}
		wg.Go(func() { _, errs[g] = undo(s, alice, t0.Add(reminders.UndoWindow/2)) })
	}
	wg.Wait()
	undone := 0
	for _, err := range errs {
		switch reminders.ErrorCode(err) {
		case "":
			undone++
		case reminders.ENOTFOUND:
		default:
			t.Errorf("undo = %v", err)
		}
	}
	if undone != 1 {
		t.Errorf("%d of %d concurrent undos applied, want 1", undone, n)
	}
	// Undone once: the first meeting stays.
	if after := snap(t, b, alice); !reflect.DeepEqual(after, before) {
		t.Errorf("after concurrent undos:\n%+v\nwant\n%+v", after, before)
	}
}
