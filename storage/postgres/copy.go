package postgres

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/kith-bot/kith/reminders"
)

var _ reminders.Copier = (*Store)(nil)

// loadBatch is how many records Load buffers before sending them (each
// table's rows through COPY): large enough to amortise the round trips, small
// enough that the buffered rows stay a few megabytes.
const loadBatch = 10000

// Dump calls fn with every record, from one REPEATABLE READ snapshot, so a
// copy taken while replicas write is consistent. Each table is one query
// whose rows stream in key order: owners (with settings), then contacts,
// interactions, promises, memberships, teams, installations and jobs.
func (s *Store) Dump(ctx context.Context, fn func(reminders.Record) error) error {
	return s.tx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		err := each(ctx, tx, `SELECT owner, next_id, settings FROM kith_owners ORDER BY owner`, func(rows pgx.Rows) error {
			var owner string
			var seq int64
			var set []byte
			if err := rows.Scan(&owner, &seq, &set); err != nil {
				return err
			}
			o := reminders.OwnerID(owner)
			if err := fn(reminders.Record{Owner: o, Sequence: uint64(seq)}); err != nil {
				return err
			}
			if set == nil {
				return nil
			}
			var st reminders.Settings
			if err := decode(set, &st); err != nil {
				return err
			}
			return fn(reminders.Record{Owner: o, Settings: &st})
		})
		if err != nil {
			return err
		}
		if err := eachData(ctx, tx, "kith_contacts", func(o reminders.OwnerID, v []byte) error {
			var c reminders.Contact
			if err := decode(v, &c); err != nil {
				return err
			}
			return fn(reminders.Record{Owner: o, Contact: &c})
		}); err != nil {
			return err
		}
		if err := eachData(ctx, tx, "kith_interactions", func(o reminders.OwnerID, v []byte) error {
			var i reminders.Interaction
			if err := decode(v, &i); err != nil {
				return err
			}
			return fn(reminders.Record{Owner: o, Interaction: &i})
		}); err != nil {
			return err
		}
		if err := eachData(ctx, tx, "kith_promises", func(o reminders.OwnerID, v []byte) error {
			var p reminders.Promise
			if err := decode(v, &p); err != nil {
				return err
			}
			return fn(reminders.Record{Owner: o, Promise: &p})
		}); err != nil {
			return err
		}
		err = each(ctx, tx, `SELECT team, owner FROM kith_members ORDER BY team, owner`, func(rows pgx.Rows) error {
			var team, owner string
			if err := rows.Scan(&team, &owner); err != nil {
				return err
			}
			return fn(reminders.Record{Owner: reminders.OwnerID(owner), Member: reminders.TeamID(team)})
		})
		if err != nil {
			return err
		}
		err = each(ctx, tx, `SELECT data FROM kith_teams ORDER BY id`, func(rows pgx.Rows) error {
			var v []byte
			var t reminders.Team
			if err := rows.Scan(&v); err != nil {
				return err
			}
			if err := decode(v, &t); err != nil {
				return err
			}
			return fn(reminders.Record{Team: &t})
		})
		if err != nil {
			return err
		}
		err = each(ctx, tx, `SELECT data FROM kith_installations ORDER BY team`, func(rows pgx.Rows) error {
			var v []byte
			var in reminders.Installation
			if err := rows.Scan(&v); err != nil {
				return err
			}
			if err := decode(v, &in); err != nil {
				return err
			}
			return fn(reminders.Record{Installation: &in})
		})
		if err != nil {
			return err
		}
		return each(ctx, tx, `SELECT data FROM kith_jobs ORDER BY kind, id`, func(rows pgx.Rows) error {
			var v []byte
			var j reminders.Job
			if err := rows.Scan(&v); err != nil {
				return err
			}
			if err := decode(v, &j); err != nil {
				return err
			}
			return fn(reminders.Record{Job: &j})
		})
	})
}

