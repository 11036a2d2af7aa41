package postgres

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/kith-bot/kith/reminders"
)

// tripCounter counts what a connection sends: each query or batch outside
// a batch is one round trip; statements counts every statement.
type tripCounter struct {
	trips, statements atomic.Int64
}

func (c *tripCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.trips.Add(1)
	c.statements.Add(1)
	return ctx
}
func (c *tripCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (c *tripCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.trips.Add(1)
	return ctx
}
func (c *tripCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {
	c.statements.Add(1)
}
func (c *tripCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// TestMetRoundTrips counts the round trips of a `met` through Update, in
// the two orders callers use: the benchmark's (add the interaction, then
// read the contact to update it) and the bot's (read the contact, then add
// the interaction and write the contact back). A bare transaction writing
// the same rows takes three: BEGIN, the writes, COMMIT. So does a met: BEGIN
// with the owner's lock and the request key, one statement whose answer the
// change needs, and COMMIT with the writes; two when the change names the
// contact beforehand, as the bot does, and it is read with the lock.
func TestMetRoundTrips(t *testing.T) {
	ctx := context.Background()
	var n tripCounter
	s, _ := oneConnection(t, &n)

	owner := reminders.OwnerID("slack:T1:U1")
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	c := reminders.Contact{Name: "Jane Doe", Added: now}
	if err := s.Update(ctx, owner, reminders.Change{Now: now}, func(tx reminders.OwnerTx) error { return tx.PutContact(&c) }); err != nil {
		t.Fatal(err)
	}
	addFirst := func(tx reminders.OwnerTx) error {
		i := reminders.Interaction{ContactID: c.ID, Kind: reminders.Met, At: now, Logged: now}
		if err := tx.AddInteraction(&i); err != nil {
			return err
		}
		got, err := tx.Contact(c.ID)
		if err != nil {
			return err
		}
		got.Record(i)
		return tx.PutContact(&got)
	}
	readFirst := func(tx reminders.OwnerTx) error {
		got, err := tx.Contact(c.ID)
		if err != nil {
			return err
		}
		i := reminders.Interaction{ContactID: c.ID, Kind: reminders.Met, At: now, Logged: now}
		if err := tx.AddInteraction(&i); err != nil {
			return err
		}
		got.Record(i)
		return tx.PutContact(&got)
	}
	for _, tc := range []struct {
		name  string
		fn    func(reminders.OwnerTx) error
		hint  bool
		trips int64
	}{
		{"add first", addFirst, false, 3},
		{"read first", readFirst, false, 3},
		// Named beforehand (Change.Contacts), the contact is read with the lock.
		{"add first, named", addFirst, true, 2},
		{"read first, named", readFirst, true, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k := range 3 { // the first runs prepare their statements
				n.trips.Store(0)
				change := reminders.Change{Key: tc.name + string(rune('a'+k)), Undo: "met Jane Doe", Now: now}
				if tc.hint {
					change.Contacts = []uint64{c.ID}
				}
				if err := s.Update(ctx, owner, change, tc.fn); err != nil {
					t.Fatal(err)
				}
			}
			if got := n.trips.Load(); got != tc.trips {
				t.Errorf("a met took %d round trips, want %d", got, tc.trips)
			}
		})
	}
	var h []reminders.Interaction
	if err := s.View(ctx, owner, func(tx reminders.OwnerTx) error {
		var err error
		h, err = tx.History(c.ID, 0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(h) != 12 {
		t.Errorf("%d interactions stored, want 12", len(h))
	}
}
