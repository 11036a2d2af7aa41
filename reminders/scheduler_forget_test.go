package reminders_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// forgetBeforePut is the real store with one interleaving forced: the owner
// forgets themselves (DeleteOwner commits) just before the scheduler writes
// their job back, after it has read the owner's schedule.
type forgetBeforePut struct {
	reminders.Store
	owner reminders.OwnerID
	once  sync.Once
}

func (f *forgetBeforePut) FinishJob(ctx context.Context, claimed reminders.Job, next *reminders.Job) (bool, error) {
	if claimed.Kind == reminders.DigestJob && claimed.ID == string(f.owner) {
		var err error
		f.once.Do(func() { err = f.Store.DeleteOwner(ctx, f.owner) })
		if err != nil {
			return false, err
		}
	}
	return f.Store.FinishJob(ctx, claimed, next)
}

// TestSchedulerForgetDuringRunLeavesNoJob forgets the owner while their
// digest job is being advanced or backed off: the job must not come back,
// since nothing of a forgotten owner may remain.
func TestSchedulerForgetDuringRunLeavesNoJob(t *testing.T) {
	tests := []struct {
		name string
		fail bool
	}{
		{"delivered, then advanced", false},
		{"failed, then backed off", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db, _ := tempStore(t)
			slot := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
			c := newClock(slot.Add(-time.Hour))
			owner := reminders.OwnerID("console:alice")
			set := reminders.Settings{Digest: "daily 09:00"}
			addOwner(t, db, owner, set, true, c.Now())
			d := &fakeDeliverer{}
			if tt.fail {
				d.setFail(func(string) error { return errPlatformDown })
			}
			if err := newScheduler(db, d, c).ScheduleDigest(ctx, owner, set); err != nil {
				t.Fatal(err)
			}
			store := &forgetBeforePut{Store: db, owner: owner}
			s := newScheduler(store, d, c)
			c.Set(slot)
			if n := tick(t, s); n != 1 {
				t.Fatalf("ran %d, want 1", n)
			}
			mustNoJob(t, db, reminders.DigestJob, string(owner))
			if owners, err := db.Owners(ctx); err != nil || len(owners) != 0 {
				t.Fatalf("owners after forget = %v, %v; want none", owners, err)
			}
		})
	}
}
