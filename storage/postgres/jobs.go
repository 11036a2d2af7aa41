package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"slices"
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

// claimSQL leases the claimable jobs in one statement: it locks them,
// skipping rows another replica is claiming right now (SKIP LOCKED) rather
// than waiting for them, so replicas split due work instead of queueing
// behind each other and no job is claimed by two. The lease is written
// into the job's record and its due column moves to the lease's end, all
// in Postgres, so a claim costs one round trip however many jobs it takes.
//
// The locked rows are updated through their ctids (a Tid Scan) rather than
// by joining on the key: whatever the planner thinks of how many jobs are
// due, the update then touches only the rows the due index found. A join
// on (kind, id) became a hash join over the whole table whenever the
// estimate was off (no statistics yet, or a generic plan), and a claim of
// 1,000 jobs among 100,000 took 85–200 ms instead of 20.
const claimSQL = `UPDATE kith_jobs j SET
	data = j.data || jsonb_build_object('holder', $3::text, 'lease', $4::text,
		'claims', coalesce((j.data->>'claims')::int, 0) + 1),
	due = greatest((j.data->>'due')::timestamptz, $5::timestamptz)
WHERE ctid = ANY(ARRAY(
	SELECT ctid FROM kith_jobs WHERE due <= $1 ORDER BY due, kind, id LIMIT $2 FOR UPDATE SKIP LOCKED))
RETURNING j.data`

// ClaimJobs leases up to limit claimable jobs to holder in one statement.
func (s *Store) ClaimJobs(ctx context.Context, now time.Time, limit int, holder string, leaseUntil time.Time) ([]reminders.Job, error) {
	if holder == "" || !leaseUntil.After(now) {
		return nil, reminders.Errorf(reminders.EINVALID, "a claim needs a holder and a lease that ends after now.")
	}
	var lim any // NULL: no limit
	if limit > 0 {
		lim = limit
	}
	rows, err := s.pool.Query(ctx, claimSQL, now, lim, holder, leaseUntil.Format(time.RFC3339Nano), leaseUntil)
	if err != nil {
		return nil, unavailable(err)
	}
	jobs, err := collect[reminders.Job](rows)
	if err != nil {
		return nil, unavailable(err)
	}
	// The update returns rows in the order of their place in the table;
	// hand them out earliest first.
	slices.SortFunc(jobs, func(a, b reminders.Job) int {
		return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	})
	return jobs, nil
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
