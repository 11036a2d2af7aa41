package bolt

import (
	"bytes"
	"context"
	"errors"
	"time"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// jobKey identifies a job by kind and id.
func jobKey(kind reminders.JobKind, id string) []byte { return pairKey(string(kind), id) }

// errJobKey reports a job key not in the form jobKey writes.
var errJobKey = errors.New("malformed job key")

// readJob decodes a job from its key in the jobs bucket and its value.
func readJob(k, v []byte, j *reminders.Job) error {
	kind, id, ok := bytes.Cut(k, sep)
	if !ok {
		return reminders.Internal(errJobKey)
	}
	return decodeJob(v, j, reminders.JobKind(kind), string(id))
}

// readDueJob decodes a job from its key in the due index and its value.
func readDueJob(k, v []byte, j *reminders.Job) error {
	if len(k) < timeKeyLen {
		return reminders.Internal(errJobKey)
	}
	return readJob(k[timeKeyLen:], v, j)
}

// dueKey orders jobs by when they may next be claimed (due, or their lease
// ended), so DueJobs and ClaimJobs read only claimable work and a claimed job
// leaves their range until its lease runs out.
func dueKey(j reminders.Job) []byte { return join(timeKey(j.Visible()), jobKey(j.Kind, j.ID)) }

// PutJobs stores jobs, each replacing the job of the same kind and id and
// moving its place in the due index in the same transaction.
func (s *Store) PutJobs(ctx context.Context, jobs ...reminders.Job) error {
	for _, j := range jobs {
		if j.Kind == "" || j.ID == "" {
			return reminders.Errorf(reminders.EINVALID, "a job needs a kind and an id.")
		}
	}
	return s.write(ctx, func(tx *bbolt.Tx) error {
		for _, j := range jobs {
			if err := putJob(tx, j); err != nil {
				return err
			}
		}
		return nil
	})
}

func putJob(tx *bbolt.Tx, j reminders.Job) error {
	if err := deleteJob(tx, j.Kind, j.ID); err != nil {
		return err
	}
	v := encodeJob(&j)
	if err := tx.Bucket(bucketJobs).Put(jobKey(j.Kind, j.ID), v); err != nil {
		return err
	}
	// The due index carries the job too, so DueJobs reads consecutive pages
	// instead of looking each job up across the whole jobs bucket.
	return tx.Bucket(bucketDue).Put(dueKey(j), v)
}

// deleteJob removes a job and its due index entry; a missing job is fine.
func deleteJob(tx *bbolt.Tx, kind reminders.JobKind, id string) error {
	jobs := tx.Bucket(bucketJobs)
	v := jobs.Get(jobKey(kind, id))
	if v == nil {
		return nil
	}
	var old reminders.Job
	if err := decodeJob(v, &old, kind, id); err != nil {
		return err
	}
	if err := tx.Bucket(bucketDue).Delete(dueKey(old)); err != nil {
		return err
	}
	return jobs.Delete(jobKey(kind, id))
}

// Job returns the job of that kind and id; ENOTFOUND when there is none.
func (s *Store) Job(ctx context.Context, kind reminders.JobKind, id string) (reminders.Job, error) {
	var j reminders.Job
	if err := ctx.Err(); err != nil {
		return j, reminders.Internal(err)
	}
	found := false
	err := s.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bucketJobs).Get(jobKey(kind, id))
		if v == nil {
			return nil
		}
		found = true
		return decodeJob(v, &j, kind, id)
	})
	if err != nil {
		return j, reminders.Internal(err)
	}
	if !found {
		return j, reminders.Errorf(reminders.ENOTFOUND, "There is no %s job for %s.", kind, id)
	}
	return j, nil
}

// DeleteJob removes a job; removing a missing job is not an error.
func (s *Store) DeleteJob(ctx context.Context, kind reminders.JobKind, id string) error {
	return s.write(ctx, func(tx *bbolt.Tx) error { return deleteJob(tx, kind, id) })
}

// DueJobs returns up to limit (all when limit <= 0) jobs due at or before
// now and not leased at now, earliest first. It walks the due index from its
// start and stops at the first job not yet claimable, so its cost follows the
// due work alone.
func (s *Store) DueJobs(ctx context.Context, now time.Time, limit int) ([]reminders.Job, error) {
	if err := ctx.Err(); err != nil {
		return nil, reminders.Internal(err)
	}
	var out []reminders.Job
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		out, err = dueJobs(tx, now, limit)
		return err
	})
	return out, reminders.Internal(err)
}

