// Package bot runs kith's commands: it reads what a user typed with
// bot/lang, runs the command against a reminders.Store and answers with a
// neutral Message that each platform adapter renders. It also composes
// digests and team summaries and routes them to the platform of their owner
// or team. It knows no platform.
package bot

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// Scheduling is how the bot tells the scheduler that a digest or summary
// schedule changed; *reminders.Scheduler implements it.
type Scheduling interface {
	// ScheduleDigest (re)plans the owner's next digest from their settings.
	ScheduleDigest(ctx context.Context, owner reminders.OwnerID, s reminders.Settings) error
	// ScheduleSummary (re)plans the team's next summary; a team without a channel has none.
	ScheduleSummary(ctx context.Context, t reminders.Team) error
}

// Options configure a Bot.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Command is the slash command as users type it, for help texts; "" means "/kith".
	Command string
	// Logger receives internal errors; nil means slog.Default().
	Logger *slog.Logger
	// Scheduling is told about schedule changes; nil means nobody is.
	Scheduling Scheduling
}

// DefaultCommand is the slash command unless configured.
const DefaultCommand = "/kith"

// Bot runs commands and button clicks for every platform and delivers
// digests and summaries through the platform's Sender.
type Bot struct {
	store reminders.Store
	now   func() time.Time
	cmd   string
	log   *slog.Logger
	sched Scheduling

	mu      sync.RWMutex
	senders map[string]Sender // by platform
}

var (
	_ Handler             = (*Bot)(nil)
	_ reminders.Deliverer = (*Bot)(nil)
)

// New returns a Bot over store.
func New(store reminders.Store, o Options) *Bot {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Command == "" {
		o.Command = DefaultCommand
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Bot{store: store, now: o.Now, cmd: o.Command, log: o.Logger, sched: o.Scheduling, senders: map[string]Sender{}}
}

// Route makes s the sender of digests and summaries for owners and teams of
// platform ("slack", "discord", "console").
func (b *Bot) Route(platform string, s Sender) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.senders[platform] = s
}

// sender returns the sender of a platform, nil when none is routed.
func (b *Bot) sender(platform string) Sender {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.senders[platform]
}

// scheduleDigest tells the scheduler about the owner's settings. The change
// itself is already durable, so a failure is logged and returned for the
// reply to mention, not rolled back.
func (b *Bot) scheduleDigest(ctx context.Context, owner reminders.OwnerID, s reminders.Settings) error {
	if b.sched == nil {
		return nil
	}
	if err := b.sched.ScheduleDigest(ctx, owner, s); err != nil {
		b.log.ErrorContext(ctx, "schedule digest", "owner", string(owner), "err", err)
		return reminders.Internal(err)
	}
	return nil
}

// rescheduleStored plans the owner's digest from their stored settings, after
// a change that may have replaced them wholesale (undo, import). A failure
// is logged; the next settings change retries.
func (b *Bot) rescheduleStored(ctx context.Context, owner reminders.OwnerID) {
	s, err := reminders.LoadSettings(ctx, b.store, owner)
	if err != nil {
		b.log.ErrorContext(ctx, "read settings to reschedule", "owner", string(owner), "err", err)
		return
	}
	_ = b.scheduleDigest(ctx, owner, s)
}
