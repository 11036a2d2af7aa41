package postgres_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
	"github.com/kith-bot/kith/storage/postgres"
	"github.com/kith-bot/kith/storage/postgres/pgtest"
)

// testOpenErrors checks that each way of getting the URL wrong is one
// sentence that says what to fix and never shows the password.
func testOpenErrors(t *testing.T, srv *pgtest.Server) {
	good := srv.NewDB(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	tests := []struct {
		name, url, want, secret string
	}{
		{"wrong password", strings.Replace(good, pgtest.Password, "not-the-password", 1), "refused the login of user \"postgres\"", "not-the-password"},
		{"no server", "postgres://kith:hunter2-secret@" + closed + "/kith?sslmode=disable", "cannot be reached", "hunter2-secret"},
		{"no database", strings.Replace(good, "/t", "/missing", 1), "has no such database", pgtest.Password},
		{"not a URL", "postgres://kith:hunter2-secret@host:notaport/kith", "not a valid Postgres URL", "hunter2-secret"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := postgres.Open(context.Background(), tc.url, postgres.Options{})
			if err == nil {
				t.Fatal("Open succeeded")
			}
			msg := reminders.ErrorMessage(err)
			if !strings.Contains(msg, tc.want) || strings.Contains(err.Error(), tc.secret) || strings.Count(msg, ". ") > 0 {
				t.Errorf("Open error = %q (full: %v); want one sentence with %q and without the password", msg, err, tc.want)
			}
		})
	}
}

// testMigrateConcurrently starts several replicas on a new database at
// once: the advisory lock lets one create the schema and the rest find it.
func testMigrateConcurrently(t *testing.T, srv *pgtest.Server) {
	url := srv.NewDB(t)
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Go(func() {
			s, err := postgres.Open(context.Background(), url, postgres.Options{MaxConns: 2})
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("concurrent Open: %v", err)
		}
	}
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var versions []int
	rows, _ := conn.Query(context.Background(), `SELECT version FROM kith_schema`)
	versions, err = pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil || len(versions) != 1 || versions[0] != postgres.SchemaVersion() {
		t.Errorf("kith_schema = %v, %v; want one row with %d", versions, err, postgres.SchemaVersion())
	}
}

// testBackup checks that a Postgres backup is a bbolt file kith can verify
// and open, holding what the database held.
func testBackup(t *testing.T, srv *pgtest.Server) {
	s := openDB(t, srv)
	ctx := context.Background()
	for i, name := range []string{"Ada", "Grace", "Linus"} {
		c := reminders.Contact{Name: name}
		if err := s.Update(ctx, reminders.OwnerID("slack:T1:U"+name), reminders.Change{}, func(tx reminders.OwnerTx) error {
			c.ID = 0
			return tx.PutContact(&c)
		}); err != nil {
			t.Fatal(err)
		}
		_ = i
	}
	want, _ := s.Counts(ctx)
	check := func(path string) {
		t.Helper()
		if err := bolt.Verify(path); err != nil {
			t.Fatalf("Verify: %v", err)
		}
		b, err := bolt.Open(path, bolt.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		if got, err := b.Counts(ctx); err != nil || got != want || got.Contacts != 3 {
			t.Errorf("backup counts = %v, %v; want %v", got, err, want)
		}
	}

	// Into an empty file, as kith backup and the hot backups give it: built
	// in place, needing no temporary directory (none can be made here).
	dir := t.TempDir()
	t.Setenv("TMPDIR", filepath.Join(dir, "missing"))
	path := filepath.Join(dir, "backup.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Backup(ctx, f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if fi, _ := os.Stat(path); err != nil || n == 0 || fi.Size() != n {
		t.Fatalf("Backup = %d, %v; the file holds %d bytes", n, err, fi.Size())
	}
	check(path)

	// Into any other writer, through a temporary file.
	t.Setenv("TMPDIR", dir)
	var buf bytes.Buffer
	if n, err := s.Backup(ctx, &buf); err != nil || n != int64(buf.Len()) {
		t.Fatalf("Backup into a buffer = %d, %v; wrote %d", n, err, buf.Len())
	}
	path = filepath.Join(dir, "streamed.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	check(path)
}
