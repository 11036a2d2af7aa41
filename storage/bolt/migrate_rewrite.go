package bolt

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// Schemas 6 and 7 change the layout of every record, and write a new file
// beside the old one and rename it into place, rather than converting in
// place: bbolt never gives pages back to the file system, so a file
// converted in place would keep its old size, which is what both are for.
// The old file is only read, under its lock, until the new one is whole and
// synced; the rename is atomic. A crash at any step leaves either the old
// file at the old schema (and a leftover temporary file, replaced by the
// next attempt) or the new one at the new schema, never a mixture.

// rewriteBatch is how many keys the rewrite puts per transaction of the new
// file: commits are few (the new file is synced once, at the end) and a
// transaction's dirty pages stay a few megabytes.
var rewriteBatch = 50000 // a variable for tests

// rewriteHook is called after each step of the rewrite; tests make it fail
// to stand for a crash there.
var rewriteHook = func(step string) error { return nil }

// rewritePath is the temporary file a rewrite writes. A fixed name, so
// that the leftover of a crash is found and replaced.
func rewritePath(path string) string { return path + ".upgrade" }

// rewriteUnlessEmpty rewrites the file through copy, unless the bucket
// that holds the owners' data is empty: a new file is converted in place by
// setup (nil: nothing to do) and the version, since there is nothing to
// shrink. It returns the database to go on with: the new file, or db.
func rewriteUnlessEmpty(db *bbolt.DB, path string, version uint64, data []byte, setup func(tx *bbolt.Tx) error, copy func(from *bbolt.Tx, w *rewriter) error) (*bbolt.DB, error) {
	empty := true
	if err := db.View(func(tx *bbolt.Tx) error {
		k, _ := tx.Bucket(data).Cursor().First()
		empty = k == nil
		return nil
	}); err != nil {
		return db, err
	}
	if !empty {
		return rewriteFile(db, path, version, copy)
	}
	return db, db.Update(func(tx *bbolt.Tx) error {
		if setup != nil {
			if err := setup(tx); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keyVersion, idKey(version))
	})
}

// rewriteFile writes the file anew beside path through copy, at version,
// and renames it over path; see migrate_rewrite.go's comment. It returns the
// database to go on with.
func rewriteFile(db *bbolt.DB, path string, version uint64, copy func(from *bbolt.Tx, w *rewriter) error) (*bbolt.DB, error) {
	// The copy reads the whole old file: mapped whole at once (when it fits
	// in memory), it is read in
	// large sequential reads instead of a page fault at a time in key order
	// (at 100,000 owners, 392,000 major faults). Reopening lets the lock go
	// for a moment; another kith taking it then makes this Open fail, as it
	// would have a moment earlier.
	if err := db.Close(); err != nil {
		return db, err
	}
	if err := rewriteHook("reopen"); err != nil {
		return db, err
	}
	old, err := openLocked(path, &bbolt.Options{Timeout: DefaultTimeout, MmapFlags: populateFlags(path), FreelistType: bbolt.FreelistMapType})
	if err != nil {
		return db, inUse(err) // closed; closing it again is harmless
	}
	db = old
	// What is at path now may not be the file read before the lock was let
	// go: another kith may have upgraded it, or a restore put an older one
	// there. Unless it is still the schema before this one, it goes back to
	// migrate as it is, which runs the steps it has not seen.
	var have uint64
	if err := db.View(func(tx *bbolt.Tx) error { have = fileVersion(tx); return nil }); err != nil {
		return db, err
	}
	if have != version-1 {
		return db, nil
	}

	// Replace the file itself, not a symbolic link to it, and beside it:
	// a rename only works within one file system.
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	tmp := rewritePath(path)
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return db, err
	}
	to, err := bbolt.Open(tmp, fileMode, &bbolt.Options{
		// Synced once, when whole; until then a crash leaves only a temporary
		// file. Without grow syncs bbolt also leaves the file's size alone,
		// so it ends at its last page rather than up to 16 MB past it.
		NoSync:       true,
		NoGrowSync:   true,
		FreelistType: bbolt.FreelistMapType,
	})
	if err != nil {
		return db, err
	}
	// The new file keeps the old one's permissions (an operator's 0640 for
	// a backup group, say) rather than the 0600 kith gives a file it creates.
	if fi, statErr := os.Stat(path); statErr == nil {
		err = os.Chmod(tmp, fi.Mode().Perm())
	}
	if err == nil {
		err = rewriteHook("created")
	}
	if err == nil {
		err = db.View(func(from *bbolt.Tx) error { return copyAll(from, to, version, copy) })
	}
	if err == nil {
		err = to.Sync()
	}
	if err == nil {
		err = rewriteHook("synced")
	}
	if err != nil {
		// As after a crash: the old file is untouched and still in use.
		_ = to.Close()
		_ = os.Remove(tmp)
		return db, err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = to.Close()
		_ = os.Remove(tmp)
		return db, err
	}
	// From here the new file is the database: it is used even if what
	// follows fails, since the old one is no longer at path.
	_ = db.Close() // its lock guarded the rename; the new file's lock is held by to
	to.NoSync, to.NoGrowSync = false, false
	return to, errors.Join(rewriteHook("renamed"), syncDir(filepath.Dir(path)))
}

