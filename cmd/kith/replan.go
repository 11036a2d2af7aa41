package main

import (
	"context"
	"log/slog"

	"github.com/kith-bot/kith/reminders"
)

// replanDigests registers every owner's digest from their stored settings at
// start, in bulk. A digest schedule is written when settings change, but a
// failure there is only logged; planning everyone again at start mends such
// gaps, and keeps every slot already owed (due or in back-off).
func replanDigests(ctx context.Context, store reminders.Store, sched *reminders.Scheduler, log *slog.Logger) {
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
