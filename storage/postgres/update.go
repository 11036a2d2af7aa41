package postgres

import (
	"context"
	"hash/fnv"
	"time"

	"github.com/jackc/pgx/v5"
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
		err := tx.QueryRow(ctx, `INSERT INTO kith_owners (owner) VALUES ($1)
			ON CONFLICT (owner) DO UPDATE SET owner = EXCLUDED.owner
			RETURNING next_id, undo`, string(owner)).Scan(&t.nextID, &t.undo)
		if err != nil {
			return err
		}
		t.startID = t.nextID
		if change.Key != "" {
			fresh, err := recordKey(ctx, tx, owner, change.Key, change.Now)
			if err != nil {
				return err
			}
			if !fresh {
				dup = true
				return nil
			}
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

// recordKey records the owner's request key and reports whether it was new
// (or older than KeyRetention). The owner's row is locked, so two replicas
// given the same delivery see each other's key.
func recordKey(ctx context.Context, tx pgx.Tx, owner reminders.OwnerID, key string, now time.Time) (bool, error) {
	tag, err := tx.Exec(ctx, `INSERT INTO kith_request_keys (owner, key, seen) VALUES ($1, $2, $3)
		ON CONFLICT (owner, key) DO UPDATE SET seen = EXCLUDED.seen
		WHERE kith_request_keys.seen < $4`, string(owner), key, now, now.Add(-KeyRetention))
	if err != nil || tag.RowsAffected() == 0 {
		return false, err
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	if h.Sum32()%pruneEvery == 0 {
		_, err = tx.Exec(ctx, `DELETE FROM kith_request_keys WHERE owner = $1 AND seen < $2`, string(owner), now.Add(-KeyRetention))
	}
	return true, err
}
