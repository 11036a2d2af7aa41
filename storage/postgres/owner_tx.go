package postgres

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/kith-bot/kith/reminders"
)

// errReadOnly reports a write attempted inside View.
var errReadOnly = errors.New("write in a read-only transaction")

// querier runs statements: the pgx.Tx of a View, or the connection on which
// Update began its transaction.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// ownerTx is one owner's data inside a Postgres transaction. Every query it
// makes is keyed by its owner; a new one is made for every transaction.
type ownerTx struct {
	ctx       context.Context
	tx        querier
	owner     reminders.OwnerID
	writable  bool
	recording bool // keep before-images for undo

	nextID, startID int64            // the owner's id sequence, written back at the end when it moved
	undo            []byte           // the stored undo record, as read at the start
	undoUnread      bool             // undo was not read at the start (see lockSQL)
	touched         map[ref]struct{} // rows written so far
	entries         []undoEntry      // before-images, when recording
	cache           map[ref][]byte   // rows read before being written, for their before-images
	undone          bool             // Undo ran in this transaction
	// names maps the contacts read or written in this transaction to their
	// stored NameKey: the owner's row is locked, so a write that keeps the
	// name needs no check that another contact holds it.
	names map[uint64]string
	// read holds the stored records of contacts read in this transaction
	// and not written since, so that reading one again costs no round
	// trip: the owner's row is locked, so no other transaction changes
	// them. A write drops the contact's entry.
	read map[uint64][]byte
	// pending holds writes not sent yet (see exec).
	pending *pgx.Batch
}

var _ reminders.OwnerTx = (*ownerTx)(nil)

// Owner is the owner this transaction is scoped to.
func (t *ownerTx) Owner() reminders.OwnerID { return t.owner }

func (t *ownerTx) mustWrite() error {
	if !t.writable {
		return reminders.Internal(errReadOnly)
	}
	return nil
}

// o is the owner as a query argument.
func (t *ownerTx) o() string { return string(t.owner) }

// exec queues a write whose answer nothing waits for. It goes to Postgres
// with the next statement whose answer is needed, or with COMMIT, so it
// costs no round trip of its own; if it fails, that statement fails and
// the transaction with it. Reads always see the queued writes, which run
// first, in order.
func (t *ownerTx) exec(sql string, args ...any) error {
	if t.pending == nil {
		t.pending = &pgx.Batch{}
	}
	t.pending.Queue(sql, args...)
	return nil
}

// send sends the queued writes and one more statement in one round trip
// and returns the results at that statement.
func (t *ownerTx) send(sql string, args []any) (pgx.BatchResults, error) {
	b := t.pending
	t.pending = nil
	b.Queue(sql, args...)
	br := t.tx.SendBatch(t.ctx, b)
	for range b.Len() - 1 {
		if _, err := br.Exec(); err != nil {
			_ = br.Close()
			return nil, err
		}
	}
	return br, nil
}

// execNow runs a statement whose answer is needed, after the queued writes.
func (t *ownerTx) execNow(sql string, args ...any) (pgconn.CommandTag, error) {
	if t.pending == nil {
		return t.tx.Exec(t.ctx, sql, args...)
	}
	br, err := t.send(sql, args)
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	tag, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return tag, err
}

// query runs a query after the queued writes.
func (t *ownerTx) query(sql string, args ...any) (pgx.Rows, error) {
	if t.pending == nil {
		return t.tx.Query(t.ctx, sql, args...)
	}
	br, err := t.send(sql, args)
	if err != nil {
		return nil, err
	}
	rows, err := br.Query()
	if err != nil {
		_ = br.Close()
		return nil, err
	}
	return batchRows{rows, br}, nil
}

// batchRows are the rows of a batch's last statement; closing them
// finishes the batch.
type batchRows struct {
	pgx.Rows
	br pgx.BatchResults
}

func (r batchRows) Close() {
	r.Rows.Close()
	_ = r.br.Close()
}

// queryRow runs a one-row query after the queued writes.
func (t *ownerTx) queryRow(sql string, args ...any) pgx.Row {
	if t.pending == nil {
		return t.tx.QueryRow(t.ctx, sql, args...)
	}
	return batchRow{t, sql, args}
}

// batchRow is a row read together with the queued writes.
type batchRow struct {
	t    *ownerTx
	sql  string
	args []any
}

func (r batchRow) Scan(dest ...any) error {
	br, err := r.t.send(r.sql, r.args)
	if err != nil {
		return err
	}
	err = br.QueryRow().Scan(dest...)
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return err
}

// newID hands out the owner's next record id. One sequence serves every
// kind, as in the bbolt store; it is written back when the transaction
// commits, so a rolled-back transaction hands the id out again.
func (t *ownerTx) newID() (uint64, error) {
	if err := t.mustWrite(); err != nil {
		return 0, err
	}
	t.nextID++
	return uint64(t.nextID), nil
}

// Settings returns the owner's settings; zero when none are stored.
func (t *ownerTx) Settings() (reminders.Settings, error) {
	var s reminders.Settings
	var v []byte
	err := t.queryRow(`SELECT settings FROM kith_owners WHERE owner = $1`, t.o()).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && v == nil) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	t.keep(ref{kindSettings, 0}, v)
	return s, decode(v, &s)
}

// PutSettings stores the owner's settings and, when they plan the digest
// differently, marks it for planning at the next start (PendingPlans), in
// the same transaction: a crash before the scheduler hears of the change
// cannot lose it.
func (t *ownerTx) PutSettings(s reminders.Settings) error {
	if err := t.mustWrite(); err != nil {
		return err
	}
	v, err := json.Marshal(s)
	if err != nil {
		return reminders.Internal(err)
	}
	old, err := t.Settings()
	if err != nil {
		return err
	}
	if err := t.remember(ref{kindSettings, 0}); err != nil {
		return err
	}
	if !old.SamePlan(s) {
		t.markPlan()
	}
	return t.exec(`UPDATE kith_owners SET settings = $2 WHERE owner = $1`, t.o(), v)
}

// finish writes back the id sequence and the undo record.
func (t *ownerTx) finish(change reminders.Change) error {
	undo, changed, err := t.finishUndo(change)
	if err != nil {
		return err
	}
	switch {
	case changed:
		return t.exec(`UPDATE kith_owners SET next_id = $2, undo = $3 WHERE owner = $1`, t.o(), t.nextID, undo)
	case t.nextID != t.startID:
		return t.exec(`UPDATE kith_owners SET next_id = $2 WHERE owner = $1`, t.o(), t.nextID)
	}
	return nil
}

// decode unmarshals a stored record.
func decode(b []byte, v any) error {
	return reminders.Internal(json.Unmarshal(b, v))
}
