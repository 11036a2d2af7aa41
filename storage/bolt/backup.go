package bolt

import (
	"context"
	"io"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the whole database to w. It runs in a
// read transaction, so writers carry on while it copies; cancelling ctx stops
// it between writes.
func (s *Store) Backup(ctx context.Context, w io.Writer) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, reminders.Internal(err)
	}
	var n int64
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		n, err = tx.WriteTo(ctxWriter{ctx, w})
		return err
	})
	return n, reminders.Internal(err)
}

// ctxWriter stops a long copy once its context is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
