package postgres

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/kith-bot/kith/reminders"
)

// rowKind names the owner-scoped tables an undo record can restore.
type rowKind string

const (
	kindSettings    rowKind = "s"
	kindContact     rowKind = "c"
	kindInteraction rowKind = "i"
	kindPromise     rowKind = "p"
)

// ref identifies one row of the owner's data.
type ref struct {
	Kind rowKind `json:"t"`
	ID   uint64  `json:"id"`
}

// undoRecord is what the last undoable change overwrote: the before-image
// of every row it touched, as in the bbolt store (which keeps key-level
// images). Restoring rows is generic: any change is reversed by writing
// those images back.
type undoRecord struct {
	Label   string      `json:"label"`
	At      time.Time   `json:"at"`
	Entries []undoEntry `json:"entries"`
}

// marshal encodes the record as json.Marshal would, but copies each
// before-image as it is: they are rows Postgres sent, valid JSON already,
// and json.Marshal would scan every one of them again to compact it.
func (r undoRecord) marshal() ([]byte, error) {
	n := 64 + len(r.Label)
	for _, e := range r.Entries {
		n += 32 + len(e.Value)
	}
	b := make([]byte, 0, n)
	label, err := json.Marshal(r.Label)
	if err != nil {
		return nil, err
	}
	at, err := r.At.MarshalJSON()
	if err != nil {
		return nil, err
	}
	b = append(append(append(append(b, `{"label":`...), label...), `,"at":`...), at...)
	b = append(b, `,"entries":`...)
	if r.Entries == nil {
		return append(b, "null}"...), nil
	}
	b = append(b, '[')
	for i, e := range r.Entries {
		if i > 0 {
			b = append(b, ',')
		}
		kind, err := json.Marshal(e.Kind)
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, `{"t":`...), kind...), `,"id":`...)
		b = strconv.AppendUint(b, e.ID, 10)
		if len(e.Value) > 0 {
			b = append(append(b, `,"v":`...), e.Value...)
		}
		if e.Absent {
			b = append(b, `,"a":true`...)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...), nil
}

// undoEntry is one row's record before the change; Absent when it did not exist.
type undoEntry struct {
	ref
	Value  json.RawMessage `json:"v,omitempty"`
	Absent bool            `json:"a,omitempty"`
}

// keep notes a row's stored value as read, so remembering it later for undo
// needs no second query.
func (t *ownerTx) keep(r ref, v []byte) {
	if !t.recording {
		return
	}
	if _, done := t.touched[r]; done {
		return
	}
	if t.cache == nil {
		t.cache = map[ref][]byte{}
	}
	t.cache[r] = v
}

// remember notes that a row is about to be written and, when recording,
// saves its before-image the first time the change touches it.
func (t *ownerTx) remember(r ref) error {
	if _, ok := t.touched[r]; ok {
		return nil
	}
	if t.touched == nil {
		t.touched = map[ref]struct{}{}
	}
	t.touched[r] = struct{}{}
	if !t.recording {
		return nil
	}
	v, ok := t.cache[r]
	if !ok {
		var err error
		if v, err = t.current(r); err != nil {
			return err
		}
	}
	t.entries = append(t.entries, undoEntry{ref: r, Value: v, Absent: v == nil})
	return nil
}

// fresh notes that a row with a newly handed-out id is about to be
// created: its before-image is "absent" without asking the database.
func (t *ownerTx) fresh(r ref) {
	if t.recording {
		t.keep(r, nil)
	}
}

// current reads a row's stored record; nil when it does not exist.
func (t *ownerTx) current(r ref) ([]byte, error) {
	var sql string
	switch r.Kind {
	case kindSettings:
		sql = `SELECT settings FROM kith_owners WHERE owner = $1 AND $2::bigint = 0`
	case kindContact:
		sql = `SELECT data FROM kith_contacts WHERE owner = $1 AND id = $2`
	case kindInteraction:
		sql = `SELECT data FROM kith_interactions WHERE owner = $1 AND id = $2`
	case kindPromise:
		sql = `SELECT data FROM kith_promises WHERE owner = $1 AND id = $2`
	}
	var v []byte
	err := t.queryRow(sql, t.o(), int64(r.ID)).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return v, err
}

