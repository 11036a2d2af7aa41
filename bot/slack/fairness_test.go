package slack_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	kslack "github.com/kith-bot/kith/bot/slack"
	"github.com/kith-bot/kith/internal/crashtest"
	"github.com/kith-bot/kith/internal/pace"
	"github.com/kith-bot/kith/reminders"
)

// sleepClock is a fake time shared by the scheduler and the pacer: it moves
// when the test sets it, and when a pacer sleeps, by the sleep's length, so
// whoever waits out a pause is seen to come after it without the test
// waiting at all.
type sleepClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *sleepClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *sleepClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *sleepClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

// TestPausedWorkspaceDoesNotHoldOthers: workspace A is paused for ten
// minutes by a 429 while n digests are due in A and n in B. Every B digest
// goes out during A's pause instead of behind it; A's go out once the pause
// is over; each owner gets exactly one; and handing A's jobs back counted
// neither an attempt nor a claim (no history check when they come back).
func TestPausedWorkspaceDoesNotHoldOthers(t *testing.T) {
	const (
		n     = 8
		tokA  = "xoxb-team-a"
		tokB  = "xoxb-team-b"
		pause = 10 * time.Minute
	)
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)
	st := openStore(t)
	clk := &sleepClock{}
	b := bot.New(st, bot.Options{Now: clk.Now, Logger: quiet})
	hs := start(t, st, b, nil, func(cfg *kslack.Config) {
		cfg.BotToken = ""
		cfg.ClientID, cfg.ClientSecret, cfg.PublicURL, cfg.SecretKey = clientID, clientSecret, publicURL, testKey
		cfg.Pacer = pace.New(kslack.DefaultPace, clk.Now, clk.Sleep)
	})
	b.Route(reminders.PlatformSlack, hs.a)

	var slot time.Time
	owners := map[string][]reminders.Owner{}
	for _, w := range []struct{ team, token string }{{"TA", tokA}, {"TB", tokB}} {
		in := reminders.Installation{Team: reminders.NewTeamID(reminders.PlatformSlack, w.team), BotUser: "UBOT",
			Token: kslack.Seal(testKey, w.token, w.team), InstalledAt: now}
		if err := st.PutInstallation(ctx, in); err != nil {
			t.Fatal(err)
		}
		hs.fake.mu.Lock()
		hs.fake.tokens[w.token] = w.team
		hs.fake.mu.Unlock()
		for i := range n {
			o := reminders.Owner{Platform: reminders.PlatformSlack, Team: w.team, User: fmt.Sprintf("U%s%d", w.team, i)}
			slot = crashtest.Owner(t, st, o.ID(), now)
			owners[w.team] = append(owners[w.team], o)
		}
	}
	clk.Set(slot)
	end := slot.Add(pause)
	hs.fake.pauseWorkspace(tokA, end, clk.Now)
	// Fewer workers than A has digests: on the old code every one of them
	// sat in A's paused bucket.
	sched := reminders.NewScheduler(st, b, reminders.SchedulerOptions{Now: clk.Now, Logger: quiet, Workers: 4})

	ran, err := sched.Tick(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range owners["TB"] {
		posts := hs.fake.postsTo("D" + o.User)
		if len(posts) != 1 {
			t.Fatalf("%s got %d digests in A's pause, want 1", o.ID(), len(posts))
		}
		if !posts[0].At.Before(end) {
			t.Errorf("%s's digest went out %s after the slot, behind A's pause of %s", o.ID(), posts[0].At.Sub(slot), pause)
		}
	}
	if ran != n {
		t.Errorf("the tick ran %d jobs, want B's %d (A's handed back)", ran, n)
	}
	for _, o := range owners["TA"] {
		if posts := hs.fake.postsTo("D" + o.User); len(posts) != 0 {
			t.Fatalf("%s got a digest %s after the slot, in the first tick; want its job handed back until the pause ends", o.ID(), posts[0].At.Sub(slot))
		}
		j, err := st.Job(ctx, reminders.DigestJob, string(o.ID()))
		if err != nil {
			t.Fatal(err)
		}
		if !j.Slot.Equal(slot) || j.Attempts != 0 || j.Claims != 0 || j.Holder != "" {
			t.Errorf("A's job handed back as %+v; want its slot, no attempt, no claim, no holder", j)
		}
		if j.Due.Before(end) || j.Due.After(end.Add(time.Second)) {
			t.Errorf("A's job is due again %s after the slot; want when the pause ends, %s", j.Due.Sub(slot), pause)
		}
	}
	if got := len(hs.fake.callsOf("chat.postMessage#429")); got > 4 {
		t.Errorf("Slack answered 429 %d times; want one per worker at most (the bucket paused at the first)", got)
	}

	// Inside the pause nothing of A's is claimed again.
	clk.Set(end.Add(-time.Minute))
	if ran, err := sched.Tick(ctx); err != nil || ran != 0 {
		t.Fatalf("a tick inside the pause ran %d, %v; want nothing", ran, err)
	}

	// When the pause is over, A's digests go out, each once.
	clk.Set(end.Add(time.Second))
	if ran, err := sched.Tick(ctx); err != nil || ran != n {
		t.Fatalf("the tick after the pause ran %d, %v; want A's %d", ran, err, n)
	}
	for team, os := range owners {
		for _, o := range os {
			posts := hs.fake.postsTo("D" + o.User)
			if len(posts) != 1 {
				t.Errorf("%s got %d digests, want exactly 1", o.ID(), len(posts))
				continue
			}
			if team == "TA" && posts[0].At.Before(end) {
				t.Errorf("%s's digest went out inside the pause", o.ID())
			}
			j, err := st.Job(ctx, reminders.DigestJob, string(o.ID()))
			if err != nil || !j.Slot.After(slot) || j.Attempts != 0 {
				t.Errorf("%s: job %+v, %v; want the next slot, no attempt", o.ID(), j, err)
			}
		}
	}
	if h := hs.fake.callsOf("conversations.history"); len(h) != 0 {
		t.Errorf("%d history checks; a job handed back unsent needs none", len(h))
	}
}
