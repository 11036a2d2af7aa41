package bolt

import (
	"bytes"
	"slices"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// undoRecord is what the last undoable change overwrote: the before-image of
// every key it touched in the owner's range. Recording at the key level
// keeps undo generic: any change, whatever records and indexes it writes, is
// reversed by writing those images back.
type undoRecord struct {
	Label   string      `json:"label"`
	At      time.Time   `json:"at"`
	Entries []undoEntry `json:"entries"`
}

// The JSON names are how schema 5 and before stored the record.

// undoEntry is one key's value before the change; Absent when it did not exist.
type undoEntry struct {
	Key    []byte `json:"k"`
	Value  []byte `json:"v,omitempty"`
	Absent bool   `json:"a,omitempty"`
}

// remember notes that key is about to be written and, when recording, saves
// its before-image the first time the change touches it.
func (t *ownerTx) remember(key []byte) {
	if !t.recording {
		// Without a record to protect there is nothing to track; most
		// writes (a scheduler's, a bot's non-undoable ones) skip the map.
		if t.track == 0 {
			t.track = -1
			if t.b.Get(spaceUndo.key()) != nil {
				t.track = 1
			}
		}
		if t.track < 0 {
			return
		}
	}
	if _, ok := t.touched[string(key)]; ok {
		return
	}
	if t.touched == nil {
		t.touched = map[string]struct{}{}
	}
	t.touched[string(key)] = struct{}{}
	if !t.recording {
		return
	}
	e := undoEntry{Key: clone(key), Absent: true}
	if v := t.b.Get(key); v != nil {
		e.Value, e.Absent = clone(v), false
	}
	t.entries = append(t.entries, e)
}

// finishUndo stores the change's undo record, or drops the previous record
// when this change overwrote a key it would restore: undoing then would
// silently revert this newer change too.
func (t *ownerTx) finishUndo(change reminders.Change) error {
	if t.undone || len(t.touched) == 0 {
		return nil
	}
	if t.recording {
		return t.b.Put(spaceUndo.key(), encodeUndo(&undoRecord{Label: change.Undo, At: change.Now, Entries: t.entries}))
	}
	rec, err := t.undoRecord()
	if err != nil || rec == nil {
		return err
	}
	if slices.ContainsFunc(rec.Entries, func(e undoEntry) bool {
		_, ok := t.touched[string(e.Key)]
		return ok
	}) {
		return t.b.Delete(spaceUndo.key())
	}
	return nil
}

// undoRecord reads the owner's undo record; nil when there is none.
func (t *ownerTx) undoRecord() (*undoRecord, error) {
	v := t.get(spaceUndo.key())
	if v == nil {
		return nil, nil
	}
	var rec undoRecord
	if err := decodeUndo(v, &rec); err != nil {
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
	for _, e := range rec.Entries {
		if e.Absent {
			err = t.b.Delete(e.Key)
		} else {
			err = t.b.Put(e.Key, e.Value)
		}
		if err == nil && bytes.Equal(e.Key, spaceSettings.key()) {
			err = markPlan(t.b.Tx(), t.owner) // the settings went back: plan from them
		}
		if err != nil {
			return "", reminders.Internal(err)
		}
	}
	if err := t.b.Delete(spaceUndo.key()); err != nil {
		return "", reminders.Internal(err)
	}
	t.undone = true
	return rec.Label, nil
}
