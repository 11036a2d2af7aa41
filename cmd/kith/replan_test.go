package main

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

func TestReplanDigestsMendsMissingJobs(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 2, 7, 0, 0, 0, time.UTC) // a Monday, before 09:00
	store, err := bolt.Open(filepath.Join(t.TempDir(), "kith.db"), bolt.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
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
