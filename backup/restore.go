package backup

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// lockWait is how long Restore waits for the database's file lock: a running
// kith holds it for as long as it runs, so waiting longer would only hang.
const lockWait = time.Second

// metaBucket is the bucket where storage/bolt keeps its schema version; a file
// without it is a bbolt file, but not kith's.
var metaBucket = []byte("meta")

// Verify checks that path is a readable kith database: bbolt opens it, its
// pages are consistent and it has kith's schema.
func Verify(path string) error {
	db, err := bbolt.Open(path, fileMode, &bbolt.Options{ReadOnly: true, Timeout: lockWait})
	if err != nil {
		return reminders.Errorf(reminders.EINVALID, "%s is not a kith database backup (%v); choose a kith-*.db file from the backup directory.", path, err)
	}
	defer db.Close()
	return db.View(func(tx *bbolt.Tx) error {
		var first error
		for err := range tx.Check() { // drained to the end: the checker reads the open transaction
			if first == nil {
				first = err
			}
		}
		if first != nil {
			return reminders.Errorf(reminders.EINVALID, "%s is damaged (%v); choose an older backup.", path, first)
		}
		if tx.Bucket(metaBucket) == nil {
			return reminders.Errorf(reminders.EINVALID, "%s is not a kith database backup; choose a kith-*.db file from the backup directory.", path)
		}
		return nil
	})
}

// Restore replaces the database at dbPath with the backup at backupPath. It
// verifies the backup first and refuses, with EUNAVAILABLE, while a kith
// process holds the database (bbolt's file lock says so): stop kith, restore,
// start it again. The database it replaces is kept beside it as
// dbPath.before-restore-<time>, so a restore itself can be undone.
func Restore(backupPath, dbPath string) error {
	if err := Verify(backupPath); err != nil {
		return err
	}
	if _, err := os.Stat(dbPath); err == nil {
		// Hold the lock while swapping files, so a kith starting meanwhile waits.
		db, err := bbolt.Open(dbPath, fileMode, &bbolt.Options{Timeout: lockWait})
		if errors.Is(err, bolterrors.ErrTimeout) {
			return &reminders.Error{Code: reminders.EUNAVAILABLE, Err: err,
				Message: fmt.Sprintf("%s is in use by a running kith; stop it, restore, then start it again.", dbPath)}
		}
		if err == nil {
			defer db.Close()
		}
		// A damaged database may not open at all; replacing it is the point of a restore.
	} else if !errors.Is(err, os.ErrNotExist) {
		return reminders.Internal(err)
	}
	dir := filepath.Dir(dbPath)
	tmp, err := copyToTemp(backupPath, dir)
	if err != nil {
		return err
	}
	if _, err := os.Stat(dbPath); err == nil {
		old := dbPath + ".before-restore-" + time.Now().UTC().Format(nameLayout)
		if err := os.Rename(dbPath, old); err != nil {
			_ = os.Remove(tmp)
			return reminders.Internal(err)
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		_ = os.Remove(tmp)
		return reminders.Internal(err)
	}
	return reminders.Internal(syncDir(dir))
}

// copyToTemp copies src to a synced temporary file in dir and returns its path.
func copyToTemp(src, dir string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", reminders.Internal(err)
	}
	defer in.Close()
	out, err := os.CreateTemp(dir, ".kith-restore-*.db.tmp")
	if err != nil {
		return "", reminders.Internal(err)
	}
	_, err = io.Copy(out, in)
	err = errors.Join(err, out.Chmod(fileMode), out.Sync(), out.Close())
	if err != nil {
		_ = os.Remove(out.Name())
		return "", reminders.Internal(err)
	}
	return out.Name(), nil
}
