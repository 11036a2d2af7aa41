package reminders_test

import (
	"context"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// TestSchedulerPausesAnUnreachableOwner: a delivery the platform says can
// never reach the owner is not retried; the owner's digests pause until
// something clears Settings.Paused (their next command, in the bot).
func TestSchedulerPausesAnUnreachableOwner(t *testing.T) {
	ctx := context.Background()
	owner := reminders.OwnerID("console:alice")
	store, c, d, s, slot := plannedDigest(t, owner, reminders.Settings{Digest: "daily 09:00"}, true)
	d.setFail(func(string) error {
		return reminders.Errorf(reminders.EUNREACHABLE, "Slack says cannot_dm_bot.")
	})
	c.Set(slot)
	if n := tick(t, s); n != 1 {
		t.Fatalf("ran %d, want 1", n)
	}
	mustNoJob(t, store, reminders.DigestJob, string(owner))
	got, err := reminders.LoadSettings(ctx, store, owner)
	if err != nil || got.Paused != "Slack says cannot_dm_bot." {
		t.Fatalf("settings after the failure = %+v, %v; want paused with the reason", got, err)
	}
	// Nothing brings the digest back while paused: not later ticks, not a
	// replan from the stored settings (as at start).
	if err := s.ScheduleDigest(ctx, owner, got); err != nil {
		t.Fatal(err)
	}
	mustNoJob(t, store, reminders.DigestJob, string(owner))
	for _, at := range []time.Time{slot.Add(time.Minute), slot.Add(time.Hour), slot.AddDate(0, 0, 1)} {
		c.Set(at)
		tick(t, s)
	}
	if n := d.Attempts(); n != 1 {
		t.Fatalf("%d delivery attempts, want 1: a permanent failure is not retried", n)
	}
	// Resumed (the bot clears Paused): the next slot is planned again.
	got.Paused = ""
	if err := s.ScheduleDigest(ctx, owner, got); err != nil {
		t.Fatal(err)
	}
	if j := mustJob(t, store, reminders.DigestJob, string(owner)); !j.Slot.After(c.Now()) {
		t.Fatalf("resumed job %+v is not in the future", j)
	}
}
