package bolt_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
	"github.com/kith-bot/kith/storage/storagetest"
)

// open opens a new store on a real file in the test's temp dir.
func open(t testing.TB) (*bolt.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kith.db")
	s, err := bolt.Open(path, bolt.Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, path
}

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) reminders.Store {
		s, _ := open(t)
		return s
	})
}

func TestCopy(t *testing.T) {
	open := func(t *testing.T) reminders.Store { s, _ := open(t); return s }
	storagetest.RunCopy(t, open, open)
}

// TestReplicas runs the cross-replica promises on one bbolt store given
// twice: one process is bbolt's only replica, and they must hold there too.
func TestReplicas(t *testing.T) {
	storagetest.RunReplicas(t, func(t *testing.T) (reminders.Store, reminders.Store) {
		s, _ := open(t)
		return s, s
	})
}

// A reopened file has no live leases: the file's lock means whoever claimed
// a job before is gone, so its jobs are claimable at once, each keeping its
// claim count so that its delivery asks the platform first.
func TestOpenReleasesDeadLeases(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "kith.db")
	s, err := bolt.Open(path, bolt.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	due := reminders.Job{Kind: reminders.DigestJob, ID: "console:a", Slot: now, Due: now}
	later := reminders.Job{Kind: reminders.DigestJob, ID: "console:b", Slot: now.Add(time.Hour), Due: now.Add(time.Hour)}
	if err := s.PutJobs(ctx, due, later); err != nil {
		t.Fatal(err)
	}
	claimed, err := s.ClaimJobs(ctx, now, 0, "gone", now.Add(reminders.DefaultLease))
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim = %v, %v", claimed, err)
	}
	if again, _ := s.ClaimJobs(ctx, now, 0, "other", now.Add(reminders.DefaultLease)); len(again) != 0 {
		t.Fatalf("a leased job was claimed twice in one process: %v", again)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = bolt.Open(path, bolt.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.ClaimJobs(ctx, now, 0, "restarted", now.Add(reminders.DefaultLease))
	if err != nil || len(got) != 1 {
		t.Fatalf("after reopening, claim = %v, %v; want the dead holder's job at once", got, err)
	}
	if got[0].ID != due.ID || got[0].Claims != 2 || got[0].Holder != "restarted" {
		t.Errorf("reclaimed %+v; want %s with 2 claims, so its send is checked with the platform", got[0], due.ID)
	}
	if j, err := s.Job(ctx, later.Kind, later.ID); err != nil || j.Holder != "" || j.Claims != 0 || !j.Due.Equal(later.Due) {
		t.Errorf("a job nobody held changed: %+v, %v", j, err)
	}
}
