package bolt

import (
	"bytes"
	"context"
	"time"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// Installation returns kith's installation in a workspace; ENOTFOUND when none was stored.
func (s *Store) Installation(ctx context.Context, team reminders.TeamID) (reminders.Installation, error) {
	var in reminders.Installation
	if err := ctx.Err(); err != nil {
		return in, reminders.Internal(err)
	}
	found := false
	err := s.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bucketInstalls).Get([]byte(team))
		if v == nil {
			return nil
		}
		found = true
		return decode(v, &in)
	})
	if err != nil {
		return in, reminders.Internal(err)
	}
	if !found {
		return in, reminders.Errorf(reminders.ENOTFOUND, "kith is not installed in %s.", team)
	}
	return in, nil
}

// PutInstallation stores an installation, replacing the team's earlier one.
func (s *Store) PutInstallation(ctx context.Context, in reminders.Installation) error {
	if in.Team == "" {
		return reminders.Errorf(reminders.EINVALID, "an installation needs a team.")
	}
	v, err := encode(in)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketInstalls).Put([]byte(in.Team), v)
	})
}

// Installations lists every installation, in team order.
func (s *Store) Installations(ctx context.Context) ([]reminders.Installation, error) {
	if err := ctx.Err(); err != nil {
		return nil, reminders.Internal(err)
	}
	var out []reminders.Installation
	err := s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketInstalls).ForEach(func(_, v []byte) error {
			var in reminders.Installation
			if err := decode(v, &in); err != nil {
				return err
			}
			out = append(out, in)
			return nil
		})
	})
	return out, reminders.Internal(err)
}

// DeleteTeam removes the team's settings, summary job, member list and,
// unless it is active again, its installation, in one transaction.
func (s *Store) DeleteTeam(ctx context.Context, team reminders.TeamID) error {
	if team == "" {
		return reminders.Errorf(reminders.EINVALID, "deleting a team needs a team.")
	}
	return s.write(ctx, func(tx *bbolt.Tx) error {
		installs := tx.Bucket(bucketInstalls)
		if v := installs.Get([]byte(team)); v != nil {
			var in reminders.Installation
			if err := decode(v, &in); err != nil {
				return err
			}
			if !in.Active() {
				if err := installs.Delete([]byte(team)); err != nil {
					return err
				}
			}
		}
		if err := tx.Bucket(bucketTeams).Delete([]byte(team)); err != nil {
			return err
		}
		if err := deleteJob(tx, reminders.SummaryJob, string(team)); err != nil {
			return err
		}
		members, memberOf := tx.Bucket(bucketMembers), tx.Bucket(bucketMemberOf)
		prefix := pairKey(string(team), "")
		var keys [][]byte
		c := members.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			keys = append(keys, clone(k))
		}
		for _, k := range keys {
			if err := memberOf.Delete(pairKey(string(k[len(prefix):]), string(team))); err != nil {
				return err
			}
			if err := members.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// onceSweep bounds how many expired keys one UseOnce call forgets, so the
// call stays cheap while the bucket still shrinks faster than it grows.
const onceSweep = 16

// UseOnce records key as used until the given time; ErrDuplicate when it was
// recorded before and that time has not passed at now. Each call also forgets
// a few keys whose time has passed.
func (s *Store) UseOnce(ctx context.Context, key string, now, until time.Time) error {
	if key == "" {
		return reminders.Errorf(reminders.EINVALID, "a single-use key cannot be empty.")
	}
	var dup bool
	err := s.write(ctx, func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketOnce)
		dup = false
		nowKey := timeKey(now)
		if v := b.Get([]byte(key)); v != nil && bytes.Compare(v, nowKey) > 0 {
			dup = true
			return nil
		}
		var expired [][]byte
		c := b.Cursor()
		for k, v := c.First(); k != nil && len(expired) < onceSweep; k, v = c.Next() {
			if bytes.Compare(v, nowKey) <= 0 {
				expired = append(expired, clone(k))
			}
		}
		for _, k := range expired {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return b.Put([]byte(key), timeKey(until))
	})
	if err != nil {
		return err
	}
	if dup {
		return reminders.ErrDuplicate
	}
	return nil
}
