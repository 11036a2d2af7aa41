package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/kith-bot/kith/reminders"
)

// Installation returns kith's installation in a workspace; ENOTFOUND when none was stored.
func (s *Store) Installation(ctx context.Context, team reminders.TeamID) (reminders.Installation, error) {
	var in reminders.Installation
	var v []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM kith_installations WHERE team = $1`, string(team)).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return in, reminders.Errorf(reminders.ENOTFOUND, "kith is not installed in %s.", team)
	}
	if err != nil {
		return in, unavailable(err)
	}
	return in, decode(v, &in)
}

// PutInstallation stores an installation, replacing the team's earlier one.
func (s *Store) PutInstallation(ctx context.Context, in reminders.Installation) error {
	if in.Team == "" {
		return reminders.Errorf(reminders.EINVALID, "an installation needs a team.")
	}
	v, err := json.Marshal(in)
	if err != nil {
		return reminders.Internal(err)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO kith_installations (team, data) VALUES ($1, $2)
		ON CONFLICT (team) DO UPDATE SET data = EXCLUDED.data`, string(in.Team), v)
	return unavailable(err)
}

// Installations lists every installation, in team order.
func (s *Store) Installations(ctx context.Context) ([]reminders.Installation, error) {
	rows, err := s.pool.Query(ctx, `SELECT data FROM kith_installations ORDER BY team`)
	if err != nil {
		return nil, unavailable(err)
	}
	out, err := collect[reminders.Installation](rows)
	return out, unavailable(err)
}

// DeleteTeam removes the team's settings, summary job, member list and,
// unless it is active again, its installation, in one transaction. The
// installation's row is locked first, so a reinstall racing the deletion
// either lands before (and stays) or after (and is kept).
func (s *Store) DeleteTeam(ctx context.Context, team reminders.TeamID) error {
	if team == "" {
		return reminders.Errorf(reminders.EINVALID, "deleting a team needs a team.")
	}
	id := string(team)
	return s.tx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		var v []byte
		err := tx.QueryRow(ctx, `SELECT data FROM kith_installations WHERE team = $1 FOR UPDATE`, id).Scan(&v)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return err
		default:
			var in reminders.Installation
			if err := decode(v, &in); err != nil {
				return err
			}
			if !in.Active() {
				if _, err := tx.Exec(ctx, `DELETE FROM kith_installations WHERE team = $1`, id); err != nil {
					return err
				}
			}
		}
		for _, sql := range []string{
			`DELETE FROM kith_teams WHERE id = $1`,
			`DELETE FROM kith_jobs WHERE kind = 'summary' AND id = $1`,
			`DELETE FROM kith_members WHERE team = $1`,
		} {
			if _, err := tx.Exec(ctx, sql, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// onceSweep bounds how many expired keys one UseOnce call forgets, so the
// call stays cheap while the table still shrinks faster than it grows.
const onceSweep = 16

// UseOnce records key as used until the given time; ErrDuplicate when it was
// recorded before and that time has not passed at now. The insert is one
// statement, so two replicas given the same key cannot both succeed.
func (s *Store) UseOnce(ctx context.Context, key string, now, until time.Time) error {
	if key == "" {
		return reminders.Errorf(reminders.EINVALID, "a single-use key cannot be empty.")
	}
	var fresh bool
	err := s.tx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO kith_once (key, until) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET until = EXCLUDED.until WHERE kith_once.until <= $3`, key, until, now)
		if err != nil {
			return err
		}
		fresh = tag.RowsAffected() == 1
		_, err = tx.Exec(ctx, `DELETE FROM kith_once WHERE key IN
			(SELECT key FROM kith_once WHERE until <= $1 ORDER BY until LIMIT $2)`, now, onceSweep)
		return err
	})
	if err != nil {
		return err
	}
	if !fresh {
		return reminders.ErrDuplicate
	}
	return nil
}
