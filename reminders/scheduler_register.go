package reminders

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
)

// bulkChunk is how many jobs ScheduleDigests writes per transaction: large
// enough that commits (each an fsync) do not dominate, small enough that one
// transaction does not hold the database's single writer for long.
const bulkChunk = 20000

// duePage pads the range scan of owedSlots beyond the owners registered, for
// the jobs of owners not in the map.
const duePage = 512

// ScheduleDigest (re)computes an owner's next digest from their settings, or
// deletes the job when digests are off. A slot that has already passed stays
// (it is owed: due, running or being retried); the new schedule applies
// from the slot after it. A schedule that never fires is EINVALID and
// changes nothing.
func (s *Scheduler) ScheduleDigest(ctx context.Context, owner OwnerID, set Settings) error {
	return s.schedule(ctx, DigestJob, string(owner), set.DigestSchedule(), loadLocation(set.TimeZone))
}

// ScheduleSummary does for a team's summary what ScheduleDigest does for a
// digest; summaries are off when the team has no channel.
func (s *Scheduler) ScheduleSummary(ctx context.Context, t Team) error {
	return s.schedule(ctx, SummaryJob, string(t.ID), t.SummarySchedule(), loadLocation(t.TimeZone))
}

// schedule stores the next slot of one job; "" as sched deletes it.
func (s *Scheduler) schedule(ctx context.Context, kind JobKind, id, sched string, loc *time.Location) error {
	if sched == "" {
		unlock := s.lock(kind, id)
		defer unlock()
		return Internal(s.store.DeleteJob(ctx, kind, id))
	}
	now := s.now()
	next, err := NextAfter(sched, loc, now)
	if err != nil {
		return err
	}
	unlock := s.lock(kind, id)
	defer unlock()
	old, err := s.store.Job(ctx, kind, id)
	found := err == nil
	switch {
	case err != nil && ErrorCode(err) != ENOTFOUND:
		return Internal(err)
	case found && !old.Slot.After(now):
		return nil // owed; advance applies the new schedule after it runs
	case found && old.Slot.Equal(next) && old.Due.Equal(next):
		return nil
	}
	j := Job{Kind: kind, ID: id, Slot: next, Due: next}
	if kind == SummaryJob {
		j.Since = next.Add(-FirstSummaryPeriod)
		if found && !old.Since.IsZero() {
			j.Since = old.Since // the period runs on from the last summary
		}
	}
	return Internal(s.store.PutJobs(ctx, j))
}

// ScheduleDigests registers many owners' digests at once, as ScheduleDigest
// would one by one, in few transactions: it reads the owed slots with one
// range scan, computes each distinct (schedule, zone) pair once and writes
// the jobs in chunks. Owners with an invalid schedule are skipped and
// reported in the returned error; the others are registered.
func (s *Scheduler) ScheduleDigests(ctx context.Context, owners map[OwnerID]Settings) error {
	unlock := s.lockAll()
	defer unlock()
	now := s.now()
	owed, err := s.owedSlots(ctx, DigestJob, now, owners)
	if err != nil {
		return err
	}
	type zoned struct{ sched, tz string }
	type result struct {
		next time.Time
		err  error
	}
	nexts := map[zoned]result{}
	jobs := make([]Job, 0, len(owners))
	var off []string
	var errs []error
	for owner, set := range owners {
		sched := set.DigestSchedule()
		if sched == "" {
			off = append(off, string(owner))
			continue
		}
		if owed[string(owner)] {
			continue
		}
		k := zoned{sched, set.TimeZone}
		r, ok := nexts[k]
		if !ok {
			r.next, r.err = NextAfter(sched, loadLocation(set.TimeZone), now)
			nexts[k] = r
		}
		if r.err != nil {
			errs = append(errs, Errorf(EINVALID, "%s: %s", owner, ErrorMessage(r.err)))
			continue
		}
		jobs = append(jobs, Job{Kind: DigestJob, ID: string(owner), Slot: r.next, Due: r.next})
	}
	// In key order, bbolt appends to its pages instead of splitting them.
	slices.SortFunc(jobs, func(a, b Job) int { return strings.Compare(a.ID, b.ID) })
	for chunk := range slices.Chunk(jobs, bulkChunk) {
		if err := s.store.PutJobs(ctx, chunk...); err != nil {
			return errors.Join(append(errs, Internal(err))...)
		}
	}
	for _, id := range off {
		// A read is cheap and a delete is a commit, so delete only what exists.
		_, err := s.store.Job(ctx, DigestJob, id)
		if err == nil {
			err = s.store.DeleteJob(ctx, DigestJob, id)
		}
		if err != nil && ErrorCode(err) != ENOTFOUND {
			return errors.Join(append(errs, Internal(err))...)
		}
	}
	return errors.Join(errs...)
}

// owedSlots returns which of the owners have a job of that kind whose slot
// has passed (due, or waiting for a retry), which registration must keep. One
// range scan finds them, since a retry, like a job handed back (handBack),
// waits at most MaxBackoff; should the scan be cut off by its limit, each
// owner is looked up instead.
func (s *Scheduler) owedSlots(ctx context.Context, kind JobKind, now time.Time, owners map[OwnerID]Settings) (map[string]bool, error) {
	limit := len(owners) + duePage
	jobs, err := s.store.DueJobs(ctx, now.Add(s.maxBackoff), limit)
	if err != nil {
		return nil, Internal(err)
	}
	owed := map[string]bool{}
	if len(jobs) < limit {
		for _, j := range jobs {
			if j.Kind == kind && !j.Slot.After(now) {
				owed[j.ID] = true
			}
		}
		return owed, nil
	}
	for owner := range owners {
		j, err := s.store.Job(ctx, kind, string(owner))
		switch {
		case err == nil && !j.Slot.After(now):
			owed[j.ID] = true
		case err != nil && ErrorCode(err) != ENOTFOUND:
			return nil, Internal(err)
		}
	}
	return owed, nil
}
