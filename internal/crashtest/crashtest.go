// Package crashtest runs a scheduler into a crash at each step of a delivery
// and a second scheduler after it, against a real store and a platform faked
// at its HTTP boundary, so tests can check that each slot reaches the
// platform exactly once (spec §7). Only tests import it.
package crashtest

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// Step is where the first scheduler dies.
type Step string

// The crash windows of one delivery.
const (
	BeforeMark    Step = "before the send mark" // the claim never committed
	BeforeSend    Step = "after the mark, before the send"
	AfterAccepted Step = "after the platform accepted, before the done mark"
)

// Steps lists every crash window.
var Steps = []Step{BeforeMark, BeforeSend, AfterAccepted}

// errCrashed is what a dead process's writes "return": nothing reaches the store.
var errCrashed = errors.New("crashtest: the process is dead")

// store is the real store as a process that dies sees it: once dead, no
// write of it reaches the database.
type store struct {
	reminders.Store
	dead *atomic.Bool
}

func (s store) ClaimJobs(ctx context.Context, now time.Time, limit int, holder string, lease time.Time) ([]reminders.Job, error) {
	if s.dead.Load() {
		return nil, errCrashed
	}
	return s.Store.ClaimJobs(ctx, now, limit, holder, lease)
}

func (s store) FinishJob(ctx context.Context, claimed reminders.Job, next *reminders.Job) (bool, error) {
	if s.dead.Load() {
		return false, errCrashed
	}
	return s.Store.FinishJob(ctx, claimed, next)
}

func (s store) PutJobs(ctx context.Context, jobs ...reminders.Job) error {
	if s.dead.Load() {
		return errCrashed
	}
	return s.Store.PutJobs(ctx, jobs...)
}

func (s store) Update(ctx context.Context, owner reminders.OwnerID, c reminders.Change, fn func(reminders.OwnerTx) error) error {
	if s.dead.Load() {
		return errCrashed
	}
	return s.Store.Update(ctx, owner, c, fn)
}

// deliverer dies at its step around the real delivery.
type deliverer struct {
	next reminders.Deliverer
	step Step
	dead *atomic.Bool
}

func (d deliverer) DeliverDigest(ctx context.Context, dg reminders.Digest) error {
	if d.step == BeforeSend {
		d.dead.Store(true)
		return errCrashed
	}
	err := d.next.DeliverDigest(ctx, dg)
	if err == nil && d.step == AfterAccepted {
		d.dead.Store(true)
	}
	return err
}

func (d deliverer) DeliverSummary(ctx context.Context, s reminders.Summary) error {
	return d.next.DeliverSummary(ctx, s)
}

// Owner gives the owner a contact long overdue and a daily 09:00 UTC digest
// whose next slot is stored, and returns that slot.
func Owner(t testing.TB, s reminders.Store, owner reminders.OwnerID, now time.Time) time.Time {
	t.Helper()
	ctx := context.Background()
	long := now.AddDate(-1, 0, 0)
	err := s.Update(ctx, owner, reminders.Change{Now: now}, func(tx reminders.OwnerTx) error {
		if err := tx.PutSettings(reminders.Settings{Digest: "daily 09:00", TimeZone: "UTC", Created: long}); err != nil {
			return err
		}
		c := reminders.Contact{Name: "Jane Doe", Added: long}
		return tx.PutContact(&c)
	})
	if err != nil {
		t.Fatal(err)
	}
	slot := time.Date(now.Year(), now.Month(), now.Day()+1, 9, 0, 0, 0, time.UTC)
	if err := s.PutJobs(ctx, reminders.Job{Kind: reminders.DigestJob, ID: string(owner), Slot: slot, Due: slot}); err != nil {
		t.Fatal(err)
	}
	return slot
}

// Run lets a first scheduler die at step while delivering the owner's slot,
// then a second one take over after the lease, as a restart or another
// replica would. Both deliver through d. It fails the test unless the job
// ends on a later slot, and returns for the caller to count the messages.
func Run(t testing.TB, s reminders.Store, d reminders.Deliverer, owner reminders.OwnerID, slot time.Time, step Step) {
	t.Helper()
	ctx := context.Background()
	dead := &atomic.Bool{}
	dead.Store(step == BeforeMark)
	log := slog.New(slog.DiscardHandler)
	first := reminders.NewScheduler(store{s, dead}, deliverer{d, step, dead}, reminders.SchedulerOptions{Holder: "first", Now: func() time.Time { return slot }, Logger: log})
	_, _ = first.Tick(ctx) // it dies; its errors are the crash
	later := slot.Add(reminders.DefaultLease + time.Second)
	second := reminders.NewScheduler(s, d, reminders.SchedulerOptions{Holder: "second", Now: func() time.Time { return later }, Logger: log})
	if _, err := second.Tick(ctx); err != nil {
		t.Fatalf("%s: the second scheduler: %v", step, err)
	}
	j, err := s.Job(ctx, reminders.DigestJob, string(owner))
	if err != nil || !j.Slot.After(slot) || j.Holder != "" {
		t.Fatalf("%s: job after the takeover = %+v, %v; want the next slot, unleased", step, j, err)
	}
}
