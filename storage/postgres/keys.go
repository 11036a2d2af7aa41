package postgres

import (
	"context"
	"time"
)

// DefaultPruneEvery is how often a Store deletes expired request keys. They
// are ignored once older than KeyRetention, so deleting them only reclaims
// space; two days of keys are kept anyway.
const DefaultPruneEvery = time.Hour

// pruneBatch bounds the rows one statement of PruneKeys deletes, so that no
// single transaction holds many row locks or runs long.
const pruneBatch = 10000

// PruneKeys deletes the request keys seen more than KeyRetention ago, of
// every owner, and returns how many. Changes used to delete an owner's
// expired keys themselves, one change in 32, but that statement read every
// key the owner had given in two days: a busy owner's writes paid for it in
// their slowest percentile, and every write in the statement's cost. Keys
// carry no index by time, so this is a scan of the table, once an hour and
// off the write path; replicas that run it at once delete each row once.
func (s *Store) PruneKeys(ctx context.Context) (int64, error) {
	cutoff := s.now().Add(-KeyRetention)
	var total int64
	for {
		// seen is checked again on the row deleted: a delivery that renews
		// the key between the choice and the delete writes a new version,
		// which Postgres rechecks against the outer condition when the
		// delete waited for it; the ctid alone leaves that to the TID
		// scan's recheck, which older Postgres releases skip (their TidRecheck
		// returns true; 15.18 checks the ctid).
		tag, err := s.pool.Exec(ctx, `DELETE FROM kith_request_keys WHERE ctid = ANY(ARRAY(
			SELECT ctid FROM kith_request_keys WHERE seen < $1 LIMIT $2)) AND seen < $1`, cutoff, pruneBatch)
		if err != nil {
			return total, unavailable(err)
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < pruneBatch {
			return total, nil
		}
	}
}

// pruneKeys runs PruneKeys every interval until ctx ends, then closes
// s.done. A failure (the database away) waits for the next interval.
func (s *Store) pruneKeys(ctx context.Context, every time.Duration) {
	defer close(s.done)
	if every == 0 {
		every = DefaultPruneEvery
	}
	if every < 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			_, _ = s.PruneKeys(ctx)
		}
	}
}
