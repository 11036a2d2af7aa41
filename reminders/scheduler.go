package reminders

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"
)

// Defaults of SchedulerOptions and fixed rules of the scheduler.
const (
	// DefaultTick is how often Run looks for due work (KITH_TICK). Schedules
	// have minute resolution, so a shorter tick only costs reads.
	DefaultTick = time.Minute
	// DefaultWorkers bounds deliveries in flight. Deliveries mostly wait on a
	// platform API, so a few more than the cores keeps one slow owner from
	// holding up the others without flooding the platform's rate limits.
	DefaultWorkers = 8
	// DefaultMaxBackoff caps the wait between retries of a failed delivery:
	// long enough not to hammer a platform that is down, short enough that a
	// digest still arrives the same morning once it is back.
	DefaultMaxBackoff = time.Hour
	// FirstBackoff is the wait after the first failed delivery of a slot; it
	// doubles after each further failure up to MaxBackoff.
	FirstBackoff = time.Minute
	// FirstSummaryPeriod is how far back a team's first summary looks.
	FirstSummaryPeriod = 7 * 24 * time.Hour
)

// DefaultLease is how long a claimed job stays with its scheduler before
// another may take it over. A scheduler that dies holding claims has its
// work taken over at the first tick after the lease, so a lease of one
// minute and the default tick keep takeover within two minutes; a delivery
// is cut off before its lease ends (deliveryBudget), so a live holder never
// loses a job it is still sending.
const DefaultLease = time.Minute

// deliveryBudget is the share of the lease one job's delivery may take.
const deliveryBudget = 0.75

// lockStripes is the number of mutexes that serialise registrations of one
// job in this process; jobs share a stripe by hash, which costs only rare
// needless waits.
const lockStripes = 64

// SchedulerOptions configure a Scheduler; the zero value gives the defaults.
type SchedulerOptions struct {
	Now        func() time.Time // the clock; time.Now when nil
	Tick       time.Duration    // how often Run looks for due work; DefaultTick when 0
	Logger     *slog.Logger     // slog.Default() when nil
	Workers    int              // deliveries in flight at once; DefaultWorkers when 0
	MaxBackoff time.Duration    // longest wait between retries; DefaultMaxBackoff when 0
	// Backoff returns the wait before retrying after the attempts-th failed
	// delivery (kith passes internal/backoff, with jitter); nil doubles
	// FirstBackoff up to MaxBackoff, without jitter.
	Backoff func(attempts int) time.Duration
	// Holder names this scheduler in the leases it takes; unique per process
	// when "". Two schedulers must never share one.
	Holder string
	// Lease is how long a claim lasts; DefaultLease when 0.
	Lease time.Duration
	// WaitLimit is how long one delivery may wait out a pause of its
	// platform's rate limit before its job is handed back, due when the
	// pause ends (Deferred); DefaultWaitLimit when 0, no limit when < 0.
	WaitLimit time.Duration
	// After is the timer Run wakes on for jobs handed back (time.After when
	// nil), injected so tests need not wait.
	After func(time.Duration) <-chan time.Time
}

// Scheduler runs digests and team summaries when they are due. Every next
// fire time and every claim lives in the Store (Job), so a restart loses
// nothing and schedulers sharing one database split the work between them.
type Scheduler struct {
	store      Store
	deliver    Deliverer
	now        func() time.Time
	tick       time.Duration
	log        *slog.Logger
	maxBackoff time.Duration
	wait       func(attempts int) time.Duration
	holder     string
	lease      time.Duration
	waitLimit  time.Duration // 0: deliveries wait out any pause
	after      func(time.Duration) <-chan time.Time
	sem        chan struct{} // the worker pool's free places, shared by concurrent Ticks
	filling    sync.Mutex    // one Tick at a time gathers free places, so two cannot starve each other
	ticking    sync.Mutex    // held by Run's tick; a tick due while one still works is skipped

	seed  maphash.Seed
	locks [lockStripes]sync.Mutex // serialise read-check-write registrations of one job

	wakeMu sync.Mutex
	wakes  []time.Time   // when jobs handed back come due, earliest first, for Run to tick then
	wakeCh chan struct{} // tells Run that the earliest of wakes changed
}

