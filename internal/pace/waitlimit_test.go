package pace_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kith-bot/kith/internal/pace"
)

// TestWaitAtMostGivesUpOnALongPause: a pause longer than the caller's limit
// returns a *PausedError at once, saying how long is left, without moving
// the clock; a pause within the limit is waited out; no limit waits out any.
func TestWaitAtMostGivesUpOnALongPause(t *testing.T) {
	t0 := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	c := &clock{t: t0}
	p := pace.New(pace.Limits{Start: 10}, c.Now, c.Sleep)
	ctx := context.Background()
	p.Limited("k", 10*time.Minute)
	err := p.WaitAtMost(ctx, "k", 2*time.Second)
	var paused *pace.PausedError
	if !errors.As(err, &paused) || paused.For != 10*time.Minute {
		t.Fatalf("WaitAtMost in a 10-minute pause = %v; want a PausedError of 10m", err)
	}
	if !c.Now().Equal(t0) {
		t.Fatalf("the clock moved %s: the call slept before giving up", c.Now().Sub(t0))
	}
	if err := p.WaitAtMost(ctx, "other", 2*time.Second); err != nil {
		t.Fatalf("another bucket: %v", err)
	}
	_ = c.Sleep(ctx, 10*time.Minute-time.Second) // a second of the pause left
	if err := p.WaitAtMost(ctx, "k", 2*time.Second); err != nil {
		t.Fatalf("a pause within the limit: %v", err)
	}
	if c.Now().Before(t0.Add(10 * time.Minute)) {
		t.Fatalf("returned %s after the 429, inside its pause", c.Now().Sub(t0))
	}
	p.Limited("k", time.Hour)
	if err := p.WaitAtMost(ctx, "k", 0); err != nil {
		t.Fatalf("no limit: %v", err)
	}
}

// TestTransportHandsBackALongPause: a request refused with a Retry-After
// beyond the Transport's MaxWait for it is not sent again after the pause:
// the client gets a *PausedError (through *url.Error), the bucket stays
// paused for the next request, which is not sent at all, and a request
// without a limit still waits the pause out.
func TestTransportHandsBackALongPause(t *testing.T) {
	c := &clock{t: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}
	end := c.Now().Add(5 * time.Minute)
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if c.Now().Before(end) {
			w.Header().Set("Retry-After", "300")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	p := pace.New(pace.Limits{Start: 100}, c.Now, c.Sleep)
	type limitKey struct{}
	client := &http.Client{Transport: &pace.Transport{
		Next: http.DefaultTransport, Pacer: p,
		Key: func(*http.Request) string { return "ws" },
		MaxWait: func(r *http.Request) time.Duration {
			d, _ := r.Context().Value(limitKey{}).(time.Duration)
			return d
		},
	}}
	send := func(limit time.Duration) (*http.Response, error) {
		ctx := context.WithValue(context.Background(), limitKey{}, limit)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, strings.NewReader("m"))
		return client.Do(req)
	}
	for i := range 2 {
		resp, err := send(2 * time.Second)
		var paused *pace.PausedError
		if !errors.As(err, &paused) || paused.For != 5*time.Minute {
			if resp != nil {
				resp.Body.Close()
			}
			t.Fatalf("request %d in a 5-minute pause: %v; want a PausedError of 5m", i, err)
		}
	}
	if n := hits.Load(); n != 1 {
		t.Fatalf("%d requests reached the platform, want 1: the refused one is not sent again, the next not at all", n)
	}
	resp, err := send(0)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || c.Now().Before(end) {
		t.Fatalf("a request without a limit: %d at %s; want it sent after the pause", resp.StatusCode, c.Now())
	}
}
