package discord_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/bot/discord"
	"github.com/kith-bot/kith/internal/crashtest"
	"github.com/kith-bot/kith/reminders"
)

// TestCrashWindowsSendOnce kills the scheduler at each step of a digest's
// delivery and lets another take over after the lease: Discord creates
// exactly one message for the slot each time, thanks to the enforced nonce.
func TestCrashWindowsSendOnce(t *testing.T) {
	t.Parallel()
	for _, step := range crashtest.Steps {
		t.Run(string(step), func(t *testing.T) {
			t.Parallel()
			st := openStore(t)
			b := bot.New(st, bot.Options{Now: func() time.Time { return now }, Logger: slog.New(slog.DiscardHandler)})
			e := setupWith(t, st, b, func(c *discord.Config) { c.Gateway = false })
			b.Route(reminders.PlatformDiscord, e.a)
			owner := discordOwner(alice).ID()
			slot := crashtest.Owner(t, st, owner, now)
			crashtest.Run(t, st, b, owner, slot, step)
			if n := e.f.Created("dm-" + alice); n != 1 {
				t.Fatalf("%d digests created for the slot, want exactly 1", n)
			}
		})
	}
}

// relay lets the scheduler exist before the bot it delivers through.
type relay struct{ d reminders.Deliverer }

func (r *relay) DeliverDigest(ctx context.Context, d reminders.Digest) error {
	return r.d.DeliverDigest(ctx, d)
}

func (r *relay) DeliverSummary(ctx context.Context, s reminders.Summary) error {
	return r.d.DeliverSummary(ctx, s)
}

// TestCannotDMPausesAndResumes: Discord's 50007 (the user takes no DMs from
// kith) is not retried, which would count toward Discord's invalid-request
// ban; the owner's next command says so once and resumes their digests.
func TestCannotDMPausesAndResumes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := openStore(t)
	var at time.Time
	rl := &relay{}
	quiet := slog.New(slog.DiscardHandler)
	sched := reminders.NewScheduler(st, rl, reminders.SchedulerOptions{Now: func() time.Time { return at }, Logger: quiet})
	b := bot.New(st, bot.Options{Now: func() time.Time { return now }, Logger: quiet, Scheduling: sched})
	rl.d = b
	e := setupWith(t, st, b, func(c *discord.Config) { c.Gateway = false })
	b.Route(reminders.PlatformDiscord, e.a)
	owner := discordOwner(alice)
	slot := crashtest.Owner(t, st, owner.ID(), now)
	e.f.Refuse("dm-"+alice, 50007)
	for _, after := range []time.Duration{0, time.Minute, time.Hour, 25 * time.Hour} {
		at = slot.Add(after)
		if _, err := sched.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := e.f.Count("POST", "channels/dm-"+alice+"/messages"); n != 1 {
		t.Fatalf("%d posts to a user who takes no DMs, want 1", n)
	}
	at = slot.Add(26 * time.Hour)
	m := b.Command(ctx, bot.Request{Owner: owner, Text: "list", Key: "i-1"})
	if !strings.Contains(m.Text, "digests were paused") {
		t.Fatalf("the next reply does not say so: %q", m.Text)
	}
	if m := b.Command(ctx, bot.Request{Owner: owner, Text: "list", Key: "i-2"}); strings.Contains(m.Text, "paused") {
		t.Fatalf("said twice: %q", m.Text)
	}
	if j, err := st.Job(ctx, reminders.DigestJob, string(owner.ID())); err != nil || !j.Slot.After(at) {
		t.Fatalf("digests not resumed: %+v, %v", j, err)
	}
}