// rewriter puts keys into the new file, committing every rewriteBatch.
type rewriter struct {
	db      *bbolt.DB
	tx      *bbolt.Tx
	n       int
	buckets map[string]*bbolt.Bucket // of tx
}

// bucket returns the new file's root bucket of that name in the current
// transaction, committing first when the batch is full.
func (w *rewriter) bucket(name []byte) (*bbolt.Bucket, error) {
	if w.n >= rewriteBatch {
		if err := w.tx.Commit(); err != nil {
			w.tx = nil
			return nil, err
		}
		w.tx, w.n, w.buckets = nil, 0, nil
		if err := rewriteHook("batch"); err != nil {
			return nil, err
		}
	}
	if w.tx == nil {
		tx, err := w.db.Begin(true)
		if err != nil {
			return nil, err
		}
		w.tx, w.buckets = tx, map[string]*bbolt.Bucket{}
	}
	w.n++
	if b := w.buckets[string(name)]; b != nil {
		return b, nil
	}
	b, err := w.tx.CreateBucketIfNotExists(name)
	if err != nil {
		return nil, err
	}
	b.FillPercent = bulkFill // every key is appended in order
	w.buckets[string(name)] = b
	return b, nil
}

// copyBuckets copies every root bucket of from but skip into the new file as
// it is, with its sequence (the plan log's tells one settings change from
// the next).
func copyBuckets(from *bbolt.Tx, w *rewriter, skip ...[]byte) error {
	return from.ForEach(func(name []byte, src *bbolt.Bucket) error {
		if bytes.Equal(name, scrubBucket) || slices.ContainsFunc(skip, func(s []byte) bool { return bytes.Equal(name, s) }) {
			return nil // scrubBucket: the leftover of a scrub cut short; nothing but zeros
		}
		dst, err := w.bucket(name)
		if err != nil {
			return err
		}
		if err := dst.SetSequence(src.Sequence()); err != nil {
			return err
		}
		return src.ForEach(func(k, v []byte) error {
			if v == nil {
				return reminders.Errorf(reminders.EINTERNAL, "bucket %s holds a nested bucket %q, which kith never writes.", name, k)
			}
			dst, err := w.bucket(name)
			if err != nil {
				return err
			}
			return dst.Put(clone(k), clone(v))
		})
	})
}

// copyAll writes everything in from into to through copy, the version
// last, in the transaction that commits the last keys.
func copyAll(from *bbolt.Tx, to *bbolt.DB, version uint64, copy func(from *bbolt.Tx, w *rewriter) error) error {
	w := &rewriter{db: to}
	defer func() {
		if w.tx != nil {
			_ = w.tx.Rollback()
		}
	}()
	if err := copy(from, w); err != nil {
		return err
	}
	for _, name := range [][]byte{bucketOwners, bucketData} { // present even if every owner were empty
		if _, err := w.bucket(name); err != nil {
			return err
		}
	}
	meta, err := w.bucket(bucketMeta)
	if err != nil {
		return err
	}
	if err := meta.Put(keyVersion, idKey(version)); err != nil {
		return err
	}
	err = w.tx.Commit()
	w.tx = nil
	return err
}
