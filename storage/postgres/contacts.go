package postgres

import (
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/kith-bot/kith/reminders"
)

// errNoContact is the sentence for an unknown contact id; the id may belong
// to another owner, so the message says nothing more.
func errNoContact() error {
	return reminders.Errorf(reminders.ENOTFOUND, "That contact does not exist (it may have been removed).")
}

// contactOrder is the order of Contacts and Names: by NameKey, then id,
// compared bytewise (the columns are COLLATE "C"), as the bbolt store orders them.
const contactOrder = ` ORDER BY name_key, id`

// Contacts returns every contact, ordered by name.
func (t *ownerTx) Contacts() ([]reminders.Contact, error) {
	rows, err := t.query(`SELECT data FROM kith_contacts WHERE owner = $1`+contactOrder, t.o())
	if err != nil {
		return nil, err
	}
	return collect[reminders.Contact](rows)
}

// collect decodes every row's one JSON column.
func collect[T any](rows pgx.Rows) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v []byte
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		var x T
		if err := decode(v, &x); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Names appends every contact with only ID, Name and Mention set, reading
// three short columns instead of the records.
func (t *ownerTx) Names(dst []reminders.Contact) ([]reminders.Contact, error) {
	rows, err := t.query(`SELECT id, name, mention FROM kith_contacts WHERE owner = $1`+contactOrder, t.o())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c reminders.Contact
		var id int64
		if err := rows.Scan(&id, &c.Name, &c.Mention); err != nil {
			return nil, err
		}
		c.ID = uint64(id)
		dst = append(dst, c)
	}
	return dst, rows.Err()
}

// Contact returns one contact; ENOTFOUND when the owner has none with that id.
func (t *ownerTx) Contact(id uint64) (reminders.Contact, error) {
	var c reminders.Contact
	v, ok := t.read[id]
	if !ok {
		err := t.queryRow(`SELECT data FROM kith_contacts WHERE owner = $1 AND id = $2`, t.o(), int64(id)).Scan(&v)
		if errors.Is(err, pgx.ErrNoRows) {
			return c, errNoContact()
		}
		if err != nil {
			return c, err
		}
	}
	t.keep(ref{kindContact, id}, v)
	if err := decode(v, &c); err != nil {
		return c, err
	}
	t.knowName(c.ID, c.Name)
	t.readContact(c.ID, v)
	return c, nil
}

// readContact notes a contact's stored record as read (see ownerTx.read).
func (t *ownerTx) readContact(id uint64, v []byte) {
	if !t.writable {
		return
	}
	if t.read == nil {
		t.read = map[uint64][]byte{}
	}
	t.read[id] = v
}

// knowName notes a contact's stored name (see ownerTx.names).
func (t *ownerTx) knowName(id uint64, name string) {
	if !t.writable {
		return
	}
	if t.names == nil {
		t.names = map[uint64]string{}
	}
	t.names[id] = reminders.NameKey(name)
}

// ContactByName returns the contact with that name in any case; ENOTFOUND otherwise.
func (t *ownerTx) ContactByName(name string) (reminders.Contact, error) {
	var c reminders.Contact
	var v []byte
	err := t.queryRow(`SELECT data FROM kith_contacts WHERE owner = $1 AND name_key = $2`, t.o(), reminders.NameKey(name)).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return c, reminders.Errorf(reminders.ENOTFOUND, "You have no contact named %q.", name)
	}
	if err != nil {
		return c, err
	}
	if err := decode(v, &c); err != nil {
		return c, err
	}
	t.keep(ref{kindContact, c.ID}, v)
	t.knowName(c.ID, c.Name)
	t.readContact(c.ID, v)
	return c, nil
}

