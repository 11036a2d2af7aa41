package postgres

import (
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/kith-bot/kith/reminders"
)

// Promises returns a contact's promises, oldest first; contactID 0 means all.
func (t *ownerTx) Promises(contactID uint64) ([]reminders.Promise, error) {
	sql := `SELECT data FROM kith_promises WHERE owner = $1 ORDER BY created, id`
	args := []any{t.o()}
	if contactID != 0 {
		sql = `SELECT data FROM kith_promises WHERE owner = $1 AND contact_id = $2 ORDER BY created, id`
		args = append(args, int64(contactID))
	}
	rows, err := t.query(sql, args...)
	if err != nil {
		return nil, err
	}
	return collect[reminders.Promise](rows)
}

// PutPromise creates (ID 0) or replaces a promise on one of the owner's contacts.
func (t *ownerTx) PutPromise(p *reminders.Promise) error {
	if err := t.mustWrite(); err != nil {
		return err
	}
	if err := t.contactExists(p.ContactID); err != nil {
		return err
	}
	if p.ID == 0 {
		id, err := t.newID()
		if err != nil {
			return err
		}
		p.ID = id
		t.fresh(ref{kindPromise, id})
	} else {
		var old []byte
		err := t.queryRow(`SELECT data FROM kith_promises WHERE owner = $1 AND id = $2 AND contact_id = $3`,
			t.o(), int64(p.ID), int64(p.ContactID)).Scan(&old)
		if errors.Is(err, pgx.ErrNoRows) {
			return reminders.Errorf(reminders.ENOTFOUND, "That promise does not exist (it may have been removed).")
		}
		if err != nil {
			return err
		}
		t.keep(ref{kindPromise, p.ID}, old)
	}
	if err := t.remember(ref{kindPromise, p.ID}); err != nil {
		return err
	}
	v, err := json.Marshal(p)
	if err != nil {
		return reminders.Internal(err)
	}
	return t.writePromise(p, v)
}

// writePromise upserts a promise's row from its record.
func (t *ownerTx) writePromise(p *reminders.Promise, v []byte) error {
	return t.exec(`INSERT INTO kith_promises (owner, id, contact_id, created, data) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (owner, id) DO UPDATE SET contact_id = EXCLUDED.contact_id, created = EXCLUDED.created, data = EXCLUDED.data`,
		t.o(), int64(p.ID), int64(p.ContactID), p.Created, v)
}
