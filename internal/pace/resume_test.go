package pace_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/internal/pace"
)

// manual is a clock that moves only when the test moves it; Sleep blocks
// until then.
type manual struct {
	mu      sync.Mutex
	t       time.Time
	sleeps  []manualSleep
	running int // goroutines neither asleep nor finished
}

type manualSleep struct {
	at   time.Time
	wake chan struct{}
}

func (m *manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.t
}

func (m *manual) Sleep(ctx context.Context, d time.Duration) error {
	m.mu.Lock()
	s := manualSleep{at: m.t.Add(d), wake: make(chan struct{})}
	m.sleeps = append(m.sleeps, s)
	m.running--
	m.mu.Unlock()
	<-s.wake
	return ctx.Err()
}

// settle waits until every goroutine started is asleep or finished.
func (m *manual) settle() {
	for {
		m.mu.Lock()
		n := m.running
		m.mu.Unlock()
		if n == 0 {
			return
		}
		time.Sleep(time.Millisecond) // waiting for goroutines to block, not for a schedule
	}
}

// advance moves the clock to t and wakes the sleepers due by then.
func (m *manual) advance(t time.Time) {
	m.mu.Lock()
	m.t = t
	kept := m.sleeps[:0]
	for _, s := range m.sleeps {
		if s.at.After(t) {
			kept = append(kept, s)
			continue
		}
		m.running++
		close(s.wake)
	}
	m.sleeps = kept
	m.mu.Unlock()
	m.settle()
}

// TestPauseVoidsQueuedTurns: calls that had taken their turns in a bucket
// before a 429 paused it do not all go the moment the pause ends; they take
// their turns again, at the bucket's pace, so the first second after a pause
// does not overshoot the limit that caused it.
func TestPauseVoidsQueuedTurns(t *testing.T) {
	t0 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	m := &manual{t: t0}
	p := pace.New(pace.Limits{Start: 10, Burst: 1}, m.Now, m.Sleep)
	ctx := context.Background()
	if err := p.Wait(ctx, "k"); err != nil { // the burst
		t.Fatal(err)
	}
	const queued = 4
	var mu sync.Mutex
	var went []time.Time
	m.mu.Lock()
	m.running = queued
	m.mu.Unlock()
	for range queued {
		go func() {
			if err := p.Wait(ctx, "k"); err != nil {
				t.Error(err)
			}
			mu.Lock()
			went = append(went, m.Now())
			mu.Unlock()
			m.mu.Lock()
			m.running--
			m.mu.Unlock()
		}()
	}
	m.settle() // all four queued, at 0.1 s to 0.4 s
	p.Limited("k", time.Second)
	for step := 1; step <= 25; step++ {
		m.advance(t0.Add(time.Duration(step) * 100 * time.Millisecond))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(went) != queued {
		t.Fatalf("%d of %d queued calls went by 2.5 s", len(went), queued)
	}
	for i, at := range went {
		if at.Before(t0.Add(time.Second)) {
			t.Errorf("a queued call went at %s, inside the pause", at.Sub(t0))
		}
		if i > 0 && at.Sub(went[i-1]) < 100*time.Millisecond {
			t.Errorf("queued calls went at %s and %s after the pause began: together, not at the bucket's pace", went[i-1].Sub(t0), at.Sub(t0))
		}
	}
}
