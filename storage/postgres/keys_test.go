package postgres_test

import (
	"context"
	"fmt"
	"github.com/jackc/pgx/v5"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/postgres"
	"github.com/kith-bot/kith/storage/postgres/pgtest"
)

// testPruneKeys: PruneKeys deletes every owner's keys older than
// KeyRetention, in batches, and only those: a key within it still turns a
// second delivery away, and an expired one counts as new, pruned or not.
func testPruneKeys(t *testing.T, srv *pgtest.Server) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	var now atomic.Int64
	now.Store(t0.UnixNano())
	s, err := postgres.Open(ctx, srv.NewDB(t), postgres.Options{Now: func() time.Time { return time.Unix(0, now.Load()).UTC() }, PruneEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	deliver := func(owner reminders.OwnerID, key string, at time.Time) error {
		return s.Update(ctx, owner, reminders.Change{Key: key, Now: at}, func(reminders.OwnerTx) error { return nil })
	}
	// More expired keys than one batch deletes, over two owners.
	const old = 10007
	for i := range old {
		if err := deliver(reminders.OwnerID(fmt.Sprintf("console:u%d", i%2)), fmt.Sprintf("old-%d", i), t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := deliver("console:u0", "recent", t0.Add(47*time.Hour)); err != nil {
		t.Fatal(err)
	}
	now.Store(t0.Add(postgres.KeyRetention + time.Hour).UnixNano())
	n, err := s.PruneKeys(ctx)
	if err != nil || n != old {
		t.Fatalf("PruneKeys = %d, %v; want the %d expired keys", n, err, old)
	}
	if n, err := s.PruneKeys(ctx); err != nil || n != 0 {
		t.Errorf("a second PruneKeys = %d, %v; want 0", n, err)
	}
	at := t0.Add(postgres.KeyRetention + time.Hour)
	if err := deliver("console:u0", "recent", at); err != reminders.ErrDuplicate {
		t.Errorf("a key seen 2 hours before, delivered again = %v; want ErrDuplicate", err)
	}
	if err := deliver("console:u0", "old-0", at); err != nil {
		t.Errorf("a pruned key delivered again = %v; want it taken as new", err)
	}
}

// testPruneKeysRacesRenewal: a delivery that renews an expired key while
// PruneKeys is deleting it keeps the renewed key. PruneKeys picks the rows
// by ctid; the renewal writes a new version of the row, which Postgres's
// recheck of a DELETE blocked on the renewal's lock must not take for the
// expired one: a retry of the renewed delivery minutes later would run the
// change a second time.
func testPruneKeysRacesRenewal(t *testing.T, srv *pgtest.Server) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	later := t0.Add(postgres.KeyRetention + time.Hour)
	url := srv.NewDB(t)
	s, err := postgres.Open(ctx, url, postgres.Options{Now: func() time.Time { return later }, PruneEvery: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const owner = reminders.OwnerID("console:u1")
	deliver := func(key string, at time.Time, fn func(reminders.OwnerTx) error) error {
		return s.Update(ctx, owner, reminders.Change{Key: key, Now: at}, fn)
	}
	none := func(reminders.OwnerTx) error { return nil }
	if err := deliver("k", t0, none); err != nil {
		t.Fatal(err)
	}
	// Other owners' recent keys, as a busy table holds: on a table of a
	// few rows Postgres scans it all and filters on the ctid, which it
	// checks again on the renewed version; on a large one it fetches the
	// rows by ctid (a TID scan), whose recheck older Postgres releases
	// skip.
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `INSERT INTO kith_request_keys (owner, key, seen)
		SELECT 'console:other', 'k' || i, $1 FROM generate_series(1, 20000) i`, later); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `ANALYZE kith_request_keys`); err != nil {
		t.Fatal(err)
	}
	// The delivery comes again after KeyRetention: the key is renewed in
	// the batch that starts its transaction, which then waits in fn.
	inFn, release := make(chan struct{}), make(chan struct{})
	renewed := make(chan error, 1)
	go func() {
		renewed <- deliver("k", later, func(reminders.OwnerTx) error {
			close(inFn)
			<-release
			return nil
		})
	}()
	<-inFn
	pruned := make(chan error, 1)
	go func() {
		_, err := s.PruneKeys(ctx)
		pruned <- err
	}()
	waitForLockWait(t, url)
	close(release)
	if err := <-renewed; err != nil {
		t.Fatalf("the renewing delivery = %v", err)
	}
	if err := <-pruned; err != nil {
		t.Fatalf("PruneKeys = %v", err)
	}
	if err := deliver("k", later.Add(time.Minute), none); err != reminders.ErrDuplicate {
		t.Errorf("the renewed delivery retried a minute later = %v; want ErrDuplicate", err)
	}
}

// waitForLockWait returns once a session of the database waits for a lock
// another holds (PruneKeys waiting for the renewal's transaction).
func waitForLockWait(t *testing.T, url string) {
	t.Helper()
	waitForLockWaitIn(t, url, "")
}

// waitForLockWaitIn returns once a session of the database waits for a
// lock in a statement starting with prefix: where one session waits
// twice, in turn, the wait the test means and not the one just ended.
func waitForLockWaitIn(t *testing.T, url, prefix string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for {
		var waiting bool
		err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND starts_with(ltrim(query), $1))`, prefix).Scan(&waiting)
		if err != nil {
			t.Fatalf("waiting for a session to wait for a lock: %v", err)
		}
		if waiting {
			return
		}
		time.Sleep(time.Millisecond) // polls a condition, not a schedule
	}
}

// testCloseWhilePruning: Close ends a pruning that is running and returns
// once it has, with the pool closed after it; Update before it is unharmed.
func testCloseWhilePruning(t *testing.T, srv *pgtest.Server) {
	ctx := context.Background()
	pruning := make(chan struct{}, 1)
	clock := func() time.Time {
		select {
		case pruning <- struct{}{}:
		default:
		}
		return time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	}
	// Pruning every nanosecond: Close finds it running or about to run.
	s, err := postgres.Open(ctx, srv.NewDB(t), postgres.Options{Now: clock, PruneEvery: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, "console:u1", reminders.Change{Key: "k"}, func(reminders.OwnerTx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	// Drain the Update's own reading of the clock, then wait for pruning's.
	<-pruning
	<-pruning
	done := make(chan error, 1)
	go func() { done <- s.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Close = %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Close did not return while pruning ran")
	}
}
