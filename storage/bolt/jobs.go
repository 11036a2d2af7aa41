package bolt

import (
	"bytes"
	"context"
	"time"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// jobKey identifies a job by kind and id.
func jobKey(kind reminders.JobKind, id string) []byte { return pairKey(string(kind), id) }

// dueKey orders jobs by when they are due, so DueJobs reads only due work.
func dueKey(j reminders.Job) []byte { return join(timeKey(j.Due), jobKey(j.Kind, j.ID)) }

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
	v, err := encode(j)
	if err != nil {
		return err
	}
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
	if err := decode(v, &old); err != nil {
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
		return decode(v, &j)
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
// now, earliest first. It walks the due index from its start and stops at
// the first job not yet due, so its cost follows the due work alone.
func (s *Store) DueJobs(ctx context.Context, now time.Time, limit int) ([]reminders.Job, error) {
	if err := ctx.Err(); err != nil {
		return nil, reminders.Internal(err)
	}
	var out []reminders.Job
	end := timeKey(now)
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketDue).Cursor()
		for k, v := c.First(); k != nil && bytes.Compare(k[:timeKeyLen], end) <= 0; k, v = c.Next() {
			if limit > 0 && len(out) == limit {
				break
			}
			var j reminders.Job
			if err := decode(v, &j); err != nil {
				return err
			}
			out = append(out, j)
		}
		return nil
	})
	return out, reminders.Internal(err)
}
