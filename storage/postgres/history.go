package postgres

import (
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/kith-bot/kith/reminders"
)

// AddInteraction stores an interaction of one of the owner's contacts, setting its ID.
func (t *ownerTx) AddInteraction(i *reminders.Interaction) error {
	if err := t.mustWrite(); err != nil {
		return err
	}
	if !i.Kind.Valid() {
		return reminders.Errorf(reminders.EINVALID, "%q is not a kind of interaction; use met, gave, got or note.", i.Kind)
	}
	id, err := t.newID()
	if err != nil {
		return err
	}
	i.ID = id
	v, err := json.Marshal(i)
	if err != nil {
		return reminders.Internal(err)
	}
	args := []any{t.o(), int64(i.ID), int64(i.ContactID), i.At, i.Logged, string(i.Kind), i.PromiseID != 0, v}
	if _, ok := t.names[i.ContactID]; ok {
		// The contact was read or written in this transaction, under the
		// owner's lock, and not deleted since: it exists, and the insert
		// needs no answer, so it goes with the next statement.
		t.fresh(ref{kindInteraction, id})
		if err := t.remember(ref{kindInteraction, id}); err != nil {
			return err
		}
		return t.exec(`INSERT INTO kith_interactions (owner, id, contact_id, at, logged, kind, kept, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, args...)
	}
	// One statement checks the contact is the owner's, inserts, and returns
	// the contact's record: the caller almost always reads it next, to
	// update it, and then finds it read (see ownerTx.read).
	var name string
	var c []byte
	err = t.queryRow(`WITH c AS (SELECT name, data FROM kith_contacts WHERE owner = $1 AND id = $3),
		i AS (INSERT INTO kith_interactions (owner, id, contact_id, at, logged, kind, kept, data)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8 FROM c)
		SELECT name, data FROM c`, args...).Scan(&name, &c)
	if errors.Is(err, pgx.ErrNoRows) {
		t.nextID-- // hand the id out again
		i.ID = 0
		return errNoContact()
	}
	if err != nil {
		return err
	}
	t.keep(ref{kindContact, i.ContactID}, c)
	t.knowName(i.ContactID, name)
	t.readContact(i.ContactID, c)
	t.fresh(ref{kindInteraction, id})
	return t.remember(ref{kindInteraction, id})
}

// contactExists returns ENOTFOUND unless the owner has the contact.
func (t *ownerTx) contactExists(id uint64) error {
	if _, ok := t.names[id]; ok {
		return nil // read or written in this transaction under the owner's lock
	}
	var one int
	err := t.queryRow(`SELECT 1 FROM kith_contacts WHERE owner = $1 AND id = $2`, t.o(), int64(id)).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return errNoContact()
	}
	return err
}

// writeInteraction upserts an interaction's row from its record.
func (t *ownerTx) writeInteraction(i *reminders.Interaction, v []byte) error {
	return t.exec(`INSERT INTO kith_interactions (owner, id, contact_id, at, logged, kind, kept, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (owner, id) DO UPDATE SET contact_id = EXCLUDED.contact_id, at = EXCLUDED.at, logged = EXCLUDED.logged,
			kind = EXCLUDED.kind, kept = EXCLUDED.kept, data = EXCLUDED.data`,
		t.o(), int64(i.ID), int64(i.ContactID), i.At, i.Logged, string(i.Kind), i.PromiseID != 0, v)
}

// History returns a contact's interactions, newest by At first; limit <= 0 means all.
func (t *ownerTx) History(contactID uint64, limit int) ([]reminders.Interaction, error) {
	sql := `SELECT data FROM kith_interactions WHERE owner = $1 AND contact_id = $2 ORDER BY at DESC, id DESC`
	args := []any{t.o(), int64(contactID)}
	if limit > 0 {
		sql += ` LIMIT $3`
		args = append(args, limit)
	}
	rows, err := t.query(sql, args...)
	if err != nil {
		return nil, err
	}
	return collect[reminders.Interaction](rows)
}

// Activity counts the interactions logged in [from, to).
func (t *ownerTx) Activity(from, to time.Time) (reminders.ActivityCounts, error) {
	var counts reminders.ActivityCounts
	rows, err := t.query(`SELECT kind, kept, count(*) FROM kith_interactions
		WHERE owner = $1 AND logged >= $2 AND logged < $3 GROUP BY kind, kept`, t.o(), from, to)
	if err != nil {
		return counts, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var kept bool
		var n int64
		if err := rows.Scan(&kind, &kept, &n); err != nil {
			return counts, err
		}
		i := reminders.Interaction{Kind: reminders.Kind(kind)}
		if !i.Kind.CountsAsContact() {
			continue
		}
		if kept {
			i.PromiseID = 1
		}
		for range n {
			counts.Count(i)
		}
	}
	return counts, rows.Err()
}
