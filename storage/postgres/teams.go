package postgres

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/kith-bot/kith/reminders"
)

// Team returns a team's settings; ENOTFOUND when none were stored.
func (s *Store) Team(ctx context.Context, id reminders.TeamID) (reminders.Team, error) {
	var t reminders.Team
	var v []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM kith_teams WHERE id = $1`, string(id)).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return t, reminders.Errorf(reminders.ENOTFOUND, "No team summary is set up for %s.", id)
	}
	if err != nil {
		return t, unavailable(err)
	}
	return t, decode(v, &t)
}

// PutTeam stores a team's settings.
func (s *Store) PutTeam(ctx context.Context, t reminders.Team) error {
	if t.ID == "" {
		return reminders.Errorf(reminders.EINVALID, "a team needs an id.")
	}
	v, err := json.Marshal(t)
	if err != nil {
		return reminders.Internal(err)
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO kith_teams (id, set_by, data) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET set_by = EXCLUDED.set_by, data = EXCLUDED.data`, string(t.ID), string(t.SetBy), v)
	return unavailable(err)
}

// Join records that the owner uses kith in the team. Every command calls
// it, so the common case (already a member) changes nothing.
func (s *Store) Join(ctx context.Context, team reminders.TeamID, owner reminders.OwnerID) error {
	if team == "" || owner == "" {
		return reminders.Errorf(reminders.EINVALID, "joining a team needs a team and an owner.")
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO kith_members (team, owner) VALUES ($1, $2) ON CONFLICT DO NOTHING`, string(team), string(owner))
	return unavailable(err)
}

// Members lists the owners seen using kith in the team, in id order.
func (s *Store) Members(ctx context.Context, team reminders.TeamID) ([]reminders.OwnerID, error) {
	rows, err := s.pool.Query(ctx, `SELECT owner FROM kith_members WHERE team = $1 ORDER BY owner`, string(team))
	if err != nil {
		return nil, unavailable(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[reminders.OwnerID])
	return out, unavailable(err)
}

// Owners lists every owner with data, in id order.
func (s *Store) Owners(ctx context.Context) ([]reminders.OwnerID, error) {
	rows, err := s.pool.Query(ctx, `SELECT owner FROM kith_owners ORDER BY owner`)
	if err != nil {
		return nil, unavailable(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[reminders.OwnerID])
	return out, unavailable(err)
}

// DeleteOwner removes everything of the owner in one transaction: their
// data, settings, request keys and undo record, their digest job, their
// team memberships and their name on teams they set up. Postgres reuses
// the space of deleted rows once vacuumed; unlike bbolt's free pages, it
// never ships them in a backup, which copies rows, not pages.
func (s *Store) DeleteOwner(ctx context.Context, owner reminders.OwnerID) error {
	if owner == "" {
		return reminders.Errorf(reminders.EINVALID, "forgetting needs an owner.")
	}
	o := string(owner)
	return s.tx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		for _, sql := range []string{
			`DELETE FROM kith_owners WHERE owner = $1`,
			`DELETE FROM kith_plans WHERE owner = $1`,
			`DELETE FROM kith_contacts WHERE owner = $1`,
			`DELETE FROM kith_interactions WHERE owner = $1`,
			`DELETE FROM kith_promises WHERE owner = $1`,
			`DELETE FROM kith_request_keys WHERE owner = $1`,
			`DELETE FROM kith_members WHERE owner = $1`,
			`DELETE FROM kith_jobs WHERE kind = 'digest' AND id = $1`,
			`UPDATE kith_teams SET set_by = '', data = data - 'set_by' WHERE set_by = $1`,
		} {
			if _, err := tx.Exec(ctx, sql, o); err != nil {
				return err
			}
		}
		if team, user, ok := slackWorkspace(owner); ok {
			_, err := tx.Exec(ctx, `UPDATE kith_installations SET data = data - 'installed_by'
				WHERE team = $1 AND data->>'installed_by' = $2`, team, user)
			return err
		}
		return nil
	})
}

// slackWorkspace splits a Slack owner into the team id of its workspace and
// its user: forget-me also clears the owner's name as who installed kith there.
func slackWorkspace(owner reminders.OwnerID) (team, user string, ok bool) {
	o, err := reminders.ParseOwnerID(string(owner))
	if err != nil || o.Platform != reminders.PlatformSlack {
		return "", "", false
	}
	return string(reminders.NewTeamID(o.Platform, o.Team)), o.User, true
}
