// Package postgres keeps kith's data in a Postgres database that any number
// of kith replicas share: a reminders.Store whose owner transactions lock
// the owner's row, so one owner's writes are serialised across replicas
// while different owners write in parallel.
package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/kith-bot/kith/reminders"
)

// DefaultConnectTimeout bounds each attempt to reach the server, unless
// the URL says otherwise (connect_timeout): long enough for a server across
// a region, short enough that a down database fails a request while the
// user still waits for the reply.
const DefaultConnectTimeout = 5 * time.Second

// maxAttempts bounds how often a transaction that lost a serialisation
// race or a deadlock is run again before its error is returned.
const maxAttempts = 5

// Options tune Open.
type Options struct {
	// Now is the clock for changes that carry no time; nil means time.Now.
	Now func() time.Time
	// MaxConns caps the pool; zero keeps pgxpool's default (4, or the CPU count).
	MaxConns int32
	// PruneEvery is how often expired request keys are deleted (PruneKeys);
	// zero means DefaultPruneEvery, negative never.
	PruneEvery time.Duration
}

// Store is the Postgres implementation of reminders.Store.
type Store struct {
	pool *pgxpool.Pool
	now  func() time.Time
	stop context.CancelFunc // ends the pruning of request keys
	done chan struct{}      // closed when it has ended
}

var _ reminders.Store = (*Store)(nil)

// IsURL reports whether KITH_DB names a Postgres database rather than a bbolt file.
func IsURL(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// Open connects to the database at url and brings its schema up to date.
// Its errors are one sentence that names the host and user but never the
// password.
func Open(ctx context.Context, url string, o Options) (*Store, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The parser's message quotes the URL; say what is wrong without it.
		return nil, reminders.Errorf(reminders.EINVALID, "KITH_DB is not a valid Postgres URL; write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE.")
	}
	if !strings.Contains(url, "connect_timeout") {
		cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	}
	if o.MaxConns > 0 {
		cfg.MaxConns = o.MaxConns
	}
	// Every statement kith runs outside View counts on READ COMMITTED: a
	// claim skips rows others hold and rechecks those that changed while it
	// waited, a change reads after its owner's lock is granted. An operator
	// may have made another level the default for the database or the role,
	// under which two replicas' claims abort each other. A SET after connecting
	// rather than a startup parameter, which PgBouncer would refuse.
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		_, err := c.Exec(ctx, `SET default_transaction_isolation = 'read committed'`)
		return err
	}
	where := describe(cfg.ConnConfig)
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig.Copy())
	if err != nil {
		return nil, connectError(where, cfg.ConnConfig.User, err)
	}
	if conn.PgConn().ParameterStatus("server_version") != "" && serverMajor(conn) < 13 {
		_ = conn.Close(ctx)
		return nil, reminders.Errorf(reminders.EUNAVAILABLE, "Postgres at %s is version %s; kith needs Postgres 13 or newer.", where, conn.PgConn().ParameterStatus("server_version"))
	}
	err = migrate(ctx, conn, migrations)
	_ = conn.Close(ctx)
	if err != nil {
		var e *reminders.Error
		if errors.As(err, &e) {
			return nil, err
		}
		return nil, &reminders.Error{Code: reminders.EUNAVAILABLE, Err: err,
			Message: "could not create kith's tables in Postgres at " + where + " (" + pgMessage(err) + ")"}
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, connectError(where, cfg.ConnConfig.User, err)
	}
	return newStore(pool, o.Now, o.PruneEvery), nil
}

// newStore makes a Store on a pool and starts its pruning of request keys.
func newStore(pool *pgxpool.Pool, now func() time.Time, pruneEvery time.Duration) *Store {
	s := &Store{pool: pool, now: now, done: make(chan struct{})}
	var pruning context.Context
	pruning, s.stop = context.WithCancel(context.Background())
	go s.pruneKeys(pruning, pruneEvery)
	return s
}

// Close ends the pruning of request keys and releases the pool's connections.
func (s *Store) Close() error {
	s.stop()
	<-s.done
	s.pool.Close()
	return nil
}

// Ping reports whether the database answers; /readyz calls it.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err == nil {
		return nil
	}
	// After Postgres restarts, the pool's idle connections are dead and it
	// finds out one failed use at a time; drop them all and ask once more,
	// so a server that is back reads as back at once.
	s.pool.Reset()
	return unavailable(s.pool.Ping(ctx))
}

// View runs fn over the owner's data in a read-only snapshot.
func (s *Store) View(ctx context.Context, owner reminders.OwnerID, fn func(tx reminders.OwnerTx) error) error {
	return s.tx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		return fn(&ownerTx{ctx: ctx, tx: tx, owner: owner})
	})
}

// tx runs fn in a transaction, again when Postgres aborted it for a
// serialisation failure or a deadlock, and translates its errors.
func (s *Store) tx(ctx context.Context, opts pgx.TxOptions, fn func(tx pgx.Tx) error) error {
	var err error
	for range maxAttempts {
		err = pgx.BeginTxFunc(ctx, s.pool, opts, fn)
		if !retryable(err) {
			break
		}
	}
	return unavailable(err)
}

// retryable reports whether Postgres aborted the transaction for a race
// that running it again resolves.
func retryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "40001" || pg.Code == "40P01")
}

// unavailableText is the sentence for a database that cannot be reached;
// the bot tells the user to try again.
const unavailableText = "the database cannot be reached right now"

// unavailable translates an error: a lost or refused connection becomes
// EUNAVAILABLE (the user is told to try again); a kith error passes through;
// anything else is internal.
func unavailable(err error) error {
	if err == nil {
		return nil
	}
	var e *reminders.Error
	if errors.As(err, &e) {
		return err
	}
	var pg *pgconn.PgError
	var ce *pgconn.ConnectError
	switch {
	case errors.As(err, &ce), pgconn.SafeToRetry(err), pgconn.Timeout(err):
		return &reminders.Error{Code: reminders.EUNAVAILABLE, Message: unavailableText, Err: err}
	case errors.As(err, &pg):
		// Class 08 is connection exceptions, 57P0x the server shutting down.
		if strings.HasPrefix(pg.Code, "08") || strings.HasPrefix(pg.Code, "57P0") {
			return &reminders.Error{Code: reminders.EUNAVAILABLE, Message: unavailableText, Err: err}
		}
		return reminders.Internal(err)
	}
	if isConnLoss(err) {
		return &reminders.Error{Code: reminders.EUNAVAILABLE, Message: unavailableText, Err: err}
	}
	return reminders.Internal(err)
}

// isConnLoss recognises a connection that broke mid-transaction, which pgx
// reports as a plain network error.
func isConnLoss(err error) bool {
	msg := err.Error()
	for _, s := range []string{"connection refused", "connection reset", "broken pipe", "unexpected EOF", "conn closed", "closed pool", "EOF"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
