package slack_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	kslack "github.com/kith-bot/kith/bot/slack"
	"github.com/kith-bot/kith/internal/crashtest"
	"github.com/kith-bot/kith/internal/pace"
	"github.com/kith-bot/kith/reminders"
)

// TestDeferredHistoryCheckSendsOnce: a scheduler dies after Slack accepted
// a digest, before recording it; the takeover must look in the DM's
// history first (Claims 2), but conversations.history is paused by a long
// Retry-After, so the delivery is handed back (Claims 1 again). The hand-
// back gives only its own claim back: the next claim is the second again,
// looks in the history, finds the digest, and does not post it twice.
func TestDeferredHistoryCheckSendsOnce(t *testing.T) {
	const pause = 30 * time.Second
	ctx := context.Background()
	quiet := slog.New(slog.DiscardHandler)
	st := openStore(t)
	clk := &sleepClock{}
	b := bot.New(st, bot.Options{Now: clk.Now, Logger: quiet})
	hs := start(t, st, b, nil, func(cfg *kslack.Config) {
		cfg.Pacer = pace.New(kslack.DefaultPace, clk.Now, clk.Sleep)
	})
	b.Route(reminders.PlatformSlack, hs.a)
	owner := slackOwner("U1").ID()
	slot := crashtest.Owner(t, st, owner, now)
	clk.Set(slot)

	// The first claim sends, and its process dies before FinishJob.
	held, err := st.ClaimJobs(ctx, slot, 1, "dead", slot.Add(reminders.DefaultLease))
	if err != nil || len(held) != 1 {
		t.Fatalf("claim = %+v, %v", held, err)
	}
	d, err := reminders.BuildDigest(ctx, st, owner, slot)
	if err != nil {
		t.Fatal(err)
	}
	d.Slot = slot
	if err := b.DeliverDigest(reminders.WithWaitLimit(ctx, reminders.DefaultWaitLimit), d); err != nil {
		t.Fatal(err)
	}
	if n := len(hs.fake.postsTo("DU1")); n != 1 {
		t.Fatalf("%d posts from the first claim, want 1", n)
	}

	// The takeover's history check meets a long pause: handed back.
	takeover := slot.Add(reminders.DefaultLease + time.Second)
	clk.Set(takeover)
	hs.fake.pauseMethod("conversations.history", takeover.Add(pause), clk.Now)
	sched := reminders.NewScheduler(st, b, reminders.SchedulerOptions{Now: clk.Now, Logger: quiet, Holder: "alive"})
	if ran, err := sched.Tick(ctx); err != nil || ran != 0 {
		t.Fatalf("takeover tick ran %d, %v; want its job handed back", ran, err)
	}
	j, err := st.Job(ctx, reminders.DigestJob, string(owner))
	if err != nil {
		t.Fatal(err)
	}
	if !j.Slot.Equal(slot) || j.Claims != 1 || j.Attempts != 0 || j.Holder != "" {
		t.Fatalf("handed back as %+v; want the slot, one claim (the one that sent), no attempt", j)
	}
	if n := len(hs.fake.postsTo("DU1")); n != 1 {
		t.Fatalf("%d posts after the deferred check, want 1", n)
	}

	// After the pause the check runs, finds the digest, and sends nothing.
	clk.Set(j.Due)
	if _, err := sched.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(hs.fake.postsTo("DU1")); n != 1 {
		t.Errorf("%d digests posted for the slot, want exactly 1", n)
	}
	if h := hs.fake.callsOf("conversations.history"); len(h) != 1 {
		t.Errorf("%d history checks answered, want 1 (after the pause)", len(h))
	}
	if j, err := st.Job(ctx, reminders.DigestJob, string(owner)); err != nil || !j.Slot.After(slot) {
		t.Errorf("job %+v, %v; want the next slot", j, err)
	}
}
