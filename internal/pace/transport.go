package pace

import (
	"io"
	"net/http"
	"strconv"
	"time"
)

// DefaultAttempts bounds how often the Transport sends one request that keeps
// meeting 429s; after that the 429 goes back to the caller, whose own retry
// (the scheduler's back-off) takes over.
const DefaultAttempts = 5

// Transport paces every request of an HTTP client through a Pacer. A request
// whose Key is "" passes unpaced. A 429 that Limited says covers the whole
// bucket pauses it and the request is sent again once the pause is over: the
// platform did nothing with it, so sending it again cannot duplicate, and
// the client library above never sees the 429 and never waits on its own.
type Transport struct {
	Next  http.RoundTripper
	Pacer *Pacer
	// Key names the request's bucket; "" leaves it unpaced.
	Key func(r *http.Request) string
	// Limited reports whether a response is a 429 that pauses the whole
	// bucket, and for how long; nil means any 429 does (RetryAfter).
	Limited func(resp *http.Response) (time.Duration, bool)
	// Attempts bounds sends of one request; DefaultAttempts when 0.
	Attempts int
	// MaxWait, when set, is how long a request may wait out its bucket's
	// pause (0: as long as it lasts). A longer pause, met before the
	// request is sent or after a 429 refused it, fails the request with a
	// *PausedError (inside the client's *url.Error), so a caller serving
	// many buckets can do other work meanwhile: the platform has done
	// nothing with the request either way.
	MaxWait func(r *http.Request) time.Duration
}

// RoundTrip sends r within its bucket's pace.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	key := t.Key(r)
	if key == "" {
		return t.Next.RoundTrip(r)
	}
	attempts := t.Attempts
	if attempts <= 0 {
		attempts = DefaultAttempts
	}
	limited := t.Limited
	if limited == nil {
		limited = RetryAfter
	}
	var maxWait time.Duration
	if t.MaxWait != nil {
		maxWait = t.MaxWait(r)
	}
	for attempt := 1; ; attempt++ {
		if err := t.Pacer.WaitAtMost(r.Context(), key, maxWait); err != nil {
			return nil, err
		}
		req := r
		if attempt > 1 {
			req = r.Clone(r.Context())
			if r.Body != nil {
				body, err := r.GetBody()
				if err != nil {
					return nil, err
				}
				req.Body = body
			}
		}
		resp, err := t.Next.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		wait, ok := limited(resp)
		if !ok {
			if resp.StatusCode < 400 {
				t.Pacer.OK(key)
			}
			return resp, nil
		}
		t.Pacer.Limited(key, wait)
		if attempt >= attempts || (r.Body != nil && r.GetBody == nil) {
			return resp, nil
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
	}
}

// RetryAfter reads a 429's Retry-After in seconds, as Slack and Discord send
// it; a 429 without a readable one pauses for a second.
func RetryAfter(resp *http.Response) (time.Duration, bool) {
	if resp.StatusCode != http.StatusTooManyRequests {
		return 0, false
	}
	s, err := strconv.ParseFloat(resp.Header.Get("Retry-After"), 64)
	if err != nil || s < 0 {
		return time.Second, true
	}
	return time.Duration(s * float64(time.Second)), true
}
