package main

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
	"github.com/kith-bot/kith/storage/postgres"
)

// pgOpenTimeout bounds connecting to Postgres and migrating its schema at
// start; a replica waiting for another's migration waits within it.
const pgOpenTimeout = 60 * time.Second

// openStore opens the database KITH_DB names (a bbolt file, or Postgres
// for a postgres:// URL) and keeps it for Close.
func (m *Main) openStore() (reminders.Store, error) {
	s, err := m.open(m.Config.DB)
	if err != nil {
		return nil, err
	}
	m.store = s
	return s, nil
}

// open opens a database by its KITH_DB value.
func (m *Main) open(db string) (reminders.Store, error) {
	if postgres.IsURL(db) {
		ctx, cancel := context.WithTimeout(context.Background(), pgOpenTimeout)
		defer cancel()
		s, err := postgres.Open(ctx, db, postgres.Options{Now: m.Now})
		if err != nil {
			return nil, err // one sentence that names the server, never the password
		}
		return s, nil
	}
	s, err := bolt.Open(db, bolt.Options{Timeout: m.OpenTimeout, Now: m.Now, ReadOnly: m.readOnly, ReadAll: m.readAll})
	if err != nil {
		if reminders.ErrorCode(err) == reminders.EUNAVAILABLE {
			return nil, &reminders.Error{Code: reminders.EUNAVAILABLE, Err: err,
				Message: db + ": " + userMessage(err) + "; stop it first (a running server makes its own backups in KITH_BACKUP_DIR)."}
		}
		return nil, fmt.Errorf("cannot open the database %s: %w", db, err)
	}
	return s, nil
}

// displayDB names a database for messages: a file's path, or a URL with
// its password replaced by xxxxx.
func displayDB(db string) string {
	if !postgres.IsURL(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "the Postgres database in KITH_DB"
	}
	return u.Redacted()
}

// readyPingTimeout bounds the database check of /readyz: a load balancer's
// probe gives up after a few seconds, and a database that slow is not ready.
const readyPingTimeout = 2 * time.Second

// pingStore reports whether a database that lives elsewhere (Postgres)
// answers; a bbolt file, open in this process, always does.
func pingStore(ctx context.Context, s reminders.Store) error {
	p, ok := s.(interface{ Ping(context.Context) error })
	if !ok {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, readyPingTimeout)
	defer cancel()
	return p.Ping(ctx)
}
