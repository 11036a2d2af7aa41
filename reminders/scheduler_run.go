package reminders

import (
	"context"
	"time"
)

// runJob runs one job claimed by this scheduler and reports whether it ran
// (false: handed back until its platform's pause ends). The claim was made
// in the same transaction that read the job, so the job is current; every
// write back goes through FinishJob, which does nothing once the claim is
// lost (the job rescheduled, deleted by a forget-me, or taken over after
// the lease).
func (s *Scheduler) runJob(ctx context.Context, j Job) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Duration(float64(s.lease)*deliveryBudget))
	defer cancel()
	ctx = WithWaitLimit(ctx, s.waitLimit)
	switch j.Kind {
	case DigestJob:
		back, err := s.runDigest(ctx, j)
		return !back, err
	case SummaryJob:
		back, err := s.runSummary(ctx, j)
		return !back, err
	case PurgeJob:
		return true, s.runPurge(ctx, j)
	}
	s.log.Error("scheduler: dropping a job of unknown kind", "kind", j.Kind, "id", j.ID)
	return true, s.drop(ctx, j)
}

// runDigest composes and delivers an owner's digest for the job's slot and
// reports whether the job was handed back (Deferred). An empty digest is
// not sent, but the slot counts as done.
func (s *Scheduler) runDigest(ctx context.Context, j Job) (bool, error) {
	owner := OwnerID(j.ID)
	sched, _, err := s.scheduleOf(ctx, j)
	if err != nil {
		return false, s.fail(ctx, j, err)
	}
	if sched == "" { // digests turned off or paused, or the owner forgot themselves
		return false, s.drop(ctx, j)
	}
	var d Digest
	err = safeCall(func() (err error) {
		d, err = BuildDigest(ctx, s.store, owner, s.now())
		return err
	})
	if err != nil {
		return false, s.fail(ctx, j, err)
	}
	if !d.Empty() {
		d.Slot, d.Attempts, d.Recheck = j.Slot, j.Attempts, j.Claims > 1
		if err := safeCall(func() error { return s.deliver.DeliverDigest(ctx, d) }); err != nil {
			if wait, ok := Deferral(err); ok {
				return true, s.handBack(ctx, j, wait, err)
			}
			if ErrorCode(err) == EUNREACHABLE {
				return false, s.pause(ctx, j, err)
			}
			return false, s.fail(ctx, j, err)
		}
	}
	return false, s.advance(ctx, j)
}

// runSummary composes and posts a team's summary for [Since, Slot) and
// reports whether the job was handed back (Deferred).
func (s *Scheduler) runSummary(ctx context.Context, j Job) (bool, error) {
	team, err := s.store.Team(ctx, TeamID(j.ID))
	if ErrorCode(err) == ENOTFOUND || (err == nil && team.SummarySchedule() == "") {
		return false, s.drop(ctx, j)
	}
	if err != nil {
		return false, s.fail(ctx, j, err)
	}
	since := j.Since
	if since.IsZero() || !since.Before(j.Slot) {
		since = j.Slot.Add(-FirstSummaryPeriod)
	}
	var sum Summary
	err = safeCall(func() (err error) {
		sum, err = BuildSummary(ctx, s.store, team, since, j.Slot)
		return err
	})
	if err != nil {
		return false, s.fail(ctx, j, err)
	}
	sum.Slot, sum.Recheck = j.Slot, j.Claims > 1
	if err := safeCall(func() error { return s.deliver.DeliverSummary(ctx, sum) }); err != nil {
		if wait, ok := Deferral(err); ok {
			return true, s.handBack(ctx, j, wait, err)
		}
		return false, s.fail(ctx, j, err)
	}
	return false, s.advance(ctx, j)
}

// scheduleOf reads the current schedule and zone of a job's owner or team;
// "" when the work is off or its owner or team is gone.
func (s *Scheduler) scheduleOf(ctx context.Context, j Job) (string, *time.Location, error) {
	switch j.Kind {
	case DigestJob:
		set, ok, err := s.ownerSettings(ctx, OwnerID(j.ID))
		if err != nil || !ok {
			return "", nil, err
		}
		return set.DigestSchedule(), loadLocation(set.TimeZone), nil
	case SummaryJob:
		t, err := s.store.Team(ctx, TeamID(j.ID))
		if ErrorCode(err) == ENOTFOUND {
			return "", nil, nil
		}
		if err != nil {
			return "", nil, Internal(err)
		}
		return t.SummarySchedule(), loadLocation(t.TimeZone), nil
	}
	return "", nil, nil
}

