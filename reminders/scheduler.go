package reminders

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"runtime/debug"
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

// duePage is how many due jobs one DueJobs call reads; a page is run to the
// end before the next is read.
const duePage = 512

// lockStripes is the number of mutexes that serialise changes to one job;
// jobs share a stripe by hash, which costs only rare needless waits.
const lockStripes = 64

// SchedulerOptions configure a Scheduler; the zero value gives the defaults.
type SchedulerOptions struct {
	Now        func() time.Time // the clock; time.Now when nil
	Tick       time.Duration    // how often Run looks for due work; DefaultTick when 0
	Logger     *slog.Logger     // slog.Default() when nil
	Workers    int              // deliveries in flight at once; DefaultWorkers when 0
	MaxBackoff time.Duration    // longest wait between retries; DefaultMaxBackoff when 0
}

// Scheduler runs digests and team summaries when they are due. Every next
// fire time lives in the Store (Job), so a restart loses nothing; the
// Scheduler keeps in memory only which jobs it is running right now.
type Scheduler struct {
	store      Store
	deliver    Deliverer
	now        func() time.Time
	tick       time.Duration
	log        *slog.Logger
	maxBackoff time.Duration
	sem        chan struct{} // the worker pool's free places, shared by concurrent Ticks

	mu       sync.Mutex
	inflight map[string]struct{} // jobs claimed by a running Tick

	seed  maphash.Seed
	locks [lockStripes]sync.Mutex // serialise read-check-write of one stored job
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
		inflight:   map[string]struct{}{},
		seed:       maphash.MakeSeed(),
	}
	if s.now == nil {
		s.now = time.Now
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
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	first.Wait()
	return nil
}

// tickAndLog runs one Tick for Run, which has no caller to return errors to.
func (s *Scheduler) tickAndLog(ctx context.Context) {
	n, err := s.Tick(ctx)
	if err != nil {
		s.log.Error("scheduler: tick failed", "ran", n, "err", err)
		return
	}
	if n > 0 {
		s.log.Debug("scheduler: tick", "ran", n)
	}
}

// Tick runs the jobs due at Now() on the worker pool and returns how many it
// ran once they have finished. Failed deliveries are logged and retried
// later, not returned; the error reports a store failure. Concurrent Ticks
// are safe: a job runs in one of them only. Once ctx is done no further job
// is started, while those started finish (their writes must not be cut off).
func (s *Scheduler) Tick(ctx context.Context) (int, error) {
	now := s.now()
	var ran atomic.Int64
	var errs []error
	for ctx.Err() == nil {
		jobs, err := s.store.DueJobs(ctx, now, duePage)
		if err != nil {
			errs = append(errs, Internal(err))
			break
		}
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			pageErrs []error
			claimed  int
		)
	page:
		for _, j := range jobs {
			if !s.claim(j) {
				continue // another Tick is running it
			}
			select {
			case s.sem <- struct{}{}:
			case <-ctx.Done():
				s.release(j)
				break page
			}
			claimed++
			wg.Add(1)
			s.goSafe("job "+jobKey(j.Kind, j.ID), func() {
				defer wg.Done()
				defer func() { <-s.sem }()
				defer s.release(j)
				did, err := s.runJob(context.WithoutCancel(ctx), j, now)
				if did {
					ran.Add(1)
				}
				if err != nil {
					mu.Lock()
					pageErrs = append(pageErrs, err)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		errs = append(errs, pageErrs...)
		// Every job run leaves the due range (advanced, backed off or
		// dropped), so a next page holds new work, unless nothing could be
		// claimed or the store is failing.
		if len(jobs) < duePage || claimed == 0 || len(pageErrs) > 0 {
			break
		}
	}
	return int(ran.Load()), errors.Join(errs...)
}

// claim marks a job as running in this process; false when it already is.
func (s *Scheduler) claim(j Job) bool {
	k := jobKey(j.Kind, j.ID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, busy := s.inflight[k]; busy {
		return false
	}
	s.inflight[k] = struct{}{}
	return true
}

// release ends a claim.
func (s *Scheduler) release(j Job) {
	s.mu.Lock()
	delete(s.inflight, jobKey(j.Kind, j.ID))
	s.mu.Unlock()
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

// backoff returns the wait before retrying after the attempts-th failure.
func (s *Scheduler) backoff(attempts int) time.Duration {
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
