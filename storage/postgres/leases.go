package postgres

import (
	"context"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// Lease gives the lease to holder when it is free at now or already theirs,
// in one statement: of two replicas asking at once, one gets it.
func (s *Store) Lease(ctx context.Context, name, holder string, now, until time.Time) (bool, error) {
	if name == "" || holder == "" {
		return false, reminders.Errorf(reminders.EINVALID, "a lease needs a name and a holder.")
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO kith_leases (name, holder, expires) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires = EXCLUDED.expires
		WHERE kith_leases.holder = EXCLUDED.holder OR kith_leases.expires <= $4`, name, holder, until, now)
	if err != nil {
		return false, unavailable(err)
	}
	return tag.RowsAffected() == 1, nil
}

// ReleaseLease ends holder's lease; someone else's is left alone.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM kith_leases WHERE name = $1 AND holder = $2`, name, holder)
	return unavailable(err)
}
