package reminders_test

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// TestSchedulerBackoffDoesNotOverflow fails a job that has failed many times
// before under an unbounded MaxBackoff: the doubling must saturate, never
// wrap around to a wait of zero or less (a retry at every tick).
func TestSchedulerBackoffDoesNotOverflow(t *testing.T) {
	tests := []struct {
		name     string
		attempts int
	}{
		{"just past int64 nanoseconds", 28},
		{"far past", 70},
		{"many failures", 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			store, _ := tempStore(t)
			slot := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
			c := newClock(slot)
			d := &fakeDeliverer{}
			d.setFail(func(string) error { return errPlatformDown })
			s := reminders.NewScheduler(store, d, reminders.SchedulerOptions{Now: c.Now, Logger: quietLogger(), MaxBackoff: math.MaxInt64})
			owner := reminders.OwnerID("console:alice")
			addOwner(t, store, owner, reminders.Settings{Digest: "daily 09:00"}, true, slot)
			job := reminders.Job{Kind: reminders.DigestJob, ID: string(owner), Slot: slot, Due: slot, Attempts: tt.attempts}
			if err := store.PutJobs(ctx, job); err != nil {
				t.Fatal(err)
			}
			if n := tick(t, s); n != 1 {
				t.Fatalf("ran %d, want 1", n)
			}
			j := mustJob(t, store, reminders.DigestJob, string(owner))
			if !j.Due.After(slot.Add(24 * time.Hour)) {
				t.Fatalf("after failure %d the retry is due %s, want far later than %s", j.Attempts, j.Due, slot)
			}
		})
	}
}
