package postgres_test

import (
	"context"
	"fmt"
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
