// Package bolt keeps kith's data in one bbolt file: a reminders.Store with
// each owner's records in a key range of their own, indexes written in the same transaction as their
// records, group-committed writes, request keys, one level of undo, and hot
// backups.
package bolt

import (
	"context"
	"os"
	"sync/atomic"
	"time"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// DefaultTimeout is how long Open waits for the file lock. Long enough to
// ride out a restart that is still closing the file, short enough that a
// second kith process (an export while the server runs) fails promptly.
const DefaultTimeout = 2 * time.Second

// fileMode keeps the database readable by its owner only: it holds every
// user's private network.
const fileMode os.FileMode = 0o600

// Options tune Open.
type Options struct {
	// Timeout is how long to wait for another process to release the file;
	// zero means DefaultTimeout.
	Timeout time.Duration
	// Now is the clock for changes that carry no time; nil means time.Now.
	Now func() time.Time
	// ReadOnly opens the file for reading only, under a shared lock, for
	// sub-commands that only read (export, backup): they then work on a
	// read-only mount and beside each other. Writes fail, and a file whose
	// schema is older than this build is refused, since it cannot be migrated.
	ReadOnly bool
	// ReadAll says the caller reads the whole database (an export of
	// everyone, a copy): the file is mapped whole at open when it fits in
	// memory (populateFlags).
	ReadAll bool
}

// Store is the bbolt implementation of reminders.Store.
type Store struct {
	db  *bbolt.DB
	now func() time.Time
	// writers counts Update calls in flight: a lone writer commits directly,
	// since db.Batch would make it wait MaxBatchDelay for company that never comes.
	writers atomic.Int64
}

var _ reminders.Store = (*Store)(nil)

// ErrInUse is the sentence for a database file held by another process.
const ErrInUse = "database is in use by another kith process"

// Open opens (creating with mode 0600) the database at path and brings its
// schema up to date. It fails with EUNAVAILABLE when another process, or
// another Open in this one, holds the file for longer than o.Timeout.
func Open(path string, o Options) (*Store, error) {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	flags := 0
	if o.ReadAll {
		flags = populateFlags(path)
	}
	db, err := openLocked(path, &bbolt.Options{
		MmapFlags:    flags,
		Timeout:      o.Timeout,
		FreelistType: bbolt.FreelistMapType, // stays fast as the file fragments
		ReadOnly:     o.ReadOnly,
	})
	if err != nil {
		return nil, reminders.Internal(inUse(err))
	}
	if o.ReadOnly {
		err = checkVersion(db, migrations)
	} else if db, err = migrate(db, path, migrations); err == nil {
		err = releaseLeases(db, o.Now())
	}
	if err != nil {
		_ = db.Close()
		return nil, reminders.Internal(err)
	}
	return &Store{db: db, now: o.Now}, nil
}

// Close releases the file and its lock.
func (s *Store) Close() error { return reminders.Internal(s.db.Close()) }

// View runs fn over the owner's data in a read-only transaction.
func (s *Store) View(ctx context.Context, owner reminders.OwnerID, fn func(tx reminders.OwnerTx) error) error {
	if err := ctx.Err(); err != nil {
		return reminders.Internal(err)
	}
	return reminders.Internal(s.db.View(func(tx *bbolt.Tx) error {
		return fn(&ownerTx{owner: owner, b: lookupRange(tx, owner)})
	}))
}

// Update runs fn over the owner's data and returns once the change is on
// disk. Concurrent calls share one commit (db.Batch), so fn may run more than
// once; each run gets a fresh OwnerTx and a rolled-back run leaves nothing,
// not even the ids it assigned.
func (s *Store) Update(ctx context.Context, owner reminders.OwnerID, change reminders.Change, fn func(tx reminders.OwnerTx) error) error {
	if err := ctx.Err(); err != nil {
		return reminders.Internal(err)
	}
	if owner == "" {
		return reminders.Errorf(reminders.EINVALID, "a change needs an owner.")
	}
	if change.Now.IsZero() {
		change.Now = s.now()
	}
	var dup bool
	run := func(tx *bbolt.Tx) error {
		dup = false
		b, err := createRange(tx, owner)
		if err != nil {
			return err
		}
		if change.Key != "" && seenKey(b, change.Key, change.Now) {
			dup = true
			return nil
		}
		otx := &ownerTx{owner: owner, b: b, writable: true, recording: change.Undo != ""}
		if err := fn(otx); err != nil {
			return err
		}
		if err := otx.finishUndo(change); err != nil {
			return err
		}
		if change.Key != "" {
			return recordKey(b, change.Key, change.Now)
		}
		return nil
	}
	if err := s.write(ctx, run); err != nil {
		return err
	}
	if dup {
		return reminders.ErrDuplicate
	}
	return nil
}

// Owners lists every owner with data, in id order.
func (s *Store) Owners(ctx context.Context) ([]reminders.OwnerID, error) {
	if err := ctx.Err(); err != nil {
		return nil, reminders.Internal(err)
	}
	var out []reminders.OwnerID
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketOwners).ForEach(func(k, _ []byte) error {
			out = append(out, reminders.OwnerID(k))
			return nil
		})
	})
	return out, reminders.Internal(err)
}
