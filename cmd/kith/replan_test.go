package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

// replanNow is the clock of the start-up planning tests: a Monday, before 09:00.
var replanNow = time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC)

// openReplanStore opens a bbolt store in the test's temp dir on replanNow.
func openReplanStore(t *testing.T) *bolt.Store {
	t.Helper()
	store, err := bolt.Open(filepath.Join(t.TempDir(), "kith.db"), bolt.Options{Now: func() time.Time { return replanNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	return store
}

// changeSettings changes an owner's settings at replanNow, as a command
// would, and returns them.
func changeSettings(t *testing.T, store reminders.Store, owner reminders.OwnerID, change func(*reminders.Settings)) reminders.Settings {
	t.Helper()
	var s reminders.Settings
	err := store.Update(context.Background(), owner, reminders.Change{Now: replanNow}, func(tx reminders.OwnerTx) error {
		var err error
		if s, err = tx.Settings(); err != nil {
			return err
		}
		change(&s)
		return tx.PutSettings(s)
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReplanDigestsMendsMissingJobs(t *testing.T) {
	ctx := context.Background()
	now := replanNow
	store := openReplanStore(t)
	put := func(owner reminders.OwnerID, s reminders.Settings) {
		t.Helper()
		err := store.Update(ctx, owner, reminders.Change{Now: now}, func(tx reminders.OwnerTx) error {
			if err := tx.PutSettings(s); err != nil {
				return err
			}
			return tx.PutContact(&reminders.Contact{Name: "Jane Doe", Added: now})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	put("console:ada", reminders.Settings{Created: now})                 // uses kith, but her job was lost
	put("console:bea", reminders.Settings{})                             // imported for, never used kith
	put("console:cy", reminders.Settings{Created: now, DigestOff: true}) // turned digests off

	sched := reminders.NewScheduler(store, nil, reminders.SchedulerOptions{Now: func() time.Time { return now }})
	replanDigests(ctx, store, sched, slog.New(slog.NewTextHandler(io.Discard, nil)))

	j, err := store.Job(ctx, reminders.DigestJob, "console:ada")
	if err != nil || !j.Slot.Equal(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("ada's job = %+v, %v; want today's 09:00 digest", j, err)
	}
	for _, o := range []string{"console:bea", "console:cy"} {
		if j, err := store.Job(ctx, reminders.DigestJob, o); reminders.ErrorCode(err) != reminders.ENOTFOUND {
			t.Errorf("%s has job %+v (err %v); want none", o, j, err)
		}
	}
}

// countingStore counts the reads of owners' data and the job writes that
// start-up makes, keeping the bbolt store's plan log.
type countingStore struct {
	*bolt.Store
	views, jobWrites int
}

func (c *countingStore) View(ctx context.Context, owner reminders.OwnerID, fn func(tx reminders.OwnerTx) error) error {
	c.views++
	return c.Store.View(ctx, owner, fn)
}

func (c *countingStore) PutJobs(ctx context.Context, jobs ...reminders.Job) error {
	c.jobWrites += len(jobs)
	return c.Store.PutJobs(ctx, jobs...)
}

func TestRestartPlansOnlyWhatChanged(t *testing.T) {
	ctx := context.Background()
	now := replanNow
	clock := func() time.Time { return now }
	store := &countingStore{Store: openReplanStore(t)}
	settings := func(owner reminders.OwnerID, change func(*reminders.Settings)) {
		t.Helper()
		changeSettings(t, store, owner, change)
	}
	owners := []reminders.OwnerID{"console:ada", "console:bea", "console:cy"}
	for _, o := range owners {
		settings(o, func(s *reminders.Settings) { s.Created = now })
	}
	sched := reminders.NewScheduler(store, nil, reminders.SchedulerOptions{Now: clock})
	start := func() (views, jobWrites int) {
		t.Helper()
		store.views, store.jobWrites = 0, 0
		replanDigests(ctx, store, sched, slog.New(slog.DiscardHandler))
		return store.views, store.jobWrites
	}
	if v, w := start(); v != 3 || w != 3 {
		t.Errorf("first start read %d owners' settings and wrote %d jobs; want 3 and 3", v, w)
	}
	if v, w := start(); v != 0 || w != 0 {
		t.Errorf("a restart with nothing changed read %d owners' settings and wrote %d jobs; want none", v, w)
	}
	// A change that plans nothing differently marks nothing.
	settings("console:bea", func(s *reminders.Settings) { s.Name = "Bea"; s.DM = "D1" })
	if v, w := start(); v != 0 || w != 0 {
		t.Errorf("after a name change a restart read %d settings and wrote %d jobs; want none", v, w)
	}
	// Ada moves her digest, and kith dies before the scheduler hears of it.
	settings("console:ada", func(s *reminders.Settings) { s.Digest = "daily 18:00" })
	if v, w := start(); v != 1 || w != 1 {
		t.Errorf("after one change a restart read %d settings and wrote %d jobs; want 1 and 1", v, w)
	}
	j, err := store.Job(ctx, reminders.DigestJob, "console:ada")
	if err != nil || !j.Slot.Equal(time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)) {
		t.Errorf("ada's job = %+v, %v; want today's 18:00, mended at start", j, err)
	}
	// Cy turns digests off, and kith dies before the job is deleted.
	settings("console:cy", func(s *reminders.Settings) { s.DigestOff = true })
	start()
	if j, err := store.Job(ctx, reminders.DigestJob, "console:cy"); reminders.ErrorCode(err) != reminders.ENOTFOUND {
		t.Errorf("cy's digest is off but the job stayed: %+v, %v", j, err)
	}
	if v, w := start(); v != 0 || w != 0 {
		t.Errorf("the marks were not cleared: a restart read %d settings and wrote %d jobs", v, w)
	}
}

// racingStore stands for another replica serving while this one starts: on
// the first job write of start-up's bulk plan it changes an owner's digest
// and plans it, as that replica's bot would, just before start-up's write of
// the setting it read a moment earlier lands.
type racingStore struct {
	*bolt.Store
	race func()
}

func (r *racingStore) PutJobs(ctx context.Context, jobs ...reminders.Job) error {
	if race := r.race; race != nil {
		r.race = nil
		race()
	}
	return r.Store.PutJobs(ctx, jobs...)
}

// TestReplanSeesChangesMadeMeanwhile: a settings change made while start-up
// plans (on another replica) is not overwritten by the plan of the settings
// start-up read before it, and its mark stays only if it was not planned.
func TestReplanSeesChangesMadeMeanwhile(t *testing.T) {
	ctx := context.Background()
	now := replanNow
	clock := func() time.Time { return now }
	db := openReplanStore(t)
	setDigest := func(owner reminders.OwnerID, digest string) reminders.Settings {
		t.Helper()
		return changeSettings(t, db, owner, func(s *reminders.Settings) { s.Created, s.Digest = now, digest })
	}
	setDigest("console:ada", "daily 09:00")
	setDigest("console:bea", "daily 09:00")
	other := reminders.NewScheduler(db, nil, reminders.SchedulerOptions{Now: clock}) // the other replica's
	store := &racingStore{Store: db, race: func() {
		s := setDigest("console:ada", "daily 18:00")
		if err := other.ScheduleDigest(ctx, "console:ada", s); err != nil {
			t.Error(err)
		}
	}}
	sched := reminders.NewScheduler(store, nil, reminders.SchedulerOptions{Now: clock})
	replanDigests(ctx, store, sched, slog.New(slog.DiscardHandler))
	if store.race != nil {
		t.Fatal("start-up wrote no job; the race never ran")
	}
	j, err := db.Job(ctx, reminders.DigestJob, "console:ada")
	if err != nil || !j.Slot.Equal(time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)) {
		t.Errorf("ada's job = %+v, %v; want today's 18:00, the digest she moved while kith started", j, err)
	}
	j, err = db.Job(ctx, reminders.DigestJob, "console:bea")
	if err != nil || !j.Slot.Equal(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("bea's job = %+v, %v; want today's 09:00", j, err)
	}
	if pending, err := db.PendingPlans(ctx); err != nil || len(pending) != 0 {
		t.Errorf("marks left after start-up planned every change: %v, %v", pending, err)
	}
}

// TestReplanStoppedSaysNothing: kith stopped while start-up plans (a console
// quit at once) logs no error for the planning it cut short, and the owners
// not planned keep their marks for the next start.
func TestReplanStoppedSaysNothing(t *testing.T) {
	store := openReplanStore(t)
	changeSettings(t, store, "console:ada", func(s *reminders.Settings) { s.Created = replanNow; s.Digest = "daily 18:00" })
	sched := reminders.NewScheduler(store, nil, reminders.SchedulerOptions{Now: func() time.Time { return replanNow }})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var logs strings.Builder
	replanDigests(ctx, store, sched, slog.New(slog.NewTextHandler(&logs, nil)))
	if logs.Len() > 0 {
		t.Errorf("a stopped start-up logged:\n%s", logs.String())
	}
	pending, err := store.PendingPlans(context.Background())
	if err != nil || len(pending) != 1 || pending[0].Owner != "console:ada" {
		t.Fatalf("pending after a stopped start-up = %+v, %v; want ada's mark kept", pending, err)
	}
}
