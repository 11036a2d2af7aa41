// Package pace keeps kith's calls to a platform within the platform's rate
// limits: one limiter per bucket (a Slack workspace, Discord's global limit)
// shared by every goroutine that calls it, paused as a whole for a 429's
// Retry-After, and adapting its rate to what the platform accepts.
package pace

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/kith-bot/kith/internal/backoff"
)

// Limits are a bucket's rates in requests per second.
type Limits struct {
	// Start is the rate a new bucket begins at. Until its first 429 the
	// bucket doubles its rate every second (a slow start, as TCP's), up to Max.
	Start float64
	// Max is the most the bucket ever allows; Start when 0.
	Max float64
	// Burst is how many requests may go at once after a quiet spell; 1 when 0.
	Burst int
}

// Rules of adaptation, each a trade-off between using what the platform
// allows and the 429s it costs to find out. A 429 costs a whole Retry-After
// of silence, so the bucket looks for the limit from below: it remembers the
// last rate that held (good) and the lowest that met a 429 (ceiling), goes
// back to the good one after a pause, and probes between the two.
const (
	// holdFor is how long a rate must run busy without a 429 to count as
	// holding: two seconds covers at least one whole one-second window of
	// the platform's, however the windows fall. In slow start a second.
	holdFor = 2 * time.Second
	// busyShare of the rate is what a bucket must have sent over holdFor
	// for the rate to count as tried: a bucket with little to send learns
	// nothing about its limit, so its rate stays put.
	busyShare = 0.8
	// firstStep is the first probe above a rate that held, as a share of
	// it; each probe that holds doubles the step (so a far limit is reached
	// in a few steps), and a 429 starts it small again.
	firstStep = 0.02
	// closeEnough: once the ceiling is within this share above the good
	// rate, the bucket stops probing; what is left is not worth a pause.
	closeEnough = 0.03
	// forgetAfter without a 429 the ceiling is forgotten and probing
	// starts again from firstStep, so a limit that was raised is found at
	// the cost of one pause a minute at most.
	forgetAfter = time.Minute
	// backOff is the new rate, as a share, when a rate that had held meets
	// a 429 (the limit fell, or the platform's windows fell unkindly).
	backOff = 0.95
	// minRate keeps a bucket moving even after a run of 429s.
	minRate = 1.0
)

// Pacer holds the buckets. The zero value is not usable; use New.
type Pacer struct {
	limits Limits
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error

	mu      sync.Mutex
	buckets map[string]*bucket

	limited atomic.Int64
}

// New returns a Pacer whose buckets start with limits. now and sleep are the
// clock (nil: real time), injected so tests need not wait.
func New(l Limits, now func() time.Time, sleep func(context.Context, time.Duration) error) *Pacer {
	if l.Max < l.Start {
		l.Max = l.Start
	}
	if l.Burst < 1 {
		l.Burst = 1
	}
	if now == nil {
		now = time.Now
	}
	if sleep == nil {
		sleep = backoff.Sleep
	}
	return &Pacer{limits: l, now: now, sleep: sleep, buckets: map[string]*bucket{}}
}

// bucket is one limiter with its pause and what it has learnt of the limit.
type bucket struct {
	mu    sync.Mutex
	lim   *rate.Limiter
	pause int       // counts pauses: a turn reserved before one is void after it
	until time.Time // paused until then (a 429's Retry-After)

	rate  float64 // the limiter's rate
	slow  bool    // still in slow start: no 429 seen yet
	good  float64 // the last rate that held; 0 while none has
	ceil  float64 // the lowest rate that met a 429 since forgetAfter; 0 for none
	step  float64 // the next probe above good, as a share of it
	since time.Time
	sent  int       // calls accepted since since, at rate
	hit   time.Time // the last 429
}

func (p *Pacer) bucket(key string) *bucket {
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.buckets[key]
	if b == nil {
		r := p.limits.Start
		b = &bucket{lim: rate.NewLimiter(rate.Limit(r), p.limits.Burst), rate: r, slow: true, step: firstStep, since: p.now()}
		p.buckets[key] = b
	}
	return b
}

// PausedError is what WaitAtMost returns when the bucket is paused (a 429's
// Retry-After) for longer than the caller would wait: the call was not
// made, and For is how long the pause still lasts.
type PausedError struct {
	For time.Duration
}

// Error says how long the bucket stays paused.
func (e *PausedError) Error() string {
	return "rate limited: the bucket is paused for another " + e.For.Round(time.Millisecond).String()
}

// Wait blocks until the bucket allows one more call, or ctx ends. A turn
// taken before a pause began is given up once the pause is over and taken
// again from the fresh limiter, so the calls that were queued resume at the
// bucket's pace instead of all at once.
func (p *Pacer) Wait(ctx context.Context, key string) error {
	return p.WaitAtMost(ctx, key, 0)
}

