package reminders_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// lockedBuffer collects log lines written from several workers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestSchedulerHandsBackADeferredDelivery: a Deliverer that says its
// platform is paused for ten minutes (reminders.Deferred) gets the job
// back, due when the pause ends, without an attempt, a claim, a back-off or
// a warning; it is not claimed inside the pause, and goes out after it.
// The delivery's context carries the scheduler's WaitLimit.
func TestSchedulerHandsBackADeferredDelivery(t *testing.T) {
	ctx := context.Background()
	store, _ := tempStore(t)
	slot := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	c := newClock(slot.Add(-time.Hour))
	var logs lockedBuffer
	d := &fakeDeliverer{}
	var limits []time.Duration
	d.setFail(func(string) error { return &reminders.Deferred{Wait: 10 * time.Minute, Err: errors.New("paused")} })
	s := reminders.NewScheduler(store, limitSpy{d, &limits}, reminders.SchedulerOptions{Now: c.Now,
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	owner := reminders.OwnerID("console:alice")
	set := reminders.Settings{Digest: "daily 09:00"}
	addOwner(t, store, owner, set, true, c.Now())
	if err := s.ScheduleDigest(ctx, owner, set); err != nil {
		t.Fatal(err)
	}
	c.Set(slot)
	if n := tick(t, s); n != 0 {
		t.Fatalf("ran %d; a handed-back job did not run", n)
	}
	j := mustJob(t, store, reminders.DigestJob, string(owner))
	if !j.Slot.Equal(slot) || !j.Due.Equal(slot.Add(10*time.Minute)) || j.Attempts != 0 || j.Claims != 0 || j.Holder != "" || !j.Lease.IsZero() {
		t.Fatalf("handed back as %+v; want the slot, due at the pause's end, no attempt, no claim, no lease", j)
	}
	if logs.String() != "" {
		t.Errorf("a hand-back was logged as if it failed:\n%s", logs.String())
	}
	if len(limits) != 1 || limits[0] != reminders.DefaultWaitLimit {
		t.Errorf("the delivery's context carried wait limits %v, want %s", limits, reminders.DefaultWaitLimit)
	}
	c.Set(slot.Add(9 * time.Minute))
	if tick(t, s); d.Attempts() != 1 {
		t.Fatalf("%d deliveries tried; a job handed back is not claimed inside the pause", d.Attempts())
	}
	d.setFail(nil)
	c.Set(slot.Add(10 * time.Minute))
	if n := tick(t, s); n != 1 {
		t.Fatalf("ran %d after the pause, want 1", n)
	}
	got := d.Digests()
	if len(got) != 1 || got[0].Attempts != 0 || got[0].Recheck {
		t.Fatalf("delivered %+v; want one digest, first attempt, no recheck (nothing was sent before)", got)
	}
	if j := mustJob(t, store, reminders.DigestJob, string(owner)); !j.Slot.After(slot) {
		t.Fatalf("job after delivery %+v, want the next slot", j)
	}
}

// TestHandBackKeepsAnEarlierClaimsRecheck: a slot whose first attempt may
// have gone out (a failure such as a timeout) is still checked with the
// platform after a hand-back, since only the hand-back's own claim is given
// back; and the hand-back keeps the failure's attempt count.
func TestHandBackKeepsAnEarlierClaimsRecheck(t *testing.T) {
	owner := reminders.OwnerID("console:bob")
	set := reminders.Settings{Digest: "daily 09:00"}
	store, c, d, s, slot := plannedDigest(t, owner, set, true)
	c.Set(slot)
	d.setFail(func(string) error { return errPlatformDown })
	tick(t, s)
	failed := mustJob(t, store, reminders.DigestJob, string(owner))
	if failed.Attempts != 1 || failed.Claims != 1 {
		t.Fatalf("after a failure: %+v", failed)
	}
	c.Set(failed.Due)
	d.setFail(func(string) error { return &reminders.Deferred{Wait: time.Minute} })
	tick(t, s)
	back := mustJob(t, store, reminders.DigestJob, string(owner))
	if back.Attempts != 1 || back.Claims != 1 || !back.Due.Equal(failed.Due.Add(time.Minute)) {
		t.Fatalf("handed back as %+v; want attempts and claims as after the failure, due a minute on", back)
	}
	c.Set(back.Due)
	d.setFail(nil)
	tick(t, s)
	got := d.Digests()
	if len(got) != 1 || !got[0].Recheck || got[0].Attempts != 1 {
		t.Fatalf("delivered %+v; want one digest checked with the platform first, as the failed attempt may have gone out", got)
	}
}

// TestDeferredWithoutWaitDoesNotSpin: a Deferred of no wait puts the job a
// second ahead, so a tick does not claim it again and again.
func TestDeferredWithoutWaitDoesNotSpin(t *testing.T) {
	owner := reminders.OwnerID("console:carol")
	store, c, d, s, slot := plannedDigest(t, owner, reminders.Settings{Digest: "daily 09:00"}, true)
	d.setFail(func(string) error { return &reminders.Deferred{} })
	c.Set(slot)
	tick(t, s)
	if n := d.Attempts(); n != 1 {
		t.Fatalf("%d attempts in one tick, want 1", n)
	}
	if j := mustJob(t, store, reminders.DigestJob, string(owner)); !j.Due.Equal(slot.Add(time.Second)) {
		t.Fatalf("due again at %s, want a second on", j.Due)
	}
}

// TestSummaryHandedBack: a team summary deferred by its platform comes
// back at the pause's end for the same period, and posts once.
func TestSummaryHandedBack(t *testing.T) {
	ctx := context.Background()
	store, _ := tempStore(t)
	slot := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC) // a Monday
	c := newClock(slot.Add(-time.Hour))
	d := &fakeDeliverer{}
	s := newScheduler(store, d, c)
	team := reminders.Team{ID: "console:team", Channel: "C1", Schedule: "mondays 09:00"}
	if err := store.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	if err := s.ScheduleSummary(ctx, team); err != nil {
		t.Fatal(err)
	}
	c.Set(slot)
	d.setFail(func(string) error { return &reminders.Deferred{Wait: 5 * time.Minute} })
	if n := tick(t, s); n != 0 {
		t.Fatalf("ran %d, want 0", n)
	}
	j := mustJob(t, store, reminders.SummaryJob, string(team.ID))
	if !j.Slot.Equal(slot) || !j.Due.Equal(slot.Add(5*time.Minute)) || j.Attempts != 0 || j.Claims != 0 {
		t.Fatalf("handed back as %+v", j)
	}
	d.setFail(nil)
	c.Set(j.Due)
	if n := tick(t, s); n != 1 {
		t.Fatalf("ran %d after the pause, want 1", n)
	}
	if got := d.Summaries(); len(got) != 1 || !got[0].Slot.Equal(slot) || got[0].Recheck {
		t.Fatalf("summaries %+v; want the slot's, once, unchecked", got)
	}
}

// limitSpy records the WaitLimit each delivery's context carries.
type limitSpy struct {
	*fakeDeliverer
	limits *[]time.Duration
}

func (l limitSpy) DeliverDigest(ctx context.Context, d reminders.Digest) error {
	l.fakeDeliverer.mu.Lock()
	*l.limits = append(*l.limits, reminders.WaitLimit(ctx))
	l.fakeDeliverer.mu.Unlock()
	return l.fakeDeliverer.DeliverDigest(ctx, d)
}

// TestRunWakesWhenAHandedBackJobIsDue: Run does not leave a job handed back
// until its next Tick (an hour here): it sets a timer for when the job is
// due again and delivers it then.
func TestRunWakesWhenAHandedBackJobIsDue(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store, _ := tempStore(t)
	slot := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	c := newClock(slot.Add(-time.Hour))
	d := &fakeDeliverer{delivered: make(chan string, 1)}
	d.setFail(func(string) error { return &reminders.Deferred{Wait: 10 * time.Minute} })
	type timer struct {
		d    time.Duration
		fire chan time.Time
	}
	timers := make(chan timer, 16)
	s := reminders.NewScheduler(store, d, reminders.SchedulerOptions{Now: c.Now, Logger: quietLogger(), Tick: time.Hour,
		After: func(d time.Duration) <-chan time.Time {
			tm := timer{d, make(chan time.Time, 1)}
			timers <- tm
			return tm.fire
		}})
	owner := reminders.OwnerID("console:dana")
	set := reminders.Settings{Digest: "daily 09:00"}
	addOwner(t, store, owner, set, true, c.Now())
	if err := s.ScheduleDigest(ctx, owner, set); err != nil {
		t.Fatal(err)
	}
	c.Set(slot)
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	var tm timer
	select { // the deadline only guards against a hung test
	case tm = <-timers:
	case <-time.After(10 * time.Second):
		t.Fatal("Run set no timer for the job handed back")
	}
	if tm.d != 10*time.Minute {
		t.Fatalf("Run set a timer of %s, want the 10 minutes until the job is due", tm.d)
	}
	d.setFail(nil)
	c.Set(slot.Add(10 * time.Minute))
	tm.fire <- c.Now()
	for delivered := false; !delivered; {
		select {
		case got := <-d.delivered:
			if got != string(owner) {
				t.Fatalf("delivered %s", got)
			}
			delivered = true
		case tm := <-timers:
			// The first tick may not have ended when the timer fired, and
			// Run looks again a second later: let that second pass too.
			if tm.d > time.Second {
				t.Fatalf("Run set a timer of %s after the job was due", tm.d)
			}
			tm.fire <- c.Now()
		case <-time.After(10 * time.Second):
			t.Fatal("the job was not delivered when the timer fired")
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
