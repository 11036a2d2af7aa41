package bolt

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// keptLayout is the time in the name of the file a restore replaced:
// kith.db.before-restore-20260131T090000Z, in the backups' own format.
const keptLayout = "20060102T150405Z"

// Verify checks that path is a kith database this build can use: bbolt opens
// it read-only, its pages are consistent, it has kith's meta bucket and its
// schema version is one Open can read or migrate. It never writes to path.
func Verify(path string) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return reminders.Errorf(reminders.EINVALID, "there is no file at %s; choose a kith-*.db file from the backup directory.", path)
	}
	db, err := bbolt.Open(path, fileMode, &bbolt.Options{ReadOnly: true, Timeout: DefaultTimeout})
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
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			return reminders.Errorf(reminders.EINVALID, "%s is not a kith database backup; choose a kith-*.db file from the backup directory.", path)
		}
		v := meta.Get(keyVersion)
		if len(v) != 8 || parseID(v) == 0 {
			return reminders.Errorf(reminders.EINVALID, "%s has no kith schema version; choose a kith-*.db file from the backup directory.", path)
		}
		if have := parseID(v); have > SchemaVersion() {
			return reminders.Errorf(reminders.EINVALID, "%s was written by a newer kith (schema %d, this one knows up to %d); upgrade kith, or choose an older backup.", path, have, SchemaVersion())
		}
		return nil
	})
}

// Restore replaces the database at dbPath with the backup at backupPath and
// returns where the database it replaced is kept (dbPath.before-restore-<time>,
// so a restore itself can be undone), or "" when there was none. It verifies
// the backup first, and refuses with EUNAVAILABLE while a process holds the
// database for longer than o.Timeout: stop kith, restore, start it again.
// The backup is copied to a synced temporary file beside dbPath and renamed
// into place, so a crash leaves either the old database or the backup, never
// half of one.
func Restore(backupPath, dbPath string, o Options) (string, error) {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if err := Verify(backupPath); err != nil {
		return "", err
	}
	exists := false
	if _, err := os.Stat(dbPath); err == nil {
		exists = true
		// Hold the lock while swapping files, so a kith starting meanwhile waits.
		db, err := bbolt.Open(dbPath, fileMode, &bbolt.Options{Timeout: o.Timeout})
		if errors.Is(err, bolterrors.ErrTimeout) {
			return "", &reminders.Error{Code: reminders.EUNAVAILABLE, Err: err,
				Message: fmt.Sprintf("%s: %s; stop it, restore, then start it again.", dbPath, ErrInUse)}
		}
		if err == nil {
			defer db.Close()
		}
		// A damaged database may not open at all; replacing it is the point of a restore.
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", reminders.Internal(err)
	}
	dir := filepath.Dir(dbPath)
	tmp, err := copyToTemp(backupPath, dir)
	if err != nil {
		return "", err
	}
	kept := ""
	if exists {
		kept = keptPath(dbPath, o.Now())
		if err := os.Rename(dbPath, kept); err != nil {
			_ = os.Remove(tmp)
			return "", reminders.Internal(err)
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		_ = os.Remove(tmp)
		if kept != "" {
			_ = os.Rename(kept, dbPath) // put the old database back rather than leave none
		}
		return "", reminders.Internal(err)
	}
	return kept, reminders.Internal(syncDir(dir))
}

// keptPath names the file a restore moves the old database to. Two restores
// in the same second get different names, so neither overwrites the other's
// kept database.
func keptPath(dbPath string, now time.Time) string {
	base := dbPath + ".before-restore-" + now.UTC().Format(keptLayout)
	p := base
	for n := 2; ; n++ {
		if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
			return p
		}
		p = base + "-" + strconv.Itoa(n)
	}
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

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