// WaitAtMost is Wait for a caller that has better things to do than sit out
// a long pause: when the bucket is paused for longer than limit, now or
// when its turn comes, it returns a *PausedError at once instead of
// sleeping (limit 0: no limit). Only pauses count against limit, not the
// wait for a turn at the bucket's rate: that wait is bounded by the callers
// queued in the bucket, and a caller that gave its turn up would only come
// back for a new one at the back of the queue, over and over.
func (p *Pacer) WaitAtMost(ctx context.Context, key string, limit time.Duration) error {
	b := p.bucket(key)
	reserved := -1 // the pause count when this call took its turn; -1: none
	for {
		now := p.now()
		b.mu.Lock()
		if now.Before(b.until) {
			d := b.until.Sub(now)
			if limit > 0 && d > limit {
				// A turn taken before the pause belonged to the old
				// limiter, which the pause replaced: nothing to give back.
				b.mu.Unlock()
				return &PausedError{For: d}
			}
			b.mu.Unlock()
			if err := p.sleep(ctx, d); err != nil {
				return err
			}
			continue
		}
		if reserved == b.pause {
			b.mu.Unlock()
			return nil
		}
		r := b.lim.ReserveN(now, 1)
		d := r.DelayFrom(now)
		reserved = b.pause
		b.mu.Unlock()
		if d <= 0 {
			return nil
		}
		if err := p.sleep(ctx, d); err != nil {
			b.mu.Lock()
			if reserved == b.pause {
				r.CancelAt(p.now())
			}
			b.mu.Unlock()
			return err
		}
		// A pause may have begun while this call waited its turn: loop to honour it.
	}
}

// OK records a call the platform accepted. Once the bucket's rate has held
// long enough while busy, it counts as good and the bucket tries faster:
// double in slow start, else a step above that doubles with each success,
// never more than halfway to the ceiling.
func (p *Pacer) OK(key string) {
	b := p.bucket(key)
	now := p.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Before(b.since) { // an answer to a call sent before the pause
		return
	}
	b.sent++
	ran := now.Sub(b.since)
	hold := holdFor
	if b.slow {
		hold = time.Second
	}
	if ran < hold {
		return
	}
	if float64(b.sent) < busyShare*b.rate*ran.Seconds() {
		b.set(b.rate, now) // too little to send to learn anything
		return
	}
	b.good = b.rate
	if b.ceil > 0 && now.Sub(b.hit) >= forgetAfter {
		b.ceil, b.step = 0, firstStep
	}
	next := b.rate
	switch {
	case b.slow:
		next = 2 * b.rate
	case b.ceil == 0:
		next = b.good * (1 + b.step)
		b.step *= 2
	case b.ceil > b.good*(1+closeEnough):
		next = min(b.good*(1+b.step), (b.good+b.ceil)/2)
		b.step *= 2
	}
	b.set(min(next, p.limits.Max), now)
}

// Limited records a 429: the whole bucket pauses for retryAfter and then
// resumes at the last rate that held (a little under the one that met the
// 429 when that had held too; half of it when none has). Several calls
// refused by one 429 wave count once.
func (p *Pacer) Limited(key string, retryAfter time.Duration) {
	p.limited.Add(1)
	b := p.bucket(key)
	now := p.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.Before(b.until) {
		if end := now.Add(retryAfter); end.After(b.until) {
			b.until = end
		}
		return
	}
	b.until = now.Add(retryAfter)
	b.pause++
	b.hit = now
	failed := b.rate
	b.slow = false
	b.step = firstStep
	if b.ceil == 0 || failed < b.ceil {
		b.ceil = failed
	}
	next := b.good
	switch {
	case b.good == 0:
		next = failed / 2
	case b.good >= failed:
		next = failed * backOff
		b.good = 0
	}
	next = max(minRate, next)
	// A fresh limiter: its queue of turns belonged to the rate that failed.
	b.lim = rate.NewLimiter(rate.Limit(next), b.lim.Burst())
	b.rate = next
	b.since, b.sent = b.until, 0
}

// Limits429 returns how many 429s the pacer has seen, for tests and benchmarks.
func (p *Pacer) Limits429() int64 { return p.limited.Load() }

// Rate returns a bucket's current rate, for tests and logs.
func (p *Pacer) Rate(key string) float64 {
	b := p.bucket(key)
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.rate
}

// set changes the rate from now and starts counting afresh.
func (b *bucket) set(r float64, now time.Time) {
	if r != b.rate {
		b.lim.SetLimitAt(now, rate.Limit(r))
		b.rate = r
	}
	b.since, b.sent = now, 0
}
