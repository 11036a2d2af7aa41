package bolt

import (
	"errors"
	"os"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// openLocked opens the bbolt file at path and returns it locked, making
// sure the file it locked is still the one at path. bbolt opens the file
// and then waits for its lock; an upgrade (shareOwners) or a restore that
// renames a new file over path while this one waits leaves it holding the
// old, unlinked file, whose writes no later Open would ever see.
func openLocked(path string, o *bbolt.Options) (*bbolt.DB, error) {
	for {
		before, statErr := os.Stat(path)
		db, err := bbolt.Open(path, fileMode, o)
		if err != nil {
			return nil, err
		}
		after, err := os.Stat(path)
		if err != nil {
			_ = db.Close()
			return nil, err
		}
		if statErr != nil || os.SameFile(before, after) {
			return db, nil // a new file (created by this Open), or the file at path throughout
		}
		if err := db.Close(); err != nil {
			return nil, err
		}
	}
}

// inUse gives a lock not had within the timeout the sentence a person
// reads: another kith holds the file. Other errors pass as they are.
func inUse(err error) error {
	if errors.Is(err, bolterrors.ErrTimeout) {
		return &reminders.Error{Code: reminders.EUNAVAILABLE, Message: ErrInUse, Err: err}
	}
	return err
}
