package storagetest

import (
	"reflect"
	"slices"
	"testing"

	"github.com/kith-bot/kith/reminders"
)

func testDeleteOwner(t *testing.T, s reminders.Store) {
	team := reminders.NewTeamID(reminders.PlatformSlack, "T1")
	for _, o := range []reminders.OwnerID{alice, bob} {
		id := addContact(t, s, o, "Jane")
		if err := logged(t, s, o, reminders.Change{Key: "k1", Undo: "met Jane", Now: t0}, reminders.Interaction{ContactID: id, Kind: reminders.Met, At: t0, Logged: t0}); err != nil {
			t.Fatal(err)
		}
		update(t, s, o, func(tx reminders.OwnerTx) error {
			return tx.PutSettings(reminders.Settings{TimeZone: "Europe/Berlin", Share: true})
		})
		if err := s.Join(ctx, team, o); err != nil {
			t.Fatal(err)
		}
		if err := s.PutJobs(ctx, reminders.Job{Kind: reminders.DigestJob, ID: string(o), Due: t0, Slot: t0}); err != nil {
			t.Fatal(err)
		}
	}
	summary := reminders.Job{Kind: reminders.SummaryJob, ID: string(team), Due: t0, Slot: t0}
	if err := s.PutJobs(ctx, summary); err != nil {
		t.Fatal(err)
	}
	bobBefore := snap(t, s, bob)

	if err := s.DeleteOwner(ctx, alice); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteOwner(ctx, "console:never-seen"); err != nil {
		t.Errorf("DeleteOwner of an unknown owner = %v", err)
	}

	if got := snap(t, s, alice); !reflect.DeepEqual(got, snap(t, s, "console:never-seen")) {
		t.Errorf("Alice's data after DeleteOwner = %+v, want none", got)
	}
	owners, err := s.Owners(ctx)
	if err != nil || slices.Contains(owners, alice) || !slices.Contains(owners, bob) {
		t.Errorf("Owners = %q, %v; want Bob without Alice", owners, err)
	}
	if m, _ := s.Members(ctx, team); !slices.Equal(m, []reminders.OwnerID{bob}) {
		t.Errorf("Members = %q, want only Bob", m)
	}
	_, err = s.Job(ctx, reminders.DigestJob, string(alice))
	wantCode(t, err, reminders.ENOTFOUND)
	due, _ := s.DueJobs(ctx, t0, 0)
	if len(due) != 2 || slices.ContainsFunc(due, func(j reminders.Job) bool { return j.ID == string(alice) }) {
		t.Errorf("DueJobs = %+v, want Bob's digest and the summary", due)
	}
	// Her undo record and request keys went too.
	_, err = undo(s, alice, t0)
	wantCode(t, err, reminders.ENOTFOUND)
	if err := s.Update(ctx, alice, reminders.Change{Key: "k1", Now: t0}, func(tx reminders.OwnerTx) error { return nil }); err != nil {
		t.Errorf("Alice's old request key after DeleteOwner = %v, want forgotten", err)
	}
	if got := snap(t, s, bob); !reflect.DeepEqual(got, bobBefore) {
		t.Errorf("Bob's data changed by Alice's DeleteOwner")
	}
	if _, err := undo(s, bob, t0); err != nil {
		t.Errorf("Bob's undo after Alice's DeleteOwner = %v", err)
	}
}
