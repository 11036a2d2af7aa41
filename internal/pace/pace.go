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
// allows and the 429s it costs to find out.
const (
	// backOffShare of the rate the platform accepted in the last second is
	// the new rate after a 429: a little under, so the next second fits.
	backOffShare = 0.95
	// probeEvery is how long a bucket runs without a 429 before it tries a
	// little faster again (probeStep), so a limit that was raised is found.
	probeEvery = 10 * time.Second
	probeStep  = 1.05
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

// bucket is one limiter with its pause and its record of recent successes.
type bucket struct {
	mu      sync.Mutex
	lim     *rate.Limiter
	until   time.Time   // paused until then (a 429's Retry-After)
	slow    bool        // still in slow start: no 429 seen yet
	changed time.Time   // when the rate last changed
	ok      []time.Time // successes in the last second, oldest first
}

func (p *Pacer) bucket(key string) *bucket {
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.buckets[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(rate.Limit(p.limits.Start), p.limits.Burst), slow: true, changed: p.now()}
		p.buckets[key] = b
	}
	return b
}

// Wait blocks until the bucket allows one more call, or ctx ends.
func (p *Pacer) Wait(ctx context.Context, key string) error {
	b := p.bucket(key)
	reserved := false
	for {
		now := p.now()
		b.mu.Lock()
		if now.Before(b.until) {
			d := b.until.Sub(now)
			b.mu.Unlock()
			if err := p.sleep(ctx, d); err != nil {
				return err
			}
			continue
		}
		if reserved {
			b.mu.Unlock()
			return nil
		}
		r := b.lim.ReserveN(now, 1)
		d := r.DelayFrom(now)
		b.mu.Unlock()
		reserved = true
		if d <= 0 {
			return nil
		}
		if err := p.sleep(ctx, d); err != nil {
			r.CancelAt(p.now())
			return err
		}
		// A pause may have begun while this call waited its turn: loop to honour it.
	}
}

// OK records a call the platform accepted; in slow start, or after a quiet
// spell, the bucket speeds up.
func (p *Pacer) OK(key string) {
	b := p.bucket(key)
	now := p.now()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.ok = append(trim(b.ok, now), now)
	cur := float64(b.lim.Limit())
	switch {
	case cur >= p.limits.Max:
	case b.slow && now.Sub(b.changed) >= time.Second:
		b.set(min(cur*2, p.limits.Max), now)
	case !b.slow && now.Sub(b.changed) >= probeEvery:
		b.set(min(cur*probeStep, p.limits.Max), now)
	}
}

// Limited records a 429: the whole bucket pauses for retryAfter, and its
// rate drops to a little under what the platform accepted in the last
// second. Several calls refused by one 429 wave lower the rate once.
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
	b.ok = trim(b.ok, now)
	accepted := float64(len(b.ok))
	b.slow = false
	b.set(max(minRate, min(accepted*backOffShare, float64(b.lim.Limit()))), now)
}

// Limits429 returns how many 429s the pacer has seen, for tests and benchmarks.
func (p *Pacer) Limits429() int64 { return p.limited.Load() }

// Rate returns a bucket's current rate, for tests and logs.
func (p *Pacer) Rate(key string) float64 {
	b := p.bucket(key)
	b.mu.Lock()
	defer b.mu.Unlock()
	return float64(b.lim.Limit())
}

func (b *bucket) set(r float64, now time.Time) {
	b.lim.SetLimitAt(now, rate.Limit(r))
	b.changed = now
}

// trim drops successes older than a second.
func trim(ok []time.Time, now time.Time) []time.Time {
	cut := 0
	for cut < len(ok) && now.Sub(ok[cut]) >= time.Second {
		cut++
	}
	return ok[cut:]
}
