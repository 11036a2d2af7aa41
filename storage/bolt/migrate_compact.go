package bolt

import (
	"encoding/binary"
	"fmt"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// Schema 7 makes the shared bucket's records smaller, by rewriting the file
// (migrate_rewrite.go): the activity index is dropped (Activity reads the
// history); ids in contact, interaction and promise keys and in name index
// values take recordID's 2 or 3 bytes instead of 8, and a name index value
// holds its name as the capitals it adds to its key; an interaction's value
// leaves out what its key holds; a contact's value writes what it last got
// once when it is also its last note; jobs, in their bucket and the due
// index, are stored in record.go's form instead of JSON, without the kind
// and id their keys hold. Key order is kept, so the new file is written in
// order and packed full.

// compactRecords is migration 7; see above. Like migration 6 it converts a
// file with no owner in place, since there is nothing to shrink; its jobs
// are converted all the same: a file whose owners were all forgotten still
// holds its teams' summary jobs, and JSON left there would stop the
// scheduler and, within releaseWindow of a job's due time, Open itself.
func compactRecords(db *bbolt.DB, path string, version uint64) (*bbolt.DB, error) {
	compactJobs := func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketJobs, bucketDue} {
			if err := compactJobsInPlace(tx.Bucket(name)); err != nil {
				return err
			}
		}
		return nil
	}
	return rewriteUnlessEmpty(db, path, version, bucketData, compactJobs, copyCompact)
}

// compactJobsInPlace re-encodes a bucket of JSON jobs in schema 7's form.
func compactJobsInPlace(b *bbolt.Bucket) error {
	var keys, values [][]byte
	err := b.ForEach(func(k, v []byte) error {
		var j reminders.Job
		if err := decode(v, &j); err != nil {
			return fmt.Errorf("job %q: %w", k, err)
		}
		keys, values = append(keys, clone(k)), append(values, encodeJob(&j))
		return nil
	})
	if err != nil {
		return err
	}
	for n, k := range keys { // not inside ForEach: a put there may move its cursor
		if err := b.Put(k, values[n]); err != nil {
			return err
		}
	}
	return nil
}

// copyCompact writes the data bucket and the jobs of from in schema 7's
// form, and every other bucket as it is.
func copyCompact(from *bbolt.Tx, w *rewriter) error {
	err := from.Bucket(bucketData).ForEach(func(k, v []byte) error {
		if len(k) < ownerNumLen {
			return reminders.Errorf(reminders.EINTERNAL, "the data bucket holds a key %q shorter than an owner's number.", k)
		}
		nk, nv, err := compactRecord(k[ownerNumLen:], v)
		if err != nil {
			return fmt.Errorf("owner %x, key %q: %w", k[:ownerNumLen], k[ownerNumLen:], err)
		}
		if nk == nil {
			return nil
		}
		d, err := w.bucket(bucketData)
		if err != nil {
			return err
		}
		return d.Put(join(k[:ownerNumLen], nk), nv)
	})
	if err != nil {
		return err
	}
	for _, name := range [][]byte{bucketJobs, bucketDue} {
		err := from.Bucket(name).ForEach(func(k, v []byte) error {
			var j reminders.Job
			if err := decode(v, &j); err != nil {
				return fmt.Errorf("job %q: %w", k, err)
			}
			b, err := w.bucket(name)
			if err != nil {
				return err
			}
			return b.Put(clone(k), encodeJob(&j))
		})
		if err != nil {
			return err
		}
	}
	return copyBuckets(from, w, bucketData, bucketJobs, bucketDue)
}

// errSchema6Key reports a schema 6 key that is not in that schema's form.
var errSchema6Key = fmt.Errorf("%w: a key not in schema 6's form", errRecord)

// compactRecord converts one owner-relative key of schema 6 and its value
// (nil for an undo entry of a key that was absent) to schema 7; a nil key
// drops it.
func compactRecord(k, v []byte) (nk, nv []byte, err error) {
	if len(k) == 0 {
		return clone(k), clone(v), nil
	}
	switch space(k[0]) {
	case spaceActivity:
		return nil, nil, nil
	case spaceContacts:
		if len(k) != 1+8 {
			return nil, nil, errSchema6Key
		}
		nk = contactKey(parseID(k[1:]))
		if v == nil {
			return nk, nil, nil
		}
		var c reminders.Contact
		if err := decodeContact(v, &c); err != nil {
			return nil, nil, err
		}
		return nk, encodeContact(&c), nil
	case spaceInteractions:
		if len(k) != 1+8+timeKeyLen+8 {
			return nil, nil, errSchema6Key
		}
		// Migration 6 wrote values without the fields the key holds
		// (it encodes with encodeInteraction), so the old key supplies them.
		contactID, at, id := parseID(k[1:]), parseTimeKey(k[9:]), parseID(k[9+timeKeyLen:])
		i := reminders.Interaction{ID: id, ContactID: contactID, At: at}
		nk = interactionKey(i)
		if v == nil {
			return nk, nil, nil
		}
		if err := decodeInteraction(v, &i, contactID, at, id); err != nil {
			return nil, nil, err
		}
		return nk, encodeInteraction(&i), nil
	case spacePromises:
		if len(k) != 1+8+8 {
			return nil, nil, errSchema6Key
		}
		return spacePromises.key(recordID(parseID(k[1:])), recordID(parseID(k[9:]))), clone(v), nil
	case spaceNames:
		if v == nil {
			return clone(k), nil, nil
		}
		n, w := binary.Uvarint(v[min(8, len(v)):])
		if len(v) < 8 || w <= 0 || n > uint64(len(v)-8-w) {
			return nil, nil, errNameEntry
		}
		name := v[8+w:][:n]
		c := reminders.Contact{ID: parseID(v), Name: string(name), Mention: string(v[8+w+int(n):])}
		return clone(k), nameEntry(&c), nil
	case spaceUndo:
		var rec undoRecord
		if err := decodeUndo(v, &rec); err != nil {
			return nil, nil, err
		}
		entries := rec.Entries[:0]
		for _, e := range rec.Entries {
			value := e.Value
			if e.Absent {
				value = nil
			}
			ek, ev, err := compactRecord(e.Key, value)
			if err != nil {
				return nil, nil, err
			}
			if ek == nil {
				continue
			}
			e.Key = ek
			if !e.Absent {
				e.Value = ev
			}
			entries = append(entries, e)
		}
		rec.Entries = entries
		return clone(k), encodeUndo(&rec), nil
	}
	return clone(k), clone(v), nil
}
