package main

import (
	"context"
	"time"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/metrics"
	"github.com/kith-bot/kith/reminders"
)

// instrumented counts every command and click the adapters hand the bot, so
// /metrics shows traffic and latency without the bot knowing of Prometheus.
type instrumented struct {
	bot.Handler
	m   *metrics.Metrics
	now func() time.Time
}

// Command runs the command and counts it under the canonical verb its reply
// carries, so aliases (ls, rm) count as their command.
func (h instrumented) Command(ctx context.Context, r bot.Request) bot.Message {
	start := h.now()
	msg := h.Handler.Command(ctx, r)
	h.m.ObserveCommand(verbLabel(msg), outcome(msg), h.now().Sub(start))
	return msg
}

// Act runs the click and counts it under the command the button acts like.
func (h instrumented) Act(ctx context.Context, a bot.Action) bot.Message {
	start := h.now()
	msg := h.Handler.Act(ctx, a)
	h.m.ObserveCommand(verbLabel(msg), outcome(msg), h.now().Sub(start))
	return msg
}

// verbLabel is the metrics label of a reply: its verb, or "unknown".
func verbLabel(m bot.Message) string {
	if m.Verb == "" {
		return "unknown"
	}
	return m.Verb
}

// Submit runs a modal submission and counts it under the command it stands
// for (add, met); a submission sent back for its fields' mistakes counts as invalid.
func (h instrumented) Submit(ctx context.Context, s bot.Submission) bot.Submitted {
	start := h.now()
	res := h.Handler.Submit(ctx, s)
	h.m.ObserveCommand(verbLabel(res.Reply), outcome(res.Reply), h.now().Sub(start))
	return res
}

// outcome labels a reply: "ok", the error code of a reply that reports a
// mistake, or "duplicate" for a repeat that changed nothing, even when the
// reply to it is no error (a second click shows the digest as it stands).
func outcome(m bot.Message) string {
	if m.Error || m.Code == reminders.EDUPLICATE {
		return m.Code
	}
	return "ok"
}

// countingDeliverer counts digests and summaries as the scheduler delivers them.
type countingDeliverer struct {
	d   reminders.Deliverer
	m   *metrics.Metrics
	now func() time.Time
}

// DeliverDigest delivers through the bot and counts the result and the lag
// behind the slot. A delivery handed back (reminders.Deferred) counts only
// as deferred: it is neither an attempt nor late yet, and its lag is
// counted when it goes out.
func (c countingDeliverer) DeliverDigest(ctx context.Context, d reminders.Digest) error {
	start := c.now()
	err := c.d.DeliverDigest(ctx, d)
	if _, ok := reminders.Deferral(err); ok {
		c.m.DigestDeferred()
		return err
	}
	if !d.Slot.IsZero() {
		c.m.SchedulerLag(start.Sub(d.Slot))
	}
	if d.Attempts > 0 {
		c.m.DigestRetried()
	}
	switch {
	case reminders.ErrorCode(err) == reminders.EUNREACHABLE:
		c.m.DigestPaused()
	case err != nil:
		c.m.DigestFailed()
	case !d.Empty():
		c.m.DigestSent()
	}
	return err
}

// DeliverSummary posts through the bot and counts the result and the lag behind the slot.
func (c countingDeliverer) DeliverSummary(ctx context.Context, s reminders.Summary) error {
	start := c.now()
	err := c.d.DeliverSummary(ctx, s)
	if _, ok := reminders.Deferral(err); ok {
		c.m.SummaryDeferred()
		return err
	}
	if !s.Slot.IsZero() {
		c.m.SchedulerLag(start.Sub(s.Slot))
	}
	if err != nil {
		c.m.SummaryFailed()
	} else if s.Team.Channel != "" {
		c.m.SummarySent()
	}
	return err
}

// countingSender counts the failed sends of one platform's adapter as that
// platform's API errors.
type countingSender struct {
	bot.Sender
	platform string
	m        *metrics.Metrics
}

// SendDM sends through the adapter and counts the attempt.
func (c countingSender) SendDM(ctx context.Context, to reminders.Owner, msg bot.Message) error {
	return c.count("dm", c.Sender.SendDM(ctx, to, msg))
}

// PostDM sends a digest through the adapter and counts the attempt.
func (c countingSender) PostDM(ctx context.Context, to reminders.Owner, channel string, msg bot.Message) error {
	return c.count("dm", c.Sender.PostDM(ctx, to, channel, msg))
}

// Post sends through the adapter and counts the attempt.
func (c countingSender) Post(ctx context.Context, team reminders.TeamID, channel string, msg bot.Message) error {
	return c.count("post", c.Sender.Post(ctx, team, channel, msg))
}

func (c countingSender) count(kind string, err error) error {
	if _, ok := reminders.Deferral(err); ok {
		return err // nothing was sent: not an attempt, not an API error
	}
	c.m.DeliveryAttempt(c.platform, kind, err)
	if err != nil {
		c.m.APIError(c.platform)
	}
	return err
}

// timedStore times the store's writes, so /metrics shows how long a write
// takes to become durable: the part of a reply's latency the disk (or
// Postgres) decides.
type timedStore struct {
	reminders.Store
	m   *metrics.Metrics
	now func() time.Time
}

// Update runs the write and records how long it took to commit.
func (s timedStore) Update(ctx context.Context, owner reminders.OwnerID, change reminders.Change, fn func(tx reminders.OwnerTx) error) error {
	defer s.observe("update", s.now())
	return s.Store.Update(ctx, owner, change, fn)
}

// DeleteOwner deletes and records how long it took to commit.
func (s timedStore) DeleteOwner(ctx context.Context, owner reminders.OwnerID) error {
	defer s.observe("delete_owner", s.now())
	return s.Store.DeleteOwner(ctx, owner)
}

// PutTeam writes and records how long it took to commit.
func (s timedStore) PutTeam(ctx context.Context, t reminders.Team) error {
	defer s.observe("team", s.now())
	return s.Store.PutTeam(ctx, t)
}

// PutJobs writes and records how long it took to commit.
func (s timedStore) PutJobs(ctx context.Context, jobs ...reminders.Job) error {
	defer s.observe("jobs", s.now())
	return s.Store.PutJobs(ctx, jobs...)
}

func (s timedStore) observe(op string, start time.Time) {
	s.m.StoreCommit(op, s.now().Sub(start))
}
