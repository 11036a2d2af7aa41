package bolt

import (
	"bytes"
	"context"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// DeleteOwner removes everything of the owner (their range of records,
// settings, request keys and undo record; their digest job; their team
// memberships, their name on teams they set up and as who installed kith) in one transaction, then scrubs the file's free pages so that
// the deleted bytes do not linger in it or in later backups.
func (s *Store) DeleteOwner(ctx context.Context, owner reminders.OwnerID) error {
	if owner == "" {
		return reminders.Errorf(reminders.EINVALID, "forgetting needs an owner.")
	}
	err := s.write(ctx, func(tx *bbolt.Tx) error {
		if r := lookupRange(tx, owner); r != nil {
			for _, k := range r.keys() {
				if err := r.b.Delete(k); err != nil {
					return err
				}
			}
			if err := tx.Bucket(bucketOwners).Delete([]byte(owner)); err != nil {
				return err
			}
		}
		if err := deleteJob(tx, reminders.DigestJob, string(owner)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketPlan).Delete([]byte(owner)); err != nil {
			return err
		}
		if err := leaveTeams(tx, owner); err != nil {
			return err
		}
		if err := forgetInstaller(tx, owner); err != nil {
			return err
		}
		return forgetSetBy(tx, owner)
	})
	if err != nil {
		return err
	}
	return s.scrub(ctx)
}

// leaveTeams removes the owner from every team they joined.
func leaveTeams(tx *bbolt.Tx, owner reminders.OwnerID) error {
	memberOf, members := tx.Bucket(bucketMemberOf), tx.Bucket(bucketMembers)
	prefix := pairKey(string(owner), "")
	var keys [][]byte
	c := memberOf.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, clone(k))
	}
	for _, k := range keys {
		if err := members.Delete(pairKey(string(k[len(prefix):]), string(owner))); err != nil {
			return err
		}
		if err := memberOf.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// forgetInstaller clears the owner from the installation of their Slack
// workspace when they were the one who installed kith there.
func forgetInstaller(tx *bbolt.Tx, owner reminders.OwnerID) error {
	o, err := reminders.ParseOwnerID(string(owner))
	if err != nil || o.Platform != reminders.PlatformSlack {
		return nil
	}
	team := []byte(reminders.NewTeamID(o.Platform, o.Team))
	installs := tx.Bucket(bucketInstalls)
	v := installs.Get(team)
	if v == nil {
		return nil
	}
	var in reminders.Installation
	if err := decode(v, &in); err != nil {
		return err
	}
	if in.InstalledBy != o.User {
		return nil
	}
	in.InstalledBy = ""
	if v, err = encode(in); err != nil {
		return err
	}
	return installs.Put(team, v)
}

// forgetSetBy clears the owner from the teams whose summary they set up:
// the team keeps its summary, but no trace of who they were.
func forgetSetBy(tx *bbolt.Tx, owner reminders.OwnerID) error {
	teams := tx.Bucket(bucketTeams)
	var changed []reminders.Team
	err := teams.ForEach(func(_, v []byte) error {
		var t reminders.Team
		if err := decode(v, &t); err != nil {
			return err
		}
		if t.SetBy == owner {
			t.SetBy = ""
			changed = append(changed, t)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, t := range changed {
		v, err := encode(t)
		if err != nil {
			return err
		}
		if err := teams.Put([]byte(t.ID), v); err != nil {
			return err
		}
	}
	return nil
}

// scrubBucket is a temporary bucket that soaks up the free pages.
var scrubBucket = []byte("scrub")

// scrub overwrites every free page of the file. bbolt never writes in place:
// a deletion frees the pages that held the data but leaves their bytes in
// the file (and in Tx.WriteTo copies) until they are reused. Filling a
// temporary bucket with enough zeros to take every free page makes bbolt
// rewrite each of them whole; deleting the bucket then frees pages that hold
// nothing but zeros. Pages still pinned by an open read transaction (a
// backup in progress) cannot be reused yet and are scrubbed by later writes.
func (s *Store) scrub(ctx context.Context) error {
	st := s.db.Stats()
	pageSize := s.db.Info().PageSize
	pages := st.FreePageN + st.PendingPageN + 8
	// A value of a quarter page keeps every leaf a single page, which the
	// allocator can place in any free page, however fragmented.
	value := make([]byte, pageSize/4)
	perPage := 3
	if err := s.write(ctx, func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(scrubBucket)
		if err != nil {
			return err
		}
		b.FillPercent = 1.0
		for i := range pages * perPage {
			if err := b.Put(idKey(uint64(i)), value); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	return s.write(ctx, func(tx *bbolt.Tx) error {
		if tx.Bucket(scrubBucket) == nil {
			return nil
		}
		return tx.DeleteBucket(scrubBucket)
	})
}
