package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// backupOptions are the arguments of kith backup.
type backupOptions struct {
	file string
}

var backupCommand = &command{
	name:     "backup",
	synopsis: "kith backup FILE",
	summary:  "write a consistent copy of the database (server stopped)",
	help: `Writes a consistent copy of the database to FILE, through a temporary file
renamed into place, so FILE is never half written. Run it while the server is
stopped; a running server makes its own backups into KITH_BACKUP_DIR.
To restore it, stop kith and run kith restore FILE.`,
	envs:  []string{"KITH_DB", "KITH_LOG_LEVEL"},
	quiet: true,
	args: func(m *Main, args []string) error {
		if len(args) != 1 {
			return usageErrorf("kith backup needs exactly one FILE, e.g. kith backup kith-2026-01-31.db.")
		}
		m.bak.file = args[0]
		return nil
	},
	run: (*Main).runBackup,
}

// runBackup copies the database.
func (m *Main) runBackup(ctx context.Context) error {
	if abs(m.bak.file) == abs(m.Config.DB) {
		return usageErrorf("the backup FILE is the database itself; choose another path.")
	}
	store, err := m.openExistingStore()
	if err != nil {
		return err
	}
	var n int64
	err = writeFileAtomic(m.bak.file, func(w io.Writer) error {
		var err error
		n, err = store.Backup(ctx, w)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Backed up %s to %s (%d bytes).\n", displayDB(m.Config.DB), m.bak.file, n)
	return nil
}

// abs returns an absolute, cleaned path, or path itself when that fails.
func abs(path string) string {
	if a, err := filepath.Abs(path); err == nil {
		return a
	}
	return path
}

// writeFileAtomic writes a file through a temporary file in the same
// directory, synced and renamed into place, so a reader (or a crash) never
// sees half of it.
func writeFileAtomic(path string, write func(w io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, unwrapPathError(err))
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, unwrapPathError(err))
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // make the rename itself durable
		_ = d.Close()
	}
	return nil
}