// finishUndo returns the owner's undo record after this change and whether
// it changed: this change's record when it was undoable; none when it
// overwrote a row the previous record would restore, since undoing would
// then silently revert this newer change too.
func (t *ownerTx) finishUndo(change reminders.Change) ([]byte, bool, error) {
	if t.undone || len(t.touched) == 0 {
		return t.undo, t.undone, nil
	}
	if t.recording {
		v, err := undoRecord{Label: change.Undo, At: change.Now, Entries: t.entries}.marshal()
		return v, true, reminders.Internal(err)
	}
	rec, err := t.undoRecord()
	if err != nil || rec == nil {
		return t.undo, false, err
	}
	if slices.ContainsFunc(rec.Entries, func(e undoEntry) bool {
		_, ok := t.touched[e.ref]
		return ok
	}) {
		return nil, true, nil
	}
	return t.undo, false, nil
}

// undoRecord decodes the owner's undo record; nil when there is none.
func (t *ownerTx) undoRecord() (*undoRecord, error) {
	if t.undoUnread {
		err := t.queryRow(`SELECT undo FROM kith_owners WHERE owner = $1`, t.o()).Scan(&t.undo)
		if err != nil {
			return nil, err
		}
		t.undoUnread = false
	}
	if t.undo == nil {
		return nil, nil
	}
	var rec undoRecord
	if err := decode(t.undo, &rec); err != nil {
		return nil, err
	}
	return &rec, nil
}

// Undo writes back the before-images of the last undoable change and forgets
// them, so a second undo finds nothing instead of redoing.
func (t *ownerTx) Undo(now time.Time) (string, error) {
	if err := t.mustWrite(); err != nil {
		return "", err
	}
	rec, err := t.undoRecord()
	if err != nil {
		return "", err
	}
	if rec == nil {
		return "", reminders.NothingToUndo()
	}
	if err := reminders.Undoable(rec.Label, rec.At, now); err != nil {
		return "", err
	}
	t.names, t.read = nil, nil // the rows written back may carry other names and records
	for _, e := range rec.Entries {
		if err := t.restore(e); err != nil {
			return "", err
		}
	}
	t.undo, t.undone = nil, true
	return rec.Label, nil
}

// restore writes one before-image back, bypassing the undo recorder.
func (t *ownerTx) restore(e undoEntry) error {
	if e.Absent {
		return t.deleteRow(e.ref)
	}
	switch e.Kind {
	case kindSettings:
		t.markPlan() // the settings went back: plan from them
		return t.exec(`UPDATE kith_owners SET settings = $2 WHERE owner = $1`, t.o(), []byte(e.Value))
	case kindContact:
		var c reminders.Contact
		if err := decode(e.Value, &c); err != nil {
			return err
		}
		return t.writeContact(&c, e.Value)
	case kindInteraction:
		var i reminders.Interaction
		if err := decode(e.Value, &i); err != nil {
			return err
		}
		return t.writeInteraction(&i, e.Value)
	case kindPromise:
		var p reminders.Promise
		if err := decode(e.Value, &p); err != nil {
			return err
		}
		return t.writePromise(&p, e.Value)
	}
	return nil
}

// deleteRow removes one row of the owner's data.
func (t *ownerTx) deleteRow(r ref) error {
	switch r.Kind {
	case kindSettings:
		t.markPlan()
		return t.exec(`UPDATE kith_owners SET settings = NULL WHERE owner = $1`, t.o())
	case kindContact:
		delete(t.names, r.ID)
		delete(t.read, r.ID)
		return t.exec(`DELETE FROM kith_contacts WHERE owner = $1 AND id = $2`, t.o(), int64(r.ID))
	case kindInteraction:
		return t.exec(`DELETE FROM kith_interactions WHERE owner = $1 AND id = $2`, t.o(), int64(r.ID))
	case kindPromise:
		return t.exec(`DELETE FROM kith_promises WHERE owner = $1 AND id = $2`, t.o(), int64(r.ID))
	}
	return nil
}

// del removes a row, recording its before-image.
func (t *ownerTx) del(r ref) error {
	if err := t.remember(r); err != nil {
		return err
	}
	return t.deleteRow(r)
}