// each runs a query and calls fn for every row as it arrives.
func each(ctx context.Context, tx pgx.Tx, sql string, fn func(rows pgx.Rows) error) error {
	rows, err := tx.Query(ctx, sql)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// eachData streams an owner-scoped table's records in key order.
func eachData(ctx context.Context, tx pgx.Tx, table string, fn func(o reminders.OwnerID, v []byte) error) error {
	return each(ctx, tx, `SELECT owner, data FROM `+table+` ORDER BY owner, id`, func(rows pgx.Rows) error {
		var owner string
		var v []byte
		if err := rows.Scan(&owner, &v); err != nil {
			return err
		}
		return fn(reminders.OwnerID(owner), v)
	})
}

// countsSQL counts every kind of record Counts reports.
const countsSQL = `SELECT
	(SELECT count(*) FROM kith_owners), (SELECT count(*) FROM kith_contacts),
	(SELECT count(*) FROM kith_interactions), (SELECT count(*) FROM kith_promises),
	(SELECT count(*) FROM kith_jobs), (SELECT count(*) FROM kith_teams),
	(SELECT count(*) FROM kith_installations)`

// Counts counts what the database holds.
func (s *Store) Counts(ctx context.Context) (reminders.Counts, error) {
	var c reminders.Counts
	err := s.pool.QueryRow(ctx, countsSQL).Scan(&c.Owners, &c.Contacts, &c.Interactions, &c.Promises, &c.Jobs, &c.Teams, &c.Installations)
	return c, unavailable(err)
}

// Load fills an empty database with the records produce passes to put,
// sending each table's rows through COPY, loadBatch records at a time, all
// in one transaction: a copy that fails half-way leaves the database empty,
// ready for another try.
func (s *Store) Load(ctx context.Context, produce func(put func(reminders.Record) error) error) error {
	return s.tx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		// Lock out a second copy into the same database until this one commits.
		if _, err := tx.Exec(ctx, `LOCK TABLE kith_owners IN EXCLUSIVE MODE`); err != nil {
			return err
		}
		var c reminders.Counts
		err := tx.QueryRow(ctx, countsSQL).Scan(&c.Owners, &c.Contacts, &c.Interactions, &c.Promises, &c.Jobs, &c.Teams, &c.Installations)
		if err != nil {
			return err
		}
		if c != (reminders.Counts{}) {
			return reminders.Errorf(reminders.ECONFLICT, "the target database is not empty (%s); copy into a new database.", c)
		}
		l := &pgLoader{tx: tx, ctx: ctx}
		if err := produce(l.put); err != nil {
			return err
		}
		if err := l.flush(); err != nil {
			return err
		}
		if err := fixSequences(ctx, tx); err != nil {
			return err
		}
		// Everyone copied with settings is planned at the next start.
		if _, err := tx.Exec(ctx, `INSERT INTO kith_plans (owner, seq)
			SELECT owner, nextval('kith_plan_seq') FROM kith_owners WHERE settings IS NOT NULL`); err != nil {
			return err
		}
		// Statistics now, not when autovacuum gets round to it: without
		// them the planner takes "due <= now" for a third of the jobs and
		// the first claims after a migration scan the whole table.
		_, err = tx.Exec(ctx, `ANALYZE `+strings.Join(tableOrder, ", "))
		return err
	})
}

// fixSequences keeps every owner's id sequence ahead of the ids it holds,
// whatever the source said, and gives every owner with records a row.
func fixSequences(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `
		WITH ids AS (
			SELECT owner, max(id) AS id FROM (
				SELECT owner, id FROM kith_contacts UNION ALL
				SELECT owner, id FROM kith_interactions UNION ALL
				SELECT owner, id FROM kith_promises) AS all_ids
			GROUP BY owner)
		INSERT INTO kith_owners (owner, next_id) SELECT owner, id FROM ids
		ON CONFLICT (owner) DO UPDATE SET next_id = greatest(kith_owners.next_id, EXCLUDED.next_id)`)
	return err
}

// pgLoader buffers rows per table until a batch is full.
type pgLoader struct {
	tx       pgx.Tx
	ctx      context.Context
	n        int
	rows     map[string][][]any
	settings [][2]any // owner, settings of owners already sent
}

