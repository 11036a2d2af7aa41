package bolt

import (
	"bytes"
	"fmt"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// indexNames is migration 2, on the layout of schema 5 and before (a nested
// bucket per owner, JSON records): the name index of every owner is rebuilt from
// the contact records in the form that carries the display name and mention
// (schema 1 kept only the id), and so are the name entries of undo records,
// so that an undo across the upgrade restores entries of the new form.
func indexNames(tx *bbolt.Tx) error {
	owners := tx.Bucket(bucketOwners)
	var ids [][]byte
	err := owners.ForEach(func(k, v []byte) error {
		if v == nil { // a nested bucket: an owner
			ids = append(ids, clone(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := indexOwnerNames(owners.Bucket(id)); err != nil {
			return fmt.Errorf("owner %s: %w", id, err)
		}
	}
	return nil
}

// indexOwnerNames replaces one owner's name index with entries made from
// their contact records, then converts their undo record.
func indexOwnerNames(b *bbolt.Bucket) error {
	var stale, keys, entries [][]byte
	c := b.Cursor()
	prefix := spaceNames.key()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		stale = append(stale, clone(k))
	}
	prefix = spaceContacts.key()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var ct reminders.Contact
		if err := decode(v, &ct); err != nil {
			return err
		}
		ct.ID = parseID(k[1:]) // the key is the authority on the id
		keys, entries = append(keys, nameKey(ct.Name)), append(entries, nameEntry6(&ct))
	}
	for _, k := range stale {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	for i, k := range keys {
		if err := b.Put(k, entries[i]); err != nil {
			return err
		}
	}
	return convertUndoNames(b)
}

// convertUndoNames rewrites the name entries of the owner's undo record
// (schema 1: the id alone) into entries made from the contact as it was
// then: its before-image in the same record, which schema 1 always wrote
// along with the name, or else the contact as it is now. A record that
// cannot be converted is dropped: undo then says there is nothing to undo,
// rather than restoring an entry Names cannot read.
func convertUndoNames(b *bbolt.Bucket) error {
	v := b.Get(spaceUndo.key())
	if v == nil {
		return nil
	}
	var rec undoRecord
	if err := decode(v, &rec); err != nil {
		return err
	}
	before := map[string]undoEntry{}
	for _, e := range rec.Entries {
		if len(e.Key) > 0 && space(e.Key[0]) == spaceContacts {
			before[string(e.Key)] = e
		}
	}
	for i, e := range rec.Entries {
		if len(e.Key) == 0 || space(e.Key[0]) != spaceNames || e.Absent {
			continue
		}
		if len(e.Value) != 8 {
			return b.Delete(spaceUndo.key())
		}
		key := spaceContacts.key(e.Value)
		image := b.Get(key)
		if old, ok := before[string(key)]; ok {
			image = old.Value // nil when the change created the contact
		}
		if image == nil {
			return b.Delete(spaceUndo.key())
		}
		var ct reminders.Contact
		if err := decode(image, &ct); err != nil {
			return err
		}
		ct.ID = parseID(e.Value)
		rec.Entries[i].Value = nameEntry6(&ct)
	}
	nv, err := encode(rec)
	if err != nil {
		return err
	}
	return b.Put(spaceUndo.key(), nv)
}
