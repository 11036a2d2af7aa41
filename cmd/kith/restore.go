package main

import (
	"context"
	"fmt"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
	"github.com/kith-bot/kith/storage/postgres"
)

// restoreOptions are the arguments of kith restore.
type restoreOptions struct {
	file string
}

var restoreCommand = &command{
	name:     "restore",
	synopsis: "kith restore BACKUP",
	summary:  "replace the database with a backup (server stopped)",
	help: `Replaces the database (KITH_DB) with BACKUP: a kith-*.db file from
KITH_BACKUP_DIR or a file written by kith backup. BACKUP is checked first; a
file that is not a complete kith database this version can open is refused
and nothing changes. The database it replaces is kept beside it as
KITH_DB.before-restore-<time>, so a restore can itself be undone. Changes
made after the backup was taken are lost. Stop the server first: while it
runs, restore refuses.`,
	envs:  []string{"KITH_DB", "KITH_LOG_LEVEL"},
	quiet: true,
	args: func(m *Main, args []string) error {
		if len(args) != 1 {
			return usageErrorf("kith restore needs exactly one BACKUP file, e.g. kith restore /data/backups/kith-20260131T090000Z.db.")
		}
		m.res.file = args[0]
		return nil
	},
	run: (*Main).runRestore,
}

// runRestore puts the backup in the database's place.
func (m *Main) runRestore(_ context.Context) error {
	if abs(m.res.file) == abs(m.Config.DB) {
		return usageErrorf("the BACKUP is the database itself; choose a file from the backup directory.")
	}
	if postgres.IsURL(m.Config.DB) {
		return usageErrorf("kith restore replaces a bbolt file; to restore a backup into Postgres, run kith migrate --from BACKUP --to URL into an empty database.")
	}
	kept, err := bolt.Restore(m.res.file, m.Config.DB, bolt.Options{Timeout: m.OpenTimeout, Now: m.Now})
	if reminders.ErrorCode(err) == reminders.EINTERNAL {
		return fmt.Errorf("cannot restore %s from %s: %w", m.Config.DB, m.res.file, err)
	}
	if err != nil {
		return err
	}
	if kept == "" {
		fmt.Fprintf(m.Stdout, "Restored %s from %s; there was no database there before.\n", m.Config.DB, m.res.file)
		return nil
	}
	fmt.Fprintf(m.Stdout, "Restored %s from %s; the previous database is kept as %s.\n", m.Config.DB, m.res.file, kept)
	return nil
}
