package reminders_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

// clock is an injected clock that tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// fakeDeliverer records what the scheduler hands over and fails on demand.
type fakeDeliverer struct {
	mu        sync.Mutex
	digests   []reminders.Digest
	summaries []reminders.Summary
	attempts  int
	fail      func(id string) error // nil: always succeed
	delivered chan string           // when set, receives each delivered id
}

var errPlatformDown = errors.New("platform is down")

func (f *fakeDeliverer) DeliverDigest(ctx context.Context, d reminders.Digest) error {
	f.mu.Lock()
	f.attempts++
	fail := f.fail
	f.mu.Unlock()
	if fail != nil {
		if err := fail(string(d.Owner)); err != nil {
			return err
		}
	}
	f.mu.Lock()
	f.digests = append(f.digests, d)
	f.mu.Unlock()
	if f.delivered != nil {
		f.delivered <- string(d.Owner)
	}
	return nil
}

func (f *fakeDeliverer) DeliverSummary(ctx context.Context, s reminders.Summary) error {
	f.mu.Lock()
	f.attempts++
	fail := f.fail
	f.mu.Unlock()
	if fail != nil {
		if err := fail(string(s.Team.ID)); err != nil {
			return err
		}
	}
	f.mu.Lock()
	f.summaries = append(f.summaries, s)
	f.mu.Unlock()
	return nil
}

func (f *fakeDeliverer) setFail(fn func(id string) error) {
	f.mu.Lock()
	f.fail = fn
	f.mu.Unlock()
}

// Digests returns the delivered digests.
func (f *fakeDeliverer) Digests() []reminders.Digest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]reminders.Digest(nil), f.digests...)
}

// Summaries returns the delivered summaries.
func (f *fakeDeliverer) Summaries() []reminders.Summary {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]reminders.Summary(nil), f.summaries...)
}

// Attempts returns how many deliveries were tried.
func (f *fakeDeliverer) Attempts() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.attempts
}

// countByOwner counts delivered digests per owner.
func (f *fakeDeliverer) countByOwner() map[reminders.OwnerID]int {
	n := map[reminders.OwnerID]int{}
	for _, d := range f.Digests() {
		n[d.Owner]++
	}
	return n
}

// openStore opens a real bbolt store at path; the test closes it unless closed before.
func openStore(t testing.TB, path string) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { _ = s.Close() }) })
	return s
}

func tempStore(t testing.TB) (*bolt.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kith.db")
	return openStore(t, path), path
}

// quietLogger keeps expected warnings (failed deliveries) out of test output.
func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newScheduler(store reminders.Store, d reminders.Deliverer, c *clock) *reminders.Scheduler {
	return reminders.NewScheduler(store, d, reminders.SchedulerOptions{Now: c.Now, Logger: quietLogger()})
}

// addOwner stores the owner's settings and, when due, one contact that is due
// at any time after `now`.
func addOwner(t testing.TB, store reminders.Store, owner reminders.OwnerID, set reminders.Settings, due bool, now time.Time) {
	t.Helper()
	if set.Created.IsZero() {
		set.Created = now.Add(-365 * 24 * time.Hour)
	}
	err := store.Update(context.Background(), owner, reminders.Change{Now: now}, func(tx reminders.OwnerTx) error {
		if err := tx.PutSettings(set); err != nil {
			return err
		}
		if !due {
			return nil
		}
		c := reminders.Contact{Name: "Jane Doe", Company: "Acme", Added: now.Add(-90 * 24 * time.Hour)}
		return tx.PutContact(&c)
	})
	if err != nil {
		t.Fatalf("add owner %s: %v", owner, err)
	}
}

func mustJob(t testing.TB, store reminders.Store, kind reminders.JobKind, id string) reminders.Job {
	t.Helper()
	j, err := store.Job(context.Background(), kind, id)
	if err != nil {
		t.Fatalf("job %s %s: %v", kind, id, err)
	}
	return j
}

func mustNoJob(t testing.TB, store reminders.Store, kind reminders.JobKind, id string) {
	t.Helper()
	j, err := store.Job(context.Background(), kind, id)
	if reminders.ErrorCode(err) != reminders.ENOTFOUND {
		t.Fatalf("job %s %s: got %+v, %v; want none", kind, id, j, err)
	}
}

func tick(t testing.TB, s *reminders.Scheduler) int {
	t.Helper()
	n, err := s.Tick(context.Background())
	if err != nil {
		t.Fatalf("tick: %v", err)
	}
	return n
}

// plannedDigest makes a store with one owner (with a contact due, or not)
// whose digest is planned from set, and a scheduler on a clock an hour
// before the digest's first slot: Monday, June 1 2026 at 09:00 UTC.
func plannedDigest(t testing.TB, owner reminders.OwnerID, set reminders.Settings, due bool) (*bolt.Store, *clock, *fakeDeliverer, *reminders.Scheduler, time.Time) {
	t.Helper()
	store, _ := tempStore(t)
	slot := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	c := newClock(slot.Add(-time.Hour))
	d := &fakeDeliverer{}
	s := newScheduler(store, d, c)
	addOwner(t, store, owner, set, due, c.Now())
	if err := s.ScheduleDigest(context.Background(), owner, set); err != nil {
		t.Fatal(err)
	}
	return store, c, d, s, slot
}
