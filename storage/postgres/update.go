package postgres

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/kith-bot/kith/reminders"
)

// KeyRetention is how long a request key is remembered: platforms retry
// within minutes, a double click comes within seconds, and two days cover
// a restart in between. The same as the bbolt store.
const KeyRetention = 48 * time.Hour

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
	var err error
	for range maxAttempts {
		dup, err = s.update(ctx, owner, change, fn)
		if !retryable(err) {
			break
		}
	}
	if err != nil {
		return unavailable(err)
	}
	if dup {
		return reminders.ErrDuplicate
	}
	return nil
}

// update makes one attempt at Update on a connection of its own rather
// than in a pgx.Tx, to save the round trips a short change would otherwise
// spend on bookkeeping: BEGIN goes to Postgres in one batch with the
// owner's lock and the request key, and COMMIT in one with the change's
// last writes (see ownerTx.exec).
func (s *Store) update(ctx context.Context, owner reminders.OwnerID, change reminders.Change, fn func(tx reminders.OwnerTx) error) (dup bool, err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Release() // a connection left inside a transaction is closed, not reused
	defer func() {
		if (err != nil || dup) && conn.Conn().PgConn().TxStatus() != 'I' {
			_, _ = conn.Exec(ctx, `ROLLBACK`)
		}
	}()
	t := &ownerTx{ctx: ctx, tx: conn, owner: owner, writable: true, recording: change.Undo != ""}
	b := &pgx.Batch{}
	// READ COMMITTED whatever the database's default: each statement then
	// reads from a snapshot taken when it starts, so every read after the
	// lock (the contacts named beforehand, and all of fn's) sees what the
	// owner's previous change committed. Under REPEATABLE READ the lock
	// statement would take the transaction's snapshot before waiting.
	b.Queue(`BEGIN ISOLATION LEVEL READ COMMITTED`)
	var nextID *int64 // nil: the owner has no row yet
	t.undoUnread = t.recording
	b.Queue(lockSQL, string(owner), !t.recording).QueryRow(func(row pgx.Row) error {
		if err := row.Scan(&nextID, &t.undo); !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		return nil
	})
	fresh := true
	if change.Key != "" {
		queueKey(b, owner, change.Key, change.Now, &fresh)
	}
	if len(change.Contacts) > 0 {
		queuePrefetch(b, t, change.Contacts)
	}
	if err := conn.SendBatch(ctx, b).Close(); err != nil {
		return false, err
	}
	if !fresh {
		return true, nil
	}
	if nextID == nil {
		// Read without the lock, which a new owner does not have yet.
		t.read, t.names, t.cache = nil, nil, nil
		// A new owner: create the row, locked.
		err := conn.QueryRow(ctx, `INSERT INTO kith_owners (owner) VALUES ($1)
			ON CONFLICT (owner) DO UPDATE SET owner = EXCLUDED.owner
			RETURNING next_id, undo`, string(owner)).Scan(&nextID, &t.undo)
		if err != nil {
			return false, err
		}
		t.undoUnread = false
	}
	t.nextID = *nextID
	t.startID = t.nextID
	if err := fn(t); err != nil {
		return false, err
	}
	if err := t.finish(change); err != nil {
		return false, err
	}
	tag, err := t.execNow(`COMMIT`)
	if err == nil && tag.String() != "COMMIT" {
		err = pgx.ErrTxCommitRollback
	}
	return false, err
}

// lockSQL locks the owner's row and reads what a change needs of it. The
// row is locked without being written: a change writes it once at the end,
// if at all, and never its key, hence the lighter NO KEY lock. The undo
// record is read only when $2 is true: an undoable change replaces it
// without looking at it (Undo inside one reads it then, see undoRecord),
// and sending it costs the server a conversion of a kilobyte of JSON.
const lockSQL = `SELECT next_id, CASE WHEN $2 THEN undo END FROM kith_owners WHERE owner = $1 FOR NO KEY UPDATE`

// queuePrefetch reads the contacts the change says it will read (see
// reminders.Change.Contacts) in the batch that takes the owner's lock, after
// the lock, and keeps them as if the change had read them (see ownerTx.read),
// so that reading them costs no round trip of its own. Ids that are not the
// owner's are simply not found. Each contact is read by a statement of its
// own: with `id = ANY($2)` Postgres plans the statement afresh every time
// (a generic plan cannot know the array's length), which cost more than the
// rest of the statement.
func queuePrefetch(b *pgx.Batch, t *ownerTx, contacts []uint64) {
	for i, id := range contacts {
		if slices.Contains(contacts[:i], id) {
			continue
		}
		b.Queue(`SELECT name, data FROM kith_contacts WHERE owner = $1 AND id = $2`, t.o(), int64(id)).Query(func(rows pgx.Rows) error {
			defer rows.Close()
			for rows.Next() {
				var name string
				var v []byte
				if err := rows.Scan(&name, &v); err != nil {
					return err
				}
				t.keep(ref{kindContact, id}, v)
				t.knowName(id, name)
				t.readContact(id, v)
			}
			return rows.Err()
		})
	}
}

// queueKey records the owner's request key and sets fresh to whether it
// was new (or older than KeyRetention). It follows the owner's lock in the
// batch (Postgres runs a batch's statements in order), so two replicas given
// the same delivery see each other's key. For an owner who has no row yet
// there is no lock, and none is needed for the key: its unique index makes a
// second transaction with the same key wait for the first and then see it.
func queueKey(b *pgx.Batch, owner reminders.OwnerID, key string, now time.Time, fresh *bool) {
	b.Queue(`INSERT INTO kith_request_keys (owner, key, seen) VALUES ($1, $2, $3)
		ON CONFLICT (owner, key) DO UPDATE SET seen = EXCLUDED.seen
		WHERE kith_request_keys.seen < $4`, string(owner), key, now, now.Add(-KeyRetention)).Exec(func(tag pgconn.CommandTag) error {
		*fresh = tag.RowsAffected() == 1
		return nil
	})
}
