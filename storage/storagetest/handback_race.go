package storagetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// history is a platform's DM history: what was sent to whom, which a
// delivery asked to recheck (Claims > 1) looks in first, as bot.DeliverDigest
// does through Sender.Posted.
type history struct {
	mu   sync.Mutex
	sent map[reminders.OwnerID]int
}

func (h *history) deliver(dg reminders.Digest) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.sent == nil {
		h.sent = map[reminders.OwnerID]int{}
	}
	if dg.Recheck && h.sent[dg.Owner] > 0 {
		return nil // already there: not sent again
	}
	h.sent[dg.Owner]++
	return nil
}

func (h *history) count(o reminders.OwnerID) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.sent[o]
}

// hookDeliverer delivers digests through fn.
type hookDeliverer func(reminders.Digest) error

func (f hookDeliverer) DeliverDigest(_ context.Context, dg reminders.Digest) error { return f(dg) }
func (hookDeliverer) DeliverSummary(context.Context, reminders.Summary) error      { return nil }

// sharedClock is one fake time for two replicas.
type sharedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *sharedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *sharedClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// handBackRace: replica one claims a digest and is held past its lease
// inside the delivery; replica two takes the job over. One of them sends
// (oneSends: replica one, once released) and the other hands the job back
// (a *Deferred). Either way the owner gets the digest exactly once: a
// hand-back, which gives its claim back (Claims one lower), must not apply
// once the claim it gives back is gone, and must not make the job's next
// claim skip the history check when the other replica may have sent.
func handBackRace(t *testing.T, a, b reminders.Store, oneSends bool) {
	owners, slot := dueOwners(t, a, 1)
	o := owners[0]
	clock := &sharedClock{t: slot}
	h := &history{}
	started, release := make(chan struct{}), make(chan struct{})
	one := reminders.NewScheduler(a, hookDeliverer(func(dg reminders.Digest) error {
		close(started)
		<-release
		if oneSends {
			return h.deliver(dg)
		}
		return &reminders.Deferred{Wait: time.Minute}
	}), reminders.SchedulerOptions{Now: clock.Now, Holder: "one", Logger: quiet})
	two := reminders.NewScheduler(b, hookDeliverer(func(dg reminders.Digest) error {
		if oneSends {
			return &reminders.Deferred{Wait: time.Minute}
		}
		return h.deliver(dg)
	}), reminders.SchedulerOptions{Now: clock.Now, Holder: "two", Logger: quiet})
	done := make(chan error, 1)
	go func() {
		_, err := one.Tick(ctx)
		done <- err
	}()
	<-started
	clock.Set(slot.Add(reminders.DefaultLease + time.Second))
	if _, err := two.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	j, err := a.Job(ctx, reminders.DigestJob, string(o))
	if err != nil {
		t.Fatal(err)
	}
	// Two sent and advanced the job, which one's hand-back must leave be;
	// or two handed its claim back and one's late finish found its claim
	// gone, leaving one claim counted, so the next is checked first.
	wantClaims := 0
	if oneSends {
		wantClaims = 1
	}
	if j.Holder != "" || j.Claims != wantClaims {
		t.Fatalf("after the takeover the job is %+v; want it unleased with %d claims", j, wantClaims)
	}
	// Whatever is still owed goes out when due, through a replica that sends.
	last := reminders.NewScheduler(b, hookDeliverer(h.deliver), reminders.SchedulerOptions{Now: clock.Now, Holder: "three", Logger: quiet})
	clock.Set(slot.Add(reminders.DefaultLease + 2*time.Minute))
	if _, err := last.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if n := h.count(o); n != 1 {
		t.Errorf("the owner got %d digests, want exactly 1", n)
	}
	if j, err := a.Job(ctx, reminders.DigestJob, string(o)); err != nil || !j.Slot.After(slot) || j.Holder != "" {
		t.Errorf("job %+v, %v; want the next slot, unleased", j, err)
	}
}

// testClaimsDeferredLate: a hand-back after another replica took over and sent.
func testClaimsDeferredLate(t *testing.T, s reminders.Store) { handBackRace(t, s, s, false) }

// testClaimsSentLate: a send after another replica took over and handed back.
func testClaimsSentLate(t *testing.T, s reminders.Store) { handBackRace(t, s, s, true) }

// deferredLate and sentLate are the two on two replicas.
func deferredLate(t *testing.T, a, b reminders.Store) { handBackRace(t, a, b, false) }
func sentLate(t *testing.T, a, b reminders.Store)     { handBackRace(t, a, b, true) }
