package reminders_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// An uninstalled workspace's owners are deleted once the retention passes,
// by the scheduler; the other workspace keeps everything.
func TestPurgeAfterRetention(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	c := newClock(t0)
	store, _ := tempStore(t)
	s := newScheduler(store, &fakeDeliverer{}, c)
	gone, kept := reminders.NewTeamID(reminders.PlatformSlack, "T1"), reminders.NewTeamID(reminders.PlatformSlack, "T2")
	owners := map[reminders.OwnerID]reminders.TeamID{"slack:T1:UA": gone, "slack:T1:UB": gone, "slack:T2:UC": kept, "discord:T1": ""}
	for o, tm := range owners {
		addOwner(t, store, o, reminders.Settings{Digest: "off"}, true, t0)
		if tm != "" {
			if err := store.Join(ctx, tm, o); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tm := range []reminders.TeamID{gone, kept} {
		if err := reminders.Install(ctx, store, reminders.Installation{Team: tm, Token: []byte("sealed"), InstalledAt: t0}); err != nil {
			t.Fatal(err)
		}
	}
	if err := reminders.Uninstall(ctx, store, gone, t0, time.Hour); err != nil {
		t.Fatal(err)
	}
	// A second event (tokens_revoked, then app_uninstalled) does not push the deletion back.
	if err := reminders.Uninstall(ctx, store, gone, t0.Add(30*time.Minute), time.Hour); err != nil {
		t.Fatal(err)
	}
	in, err := store.Installation(ctx, gone)
	if err != nil || in.Active() || in.Token != nil {
		t.Fatalf("after Uninstall: %+v, %v; want inactive without a token", in, err)
	}

	c.Set(t0.Add(time.Hour - time.Minute))
	tick(t, s)
	if got := ownerList(t, store); len(got) != 4 {
		t.Fatalf("owners before the retention passed = %q", got)
	}
	c.Set(t0.Add(time.Hour))
	tick(t, s)
	want := []reminders.OwnerID{"discord:T1", "slack:T2:UC"}
	if got := ownerList(t, store); !slices.Equal(got, want) {
		t.Errorf("owners after the retention = %q, want %q", got, want)
	}
	mustNoJob(t, store, reminders.PurgeJob, string(gone))
	if _, err := store.Installation(ctx, gone); reminders.ErrorCode(err) != reminders.ENOTFOUND {
		t.Errorf("installation after the purge: %v", err)
	}
	if m, _ := store.Members(ctx, kept); !slices.Equal(m, []reminders.OwnerID{"slack:T2:UC"}) {
		t.Errorf("members of the other team = %q", m)
	}
	if in, err := store.Installation(ctx, kept); err != nil || !in.Active() {
		t.Errorf("the other installation = %+v, %v", in, err)
	}
}

// A reinstall within the retention keeps everything.
func TestReinstallCancelsPurge(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	c := newClock(t0)
	store, _ := tempStore(t)
	s := newScheduler(store, &fakeDeliverer{}, c)
	team := reminders.NewTeamID(reminders.PlatformSlack, "T1")
	addOwner(t, store, "slack:T1:UA", reminders.Settings{Digest: "off"}, true, t0)
	if err := reminders.Uninstall(ctx, store, team, t0, time.Hour); err != nil {
		t.Fatal(err)
	}
	mustJob(t, store, reminders.PurgeJob, string(team))
	if err := reminders.Install(ctx, store, reminders.Installation{Team: team, Token: []byte("new"), InstalledAt: t0.Add(time.Minute)}); err != nil {
		t.Fatal(err)
	}
	mustNoJob(t, store, reminders.PurgeJob, string(team))
	// Even a purge job left by a crash between the two writes finds the team back and does nothing.
	if err := store.PutJobs(ctx, reminders.Job{Kind: reminders.PurgeJob, ID: string(team), Slot: t0, Due: t0}); err != nil {
		t.Fatal(err)
	}
	c.Set(t0.Add(2 * time.Hour))
	tick(t, s)
	if got := ownerList(t, store); !slices.Equal(got, []reminders.OwnerID{"slack:T1:UA"}) {
		t.Errorf("owners after a reinstall = %q", got)
	}
	mustNoJob(t, store, reminders.PurgeJob, string(team))
}

func ownerList(t *testing.T, store reminders.Store) []reminders.OwnerID {
	t.Helper()
	got, err := store.Owners(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return got
}
