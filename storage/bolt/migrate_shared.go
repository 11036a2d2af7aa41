package bolt

import (
	"encoding/binary"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// Schema 6 moves every owner's records from a nested bucket per owner into
// the shared bucket (owner_range.go) and re-encodes contacts, interactions,
// promises and undo records from JSON into record.go's form, by rewriting
// the file (migrate_rewrite.go).

// shareOwners is migration 6; see above.
func shareOwners(db *bbolt.DB, path string, version uint64) (*bbolt.DB, error) {
	createData := func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketData)
		return err
	}
	return rewriteUnlessEmpty(db, path, version, bucketOwners, createData, copyShared)
}

// copyShared writes everything in from into the shared layout.
func copyShared(from *bbolt.Tx, w *rewriter) error {
	owners := from.Bucket(bucketOwners)
	var num uint32
	err := owners.ForEach(func(owner, v []byte) error {
		if v != nil { // schema 5 holds nothing but nested buckets here
			return reminders.Errorf(reminders.EINTERNAL, "the owners bucket holds a value for %q, which schema 5 never wrote.", owner)
		}
		num++
		prefix := binary.BigEndian.AppendUint32(nil, num)
		b, err := w.bucket(bucketOwners)
		if err != nil {
			return err
		}
		if err := b.Put(clone(owner), prefix); err != nil {
			return err
		}
		if err := b.SetSequence(uint64(num)); err != nil {
			return err
		}
		ob := owners.Bucket(owner)
		if seq := ob.Sequence(); seq != 0 {
			d, err := w.bucket(bucketData)
			if err != nil {
				return err
			}
			if err := d.Put(join(prefix, seqKey), idKey(seq)); err != nil {
				return err
			}
		}
		return ob.ForEach(func(k, v []byte) error {
			nv, err := convertValue(k, v)
			if err != nil {
				return err
			}
			d, err := w.bucket(bucketData)
			if err != nil {
				return err
			}
			return d.Put(join(prefix, k), nv)
		})
	})
	if err != nil {
		return err
	}
	return copyBuckets(from, w, bucketOwners)
}

// convertValue re-encodes one value of a schema 5 owner bucket, by the
// space of its key, from JSON into record.go's form; the rest is kept as it is.
func convertValue(k, v []byte) ([]byte, error) {
	if len(k) == 0 {
		return clone(v), nil
	}
	switch space(k[0]) {
	case spaceContacts:
		var c reminders.Contact
		if err := decode(v, &c); err != nil {
			return nil, err
		}
		return encodeContact(&c), nil
	case spaceInteractions:
		var i reminders.Interaction
		if err := decode(v, &i); err != nil {
			return nil, err
		}
		return encodeInteraction(&i), nil
	case spacePromises:
		var p reminders.Promise
		if err := decode(v, &p); err != nil {
			return nil, err
		}
		return encodePromise(&p), nil
	case spaceUndo:
		var rec undoRecord
		if err := decode(v, &rec); err != nil {
			return nil, err
		}
		for i, e := range rec.Entries {
			if e.Absent {
				continue
			}
			nv, err := convertValue(e.Key, e.Value)
			if err != nil {
				return nil, err
			}
			rec.Entries[i].Value = nv
		}
		return encodeUndo(&rec), nil
	}
	return clone(v), nil
}
