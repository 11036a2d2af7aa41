package slack_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	kslack "github.com/kith-bot/kith/bot/slack"
	"github.com/kith-bot/kith/internal/pace"
	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

// Two workspaces with digests due at one slot; Slack has paused A for
// fairPause when the run starts.
const (
	fairOwners = 2000 // in each workspace
	fairPause  = 30 * time.Second
	fairTokA   = "xoxb-bench-a"
	fairTokB   = "xoxb-bench-b"
)

// pausedSlack is a lean fake Slack of two workspaces, known by their bot
// tokens: every chat.postMessage of workspace A answers 429 with the
// seconds left of its pause as Retry-After until the pause ends, as Slack
// does for a workspace that sent too much; B's are all accepted. It notes
// when each workspace's last expected digest arrived and counts posts per
// channel, to find duplicates.
type pausedSlack struct {
	start time.Time
	until time.Time // A's pause ends

	mu    sync.Mutex
	posts map[string]int       // channel -> posts
	count map[string]int       // workspace -> digests
	last  map[string]time.Time // workspace -> when its last digest came
	done  chan struct{}        // closed when both workspaces have all theirs
	n429  int
	wantA int // A's digests to wait for
}

func (f *pausedSlack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if tok == "" {
		tok = r.Form.Get("token")
	}
	team := map[string]string{fairTokA: "TA", fairTokB: "TB"}[tok]
	switch r.URL.Path {
	case "/api/conversations.open":
		writeJSONT(w, map[string]any{"ok": true, "channel": map[string]any{"id": "D" + team + r.Form.Get("users")}})
	case "/api/conversations.history":
		writeJSONT(w, map[string]any{"ok": true, "messages": []any{}})
	case "/api/chat.postMessage":
		now := time.Now()
		f.mu.Lock()
		if team == "TA" && now.Before(f.until) {
			f.n429++
			f.mu.Unlock()
			w.Header().Set("Retry-After", strconv.Itoa(int((f.until.Sub(now)+time.Second-1)/time.Second)))
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		f.posts[r.Form.Get("channel")]++
		f.count[team]++
		f.last[team] = now
		if f.count["TA"] == f.wantA && f.count["TB"] == fairOwners {
			close(f.done)
		}
		n := len(f.posts)
		f.mu.Unlock()
		writeJSONT(w, map[string]any{"ok": true, "channel": r.Form.Get("channel"), "ts": "1700000000." + strconv.Itoa(n)})
	default:
		http.NotFound(w, r)
	}
}

// BenchmarkDeliveryPausedWorkspace delivers fairOwners digests in each of
// two workspaces due at one slot, through the real scheduler (Run, with the
// pool kith sizes for Slack), bot and Slack adapter on a real bbolt file,
// while Slack keeps workspace A paused for fairPause from the start. It
// reports when B's last digest arrived (B_s) and A's (A_s: no sooner than
// the pause), and fails on a digest lost or doubled. "B-alone" delivers B's
// digests with no A at all: the time B needs at kith's own pace. "first"
// is everyone's first digest, which opens the DM channel
// (conversations.open, paced in a bucket of its own that A's pause does not
// stop); "cached" has each owner's DM channel known, as for every digest
// after the first.
func BenchmarkDeliveryPausedWorkspace(b *testing.B) {
	for _, cached := range []bool{false, true} {
		dm := "first"
		if cached {
			dm = "cached"
		}
		b.Run("A-paused/"+dm, func(b *testing.B) {
			for range b.N {
				benchPausedWorkspace(b, true, cached)
			}
		})
		b.Run("B-alone/"+dm, func(b *testing.B) {
			for range b.N {
				benchPausedWorkspace(b, false, cached)
			}
		})
	}
}

func benchPausedWorkspace(b *testing.B, withA, cached bool) {
	b.StopTimer()
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)
	store, err := bolt.Open(filepath.Join(b.TempDir(), "kith.db"), bolt.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	slot := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	var jobs []reminders.Job
	for _, w := range []struct{ team, token string }{{"TA", fairTokA}, {"TB", fairTokB}} {
		if w.team == "TA" && !withA {
			continue
		}
		in := reminders.Installation{Team: reminders.NewTeamID(reminders.PlatformSlack, w.team), BotUser: "UBOT",
			Token: kslack.Seal(testKey, w.token, w.team), InstalledAt: slot}
		if err := store.PutInstallation(ctx, in); err != nil {
			b.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, 16)
		for g := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := g; i < fairOwners; i += 16 {
					user := fmt.Sprintf("U%05d", i)
					owner := reminders.OwnerID("slack:" + w.team + ":" + user)
					err := store.Update(ctx, owner, reminders.Change{Now: slot}, func(tx reminders.OwnerTx) error {
						long := slot.AddDate(-1, 0, 0)
						set := reminders.Settings{Digest: "daily 09:00", Created: long}
						if cached {
							set.DM = "D" + w.team + user
						}
						if err := tx.PutSettings(set); err != nil {
							return err
						}
						c := reminders.Contact{Name: "Jane Doe", Added: long}
						return tx.PutContact(&c)
					})
					if err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
		for i := range fairOwners {
			jobs = append(jobs, reminders.Job{Kind: reminders.DigestJob, ID: fmt.Sprintf("slack:%s:U%05d", w.team, i), Slot: slot, Due: slot})
		}
	}
	if err := store.PutJobs(ctx, jobs...); err != nil {
		b.Fatal(err)
	}

	fake := &pausedSlack{posts: map[string]int{}, count: map[string]int{}, last: map[string]time.Time{}, done: make(chan struct{})}
	if withA {
		fake.wantA = fairOwners
	}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	bt := bot.New(store, bot.Options{Logger: quiet})
	a, err := kslack.New(kslack.Config{
		ClientID: clientID, ClientSecret: clientSecret, PublicURL: publicURL, SecretKey: testKey,
		APIURL: srv.URL + "/api/", Logger: quiet,
		HTTPClient: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}},
		Pacer:      pace.New(kslack.DefaultPace, nil, nil),
	}, bt, store)
	if err != nil {
		b.Fatal(err)
	}
	bt.Route(reminders.PlatformSlack, a)
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { _ = a.Run(runCtx) }()
	workers := max(reminders.DefaultWorkers, min(256, int(kslack.DefaultPace.Max/10)))
	t0 := time.Now()
	s := reminders.NewScheduler(store, bt, reminders.SchedulerOptions{
		Now: func() time.Time { return slot.Add(time.Since(t0)) }, Logger: quiet, Workers: workers,
		Lease: time.Hour, // the run is measured, not taken over
	})
	fake.mu.Lock()
	fake.start = time.Now()
	fake.until = fake.start.Add(fairPause)
	fake.mu.Unlock()
	b.StartTimer()
	schedDone := make(chan error, 1)
	go func() { schedDone <- s.Run(runCtx) }()
	select {
	case <-fake.done:
	case <-time.After(fairPause + 5*time.Minute):
		b.Fatalf("not all delivered: %v", fake.count)
	}
	b.StopTimer()
	stop()
	<-schedDone
	fake.mu.Lock()
	defer fake.mu.Unlock()
	dups := 0
	for _, n := range fake.posts {
		dups += n - 1
	}
	bS, aS := fake.last["TB"].Sub(fake.start).Seconds(), fake.last["TA"].Sub(fake.start).Seconds()
	b.ReportMetric(bS, "B_s")
	if withA {
		b.ReportMetric(aS, "A_s")
	}
	b.ReportMetric(float64(fake.n429), "429s")
	b.ReportMetric(float64(dups), "duplicates")
	if dups != 0 || len(fake.posts) != fairOwners+fake.wantA {
		b.Fatalf("%d channels got digests, %d duplicates; want %d once each", len(fake.posts), dups, fairOwners+fake.wantA)
	}
}
