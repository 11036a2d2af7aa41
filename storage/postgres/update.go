package postgres

import (
	"context"
	"hash/fnv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/kith-bot/kith/reminders"
)

// KeyRetention is how long a request key is remembered: platforms retry
// within minutes, a double click comes within seconds, and two days cover
// a restart in between. The same as the bbolt store.
const KeyRetention = 48 * time.Hour

// pruneEvery is how often, in writes with a key, an owner's expired keys are
// deleted. An expired key is ignored at once; deleting only reclaims space.
const pruneEvery = 32

// Update runs fn over the owner's data in one transaction and returns once
// it is committed. The transaction first locks the owner's row, so writes
// of one owner are serialised across every replica (request keys and undo
// then need no other coordination), while other owners write in parallel.
// fn runs again when Postgres aborts the transaction for a deadlock.
func (s *Store) Update(ctx context.Context, owner reminders.OwnerID, change reminders.Change, fn func(tx reminders.OwnerTx) error) error {
	if owner == "" {
		return reminders.Errorf(reminders.EINVALID, "a change needs an owner.")
	}
	if change.Now.IsZero() {
		change.Now = s.now()
	}
	var dup bool
	err := s.tx(ctx, pgx.TxOptions{}, func(tx pgx.Tx) error {
		dup = false
		t := &ownerTx{ctx: ctx, tx: tx, owner: owner, writable: true, recording: change.Undo != ""}
		// The lock and the request key go in one round trip; Postgres runs
		// a batch's statements in order, so the key is checked under the lock.
		b := &pgx.Batch{}
		b.Queue(`INSERT INTO kith_owners (owner) VALUES ($1)
			ON CONFLICT (owner) DO UPDATE SET owner = EXCLUDED.owner
			RETURNING next_id, undo`, string(owner)).QueryRow(func(row pgx.Row) error {
			return row.Scan(&t.nextID, &t.undo)
		})
		fresh := true
		if change.Key != "" {
			queueKey(b, owner, change.Key, change.Now, &fresh)
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		t.startID = t.nextID
		if !fresh {
			dup = true
			return nil
		}
		if err := fn(t); err != nil {
			return err
		}
		return t.finish(change)
	})
	if err != nil {
		return err
	}
	if dup {
		return reminders.ErrDuplicate
	}
	return nil
}

// queueKey records the owner's request key and sets fresh to whether it was
// new (or older than KeyRetention). The owner's row is locked first, so two
// replicas given the same delivery see each other's key.
func queueKey(b *pgx.Batch, owner reminders.OwnerID, key string, now time.Time, fresh *bool) {
	b.Queue(`INSERT INTO kith_request_keys (owner, key, seen) VALUES ($1, $2, $3)
		ON CONFLICT (owner, key) DO UPDATE SET seen = EXCLUDED.seen
		WHERE kith_request_keys.seen < $4`, string(owner), key, now, now.Add(-KeyRetention)).Exec(func(tag pgconn.CommandTag) error {
		*fresh = tag.RowsAffected() == 1
		return nil
	})
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	if h.Sum32()%pruneEvery == 0 {
		// Expired keys are ignored already; deleting them only reclaims space.
		b.Queue(`DELETE FROM kith_request_keys WHERE owner = $1 AND seen < $2 AND key <> $3`, string(owner), now.Add(-KeyRetention), key)
	}
}
