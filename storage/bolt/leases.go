package bolt

import (
	"context"
	"time"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// lease is who holds a named lease, and until when.
type lease struct {
	Holder string    `json:"holder"`
	Until  time.Time `json:"until"`
}

// Lease gives the lease to holder when it is free at now or already theirs.
// One process holds the file, so this only matters between the parts of one
// process; it is here so that the code using leases is the same on both stores.
func (s *Store) Lease(ctx context.Context, name, holder string, now, until time.Time) (bool, error) {
	if name == "" || holder == "" {
		return false, reminders.Errorf(reminders.EINVALID, "a lease needs a name and a holder.")
	}
	var got bool
	err := s.write(ctx, func(tx *bbolt.Tx) error {
		got = false
		b := tx.Bucket(bucketLeases)
		if v := b.Get([]byte(name)); v != nil {
			var l lease
			if err := decode(v, &l); err != nil {
				return err
			}
			if l.Holder != holder && l.Until.After(now) {
				return nil
			}
		}
		v, err := encode(lease{Holder: holder, Until: until})
		if err != nil {
			return err
		}
		got = true
		return b.Put([]byte(name), v)
	})
	return got && err == nil, err
}

// ReleaseLease ends holder's lease; someone else's is left alone.
func (s *Store) ReleaseLease(ctx context.Context, name, holder string) error {
	return s.write(ctx, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketLeases)
		v := b.Get([]byte(name))
		if v == nil {
			return nil
		}
		var l lease
		if err := decode(v, &l); err != nil {
			return err
		}
		if l.Holder != holder {
			return nil
		}
		return b.Delete([]byte(name))
	})
}
