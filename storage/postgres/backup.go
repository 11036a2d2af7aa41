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
// file: one REPEATABLE READ transaction streamed into a temporary file,
// then copied out. A backup is then the same kind of file whichever store
// made it, and `kith migrate --from FILE --to URL` restores it.
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	dir, err := os.MkdirTemp("", "kith-backup-")
	if err != nil {
		return 0, reminders.Internal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "kith.db")
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
	f, err := os.Open(path)
	if err != nil {
		return 0, reminders.Internal(err)
	}
	defer f.Close()
	n, err := io.Copy(w, f)
	return n, reminders.Internal(err)
}
