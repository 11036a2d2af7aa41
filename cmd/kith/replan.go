package main

import (
	"context"
	"log/slog"

	"github.com/kith-bot/kith/reminders"
)

// replanDigests plans digests at start, mending those whose planning after
// a settings change failed or was cut off by a crash. A store that keeps a
// reminders.PlanLog (both stores do) names the owners whose settings changed since
// the last start, so a restart with nothing changed reads no owner's
// settings and writes no job. Otherwise every owner is planned again from
// their stored settings, in bulk. Either way every slot already owed (due
// or in back-off) is kept.
func replanDigests(ctx context.Context, store reminders.Store, sched *reminders.Scheduler, log *slog.Logger) {
	log = slog.New(untilStopped{ctx, log.Handler()})
	if pl, ok := store.(reminders.PlanLog); ok {
		replanPending(ctx, store, pl, sched, log)
		return
	}
	owners, err := store.Owners(ctx)
	if err != nil {
		log.Error("listing owners to plan their digests", "err", err)
		return
	}
	settings := make(map[reminders.OwnerID]reminders.Settings, len(owners))
	for _, o := range owners {
		s, err := reminders.LoadSettings(ctx, store, o)
		if err != nil {
			log.Error("reading settings to plan a digest", "owner", string(o), "err", err)
			continue
		}
		if !s.Created.IsZero() { // an owner who never used kith has nothing to plan
			settings[o] = s
		}
	}
	if err := sched.ScheduleDigests(ctx, settings); err != nil && ctx.Err() == nil {
		log.Error("planning digests at start", "err", err)
	}
}

// replanPending plans the owners the plan log names and clears their marks
// once planned; on a failure the marks stay for the next start.
func replanPending(ctx context.Context, store reminders.Store, pl reminders.PlanLog, sched *reminders.Scheduler, log *slog.Logger) {
	pending, err := pl.PendingPlans(ctx)
	if err != nil {
		log.Error("reading whose digests to plan", "err", err)
		return
	}
	if len(pending) == 0 {
		return
	}
	settings, ok := loadPending(ctx, store, pending, log)
	if !ok {
		return
	}
	if err := sched.ScheduleDigests(ctx, settings); err != nil {
		if ctx.Err() != nil {
			return
		}
		log.Error("planning digests at start", "err", err)
		if !onlyInvalid(err) {
			return // the store failed: plan them again at the next start
		}
		// A schedule that never fires cannot be planned however often it is tried.
	}
	if pending, ok = replanChanged(ctx, store, pl, sched, pending, log); !ok {
		return
	}
	if err := pl.DonePlans(ctx, pending); err != nil {
		log.Error("recording the digests planned", "err", err)
		return
	}
	log.Info("planned the digests whose settings changed since the last start", "owners", len(pending))
}

// loadPending reads the settings of the owners pending, leaving out those
// who never used kith (nothing to plan); false after a failure, logged.
func loadPending(ctx context.Context, store reminders.Store, pending []reminders.PendingPlan, log *slog.Logger) (map[reminders.OwnerID]reminders.Settings, bool) {
	settings := make(map[reminders.OwnerID]reminders.Settings, len(pending))
	for _, p := range pending {
		s, err := reminders.LoadSettings(ctx, store, p.Owner)
		if err != nil {
			log.Error("reading settings to plan a digest", "owner", string(p.Owner), "err", err)
			return nil, false
		}
		if !s.Created.IsZero() {
			settings[p.Owner] = s
		}
	}
	return settings, true
}

// changedRounds bounds how often replanChanged looks again.
const changedRounds = 3

// replanChanged plans again the owners whose settings changed while start-up
// planned them, and returns the marks as they were when each was last
// planned. On Postgres another replica serves while this one starts: its
// plan of a new setting may land before this one's plan of the setting read
// a moment earlier, which would then stand until the next start. The mark's
// sequence number tells: it is read before the settings, so a plan made from
// settings read after a mark is at least as new as the mark.
func replanChanged(ctx context.Context, store reminders.Store, pl reminders.PlanLog, sched *reminders.Scheduler, planned []reminders.PendingPlan, log *slog.Logger) ([]reminders.PendingPlan, bool) {
	for range changedRounds {
		now, err := pl.PendingPlans(ctx)
		if err != nil {
			log.Error("reading whose digests to plan", "err", err)
			return nil, false
		}
		seqs := make(map[reminders.OwnerID]uint64, len(now))
		for _, p := range now {
			seqs[p.Owner] = p.Seq
		}
		var changed []reminders.PendingPlan
		for i, p := range planned {
			if seq, ok := seqs[p.Owner]; ok && seq != p.Seq {
				planned[i].Seq = seq
				changed = append(changed, planned[i])
			}
		}
		if len(changed) == 0 {
			break
		}
		settings, ok := loadPending(ctx, store, changed, log)
		if !ok {
			return nil, false
		}
		for _, p := range changed {
			s, used := settings[p.Owner]
			if !used {
				continue
			}
			if err := sched.ScheduleDigest(ctx, p.Owner, s); err != nil && reminders.ErrorCode(err) != reminders.EINVALID {
				log.Error("planning a digest at start", "owner", string(p.Owner), "err", err)
				return nil, false
			}
		}
	}
	return planned, true
}

// onlyInvalid reports whether every error joined in err is EINVALID.
func onlyInvalid(err error) bool {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			if !onlyInvalid(e) {
				return false
			}
		}
		return true
	}
	return reminders.ErrorCode(err) == reminders.EINVALID
}

// untilStopped drops log records once ctx is done. Stopping kith (a console
// quit a moment after it started, say) cancels the planning midway, and
// every failure after that is the cancellation, not a fault worth an error
// line; whatever was not planned keeps its mark for the next start.
type untilStopped struct {
	ctx context.Context
	slog.Handler
}

func (h untilStopped) Handle(ctx context.Context, r slog.Record) error {
	if h.ctx.Err() != nil {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h untilStopped) WithAttrs(attrs []slog.Attr) slog.Handler {
	return untilStopped{h.ctx, h.Handler.WithAttrs(attrs)}
}

func (h untilStopped) WithGroup(name string) slog.Handler {
	return untilStopped{h.ctx, h.Handler.WithGroup(name)}
}
