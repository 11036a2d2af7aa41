package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/kith-bot/kith/reminders"
)

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
		b.Queue(`INSERT INTO kith_jobs (kind, id, due, data) VALUES ($1, $2, $3, $4)
			ON CONFLICT (kind, id) DO UPDATE SET due = EXCLUDED.due, data = EXCLUDED.data`, string(j.Kind), j.ID, j.Due, v)
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
// now, earliest first: one range of the due index.
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
