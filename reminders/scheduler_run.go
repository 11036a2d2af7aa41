package reminders

import (
	"context"
	"time"
)

// runJob runs one claimed due job and reports whether it ran. It re-reads the
// stored job first: a job listed as due may have been run by another Tick
// since, or rescheduled or deleted, and must then be left alone.
func (s *Scheduler) runJob(ctx context.Context, j Job, now time.Time) (bool, error) {
	stored, err := s.store.Job(ctx, j.Kind, j.ID)
	if ErrorCode(err) == ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, Internal(err)
	}
	if !stored.Slot.Equal(j.Slot) || stored.Due.After(now) {
		return false, nil
	}
	switch stored.Kind {
	case DigestJob:
		return true, s.runDigest(ctx, stored)
	case SummaryJob:
		return true, s.runSummary(ctx, stored)
	case PurgeJob:
		return true, s.runPurge(ctx, stored)
	}
	s.log.Error("scheduler: dropping a job of unknown kind", "kind", stored.Kind, "id", stored.ID)
	return true, s.drop(ctx, stored)
}

// runDigest composes and delivers an owner's digest for the job's slot. An
// empty digest is not sent, but the slot counts as done.
func (s *Scheduler) runDigest(ctx context.Context, j Job) error {
	owner := OwnerID(j.ID)
	sched, _, err := s.scheduleOf(ctx, j)
	if err != nil {
		return s.fail(ctx, j, err)
	}
	if sched == "" { // digests turned off, or the owner forgot themselves
		return s.drop(ctx, j)
	}
	var d Digest
	err = safeCall(func() (err error) {
		d, err = BuildDigest(ctx, s.store, owner, s.now())
		return err
	})
	if err != nil {
		return s.fail(ctx, j, err)
	}
	if !d.Empty() {
		d.Slot, d.Attempts = j.Slot, j.Attempts
		if err := safeCall(func() error { return s.deliver.DeliverDigest(ctx, d) }); err != nil {
			return s.fail(ctx, j, err)
		}
	}
	return s.advance(ctx, j)
}

// runSummary composes and posts a team's summary for [Since, Slot).
func (s *Scheduler) runSummary(ctx context.Context, j Job) error {
	team, err := s.store.Team(ctx, TeamID(j.ID))
	if ErrorCode(err) == ENOTFOUND || (err == nil && team.SummarySchedule() == "") {
		return s.drop(ctx, j)
	}
	if err != nil {
		return s.fail(ctx, j, err)
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
		return s.fail(ctx, j, err)
	}
	sum.Slot = j.Slot
	if err := safeCall(func() error { return s.deliver.DeliverSummary(ctx, sum) }); err != nil {
		return s.fail(ctx, j, err)
	}
	return s.advance(ctx, j)
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
		if set, err = tx.Settings(); err != nil || set != (Settings{}) {
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
// kept failing, runs once, not once per missed slot. It does nothing when the
// stored job is no longer the one that ran (rescheduled, or deleted when the
// owner forgot themselves), so it never brings back a deleted job or runs a
// slot twice.
func (s *Scheduler) advance(ctx context.Context, j Job) error {
	unlock := s.lock(j.Kind, j.ID)
	defer unlock()
	if ok, err := s.stillStored(ctx, j); !ok {
		return err
	}
	sched, loc, err := s.scheduleOf(ctx, j)
	if err != nil {
		// Delivered, but the next slot is unknown: the slot stays due and may
		// be delivered again, which beats losing every later one.
		s.log.Error("scheduler: cannot read the schedule after a delivery", "kind", j.Kind, "id", j.ID, "slot", j.Slot, "err", err)
		return err
	}
	if sched == "" {
		return Internal(s.store.DeleteJob(ctx, j.Kind, j.ID))
	}
	now := s.now()
	next, err := NextAfter(sched, loc, latest(now, j.Slot))
	if err != nil {
		s.log.Error("scheduler: dropping a schedule that no longer fires", "kind", j.Kind, "id", j.ID, "schedule", sched, "err", err)
		return Internal(s.store.DeleteJob(ctx, j.Kind, j.ID))
	}
	n := Job{Kind: j.Kind, ID: j.ID, Slot: next, Due: next}
	if j.Kind == SummaryJob {
		n.Since = j.Slot
	}
	return s.putBack(ctx, n)
}

// fail keeps the job's slot and retries it after an exponential back-off.
func (s *Scheduler) fail(ctx context.Context, j Job, cause error) error {
	unlock := s.lock(j.Kind, j.ID)
	defer unlock()
	stored, err := s.store.Job(ctx, j.Kind, j.ID)
	if ErrorCode(err) == ENOTFOUND {
		return nil
	}
	if err != nil {
		return Internal(err)
	}
	if !stored.Slot.Equal(j.Slot) {
		return nil
	}
	stored.Attempts++
	wait := s.backoff(stored.Attempts)
	stored.Due = s.now().Add(wait)
	s.log.Warn("scheduler: delivery failed; will retry",
		"kind", j.Kind, "id", j.ID, "slot", j.Slot, "attempts", stored.Attempts, "retry_in", wait, "err", cause)
	return s.putBack(ctx, stored)
}

// putBack stores a job that was read earlier in the run. DeleteOwner does not
// take the scheduler's locks, so a forget-me may commit between that read and
// this write and the write would bring the forgotten owner's job back; reading
// the owner after the write closes the gap (a later DeleteOwner removes the job
// itself).
func (s *Scheduler) putBack(ctx context.Context, j Job) error {
	if err := s.store.PutJobs(ctx, j); err != nil {
		return Internal(err)
	}
	if j.Kind != DigestJob {
		return nil
	}
	if _, ok, err := s.ownerSettings(ctx, OwnerID(j.ID)); err != nil || ok {
		return err
	}
	return Internal(s.store.DeleteJob(ctx, j.Kind, j.ID))
}

// drop deletes a job whose work is off or whose owner or team is gone.
func (s *Scheduler) drop(ctx context.Context, j Job) error {
	unlock := s.lock(j.Kind, j.ID)
	defer unlock()
	if ok, err := s.stillStored(ctx, j); !ok {
		return err
	}
	s.log.Info("scheduler: dropping a job that is off or whose owner is gone", "kind", j.Kind, "id", j.ID)
	return Internal(s.store.DeleteJob(ctx, j.Kind, j.ID))
}

// stillStored reports whether the stored job still stands for j's slot.
func (s *Scheduler) stillStored(ctx context.Context, j Job) (bool, error) {
	stored, err := s.store.Job(ctx, j.Kind, j.ID)
	if ErrorCode(err) == ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, Internal(err)
	}
	return stored.Slot.Equal(j.Slot), nil
}

// latest returns the later of two instants.
func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
