// Package backoff is kith's one way to wait between retries: exponential,
// capped, with jitter so that many callers failing together (a platform
// outage, a shared 429) do not retry together.
package backoff

import (
	"context"
	"math/rand/v2"
	"time"
)

// Policy is an exponential back-off: First after the first failure, doubled
// after each further one, never more than Max.
type Policy struct {
	First time.Duration
	Max   time.Duration
}

// Wait returns the wait after the attempt-th failure (1 for the first):
// a random point in the upper half of the doubled, capped wait ("equal
// jitter"), so a retry never comes much sooner than planned and callers
// that failed together spread out.
func (p Policy) Wait(attempt int) time.Duration {
	w := p.ceiling(attempt)
	if w <= 1 {
		return w
	}
	half := w / 2
	return half + rand.N(w-half+1)
}

// ceiling is the wait before jitter.
func (p Policy) ceiling(attempt int) time.Duration {
	w := p.First
	if p.Max > 0 && w > p.Max {
		return p.Max
	}
	for i := 1; i < attempt; i++ { // a loop, as shifting would overflow
		if p.Max > 0 && w > p.Max/2 {
			return p.Max
		}
		if w > (1<<62)/2 {
			return w
		}
		w *= 2
	}
	return w
}

// Sleep waits d, or until ctx ends and then returns its error.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
