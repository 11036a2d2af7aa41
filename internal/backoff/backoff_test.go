package backoff_test

import (
	"context"
	"testing"
	"time"

	"github.com/kith-bot/kith/internal/backoff"
)

func TestWaitDoublesWithinJitterAndCap(t *testing.T) {
	p := backoff.Policy{First: time.Minute, Max: time.Hour}
	tests := []struct {
		attempt int
		ceiling time.Duration
	}{{1, time.Minute}, {2, 2 * time.Minute}, {3, 4 * time.Minute}, {7, time.Hour}, {100, time.Hour}, {1 << 30, time.Hour}}
	for _, tt := range tests {
		seen := map[time.Duration]bool{}
		for range 200 {
			w := p.Wait(tt.attempt)
			if w < tt.ceiling/2 || w > tt.ceiling {
				t.Fatalf("Wait(%d) = %s, want within [%s, %s]", tt.attempt, w, tt.ceiling/2, tt.ceiling)
			}
			seen[w] = true
		}
		if len(seen) < 2 {
			t.Errorf("Wait(%d) has no jitter: always %v", tt.attempt, seen)
		}
	}
	if w := (backoff.Policy{First: time.Second}).Wait(200); w <= 0 {
		t.Errorf("an uncapped Wait overflowed to %s", w)
	}
}

func TestSleepEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := backoff.Sleep(ctx, time.Hour); err == nil {
		t.Fatal("Sleep ignored a cancelled context")
	}
	if err := backoff.Sleep(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
}
