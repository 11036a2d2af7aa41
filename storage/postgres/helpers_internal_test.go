package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/kith-bot/kith/storage/postgres/pgtest"
)

// oneConnection starts a server and returns a store on a new database of it
// whose pool holds one connection, traced by tracer when not nil, with its
// pool: for tests that count what a change sends, or how Postgres planned
// it, on that one connection.
func oneConnection(t *testing.T, tracer pgx.QueryTracer) (*Store, *pgxpool.Pool) {
	t.Helper()
	srv := pgtest.Start(t)
	ctx := context.Background()
	url := srv.NewDB(t)
	s, err := Open(ctx, url, Options{PruneEvery: -1}) // creates the schema
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 1
	cfg.ConnConfig.Tracer = tracer
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	s = newStore(pool, time.Now, -1)
	t.Cleanup(func() { _ = s.Close() })
	return s, pool
}
