package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/kith-bot/kith/reminders"
)

// lockKey is the advisory lock that serialises schema changes, so that
// replicas starting at once migrate the database once. Any fixed number
// works; this one spells "kith" in ASCII.
const lockKey = 0x6b697468

// migration brings the schema from version-1 to version.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations are applied in order at Open; append, never edit, so that every
// database reaches the same shape whatever version it starts from.
//
// Every owner-scoped table leads with the owner column and is keyed by it,
// so every query an OwnerTx makes is an index range inside one owner.
// Records are stored whole as JSON (data), beside the few columns that
// queries order or filter by; the JSON is the truth and the columns are
// derived from it on every write.
var migrations = []migration{
	{1, "create the tables", `
CREATE TABLE kith_owners (
	owner    text COLLATE "C" PRIMARY KEY,
	settings jsonb,
	next_id  bigint NOT NULL DEFAULT 0, -- last id handed out, for every kind of record
	undo     jsonb                       -- before-images of the last undoable change
);
CREATE TABLE kith_contacts (
	owner    text COLLATE "C" NOT NULL,
	id       bigint NOT NULL,
	name_key text COLLATE "C" NOT NULL,
	name     text NOT NULL,
	mention  text NOT NULL,
	data     jsonb NOT NULL,
	PRIMARY KEY (owner, id),
	-- Deferred so that undo may write rows back in any order.
	CONSTRAINT kith_contacts_name UNIQUE (owner, name_key) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE kith_interactions (
	owner      text COLLATE "C" NOT NULL,
	id         bigint NOT NULL,
	contact_id bigint NOT NULL,
	at         timestamptz NOT NULL,
	logged     timestamptz NOT NULL,
	kind       text NOT NULL,
	kept       boolean NOT NULL,
	data       jsonb NOT NULL,
	PRIMARY KEY (owner, id)
);
CREATE INDEX kith_interactions_history ON kith_interactions (owner, contact_id, at DESC, id DESC);
CREATE INDEX kith_interactions_logged ON kith_interactions (owner, logged);
CREATE TABLE kith_promises (
	owner      text COLLATE "C" NOT NULL,
	id         bigint NOT NULL,
	contact_id bigint NOT NULL,
	created    timestamptz NOT NULL,
	data       jsonb NOT NULL,
	PRIMARY KEY (owner, id)
);
CREATE INDEX kith_promises_contact ON kith_promises (owner, contact_id);
CREATE TABLE kith_request_keys (
	owner text COLLATE "C" NOT NULL,
	key   text COLLATE "C" NOT NULL,
	seen  timestamptz NOT NULL,
	PRIMARY KEY (owner, key)
);
CREATE TABLE kith_teams (
	id     text COLLATE "C" PRIMARY KEY,
	set_by text COLLATE "C" NOT NULL,
	data   jsonb NOT NULL
);
CREATE INDEX kith_teams_set_by ON kith_teams (set_by) WHERE set_by <> '';
CREATE TABLE kith_members (
	team  text COLLATE "C" NOT NULL,
	owner text COLLATE "C" NOT NULL,
	PRIMARY KEY (team, owner)
);
CREATE INDEX kith_members_owner ON kith_members (owner);
CREATE TABLE kith_jobs (
	kind text COLLATE "C" NOT NULL,
	id   text COLLATE "C" NOT NULL,
	due  timestamptz NOT NULL,
	data jsonb NOT NULL,
	PRIMARY KEY (kind, id)
);
CREATE INDEX kith_jobs_due ON kith_jobs (due, kind, id);
CREATE TABLE kith_installations (
	team text COLLATE "C" PRIMARY KEY,
	data jsonb NOT NULL -- its token sealed, never clear
);
CREATE TABLE kith_once (
	key   text COLLATE "C" PRIMARY KEY,
	until timestamptz NOT NULL
);
CREATE INDEX kith_once_until ON kith_once (until);
CREATE TABLE kith_leases (
	name    text COLLATE "C" PRIMARY KEY,
	holder  text NOT NULL,
	expires timestamptz NOT NULL
);
`},
	{2, "the plan log", `
-- Owners whose settings changed since start-up last planned their digests
-- (reminders.PlanLog), each with the sequence number of the change.
CREATE TABLE kith_plans (
	owner text COLLATE "C" PRIMARY KEY,
	seq   bigint NOT NULL
);
CREATE SEQUENCE kith_plan_seq;
-- A database from before the log: its next start plans everyone once, as
-- every start did until now.
INSERT INTO kith_plans (owner, seq) SELECT owner, nextval('kith_plan_seq') FROM kith_owners WHERE settings IS NOT NULL;
`},
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

// migrate brings the schema up to date in one transaction under an advisory
// lock: a replica starting while another migrates waits, then finds the work
// done. The version is recorded in kith_schema.
func migrate(ctx context.Context, conn *pgx.Conn, list []migration) error {
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockKey); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS kith_schema (version integer NOT NULL)`); err != nil {
			return err
		}
		have := 0
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM kith_schema`).Scan(&have); err != nil {
			return err
		}
		latest := list[len(list)-1].version
		if have > latest {
			return reminders.Errorf(reminders.EUNAVAILABLE, "the database was written by a newer kith (schema %d, this one knows up to %d); upgrade kith to open it.", have, latest)
		}
		for _, m := range list {
			if m.version <= have {
				continue
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
			}
			have = m.version
		}
		if _, err := tx.Exec(ctx, `DELETE FROM kith_schema`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO kith_schema (version) VALUES ($1)`, have)
		return err
	})
}
