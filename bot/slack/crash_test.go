package slack_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/internal/crashtest"
	"github.com/kith-bot/kith/reminders"
)

// realBot wires the real bot to the adapter of a fresh harness.
func realBot(t *testing.T) (*harness, *bot.Bot) {
	t.Helper()
	st := openStore(t)
	b := bot.New(st, bot.Options{Now: clock, Logger: slog.New(slog.DiscardHandler)})
	hs := start(t, st, b, nil)
	b.Route(reminders.PlatformSlack, hs.a)
	return hs, b
}

// TestCrashWindowsSendOnce kills the scheduler at each step of a digest's
// delivery and lets another take over after the lease: the owner's DM gets
// exactly one message for the slot each time, because the takeover looks
// for the slot's metadata in conversations.history before sending.
func TestCrashWindowsSendOnce(t *testing.T) {
	for _, step := range crashtest.Steps {
		t.Run(string(step), func(t *testing.T) {
			hs, b := realBot(t)
			owner := slackOwner("U1").ID()
			slot := crashtest.Owner(t, hs.store, owner, now)
			crashtest.Run(t, hs.store, b, owner, slot, step)
			posts := hs.fake.postsTo("DU1")
			if len(posts) != 1 {
				t.Fatalf("%d digests posted for the slot, want exactly 1", len(posts))
			}
			var md struct {
				EventType    string            `json:"event_type"`
				EventPayload map[string]string `json:"event_payload"`
			}
			if err := json.Unmarshal([]byte(posts[0].Form.Get("metadata")), &md); err != nil ||
				md.EventType != "kith_digest" || md.EventPayload["slot"] != slot.Format("2006-01-02T15:04:05Z07:00") {
				t.Fatalf("metadata %q, want kith_digest with the slot", posts[0].Form.Get("metadata"))
			}
			hist := hs.fake.callsOf("conversations.history")
			if step == crashtest.BeforeMark {
				if len(hist) != 0 {
					t.Fatalf("a first claim looked in the history %d times", len(hist))
				}
				return
			}
			if len(hist) != 1 || hist[0].Form.Get("include_all_metadata") != "1" || hist[0].Form.Get("oldest") != strconv.FormatInt(slot.Unix(), 10) {
				t.Fatalf("takeover history calls %+v, want one from the slot with metadata", hist)
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

// TestPermanentFailurePausesAndResumes: Slack says the DM can never reach
// the user; the digest is not retried, the owner's next command says so
// once and resumes their digests.
func TestPermanentFailurePausesAndResumes(t *testing.T) {
	for _, slackErr := range []string{"cannot_dm_bot", "user_not_found", "account_inactive", "channel_not_found"} {
		t.Run(slackErr, func(t *testing.T) {
			ctx := context.Background()
			st := openStore(t)
			var at time.Time
			rl := &relay{}
			quiet := slog.New(slog.DiscardHandler)
			sched := reminders.NewScheduler(st, rl, reminders.SchedulerOptions{Now: func() time.Time { return at }, Logger: quiet})
			b := bot.New(st, bot.Options{Now: clock, Logger: quiet, Scheduling: sched})
			rl.d = b
			hs := start(t, st, b, nil)
			b.Route(reminders.PlatformSlack, hs.a)
			owner := slackOwner("U1")
			slot := crashtest.Owner(t, st, owner.ID(), now)
			hs.fake.refusePosts("DU1", slackErr)
			for _, after := range []time.Duration{0, time.Minute, time.Hour, 25 * time.Hour} {
				at = slot.Add(after)
				if _, err := sched.Tick(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if n := len(hs.fake.postsTo("DU1")); n != 1 {
				t.Fatalf("%d posts to an unreachable DM, want 1: a permanent failure is not retried", n)
			}
			if _, err := st.Job(ctx, reminders.DigestJob, string(owner.ID())); reminders.ErrorCode(err) != reminders.ENOTFOUND {
				t.Fatalf("the paused owner still has a digest job: %v", err)
			}
			at = slot.Add(26 * time.Hour)
			m := b.Command(ctx, bot.Request{Owner: owner, Text: "list", Key: "cmd-1"})
			if !strings.Contains(m.Text, "digests were paused") {
				t.Fatalf("the next reply does not say the digests were paused: %q", m.Text)
			}
			if m := b.Command(ctx, bot.Request{Owner: owner, Text: "list", Key: "cmd-2"}); strings.Contains(m.Text, "paused") {
				t.Fatalf("said twice: %q", m.Text)
			}
			j, err := st.Job(ctx, reminders.DigestJob, string(owner.ID()))
			if err != nil || !j.Slot.After(at) {
				t.Fatalf("digests not resumed: job %+v, %v", j, err)
			}
		})
	}
}
