package pace_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/kith-bot/kith/internal/pace"
)

// windowed is a platform that allows limit calls in each second of its own
// (fixed windows, as the delivery benchmark's fake Slack) and answers 429
// with Retry-After: 1 beyond that.
type windowed struct {
	limit  int
	start  time.Time
	window int64
	in     int
}

func (w *windowed) call(at time.Time) bool {
	win := int64(at.Sub(w.start) / time.Second)
	if win != w.window {
		w.window, w.in = win, 0
	}
	if w.in >= w.limit {
		return false
	}
	w.in++
	return true
}

// paceRun sends calls through one bucket against a windowed platform, on a
// fake clock, each call reaching the platform up to jitter after its turn,
// and returns the time taken over the platform's own minimum and the 429s.
func paceRun(t *testing.T, l pace.Limits, limit, calls int, jitter time.Duration) (float64, int64) {
	t.Helper()
	c := &clock{t: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}
	start := c.Now()
	p := pace.New(l, c.Now, c.Sleep)
	plat := &windowed{limit: limit, start: start}
	rnd := rand.New(rand.NewPCG(1, 2))
	ctx := context.Background()
	for sent := 0; sent < calls; {
		if err := p.Wait(ctx, "k"); err != nil {
			t.Fatal(err)
		}
		at := c.Now()
		if jitter > 0 {
			at = at.Add(time.Duration(rnd.Int64N(int64(jitter))))
		}
		if plat.call(at) {
			p.OK("k")
			sent++
			continue
		}
		p.Limited("k", time.Second)
	}
	ideal := float64(calls) / float64(limit)
	return c.Now().Sub(start).Seconds() / ideal, p.Limits429()
}

// TestPaceFindsTheLimit: a bucket learns the platform's limit within a few
// pauses and then keeps close under it, so a long run takes at most a tenth
// longer than the limit itself allows (a fifth when the limit falls where
// the slow start overshoots it most) and meets a handful of 429s, not one a
// second. The clock is fake, so the figures are exact, not timed.
func TestPaceFindsTheLimit(t *testing.T) {
	slack := pace.Limits{Start: 100, Max: 1000, Burst: 1}
	for _, tc := range []struct {
		limit, calls int
		jitter       time.Duration
		within       float64
	}{
		// The delivery benchmark: 10,000 posts at N = 50 and N = 200.
		{50, 10_000, 0, 1.10},
		{200, 10_000, 0, 1.10},
		{50, 10_000, 5 * time.Millisecond, 1.10},
		{200, 10_000, 5 * time.Millisecond, 1.10},
		{37, 5_000, 0, 1.10},    // under the start
		{1000, 40_000, 0, 1.10}, // at the bucket's own maximum
		{730, 40_000, 0, 1.20},  // between doublings: climbing from 400 costs most
	} {
		ratio, n429 := paceRun(t, slack, tc.limit, tc.calls, tc.jitter)
		t.Logf("limit %d/s, %d calls, jitter %s: ratio %.3f, %d 429s", tc.limit, tc.calls, tc.jitter, ratio, n429)
		if ratio > tc.within {
			t.Errorf("limit %d/s, jitter %s: took %.3f× the platform's minimum, want ≤ %.2f", tc.limit, tc.jitter, ratio, tc.within)
		}
		if perMinute := float64(n429) / (ratio * float64(tc.calls) / float64(tc.limit) / 60); n429 > 5 && perMinute > 5 {
			t.Errorf("limit %d/s, jitter %s: %d 429s (%.1f a minute), want a handful", tc.limit, tc.jitter, n429, perMinute)
		}
	}
}
