package reminders

import (
	"context"
	"errors"
	"time"
)

// DefaultWaitLimit is how long one delivery may wait out a pause of its
// platform's rate limit before its job goes back to the store
// (SchedulerOptions.WaitLimit). Slack's usual Retry-After is one second:
// waiting that out in place costs a worker one second, while handing the
// job back costs two commits and a claim later, so such pauses are sat out.
// A longer Retry-After would hold the worker, and every worker that picks
// up a digest of that workspace, and with them the other workspaces'
// digests, for all of it, so it is handed back.
const DefaultWaitLimit = 2 * time.Second

// Deferred is the error a Deliverer returns when the platform will not take
// the delivery for a while (its rate limit is paused for longer than
// WaitLimit allows) and nothing of it was sent. The Scheduler hands the job
// back, due again after Wait, as if it had not been claimed: no attempt is
// counted, no back-off grows and no failure is logged. A Deliverer must
// return it only when the platform accepted no part of the delivery, since
// the job's next claim is then not checked with the platform first.
type Deferred struct {
	Wait time.Duration // how long until the platform takes sends again
	Err  error         // the cause, for logs
}

// Error says that the delivery waits, and why.
func (e *Deferred) Error() string {
	s := "delivery deferred for " + e.Wait.Round(time.Millisecond).String()
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the cause.
func (e *Deferred) Unwrap() error { return e.Err }

// Deferral reports whether err is (or wraps) a *Deferred, and its wait.
func Deferral(err error) (time.Duration, bool) {
	var d *Deferred
	if errors.As(err, &d) {
		return d.Wait, true
	}
	return 0, false
}

// waitLimitKey carries a delivery's WaitLimit in its context.
type waitLimitKey struct{}

// WithWaitLimit returns ctx saying that whoever sends for it should return a
// *Deferred rather than wait out a rate-limit pause longer than d (0: wait
// as long as it takes). The Scheduler sets it on every delivery; replies
// to a user's command have nothing else to do and carry none.
func WithWaitLimit(ctx context.Context, d time.Duration) context.Context {
	return context.WithValue(ctx, waitLimitKey{}, d)
}

// WaitLimit returns the limit WithWaitLimit put in ctx; 0 when none.
func WaitLimit(ctx context.Context) time.Duration {
	d, _ := ctx.Value(waitLimitKey{}).(time.Duration)
	return d
}

// handBack puts a claimed job back in the store, due after wait (at most
// MaxBackoff), because the platform cannot take it before then (a
// *Deferred). It is not a failure: Attempts stays, so no back-off grows.
// The claim itself is given back too (Claims one lower), because the
// Deliverer promised that nothing was sent under it: the next claim counts
// the same as this one, and only asks the platform first when an earlier
// claim may have sent. The worker is free at once for other work, which is
// the point: one workspace's long pause no longer holds the pool. Through
// FinishJob, a lost claim changes nothing.
func (s *Scheduler) handBack(ctx context.Context, j Job, wait time.Duration, cause error) error {
	n := j
	// At least a second: a Deliverer deferring with no wait would otherwise
	// have the job claimed again at once, over and over. At most
	// MaxBackoff, like a retry: registration finds the slots still owed by
	// scanning that far ahead (owedSlots), and would replace a job due
	// later with the next slot, losing this one. A pause of hours (or a
	// bogus Retry-After) then costs a claim per MaxBackoff, deferred again
	// without a call to the platform while the pause lasts.
	n.Due = s.now().Add(min(max(wait, time.Second), s.maxBackoff))
	n.Holder, n.Lease = "", time.Time{}
	n.Claims = max(j.Claims-1, 0)
	s.log.Debug("scheduler: the platform is paused; job handed back",
		"kind", j.Kind, "id", j.ID, "slot", j.Slot, "due", n.Due, "err", cause)
	err := s.finish(context.WithoutCancel(ctx), j, &n)
	if err == nil {
		s.wakeBy(n.Due)
	}
	return err
}