// NewScheduler returns a Scheduler over the store that hands its work to d.
func NewScheduler(store Store, d Deliverer, o SchedulerOptions) *Scheduler {
	s := &Scheduler{
		store:      store,
		deliver:    d,
		now:        o.Now,
		tick:       o.Tick,
		log:        o.Logger,
		maxBackoff: o.MaxBackoff,
		wait:       o.Backoff,
		holder:     o.Holder,
		lease:      o.Lease,
		waitLimit:  o.WaitLimit,
		after:      o.After,
		seed:       maphash.MakeSeed(),
		wakeCh:     make(chan struct{}, 1),
	}
	switch {
	case s.waitLimit == 0:
		s.waitLimit = DefaultWaitLimit
	case s.waitLimit < 0:
		s.waitLimit = 0
	}
	if s.holder == "" {
		s.holder = NewHolder()
	}
	if s.lease <= 0 {
		s.lease = DefaultLease
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.after == nil {
		s.after = time.After
	}
	if s.tick <= 0 {
		s.tick = DefaultTick
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.maxBackoff <= 0 {
		s.maxBackoff = DefaultMaxBackoff
	}
	if s.wait == nil {
		s.wait = s.doubling
	}
	workers := o.Workers
	if workers <= 0 {
		workers = DefaultWorkers
	}
	s.sem = make(chan struct{}, workers)
	return s
}

// Run looks for due work at once (so work missed while kith was down runs on
// start) and then every Tick until ctx is done; it returns once the work in
// flight has finished. robfig/cron drives the ticks; the schedules
// themselves are evaluated by NextAfter and kept in the Store.
func (s *Scheduler) Run(ctx context.Context) error {
	logger := cronLogger{s.log}
	c := cron.New(cron.WithLocation(time.UTC), cron.WithLogger(logger), cron.WithChain(cron.Recover(logger)))
	c.Schedule(cron.Every(s.tick), cron.FuncJob(func() { s.tickAndLog(ctx) }))
	var first sync.WaitGroup
	first.Add(1)
	s.goSafe("first tick", func() {
		defer first.Done()
		s.tickAndLog(ctx)
	})
	var woken sync.WaitGroup
	woken.Add(1)
	s.goSafe("wake for handed-back jobs", func() {
		defer woken.Done()
		s.wakeForHandBacks(ctx)
	})
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	first.Wait()
	woken.Wait()
	return nil
}

// wakeForHandBacks runs a tick when a job handed back (Deferred) comes due,
// so a digest held by a platform's pause goes out when the pause ends, not
// up to a Tick later. A tick that finds the previous one still working is
// skipped as usual; the working one claims what comes due meanwhile.
func (s *Scheduler) wakeForHandBacks(ctx context.Context) {
	for {
		s.wakeMu.Lock()
		var at time.Time
		if len(s.wakes) > 0 {
			at = s.wakes[0]
		}
		s.wakeMu.Unlock()
		var fire <-chan time.Time // nil: nothing to wake for
		if !at.IsZero() {
			fire = s.after(max(at.Sub(s.now()), 0))
		}
		select {
		case <-ctx.Done():
			return
		case <-s.wakeCh: // an earlier hand-back: wait for that one first
		case <-fire:
			s.wakeMu.Lock()
			now := s.now()
			for len(s.wakes) > 0 && !s.wakes[0].After(now) {
				s.wakes = s.wakes[1:]
			}
			s.wakeMu.Unlock()
			if !s.tickAndLog(ctx) {
				// The tick still working may be past claiming: look again
				// in a second rather than leave the jobs to the next Tick.
				s.wakeBy(now.Add(time.Second))
			}
		}
	}
}

// maxWakes bounds the distinct times Run remembers to wake at; a job handed
// back past them is claimed by a regular tick.
const maxWakes = 256

// wakeBy asks Run for a tick at t (rounded up to a tenth of a second, so
// the many jobs of one paused workspace share one wake-up).
func (s *Scheduler) wakeBy(t time.Time) {
	if r := t.Truncate(100 * time.Millisecond); r.Before(t) {
		t = r.Add(100 * time.Millisecond)
	}
	s.wakeMu.Lock()
	defer s.wakeMu.Unlock()
	i, found := slices.BinarySearchFunc(s.wakes, t, time.Time.Compare)
	if found || i >= maxWakes {
		return
	}
	s.wakes = slices.Insert(s.wakes, i, t)
	if len(s.wakes) > maxWakes {
		s.wakes = s.wakes[:maxWakes]
	}
	if i == 0 {
		select {
		case s.wakeCh <- struct{}{}:
		default:
		}
	}
}

// tickAndLog runs one Tick for Run, which has no caller to return errors
// to, and reports whether it ran (false: skipped).
// While a tick still works through a backlog, later ticks are skipped rather
// than queued: the working tick reads the backlog as its workers free up,
// and ticks piling up behind it would only hold goroutines and memory.
func (s *Scheduler) tickAndLog(ctx context.Context) bool {
	if !s.ticking.TryLock() {
		s.log.Debug("scheduler: skipping a tick; the previous one still works")
		return false
	}
	defer s.ticking.Unlock()
	n, err := s.Tick(ctx)
	if err != nil {
		s.log.Error("scheduler: tick failed", "ran", n, "err", err)
		return true
	}
	if n > 0 {
		s.log.Debug("scheduler: tick", "ran", n)
	}
	return true
}

// Tick runs the jobs due at Now() on the worker pool and returns how many it
// ran once they have finished. It claims jobs from the Store only as workers
// free up, a batch at a time, so a backlog stays in the database rather than
// in memory, and a claim is never held long before its delivery starts.
// Each batch takes what is due at its own Now(), so a tick that works
// through a backlog also takes the jobs that come due meanwhile (among them
// jobs handed back while their platform was paused), which the ticks it
// makes skip would otherwise leave waiting. A job handed back is not
// counted as run.
// Failed deliveries are logged and retried later, not returned; the error
// reports a store failure. Concurrent Ticks, in one process or in several
// sharing the database, are safe: the Store's claims give each job to one.
// Once ctx is done no further job is started, while those started finish
// (their writes must not be cut off).
func (s *Scheduler) Tick(ctx context.Context) (int, error) {
	var (
		ran  atomic.Int64
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for ctx.Err() == nil {
		free := s.acquire(ctx)
		if free == 0 {
			break
		}
		now := s.now()
		jobs, err := s.store.ClaimJobs(ctx, now, free, s.holder, now.Add(s.lease))
		for range free - len(jobs) {
			<-s.sem
		}
		if err != nil {
			mu.Lock()
			errs = append(errs, Internal(err))
			mu.Unlock()
			break
		}
		for _, j := range jobs {
			wg.Add(1)
			s.goSafe("job "+jobKey(j.Kind, j.ID), func() {
				defer wg.Done()
				defer func() { <-s.sem }()
				did, err := s.runJob(context.WithoutCancel(ctx), j)
				if did {
					ran.Add(1)
				}
				if err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			})
		}
		mu.Lock()
		failing := len(errs) > 0
		mu.Unlock()
		if len(jobs) < free || failing {
			break // nothing more is due, or the store is failing
		}
	}
	wg.Wait()
	return int(ran.Load()), errors.Join(errs...)
}

// acquire takes free places in the worker pool for one claim and returns how
// many; 0 once ctx is done. It waits for at least a quarter of the pool, so
// that under a backlog claims come in batches (one commit for many jobs)
// rather than one commit per job, and then takes whatever else is free.
func (s *Scheduler) acquire(ctx context.Context) int {
	s.filling.Lock()
	defer s.filling.Unlock()
	want := max(1, cap(s.sem)/4)
	n := 0
	for n < want {
		select {
		case s.sem <- struct{}{}:
			n++
		case <-ctx.Done():
			for range n {
				<-s.sem
			}
			return 0
		}
	}
	for n < cap(s.sem) {
		select {
		case s.sem <- struct{}{}:
			n++
		default:
			return n
		}
	}
	return n
}

// lock serialises changes to one stored job and returns its unlock.
func (s *Scheduler) lock(kind JobKind, id string) func() {
	m := &s.locks[maphash.String(s.seed, jobKey(kind, id))%lockStripes]
	m.Lock()
	return m.Unlock
}

// lockAll takes every stripe, for bulk registration, and returns the unlock.
func (s *Scheduler) lockAll() func() {
	for i := range s.locks {
		s.locks[i].Lock()
	}
	return func() {
		for i := range s.locks {
			s.locks[i].Unlock()
		}
	}
}

// jobKey names a job in memory.
func jobKey(kind JobKind, id string) string { return string(kind) + "\x00" + id }

// doubling is the back-off without jitter used when none is injected.
func (s *Scheduler) doubling(attempts int) time.Duration {
	wait := FirstBackoff
	for i := 1; i < attempts && wait < s.maxBackoff; i++ { // a loop, as shifting would overflow
		if wait > s.maxBackoff/2 { // doubling would pass the cap, or wrap past MaxInt64
			return s.maxBackoff
		}
		wait *= 2
	}
	return min(wait, s.maxBackoff)
}

// goSafe runs fn in a goroutine that logs a panic instead of crashing kith.
func (s *Scheduler) goSafe(name string, fn func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("scheduler: recovered from a panic", "in", name, "panic", r, "stack", string(debug.Stack()))
			}
		}()
		fn()
	}()
}

// safeCall runs fn and turns a panic into an error, so that a panicking
// deliverer counts as a failed delivery (retried with back-off) rather than
// leaving the job due and retried at every tick.
func safeCall(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &Error{Code: EINTERNAL, Err: fmt.Errorf("panic: %v\n%s", r, debug.Stack())}
		}
	}()
	return fn()
}

// cronLogger lets robfig/cron log through slog; its routine chatter is debug.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
