package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/kith-bot/kith/reminders"
)

// upsertJob stores a job. Its due column is when it may next be claimed
// (due, or its lease's end), so that DueJobs and ClaimJobs read one range
// of one index and a claimed job leaves that range until its lease ends.
const upsertJob = `INSERT INTO kith_jobs (kind, id, due, data) VALUES ($1, $2, $3, $4)
	ON CONFLICT (kind, id) DO UPDATE SET due = EXCLUDED.due, data = EXCLUDED.data`

// PutJobs stores jobs, each replacing the job of the same kind and id, in
// one transaction.
func (s *Store) PutJobs(ctx context.Context, jobs ...reminders.Job) error {
	for _, j := range jobs {
		if j.Kind == "" || j.ID == "" {
			return reminders.Errorf(reminders.EINVALID, "a job needs a kind and an id.")
		}
	}
	b := &pgx.Batch{}
	for _, j := range jobs {
		v, err := json.Marshal(j)
		if err != nil {
			return reminders.Internal(err)
		}
		b.Queue(upsertJob, string(j.Kind), j.ID, j.Visible(), v)
	}
	return s.tx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		return tx.SendBatch(ctx, b).Close()
	})
}

// Job returns the job of that kind and id; ENOTFOUND when there is none.
func (s *Store) Job(ctx context.Context, kind reminders.JobKind, id string) (reminders.Job, error) {
	var j reminders.Job
	var v []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM kith_jobs WHERE kind = $1 AND id = $2`, string(kind), id).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return j, reminders.Errorf(reminders.ENOTFOUND, "There is no %s job for %s.", kind, id)
	}
	if err != nil {
		return j, unavailable(err)
	}
	return j, decode(v, &j)
}

// DeleteJob removes a job; removing a missing job is not an error.
func (s *Store) DeleteJob(ctx context.Context, kind reminders.JobKind, id string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM kith_jobs WHERE kind = $1 AND id = $2`, string(kind), id)
	return unavailable(err)
}

// DueJobs returns up to limit (all when limit <= 0) jobs due at or before
// now and not leased at now, earliest first: one range of the due index.
func (s *Store) DueJobs(ctx context.Context, now time.Time, limit int) ([]reminders.Job, error) {
	sql := `SELECT data FROM kith_jobs WHERE due <= $1 ORDER BY due, kind, id`
	args := []any{now}
	if limit > 0 {
		sql += ` LIMIT $2`
		args = append(args, limit)
	}
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, unavailable(err)
	}
	out, err := collect[reminders.Job](rows)
	return out, unavailable(err)
}

// ClaimJobs leases up to limit claimable jobs to holder in one transaction.
// Rows another replica is claiming right now are skipped (SKIP LOCKED)
// rather than waited for, so replicas split due work instead of queueing
// behind each other, and no job is claimed by two of them.
func (s *Store) ClaimJobs(ctx context.Context, now time.Time, limit int, holder string, leaseUntil time.Time) ([]reminders.Job, error) {
	if holder == "" || !leaseUntil.After(now) {
		return nil, reminders.Errorf(reminders.EINVALID, "a claim needs a holder and a lease that ends after now.")
	}
	sql := `SELECT data FROM kith_jobs WHERE due <= $1 ORDER BY due, kind, id FOR UPDATE SKIP LOCKED`
	args := []any{now}
	if limit > 0 {
		sql = `SELECT data FROM kith_jobs WHERE due <= $1 ORDER BY due, kind, id LIMIT $2 FOR UPDATE SKIP LOCKED`
		args = append(args, limit)
	}
	var out []reminders.Job
	err := s.tx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		out = nil
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		jobs, err := collect[reminders.Job](rows)
		if err != nil || len(jobs) == 0 {
			return err
		}
		b := &pgx.Batch{}
		for i := range jobs {
			j := &jobs[i]
			j.Holder, j.Lease = holder, leaseUntil
			j.Claims++
			v, err := json.Marshal(j)
			if err != nil {
				return reminders.Internal(err)
			}
			b.Queue(upsertJob, string(j.Kind), j.ID, j.Visible(), v)
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		out = jobs
		return nil
	})
	return out, err
}

// FinishJob replaces or deletes a claimed job while the claim still stands;
// the job's row is locked while it is compared and written.
func (s *Store) FinishJob(ctx context.Context, claimed reminders.Job, next *reminders.Job) (bool, error) {
	if next != nil && (next.Kind != claimed.Kind || next.ID != claimed.ID) {
		return false, reminders.Errorf(reminders.EINVALID, "a job can only be finished by a job of the same kind and id.")
	}
	var ok bool
	err := s.tx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		ok = false
		var v []byte
		err := tx.QueryRow(ctx, `SELECT data FROM kith_jobs WHERE kind = $1 AND id = $2 FOR UPDATE`, string(claimed.Kind), claimed.ID).Scan(&v)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		var stored reminders.Job
		if err := decode(v, &stored); err != nil {
			return err
		}
		if stored.Holder != claimed.Holder || stored.Claims != claimed.Claims || !stored.Slot.Equal(claimed.Slot) {
			return nil
		}
		if next == nil {
			_, err = tx.Exec(ctx, `DELETE FROM kith_jobs WHERE kind = $1 AND id = $2`, string(claimed.Kind), claimed.ID)
		} else {
			var nv []byte
			if nv, err = json.Marshal(next); err != nil {
				return reminders.Internal(err)
			}
			_, err = tx.Exec(ctx, upsertJob, string(next.Kind), next.ID, next.Visible(), nv)
		}
		ok = err == nil
		return err
	})
	return ok && err == nil, err
}