// dueJobs reads the due index up to now within tx.
func dueJobs(tx *bbolt.Tx, now time.Time, limit int) ([]reminders.Job, error) {
	var out []reminders.Job
	end := timeKey(now)
	c := tx.Bucket(bucketDue).Cursor()
	for k, v := c.First(); k != nil && bytes.Compare(k[:timeKeyLen], end) <= 0; k, v = c.Next() {
		if limit > 0 && len(out) == limit {
			break
		}
		var j reminders.Job
		if err := readDueJob(k, v, &j); err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, nil
}

// ClaimJobs leases up to limit claimable jobs to holder in one write
// transaction. bbolt has one writer at a time, so two schedulers on one file
// (in one process; the file lock keeps out a second process) never claim the
// same job; the claim moves each job in the due index to its lease's end.
func (s *Store) ClaimJobs(ctx context.Context, now time.Time, limit int, holder string, leaseUntil time.Time) ([]reminders.Job, error) {
	if holder == "" || !leaseUntil.After(now) {
		return nil, reminders.Errorf(reminders.EINVALID, "a claim needs a holder and a lease that ends after now.")
	}
	var out []reminders.Job
	err := s.write(ctx, func(tx *bbolt.Tx) error {
		jobs, err := dueJobs(tx, now, limit)
		if err != nil {
			return err
		}
		for i := range jobs {
			j := &jobs[i]
			j.Holder, j.Lease = holder, leaseUntil
			j.Claims++
			if err := putJob(tx, *j); err != nil {
				return err
			}
		}
		out = jobs // set last: a batched run may be retried
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// FinishJob replaces or deletes a claimed job while the claim still stands.
func (s *Store) FinishJob(ctx context.Context, claimed reminders.Job, next *reminders.Job) (bool, error) {
	if next != nil && (next.Kind != claimed.Kind || next.ID != claimed.ID) {
		return false, reminders.Errorf(reminders.EINVALID, "a job can only be finished by a job of the same kind and id.")
	}
	var ok bool
	err := s.write(ctx, func(tx *bbolt.Tx) error {
		ok = false
		v := tx.Bucket(bucketJobs).Get(jobKey(claimed.Kind, claimed.ID))
		if v == nil {
			return nil
		}
		var stored reminders.Job
		if err := decodeJob(v, &stored, claimed.Kind, claimed.ID); err != nil {
			return err
		}
		if stored.Holder != claimed.Holder || stored.Claims != claimed.Claims || !stored.Slot.Equal(claimed.Slot) {
			return nil
		}
		ok = true
		if next == nil {
			return deleteJob(tx, claimed.Kind, claimed.ID)
		}
		return putJob(tx, *next)
	})
	return ok && err == nil, err
}

// releaseWindow bounds how far ahead Open looks for leases a process before
// it left: a scheduler leases for a minute (reminders.DefaultLease), so a
// lease taken before now ends within it. A longer lease still ends on its own.
const releaseWindow = 10 * time.Minute

// releaseLeases ends, at Open, the leases of jobs claimed and not finished.
// The file's lock means no other process has the file, so whoever claimed
// them is gone (a crash, a kill -9): waiting out their lease would only delay
// those digests by up to a minute after every restart. Each job keeps its
// Claims, so its next delivery first asks the platform whether the send
// already happened. On Postgres, where replicas share jobs, a lease is the
// only way to tell a dead holder from a slow one, and this is not done.
func releaseLeases(db *bbolt.DB, now time.Time) error {
	// Read first: a start after a clean stop finds none and writes nothing.
	var held []reminders.Job
	err := db.View(func(tx *bbolt.Tx) error {
		var err error
		held, err = heldJobs(tx, now)
		return err
	})
	if err != nil || len(held) == 0 {
		return err
	}
	return db.Update(func(tx *bbolt.Tx) error {
		held, err := heldJobs(tx, now)
		if err != nil {
			return err
		}
		for _, j := range held {
			j.Holder, j.Lease = "", time.Time{}
			if err := putJob(tx, j); err != nil {
				return err
			}
		}
		return nil
	})
}

// heldJobs lists the jobs leased to anyone whose lease ends within
// releaseWindow of now.
func heldJobs(tx *bbolt.Tx, now time.Time) ([]reminders.Job, error) {
	due := tx.Bucket(bucketDue)
	if due == nil {
		return nil, nil
	}
	end := timeKey(now.Add(releaseWindow))
	var held []reminders.Job
	c := due.Cursor()
	for k, v := c.Seek(timeKey(now)); k != nil && bytes.Compare(k[:timeKeyLen], end) <= 0; k, v = c.Next() {
		var j reminders.Job
		if err := readDueJob(k, v, &j); err != nil {
			return nil, err
		}
		if j.Holder != "" {
			held = append(held, j)
		}
	}
	return held, nil
}
