package pace_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/internal/pace"
)

// clock is a fake time that moves only when someone sleeps.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

// TestRetryAfterPausesTheWholeBucket: after a 429 with Retry-After: 3, no
// request of that bucket reaches the platform for 3 seconds, the refused
// one is sent again after the pause, and other buckets are not held up.
func TestRetryAfterPausesTheWholeBucket(t *testing.T) {
	c := &clock{t: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}
	var mu sync.Mutex
	var limitedAt time.Time
	type hit struct {
		key, body string
		at        time.Time
	}
	var hits []hit
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		hits = append(hits, hit{r.Header.Get("X-Key"), string(b), c.Now()})
		if string(b) == "m3" && limitedAt.IsZero() {
			limitedAt = c.Now()
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	p := pace.New(pace.Limits{Start: 100}, c.Now, c.Sleep)
	client := &http.Client{Transport: &pace.Transport{
		Next: http.DefaultTransport, Pacer: p,
		Key: func(r *http.Request) string { return r.Header.Get("X-Key") },
	}}
	send := func(key, body string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		req.Header.Set("X-Key", key)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d after the transport's retries", body, resp.StatusCode)
		}
	}
	for i := range 6 {
		send("ws1", "m"+string(rune('0'+i)))
	}
	send("ws2", "other")
	seen := map[string]int{}
	for _, h := range hits {
		seen[h.body]++
		if h.key == "ws1" && h.at.After(limitedAt) && h.at.Before(limitedAt.Add(3*time.Second)) {
			t.Errorf("%s reached the platform %s after the 429, inside its Retry-After", h.body, h.at.Sub(limitedAt))
		}
	}
	if seen["m3"] != 2 {
		t.Errorf("the refused request was sent %d times, want twice (refused, then after the pause)", seen["m3"])
	}
	for _, b := range []string{"m0", "m1", "m2", "m4", "m5", "other"} {
		if seen[b] != 1 {
			t.Errorf("%s sent %d times, want once", b, seen[b])
		}
	}
	if n := p.Limits429(); n != 1 {
		t.Errorf("%d 429s counted, want 1", n)
	}
}

// TestRateAdapts: a bucket doubles its rate each second until a 429, then
// falls back to the last rate that held.
func TestRateAdapts(t *testing.T) {
	c := &clock{t: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}
	p := pace.New(pace.Limits{Start: 10, Max: 1000}, c.Now, c.Sleep)
	ctx := context.Background()
	for range 25 { // 10/s, then 20/s after a second
		if err := p.Wait(ctx, "k"); err != nil {
			t.Fatal(err)
		}
		p.OK("k")
	}
	if r := p.Rate("k"); r != 20 {
		t.Fatalf("rate after a second of successes = %v, want doubled to 20", r)
	}
	p.Limited("k", time.Second)
	r := p.Rate("k")
	if r != 10 {
		t.Fatalf("rate after a 429 = %v, want 10, the last that held", r)
	}
	p.Limited("k", time.Second) // the same wave: no second cut
	if got := p.Rate("k"); got != r {
		t.Fatalf("a second 429 of one wave cut the rate again: %v then %v", r, got)
	}
	if p.Rate("other") != 10 {
		t.Fatal("a 429 in one bucket changed another")
	}
}

// TestWaitEndsWithContext: a call waiting out a pause gives up when its
// context ends, so a delivery's deadline holds.
func TestWaitEndsWithContext(t *testing.T) {
	p := pace.New(pace.Limits{Start: 1}, nil, nil)
	p.Limited("k", time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := p.Wait(ctx, "k"); err == nil {
		t.Fatal("Wait returned inside an hour's pause")
	}
}
