package main

import (
	"errors"
	"io/fs"
	"os"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/postgres"
)

// openExistingStore opens the database for a sub-command that only reads
// it (export, backup). bbolt creates a missing file, so a mistyped KITH_DB
// would silently export or back up an empty, new database; it is refused
// instead, and no file is left behind. The file is opened read-only, so
// these work on a read-only mount and beside each other.
func (m *Main) openExistingStore() (reminders.Store, error) {
	if postgres.IsURL(m.Config.DB) {
		return m.openStore() // a database that does not exist fails to connect
	}
	if _, err := os.Stat(m.Config.DB); errors.Is(err, fs.ErrNotExist) {
		return nil, reminders.Errorf(reminders.ENOTFOUND, "there is no database at %s; set KITH_DB or --db to the file kith serves from.", m.Config.DB)
	}
	m.readOnly = true
	return m.openStore()
}