// ownerSettings reads an owner's settings and whether the owner still
// exists. The Store returns zero Settings for an owner it knows nothing of,
// so zero Settings and no contacts mean the owner forgot themselves.
func (s *Scheduler) ownerSettings(ctx context.Context, owner OwnerID) (Settings, bool, error) {
	var set Settings
	exists := false
	err := s.store.View(ctx, owner, func(tx OwnerTx) error {
		var err error
		if set, err = tx.Settings(); err != nil || !set.IsZero() {
			exists = err == nil
			return err
		}
		cs, err := tx.Contacts()
		exists = len(cs) > 0
		return err
	})
	if ErrorCode(err) == ENOTFOUND {
		return Settings{}, false, nil
	}
	if err != nil {
		return Settings{}, false, Internal(err)
	}
	return set, exists, nil
}

// advance moves a job that ran to its next slot, computed from the later of
// now and the slot: work missed while kith was down, or while deliveries
// kept failing, runs once, not once per missed slot. Through FinishJob it
// does nothing when the claim was lost (rescheduled, or deleted when the
// owner forgot themselves), so it never brings back a deleted job or runs a
// slot twice.
func (s *Scheduler) advance(ctx context.Context, j Job) error {
	ctx = context.WithoutCancel(ctx) // delivered: recording it must not be cut off
	sched, loc, err := s.scheduleOf(ctx, j)
	if err != nil {
		// Delivered, but the next slot is unknown: the claim runs out and the
		// slot is run again, checked with the platform first (Claims > 1),
		// which beats losing every later one.
		s.log.Error("scheduler: cannot read the schedule after a delivery", "kind", j.Kind, "id", j.ID, "slot", j.Slot, "err", err)
		return err
	}
	if sched == "" {
		return s.finish(ctx, j, nil)
	}
	next, err := NextAfter(sched, loc, latest(s.now(), j.Slot))
	if err != nil {
		s.log.Error("scheduler: dropping a schedule that no longer fires", "kind", j.Kind, "id", j.ID, "schedule", sched, "err", err)
		return s.finish(ctx, j, nil)
	}
	n := Job{Kind: j.Kind, ID: j.ID, Slot: next, Due: next}
	if j.Kind == SummaryJob {
		n.Since = j.Slot
	}
	return s.finish(ctx, j, &n)
}

// fail keeps the job's slot and retries it after a back-off. The claim count
// stays, so the retry checks with the platform whether the failed attempt
// went out after all (a timeout can hide a message that was accepted).
func (s *Scheduler) fail(ctx context.Context, j Job, cause error) error {
	n := j
	n.Attempts++
	wait := s.wait(n.Attempts)
	n.Due = s.now().Add(wait)
	n.Holder, n.Lease = "", time.Time{}
	s.log.Warn("scheduler: delivery failed; will retry",
		"kind", j.Kind, "id", j.ID, "slot", j.Slot, "attempts", n.Attempts, "retry_in", wait, "err", cause)
	return s.finish(context.WithoutCancel(ctx), j, &n)
}

// drop deletes a job whose work is off or whose owner or team is gone.
func (s *Scheduler) drop(ctx context.Context, j Job) error {
	s.log.Info("scheduler: dropping a job that is off or whose owner is gone", "kind", j.Kind, "id", j.ID)
	return s.finish(context.WithoutCancel(ctx), j, nil)
}

// finish ends a claim with next (nil deletes the job); a lost claim is
// another's to finish and not an error.
func (s *Scheduler) finish(ctx context.Context, j Job, next *Job) error {
	ok, err := s.store.FinishJob(ctx, j, next)
	if err != nil {
		return Internal(err)
	}
	if !ok {
		s.log.Debug("scheduler: the claim was lost before the job finished", "kind", j.Kind, "id", j.ID, "slot", j.Slot)
	}
	return nil
}

// latest returns the later of two instants.
func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// pause stops an owner's digests after the platform said a DM can never
// reach them (spec §7): retrying would only add to the platform's count of
// invalid requests. Settings.Paused makes DigestSchedule "", so nothing
// plans the digest again until the owner's next command clears it.
func (s *Scheduler) pause(ctx context.Context, j Job, cause error) error {
	ctx = context.WithoutCancel(ctx)
	reason := ErrorMessage(cause)
	err := s.store.Update(ctx, OwnerID(j.ID), Change{Now: s.now()}, func(tx OwnerTx) error {
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		set.Paused = reason
		return tx.PutSettings(set)
	})
	if err != nil {
		return s.fail(ctx, j, err)
	}
	s.log.Warn("scheduler: digests paused; the platform cannot reach the owner", "id", j.ID, "slot", j.Slot, "err", cause)
	return s.finish(ctx, j, nil)
}
