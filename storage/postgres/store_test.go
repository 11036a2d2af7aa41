package postgres_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
	"github.com/kith-bot/kith/storage/postgres"
	"github.com/kith-bot/kith/storage/postgres/pgtest"
	"github.com/kith-bot/kith/storage/storagetest"
)

// openDB opens a store on a new database of the server.
func openDB(t *testing.T, srv *pgtest.Server) *postgres.Store {
	t.Helper()
	return openURL(t, srv.NewDB(t))
}

// openURL opens a store (a replica) on the database at url.
func openURL(t *testing.T, url string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), url, postgres.Options{MaxConns: 8})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// alterDatabase runs ALTER DATABASE on the database at url, for the
// sessions that connect after it.
func alterDatabase(t *testing.T, url, change string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `ALTER DATABASE `+pgx.Identifier{conn.Config().Database}.Sanitize()+` `+change); err != nil {
		t.Fatal(err)
	}
}

// openFile opens a bbolt store in the test's temp dir.
func openFile(t *testing.T) *bolt.Store {
	s, err := bolt.Open(filepath.Join(t.TempDir(), "kith.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// TestPostgres runs every test that needs a server on one throwaway
// server, each on its own database: starting a server costs seconds.
func TestPostgres(t *testing.T) {
	srv := pgtest.Start(t)
	srv.SetTemplate(t, func(url string) { openURL(t, url).Close() })
	pg := func(t *testing.T) reminders.Store { return openDB(t, srv) }
	file := func(t *testing.T) reminders.Store { return openFile(t) }
	t.Run("Conformance", func(t *testing.T) { storagetest.Run(t, pg) })
	t.Run("Replicas", func(t *testing.T) {
		storagetest.RunReplicas(t, func(t *testing.T) (reminders.Store, reminders.Store) {
			url := srv.NewDB(t)
			return openURL(t, url), openURL(t, url)
		})
	})
	// An operator may make SERIALIZABLE (or REPEATABLE READ) the default
	// for kith's database or role; kith's statements count on READ
	// COMMITTED, and two replicas claiming jobs would otherwise abort each
	// other's claims.
	t.Run("ReplicasSerializableDefault", func(t *testing.T) {
		storagetest.RunReplicas(t, func(t *testing.T) (reminders.Store, reminders.Store) {
			url := srv.NewDB(t)
			alterDatabase(t, url, `SET default_transaction_isolation = 'serializable'`)
			return openURL(t, url), openURL(t, url)
		})
	})
	t.Run("Copy", func(t *testing.T) {
		t.Run("bolt to postgres", func(t *testing.T) { t.Parallel(); storagetest.RunCopy(t, file, pg) })
		t.Run("postgres to bolt", func(t *testing.T) { t.Parallel(); storagetest.RunCopy(t, pg, file) })
		t.Run("postgres to postgres", func(t *testing.T) { t.Parallel(); storagetest.RunCopy(t, pg, pg) })
	})
	t.Run("OpenErrors", func(t *testing.T) { testOpenErrors(t, srv) })
	t.Run("Migrate", func(t *testing.T) { testMigrateConcurrently(t, srv) })
	t.Run("Backup", func(t *testing.T) { testBackup(t, srv) })
	t.Run("PruneKeys", func(t *testing.T) { testPruneKeys(t, srv) })
	t.Run("PruneKeysRacesRenewal", func(t *testing.T) { testPruneKeysRacesRenewal(t, srv) })
	t.Run("CloseWhilePruning", func(t *testing.T) { testCloseWhilePruning(t, srv) })
	t.Run("DefaultIsolation", func(t *testing.T) { testDefaultIsolation(t, srv) })
	t.Run("NewOwnerNamedContacts", func(t *testing.T) { testNewOwnerNamedContacts(t, srv) })
}
