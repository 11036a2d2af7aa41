// Package backup makes the running server's hot backups: a consistent copy
// of the database every KITH_BACKUP_EVERY into KITH_BACKUP_DIR, keeping the
// newest KITH_BACKUP_KEEP. It knows the database only as a reminders.Store;
// checking and restoring a backup file belong to the storage package.
package backup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// Defaults of Options. A day between backups bounds what a lost disk costs
// to one day of logging; a week of them lets a mistake noticed late (a
// forget-me regretted, an import gone wrong) be undone from a copy.
const (
	DefaultEvery = 24 * time.Hour
	DefaultKeep  = 7
	// RetryAfter is how soon a failed backup (disk full, directory gone) is
	// tried again: soon enough to matter, rarely enough not to flood the log.
	// A replica that another one's lease keeps from backing up asks again
	// as often.
	RetryAfter = 10 * time.Minute
	// MaxTime is how long a backup may run before another replica may start
	// one of its own, in case the first one's replica died writing it.
	MaxTime = time.Hour
)

// LeaseName is the Store lease that makes one replica at a time the one
// that writes the hot backups, when several share a database.
const LeaseName = "hot-backups"

// nameLayout is the time in a backup's file name: kith-20260131T090000Z.db.
// It sorts in time order, so the newest backup is the last name.
const (
	namePrefix = "kith-"
	nameLayout = "20060102T150405Z"
	nameSuffix = ".db"
)

// fileMode keeps backups as private as the database: they hold every
// user's network.
const fileMode os.FileMode = 0o600

// Options configure Run and Once.
type Options struct {
	Dir    string           // where backups go (KITH_BACKUP_DIR); created with mode 0700
	Every  time.Duration    // between backups (KITH_BACKUP_EVERY); zero means DefaultEvery
	Keep   int              // backups kept (KITH_BACKUP_KEEP); zero means DefaultKeep
	Now    func() time.Time // the clock; nil means time.Now
	Logger *slog.Logger     // nil means slog.Default()
	// After waits like time.After; nil means time.After. Tests pass their own
	// so that no test sleeps waiting for a schedule.
	After func(time.Duration) <-chan time.Time
	// Verify checks a written copy before it is renamed into place (the
	// server passes bolt.Verify); nil means no check.
	Verify func(path string) error
	// Result, when set, hears how each backup Run attempts went (nil is a
	// success), and Newest when the newest good backup was written: at start
	// from the files in Dir, then after each success. The server counts them
	// in /metrics, so a stale or failing backup can raise an alert.
	Result func(err error)
	Newest func(at time.Time)
	// Holder names this process in the backup lease; unique per process when "".
	Holder string
}

