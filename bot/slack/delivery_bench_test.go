package slack_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	kslack "github.com/kith-bot/kith/bot/slack"
	"github.com/kith-bot/kith/internal/pace"
	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

// benchOwners is the scale: one large workspace, everyone due at 09:00.
const benchOwners = 10_000

// limitedSlack is a lean fake Slack for the delivery benchmark: it allows
// perSecond chat.postMessage calls in each wall-clock second (0: no limit)
// and answers 429 with Retry-After: 1 beyond that, as Slack does. It counts
// posts per channel, to find duplicates, and the 429s it gave.
type limitedSlack struct {
	perSecond int
	start     time.Time

	mu      sync.Mutex
	window  int64
	inWin   int
	posts   map[string]int
	limited atomic.Int64
}

func (f *limitedSlack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	switch r.URL.Path {
	case "/api/auth.test":
		writeJSONT(w, map[string]any{"ok": true, "user_id": botUser, "team_id": teamID})
	case "/api/conversations.open":
		writeJSONT(w, map[string]any{"ok": true, "channel": map[string]any{"id": "D" + r.Form.Get("users")}})
	case "/api/conversations.history":
		writeJSONT(w, map[string]any{"ok": true, "messages": []any{}})
	case "/api/chat.postMessage":
		f.mu.Lock()
		if f.perSecond > 0 {
			win := int64(time.Since(f.start) / time.Second)
			if win != f.window {
				f.window, f.inWin = win, 0
			}
			if f.inWin >= f.perSecond {
				f.mu.Unlock()
				f.limited.Add(1)
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			f.inWin++
		}
		f.posts[r.Form.Get("channel")]++
		n := len(f.posts)
		f.mu.Unlock()
		writeJSONT(w, map[string]any{"ok": true, "channel": r.Form.Get("channel"), "ts": "1700000000." + strconv.Itoa(n)})
	default:
		http.NotFound(w, r)
	}
}

// BenchmarkDelivery delivers 10,000 digests due at one slot through the
// real scheduler, bot and Slack adapter (slack-go) on a real bbolt file, to
// a fake Slack allowing N posts a second. It reports digests delivered and
// duplicated, the 429s Slack gave, elapsed / (10,000 / N) (1.0 is Slack's
// own limit), and digests per second. "unlimited" takes Slack's limit and
// kith's pacing away, to measure kith's own pipeline.
func BenchmarkDelivery(b *testing.B) {
	for _, n := range []int{50, 200, 0} {
		name := "N=" + strconv.Itoa(n)
		if n == 0 {
			name = "unlimited"
		}
		b.Run(name, func(b *testing.B) {
			for range b.N {
				benchDelivery(b, n)
			}
		})
	}
}

func benchDelivery(b *testing.B, perSecond int) {
	b.StopTimer()
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)
	store, err := bolt.Open(filepath.Join(b.TempDir(), "kith.db"), bolt.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	slot := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	seedOwners(b, store, slot)

	fake := &limitedSlack{perSecond: perSecond, posts: map[string]int{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	limits := kslack.DefaultPace
	if perSecond == 0 {
		limits = pace.Limits{Start: 1e6}
	}
	timed := &timedStore{Store: store}
	bt := bot.New(timed, bot.Options{Logger: quiet})
	a, err := kslack.New(kslack.Config{
		BotToken: botToken, APIURL: srv.URL + "/api/", Logger: quiet,
		HTTPClient: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}},
		Pacer:      pace.New(limits, nil, nil),
	}, bt, timed)
	if err != nil {
		b.Fatal(err)
	}
	bt.Route(reminders.PlatformSlack, a)
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { _ = a.Run(runCtx) }()
	for !a.Ready() {
		time.Sleep(time.Millisecond) // auth.test against the local fake; not a schedule
	}
	// The pool as kith sizes it for Slack: the pace's highest rate at 100 ms.
	workers := max(reminders.DefaultWorkers, min(256, int(kslack.DefaultPace.Max/10)))
	s := reminders.NewScheduler(timed, bt, reminders.SchedulerOptions{
		Now: func() time.Time { return slot }, Logger: quiet, Workers: workers,
		Lease: time.Hour, // the run is measured, not taken over
	})

	// KITH_BENCH_CPUPROFILE=file profiles the delivery alone, not the seeding.
	if f := os.Getenv("KITH_BENCH_CPUPROFILE"); f != "" {
		out, err := os.Create(fmt.Sprintf("%s.%d", f, perSecond))
		if err != nil {
			b.Fatal(err)
		}
		defer out.Close()
		if err := pprof.StartCPUProfile(out); err != nil {
			b.Fatal(err)
		}
	}
	user0, sys0 := cpuTime()
	fake.start = time.Now()
	b.StartTimer()
	start := time.Now()
	ran, err := s.Tick(ctx)
	elapsed := time.Since(start)
	b.StopTimer()
	user1, sys1 := cpuTime()
	pprof.StopCPUProfile()
	if err != nil {
		b.Fatal(err)
	}
	dups := 0
	for _, n := range fake.posts {
		dups += n - 1
	}
	b.ReportMetric(float64(len(fake.posts)), "delivered")
	b.ReportMetric(float64(dups), "duplicates")
	b.ReportMetric(float64(fake.limited.Load()), "429s")
	b.ReportMetric(float64(benchOwners)/elapsed.Seconds(), "digests/s")
	if perSecond > 0 {
		b.ReportMetric(elapsed.Seconds()/(float64(benchOwners)/float64(perSecond)), "ratio")
	}
	if len(fake.posts) != benchOwners || dups != 0 || ran != benchOwners {
		b.Fatalf("ran %d, delivered %d, %d duplicates; want %d once each", ran, len(fake.posts), dups, benchOwners)
	}
	user, system := user1-user0, sys1-sys0
	cpu := user + system
	b.ReportMetric(cpu.Seconds()/elapsed.Seconds(), "cores")
	if os.Getenv("KITH_BENCH_VERBOSE") != "" {
		b.Logf("N=%d: %d delivered in %s, %d 429s; CPU %s (user %s, system %s); %s", perSecond, len(fake.posts), elapsed, fake.limited.Load(),
			cpu.Round(time.Millisecond), user.Round(time.Millisecond), system.Round(time.Millisecond), timed)
	}
}

// seedOwners gives benchOwners owners of one workspace a contact long due and a
// digest job at slot, writing from several goroutines so bbolt batches them.
func seedOwners(b *testing.B, store reminders.Store, slot time.Time) {
	b.Helper()
	ctx := context.Background()
	long := slot.AddDate(-1, 0, 0)
	jobs := make([]reminders.Job, benchOwners)
	var wg sync.WaitGroup
	var failed atomic.Value
	const writers = 32
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < benchOwners; i += writers {
				owner := reminders.OwnerID(fmt.Sprintf("slack:%s:U%06d", teamID, i))
				jobs[i] = reminders.Job{Kind: reminders.DigestJob, ID: string(owner), Slot: slot, Due: slot}
				err := store.Update(ctx, owner, reminders.Change{Now: long}, func(tx reminders.OwnerTx) error {
					if err := tx.PutSettings(reminders.Settings{Digest: "daily 09:00", Created: long}); err != nil {
						return err
					}
					c := reminders.Contact{Name: "Jane Doe", Added: long}
					return tx.PutContact(&c)
				})
				if err != nil {
					failed.Store(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	if err := store.PutJobs(ctx, jobs...); err != nil {
		b.Fatal(err)
	}
}