// columns are the COPY columns of each table Load fills.
var columns = map[string][]string{
	"kith_owners":        {"owner", "next_id", "settings"},
	"kith_contacts":      {"owner", "id", "name_key", "name", "mention", "data"},
	"kith_interactions":  {"owner", "id", "contact_id", "at", "logged", "kind", "kept", "data"},
	"kith_promises":      {"owner", "id", "contact_id", "created", "data"},
	"kith_members":       {"team", "owner"},
	"kith_teams":         {"id", "set_by", "data"},
	"kith_jobs":          {"kind", "id", "due", "data"},
	"kith_installations": {"team", "data"},
}

// tableOrder is the order batches are sent in; any works, as no table
// refers to another.
var tableOrder = []string{"kith_owners", "kith_contacts", "kith_interactions", "kith_promises", "kith_members", "kith_teams", "kith_jobs", "kith_installations"}

func (l *pgLoader) add(table string, row ...any) {
	if l.rows == nil {
		l.rows = map[string][][]any{}
	}
	l.rows[table] = append(l.rows[table], row)
}

func (l *pgLoader) put(r reminders.Record) error {
	o := string(r.Owner)
	js := func(v any) ([]byte, error) {
		b, err := json.Marshal(v)
		return b, reminders.Internal(err)
	}
	var v []byte
	var err error
	switch {
	case r.Team != nil:
		if v, err = js(r.Team); err == nil {
			l.add("kith_teams", string(r.Team.ID), string(r.Team.SetBy), v)
		}
	case r.Job != nil:
		if v, err = js(r.Job); err == nil {
			l.add("kith_jobs", string(r.Job.Kind), r.Job.ID, r.Job.Visible(), v)
		}
	case r.Installation != nil:
		if v, err = js(r.Installation); err == nil {
			l.add("kith_installations", string(r.Installation.Team), v)
		}
	case r.Member != "":
		l.add("kith_members", string(r.Member), o)
	case r.Settings != nil:
		if v, err = js(r.Settings); err != nil {
			break
		}
		// The settings follow their owner's row, usually still in the buffer.
		owners := l.rows["kith_owners"]
		if n := len(owners); n > 0 && owners[n-1][0] == o {
			owners[n-1][2] = v
		} else {
			l.settings = append(l.settings, [2]any{o, v})
		}
	case r.Contact != nil:
		c := r.Contact
		if v, err = js(c); err == nil {
			l.add("kith_contacts", o, int64(c.ID), reminders.NameKey(c.Name), c.Name, c.Mention, v)
		}
	case r.Interaction != nil:
		i := r.Interaction
		if v, err = js(i); err == nil {
			l.add("kith_interactions", o, int64(i.ID), int64(i.ContactID), i.At, i.Logged, string(i.Kind), i.PromiseID != 0, v)
		}
	case r.Promise != nil:
		p := r.Promise
		if v, err = js(p); err == nil {
			l.add("kith_promises", o, int64(p.ID), int64(p.ContactID), p.Created, v)
		}
	case o != "":
		l.add("kith_owners", o, int64(r.Sequence), nil)
	}
	if err != nil {
		return err
	}
	if l.n++; l.n >= loadBatch {
		return l.flush()
	}
	return nil
}

// flush sends the buffered rows.
func (l *pgLoader) flush() error {
	for _, table := range tableOrder {
		rows := l.rows[table]
		if len(rows) == 0 {
			continue
		}
		if _, err := l.tx.CopyFrom(l.ctx, pgx.Identifier{table}, columns[table], pgx.CopyFromRows(rows)); err != nil {
			return err
		}
	}
	for _, s := range l.settings {
		if _, err := l.tx.Exec(l.ctx, `UPDATE kith_owners SET settings = $2 WHERE owner = $1`, s[0], s[1]); err != nil {
			return err
		}
	}
	clear(l.rows)
	l.settings, l.n = l.settings[:0], 0
	return nil
}
