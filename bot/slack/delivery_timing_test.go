package slack_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// timedStore counts the store calls of a delivery run and the time callers
// spent in them, for the benchmark's breakdown of where the time goes.
// Group commits share one fsync among concurrent writers, so the sums are
// time waited by workers, not time the disk was busy.
type timedStore struct {
	reminders.Store
	ops [4]struct{ n, ns atomic.Int64 }
}

var timedOps = [...]string{"View", "Update", "ClaimJobs", "FinishJob"}

func (s *timedStore) since(op int, start time.Time) {
	s.ops[op].n.Add(1)
	s.ops[op].ns.Add(int64(time.Since(start)))
}

func (s *timedStore) View(ctx context.Context, owner reminders.OwnerID, fn func(tx reminders.OwnerTx) error) error {
	defer s.since(0, time.Now())
	return s.Store.View(ctx, owner, fn)
}

func (s *timedStore) Update(ctx context.Context, owner reminders.OwnerID, c reminders.Change, fn func(tx reminders.OwnerTx) error) error {
	defer s.since(1, time.Now())
	return s.Store.Update(ctx, owner, c, fn)
}

func (s *timedStore) ClaimJobs(ctx context.Context, now time.Time, limit int, holder string, lease time.Time) ([]reminders.Job, error) {
	defer s.since(2, time.Now())
	return s.Store.ClaimJobs(ctx, now, limit, holder, lease)
}

func (s *timedStore) FinishJob(ctx context.Context, claimed reminders.Job, next *reminders.Job) (bool, error) {
	defer s.since(3, time.Now())
	return s.Store.FinishJob(ctx, claimed, next)
}

// String sums the calls: count, total time waited and mean per call.
func (s *timedStore) String() string {
	var b strings.Builder
	for i, name := range timedOps {
		n, ns := s.ops[i].n.Load(), s.ops[i].ns.Load()
		if n == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s %d calls, %s waited, %s each; ", name, n,
			time.Duration(ns).Round(time.Millisecond), (time.Duration(ns) / time.Duration(n)).Round(time.Microsecond))
	}
	return strings.TrimSuffix(b.String(), "; ")
}
