package storagetest

import (
	"slices"
	"testing"

	"github.com/kith-bot/kith/reminders"
)

// testPlanLog pins what start-up relies on from a store that keeps a
// reminders.PlanLog: a change of what plans an owner's digest is recorded
// with the change (undo included) and stays until cleared, a change made
// after the marks were read keeps its mark, and other writes mark nothing.
// A store without a plan log is planned in full at every start.
func testPlanLog(t *testing.T, s reminders.Store) {
	pl, ok := s.(reminders.PlanLog)
	if !ok {
		t.Skip("the store keeps no plan log; start-up plans every owner")
	}
	pending := func() []reminders.PendingPlan {
		t.Helper()
		p, err := pl.PendingPlans(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	owners := func(p []reminders.PendingPlan) []reminders.OwnerID {
		out := []reminders.OwnerID{}
		for _, x := range p {
			out = append(out, x.Owner)
		}
		slices.Sort(out)
		return out
	}
	want := func(what string, ids ...reminders.OwnerID) {
		t.Helper()
		slices.Sort(ids)
		if got := owners(pending()); !slices.Equal(got, append([]reminders.OwnerID{}, ids...)) {
			t.Errorf("%s: pending %v, want %v", what, got, ids)
		}
	}
	done := func() {
		t.Helper()
		if err := pl.DonePlans(ctx, pending()); err != nil {
			t.Fatal(err)
		}
	}
	set := func(owner reminders.OwnerID, c reminders.Change, change func(*reminders.Settings)) {
		t.Helper()
		err := s.Update(ctx, owner, c, func(tx reminders.OwnerTx) error {
			set, err := tx.Settings()
			if err != nil {
				return err
			}
			change(&set)
			return tx.PutSettings(set)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	plain := reminders.Change{Now: t0}

	done() // whatever a new store starts with
	want("a new store")
	set(alice, plain, func(s *reminders.Settings) { s.Created = t0 })
	set(bob, plain, func(s *reminders.Settings) { s.Created = t0; s.TimeZone = "Europe/Berlin" })
	want("first use", alice, bob)
	done()
	want("after DonePlans")

	set(alice, plain, func(s *reminders.Settings) { s.Name = "Alice"; s.DM = "D1"; s.TZNoted = true })
	addContact(t, s, alice, "Jane Doe")
	want("changes that plan nothing differently")

	set(alice, plain, func(s *reminders.Settings) { s.Digest = "daily 18:00" })
	read := pending()
	set(alice, plain, func(s *reminders.Settings) { s.TimeZone = "Asia/Tokyo" }) // after the read
	if err := pl.DonePlans(ctx, read); err != nil {
		t.Fatal(err)
	}
	want("a change made after the marks were read", alice)
	done()

	set(bob, reminders.Change{Now: t0, Undo: "digest off"}, func(s *reminders.Settings) { s.DigestOff = true })
	done()
	if _, err := undoOnce(s, bob); err != nil {
		t.Fatal(err)
	}
	want("undo of a settings change", bob)
}

// undoOnce undoes the owner's last change at t0.
func undoOnce(s reminders.Store, owner reminders.OwnerID) (string, error) {
	var label string
	err := s.Update(ctx, owner, reminders.Change{Now: t0}, func(tx reminders.OwnerTx) error {
		var err error
		label, err = tx.Undo(t0)
		return err
	})
	return label, err
}
