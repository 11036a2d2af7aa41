package postgres

import (
	"context"
	"io"
	"os"
	"path/filepath"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

// Backup writes a consistent snapshot of the database to w as a bbolt
// file: one REPEATABLE READ transaction streamed into a bbolt file. A
// backup is then the same kind of file whichever store made it, and
// `kith migrate --from FILE --to URL` restores it.
//
// bbolt writes to a path, not a stream. When w is an empty file (as kith
// backup and the hot backups give it: a temporary file beside the
// backup's final name) the snapshot is built in that file itself: no copy,
// and no room needed anywhere else, such as a small /tmp. Otherwise it is
// built in a temporary file and copied to w.
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	if f, ok := w.(*os.File); ok && emptyFile(f) {
		n, err := s.snapshot(ctx, f.Name())
		if err != nil {
			return 0, err
		}
		// Leave w positioned after what it now holds, as a write would.
		_, err = f.Seek(0, io.SeekEnd)
		return n, reminders.Internal(err)
	}
	dir, err := os.MkdirTemp("", "kith-backup-")
	if err != nil {
		return 0, reminders.Internal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "kith.db")
	if _, err := s.snapshot(ctx, path); err != nil {
		return 0, err
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, reminders.Internal(err)
	}
	defer f.Close()
	n, err := io.Copy(w, f)
	return n, reminders.Internal(err)
}

// snapshot copies the database into a new or empty bbolt file at path and
// returns the file's size.
func (s *Store) snapshot(ctx context.Context, path string) (int64, error) {
	snap, err := bolt.Open(path, bolt.Options{Now: s.now})
	if err != nil {
		return 0, err
	}
	err = snap.Load(ctx, func(put func(reminders.Record) error) error { return s.Dump(ctx, put) })
	if cerr := snap.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return 0, reminders.Internal(err)
	}
	return fi.Size(), nil
}

// emptyFile reports whether f is a regular file with nothing in it and
// nothing written to it yet.
func emptyFile(f *os.File) bool {
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != 0 {
		return false
	}
	at, err := f.Seek(0, io.SeekCurrent)
	return err == nil && at == 0
}