// withDefaults fills the zero fields.
func (o Options) withDefaults() Options {
	if o.Every <= 0 {
		o.Every = DefaultEvery
	}
	if o.Keep <= 0 {
		o.Keep = DefaultKeep
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.After == nil {
		o.After = time.After
	}
	if o.Holder == "" {
		o.Holder = reminders.NewHolder()
	}
	return o
}

// Once writes one backup now and prunes old ones; it returns the new file's
// path. The copy is written to a temporary file, synced, checked by o.Verify
// and only then renamed into place, so a crash or a full disk never
// leaves a partial file that looks like a backup, and pruning never removes a
// good backup in favour of a bad one.
func Once(ctx context.Context, store reminders.Store, o Options) (string, error) {
	o = o.withDefaults()
	if o.Dir == "" {
		return "", reminders.Errorf(reminders.EINVALID, "backups need a directory; set KITH_BACKUP_DIR, e.g. KITH_BACKUP_DIR=/data/backups.")
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return "", reminders.Internal(err)
	}
	start := o.Now()
	path := filepath.Join(o.Dir, namePrefix+start.UTC().Format(nameLayout)+nameSuffix)
	tmp, err := os.CreateTemp(o.Dir, ".kith-*.db.tmp")
	if err != nil {
		return "", reminders.Internal(err)
	}
	ok := false
	defer func() {
		if !ok {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	n, err := store.Backup(ctx, tmp)
	if err != nil {
		return "", reminders.Internal(err)
	}
	if err := tmp.Chmod(fileMode); err != nil {
		return "", reminders.Internal(err)
	}
	if err := tmp.Sync(); err != nil {
		return "", reminders.Internal(err)
	}
	if err := tmp.Close(); err != nil {
		return "", reminders.Internal(err)
	}
	if o.Verify != nil {
		if err := o.Verify(tmp.Name()); err != nil {
			return "", err
		}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", reminders.Internal(err)
	}
	ok = true
	if err := syncDir(o.Dir); err != nil {
		return "", reminders.Internal(err)
	}
	removed, err := prune(o.Dir, o.Keep)
	o.Logger.Info("backup written", "path", path, "bytes", n, "took", o.Now().Sub(start), "pruned", removed)
	return path, err
}

// Run writes a backup every o.Every until ctx ends, and returns nil then. The
// first backup is due o.Every after the newest one already in o.Dir, so a
// restart neither skips a backup nor makes an extra one; a failed backup is
// logged and tried again after RetryAfter, and never stops the server.
//
// Replicas sharing a database take turns through the Store lease LeaseName,
// so that one backup is made per o.Every, not one per replica: a replica
// takes the lease for the backup (MaxTime at most), and once the backup is
// written keeps it until just after its next one is due, when it renews
// it. The others ask every RetryAfter and take over when a holder stops
// renewing: it died, or failed (a failed backup gives the lease back).
func Run(ctx context.Context, store reminders.Store, o Options) error {
	o = o.withDefaults()
	if o.Dir == "" {
		return reminders.Errorf(reminders.EINVALID, "backups need a directory; set KITH_BACKUP_DIR, e.g. KITH_BACKUP_DIR=/data/backups.")
	}
	due := o.Now()
	if list, err := List(o.Dir); err == nil && len(list) > 0 {
		if t, ok := backupTime(list[0]); ok {
			due = t.Add(o.Every)
			o.newest(t)
		}
	}
	retry := min(RetryAfter, o.Every)
	for {
		if wait := due.Sub(o.Now()); wait > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-o.After(wait):
			}
		}
		if ctx.Err() != nil {
			return nil
		}
		start := o.Now()
		mine, err := store.Lease(ctx, LeaseName, o.Holder, start, start.Add(min(MaxTime, o.Every)))
		if err == nil && !mine {
			o.Logger.Debug("another replica makes the backups; asking again later", "in", retry)
			due = o.Now().Add(retry)
			continue
		}
		if err == nil {
			_, err = Once(ctx, store, o)
		}
		if err != nil && ctx.Err() != nil {
			return nil
		}
		if o.Result != nil {
			o.Result(err)
		}
		if err != nil {
			if rerr := store.ReleaseLease(ctx, LeaseName, o.Holder); rerr != nil {
				o.Logger.Debug("cannot give the backup lease back", "err", rerr)
			}
			o.Logger.Error("backup failed; will try again", "dir", o.Dir, "retry_in", retry, "err", err)
			due = o.Now().Add(retry)
			continue
		}
		o.newest(start)
		due = o.Now().Add(o.Every)
		// Keep the turn until just after the next backup is due, when this
		// replica renews it; another gets it only if this one is gone.
		if _, err := store.Lease(ctx, LeaseName, o.Holder, o.Now(), due.Add(retry)); err != nil {
			o.Logger.Warn("cannot keep the backup lease; another replica may make the next backup", "err", err)
		}
	}
}

// newest reports the time of the newest good backup, when someone listens.
func (o Options) newest(t time.Time) {
	if o.Newest != nil {
		o.Newest(t)
	}
}

// List returns the paths of the backups in dir, newest first. Other files in
// dir are left alone: it may be shared.
func List(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, reminders.Internal(err)
	}
	var out []string
	for _, e := range entries {
		if _, ok := backupTime(e.Name()); ok && e.Type().IsRegular() {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out, nil
}

// backupTime reads the time in a backup's file name.
func backupTime(path string) (time.Time, bool) {
	name := filepath.Base(path)
	if !strings.HasPrefix(name, namePrefix) || !strings.HasSuffix(name, nameSuffix) {
		return time.Time{}, false
	}
	t, err := time.Parse(nameLayout, strings.TrimSuffix(strings.TrimPrefix(name, namePrefix), nameSuffix))
	return t, err == nil
}

// prune removes all but the keep newest backups and returns how many it removed.
func prune(dir string, keep int) (int, error) {
	list, err := List(dir)
	if err != nil || len(list) <= keep {
		return 0, err
	}
	var errs []error
	for _, p := range list[keep:] {
		errs = append(errs, os.Remove(p))
	}
	if err := errors.Join(errs...); err != nil {
		return 0, reminders.Internal(fmt.Errorf("pruning backups: %w", err))
	}
	return len(list) - keep, nil
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
