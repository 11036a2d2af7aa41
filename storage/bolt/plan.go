package bolt

import (
	"bytes"
	"context"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

var _ reminders.PlanLog = (*Store)(nil)

// markPlan records, in the transaction that changes an owner's settings,
// that their digest needs planning; the bucket's sequence tells one change
// from the next.
func markPlan(tx *bbolt.Tx, owner reminders.OwnerID) error {
	b := tx.Bucket(bucketPlan)
	seq, err := b.NextSequence()
	if err != nil {
		return err
	}
	return b.Put([]byte(owner), idKey(seq))
}

// PendingPlans lists the owners whose settings changed since their marks
// were cleared; its cost follows those owners, not all of them.
func (s *Store) PendingPlans(ctx context.Context) ([]reminders.PendingPlan, error) {
	if err := ctx.Err(); err != nil {
		return nil, reminders.Internal(err)
	}
	var out []reminders.PendingPlan
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketPlan).ForEach(func(k, v []byte) error {
			out = append(out, reminders.PendingPlan{Owner: reminders.OwnerID(k), Seq: parseID(v)})
			return nil
		})
	})
	return out, reminders.Internal(err)
}

// DonePlans clears the marks that still have the sequence numbers read.
func (s *Store) DonePlans(ctx context.Context, done []reminders.PendingPlan) error {
	if len(done) == 0 {
		return nil
	}
	return s.write(ctx, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketPlan)
		for _, p := range done {
			if v := b.Get([]byte(p.Owner)); v != nil && bytes.Equal(v, idKey(p.Seq)) {
				if err := b.Delete([]byte(p.Owner)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// markEveryone marks every owner with data, for files written before the
// marks existed: their first start plans everyone once, as before. It runs
// on the layout of schema 5 and before, a nested bucket per owner.
func markEveryone(tx *bbolt.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bucketPlan); err != nil {
		return err
	}
	c := tx.Bucket(bucketOwners).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v == nil {
			if err := markPlan(tx, reminders.OwnerID(k)); err != nil {
				return err
			}
		}
	}
	return nil
}