// PutContact creates (ID 0) or replaces a contact; ECONFLICT when another
// contact of the owner has that name.
func (t *ownerTx) PutContact(c *reminders.Contact) error {
	if err := t.mustWrite(); err != nil {
		return err
	}
	if err := reminders.CheckName(c.Name); err != nil {
		return err
	}
	if key, ok := t.names[c.ID]; ok && c.ID != 0 && key == reminders.NameKey(c.Name) {
		// Read in this transaction under the owner's lock, name unchanged.
		if err := t.remember(ref{kindContact, c.ID}); err != nil {
			return err
		}
		v, err := json.Marshal(c)
		if err != nil {
			return reminders.Internal(err)
		}
		// The row exists (it was read under the lock) and keeps its name key.
		delete(t.read, c.ID)
		return t.exec(`UPDATE kith_contacts SET name = $3, mention = $4, data = $5 WHERE owner = $1 AND id = $2`,
			t.o(), int64(c.ID), c.Name, c.Mention, v)
	}
	var holder int64
	var old []byte
	err := t.queryRow(`SELECT id, data FROM kith_contacts WHERE owner = $1 AND name_key = $2`, t.o(), reminders.NameKey(c.Name)).Scan(&holder, &old)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		holder = 0
	case err != nil:
		return err
	case uint64(holder) != c.ID:
		return reminders.Errorf(reminders.ECONFLICT, "You already have a contact named %q; pick another name or edit that contact.", c.Name)
	default:
		t.keep(ref{kindContact, c.ID}, old)
	}
	if c.ID == 0 {
		id, err := t.newID()
		if err != nil {
			return err
		}
		c.ID = id
		t.fresh(ref{kindContact, id})
	} else if holder == 0 {
		// Renamed: the contact must exist (the name did not prove it).
		if _, err := t.Contact(c.ID); err != nil {
			return err
		}
	}
	if err := t.remember(ref{kindContact, c.ID}); err != nil {
		return err
	}
	v, err := json.Marshal(c)
	if err != nil {
		return reminders.Internal(err)
	}
	return t.writeContact(c, v)
}

// writeContact upserts a contact's row from its record.
func (t *ownerTx) writeContact(c *reminders.Contact, v []byte) error {
	t.knowName(c.ID, c.Name)
	delete(t.read, c.ID)
	return t.exec(`INSERT INTO kith_contacts (owner, id, name_key, name, mention, data) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (owner, id) DO UPDATE SET name_key = EXCLUDED.name_key, name = EXCLUDED.name, mention = EXCLUDED.mention, data = EXCLUDED.data`,
		t.o(), int64(c.ID), reminders.NameKey(c.Name), c.Name, c.Mention, v)
}

// DeleteContact removes a contact with its history and promises.
func (t *ownerTx) DeleteContact(id uint64) error {
	if err := t.mustWrite(); err != nil {
		return err
	}
	if _, err := t.Contact(id); err != nil {
		return err
	}
	if t.recording {
		// Every row goes into the undo record, one at a time.
		history, err := t.History(id, 0)
		if err != nil {
			return err
		}
		for _, i := range history {
			if err := t.del(ref{kindInteraction, i.ID}); err != nil {
				return err
			}
		}
		promises, err := t.Promises(id)
		if err != nil {
			return err
		}
		for _, p := range promises {
			if err := t.del(ref{kindPromise, p.ID}); err != nil {
				return err
			}
		}
		delete(t.names, id)
		return t.del(ref{kindContact, id})
	}
	delete(t.names, id)
	if err := t.touchAll(`SELECT id FROM kith_interactions WHERE owner = $1 AND contact_id = $2`, kindInteraction, id); err != nil {
		return err
	}
	if err := t.touchAll(`SELECT id FROM kith_promises WHERE owner = $1 AND contact_id = $2`, kindPromise, id); err != nil {
		return err
	}
	if err := t.exec(`DELETE FROM kith_interactions WHERE owner = $1 AND contact_id = $2`, t.o(), int64(id)); err != nil {
		return err
	}
	if err := t.exec(`DELETE FROM kith_promises WHERE owner = $1 AND contact_id = $2`, t.o(), int64(id)); err != nil {
		return err
	}
	return t.del(ref{kindContact, id})
}

// touchAll marks the rows a query lists as touched, so that deleting them
// in bulk still invalidates an undo record that would restore them.
func (t *ownerTx) touchAll(sql string, kind rowKind, id uint64) error {
	if rec, err := t.undoRecord(); err != nil || rec == nil {
		return err
	}
	rows, err := t.query(sql, t.o(), int64(id))
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	for _, i := range ids {
		if err := t.remember(ref{kind, uint64(i)}); err != nil {
			return err
		}
	}
	return nil
}
