package discord_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/bot/discord"
	"github.com/kith-bot/kith/internal/pace"
	"github.com/kith-bot/kith/reminders"
)

// pacerClock is the pacer's time; a sleep moves it, so a pause is waited
// out without the test waiting.
type pacerClock struct {
	mu    sync.Mutex
	t     time.Time
	slept time.Duration
}

func (c *pacerClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *pacerClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.slept += d
	c.mu.Unlock()
	return ctx.Err()
}

// TestPausedGlobalLimitDoesNotDeferADigest: Discord's limiter is one bucket
// for the bot's global limit, so there is no other server to serve while
// it is paused, and a digest's parts go out one after the other: a part
// handed back (reminders.Deferred) after an earlier part went out would
// send that part again when the pause ends, past the few minutes in which
// Discord's enforced nonce catches a repeat. A delivery's WaitLimit is
// therefore not applied on Discord: paused for longer than it, the digest
// waits the pause out and goes out once.
func TestPausedGlobalLimitDoesNotDeferADigest(t *testing.T) {
	t.Parallel()
	clk := &pacerClock{t: now}
	p := pace.New(discord.DefaultPace, clk.Now, clk.Sleep)
	e := setup(t, newRecorder(), func(c *discord.Config) {
		c.Gateway = false
		c.Pacer = p
	})
	p.Limited("discord", 30*time.Second) // the global bucket, as a global 429 pauses it
	ctx := reminders.WithWaitLimit(context.Background(), reminders.DefaultWaitLimit)
	m := bot.Message{Text: "digest", Mark: &bot.Mark{Kind: bot.MarkDigest, For: "discord:" + alice, Slot: now}}
	err := e.a.PostDM(ctx, discordOwner(alice), "dm-"+alice, m)
	if _, deferred := reminders.Deferral(err); deferred || err != nil {
		t.Fatalf("PostDM in a 30 s pause = %v; want it sent after the pause", err)
	}
	if n := e.f.Count("POST", "channels/dm-"+alice+"/messages"); n != 1 {
		t.Errorf("%d POSTs, want 1", n)
	}
	if clk.slept < 30*time.Second {
		t.Errorf("sent after waiting %s of the 30 s pause", clk.slept)
	}
}
