package bolt

import (
	"bytes"
	"context"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// Team returns a team's settings; ENOTFOUND when none were stored.
func (s *Store) Team(ctx context.Context, id reminders.TeamID) (reminders.Team, error) {
	var t reminders.Team
	if err := ctx.Err(); err != nil {
		return t, reminders.Internal(err)
	}
	found := false
	err := s.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bucketTeams).Get([]byte(id))
		if v == nil {
			return nil
		}
		found = true
		return decode(v, &t)
	})
	if err != nil {
		return t, reminders.Internal(err)
	}
	if !found {
		return t, reminders.Errorf(reminders.ENOTFOUND, "No team summary is set up for %s.", id)
	}
	return t, nil
}

// PutTeam stores a team's settings.
func (s *Store) PutTeam(ctx context.Context, t reminders.Team) error {
	if t.ID == "" {
		return reminders.Errorf(reminders.EINVALID, "a team needs an id.")
	}
	v, err := encode(t)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketTeams).Put([]byte(t.ID), v)
	})
}

// Join records that the owner uses kith in the team. Every command calls it,
// so the common case (already a member) is a read, which never waits for
// the writer lock or a disk sync.
func (s *Store) Join(ctx context.Context, team reminders.TeamID, owner reminders.OwnerID) error {
	if team == "" || owner == "" {
		return reminders.Errorf(reminders.EINVALID, "joining a team needs a team and an owner.")
	}
	key := pairKey(string(team), string(owner))
	member := false
	if err := s.db.View(func(tx *bbolt.Tx) error {
		member = tx.Bucket(bucketMembers).Get(key) != nil
		return nil
	}); err != nil {
		return reminders.Internal(err)
	}
	if member {
		return nil
	}
	return s.write(ctx, func(tx *bbolt.Tx) error {
		if err := tx.Bucket(bucketMembers).Put(key, nil); err != nil {
			return err
		}
		return tx.Bucket(bucketMemberOf).Put(pairKey(string(owner), string(team)), nil)
	})
}

// Members lists the owners seen using kith in the team, in id order.
func (s *Store) Members(ctx context.Context, team reminders.TeamID) ([]reminders.OwnerID, error) {
	if err := ctx.Err(); err != nil {
		return nil, reminders.Internal(err)
	}
	var out []reminders.OwnerID
	prefix := pairKey(string(team), "")
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketMembers).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			out = append(out, reminders.OwnerID(k[len(prefix):]))
		}
		return nil
	})
	return out, reminders.Internal(err)
}

// write commits fn durably, sharing a commit with concurrent writers when
// there are any.
func (s *Store) write(ctx context.Context, fn func(tx *bbolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return reminders.Internal(err)
	}
	var err error
	if s.writers.Add(1) == 1 {
		err = s.db.Update(fn)
	} else {
		err = s.db.Batch(fn)
	}
	s.writers.Add(-1)
	return reminders.Internal(err)
}
