package bolt

import (
	"bytes"
	"context"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

var _ reminders.Copier = (*Store)(nil)

// loadBatch is how many records Load writes per transaction: big enough
// that commits (each an fsync) are rare, small enough that a transaction's
// dirty pages stay a few megabytes.
const loadBatch = 20000

// Dump calls fn with every record, from one read transaction: owners with
// their data, then memberships, teams, installations and jobs.
func (s *Store) Dump(ctx context.Context, fn func(reminders.Record) error) error {
	return reminders.Internal(s.db.View(func(tx *bbolt.Tx) error {
		data := tx.Bucket(bucketData)
		err := tx.Bucket(bucketOwners).ForEach(func(k, num []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			return dumpOwner(reminders.OwnerID(k), &ownerRange{b: data, prefix: num}, fn)
		})
		if err != nil {
			return err
		}
		err = tx.Bucket(bucketMembers).ForEach(func(k, _ []byte) error {
			team, owner, _ := bytes.Cut(k, sep)
			return fn(reminders.Record{Owner: reminders.OwnerID(owner), Member: reminders.TeamID(team)})
		})
		if err != nil {
			return err
		}
		err = tx.Bucket(bucketTeams).ForEach(func(_, v []byte) error {
			var t reminders.Team
			if err := decode(v, &t); err != nil {
				return err
			}
			return fn(reminders.Record{Team: &t})
		})
		if err != nil {
			return err
		}
		err = tx.Bucket(bucketInstalls).ForEach(func(_, v []byte) error {
			var in reminders.Installation
			if err := decode(v, &in); err != nil {
				return err
			}
			return fn(reminders.Record{Installation: &in})
		})
		if err != nil {
			return err
		}
		return tx.Bucket(bucketJobs).ForEach(func(k, v []byte) error {
			var j reminders.Job
			if err := readJob(k, v, &j); err != nil {
				return err
			}
			return fn(reminders.Record{Job: &j})
		})
	}))
}

// dumpOwner streams one owner's records.
func dumpOwner(owner reminders.OwnerID, b *ownerRange, fn func(reminders.Record) error) error {
	if err := fn(reminders.Record{Owner: owner, Sequence: b.Sequence()}); err != nil {
		return err
	}
	if v := b.Get(spaceSettings.key()); v != nil {
		var set reminders.Settings
		if err := decode(v, &set); err != nil {
			return err
		}
		if err := fn(reminders.Record{Owner: owner, Settings: &set}); err != nil {
			return err
		}
	}
	each := func(sp space, rec func(k, v []byte) (reminders.Record, error)) error {
		c := b.Cursor()
		prefix := sp.key()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			r, err := rec(k, v)
			if err != nil {
				return err
			}
			r.Owner = owner
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
	err := each(spaceContacts, func(_, v []byte) (reminders.Record, error) {
		var c reminders.Contact
		return reminders.Record{Contact: &c}, decodeContact(v, &c)
	})
	if err != nil {
		return err
	}
	err = each(spaceInteractions, func(k, v []byte) (reminders.Record, error) {
		var i reminders.Interaction
		return reminders.Record{Interaction: &i}, readInteraction(k, v, &i)
	})
	if err != nil {
		return err
	}
	return each(spacePromises, func(_, v []byte) (reminders.Record, error) {
		var p reminders.Promise
		return reminders.Record{Promise: &p}, decodePromise(v, &p)
	})
}

// Load fills an empty store with the records produce passes to put, with
// their indexes, committing every loadBatch records.
func (s *Store) Load(ctx context.Context, produce func(put func(reminders.Record) error) error) error {
	c, err := s.Counts(ctx)
	if err != nil {
		return err
	}
	if c != (reminders.Counts{}) {
		return reminders.Errorf(reminders.ECONFLICT, "the target database is not empty (%s); copy into a new file.", c)
	}
	l := &boltLoader{db: s.db}
	defer l.rollback()
	if err := produce(l.put); err != nil {
		return err
	}
	return reminders.Internal(l.commit())
}

// boltLoader writes records in batches of transactions.
type boltLoader struct {
	db     *bbolt.DB
	tx     *bbolt.Tx
	n      int
	owner  reminders.OwnerID
	ownerB *ownerRange
}

func (l *boltLoader) rollback() {
	if l.tx != nil {
		_ = l.tx.Rollback()
		l.tx = nil
	}
}

func (l *boltLoader) commit() error {
	if l.tx == nil {
		return nil
	}
	err := l.tx.Commit()
	l.tx, l.owner, l.ownerB = nil, "", nil
	return err
}

// bucket returns the owner's bucket in the current transaction.
func (l *boltLoader) bucket(owner reminders.OwnerID) (*ownerRange, error) {
	if owner == l.owner && l.ownerB != nil {
		return l.ownerB, nil
	}
	b, err := createRange(l.tx, owner)
	if err != nil {
		return nil, err
	}
	l.owner, l.ownerB = owner, b
	return b, nil
}

func (l *boltLoader) put(r reminders.Record) error {
	if l.n >= loadBatch {
		if err := l.commit(); err != nil {
			return err
		}
		l.n = 0
	}
	if l.tx == nil {
		tx, err := l.db.Begin(true)
		if err != nil {
			return err
		}
		l.tx = tx
	}
	l.n++
	return reminders.Internal(l.write(r))
}

func (l *boltLoader) write(r reminders.Record) error {
	switch {
	case r.Team != nil:
		v, err := encode(r.Team)
		if err != nil {
			return err
		}
		return l.tx.Bucket(bucketTeams).Put([]byte(r.Team.ID), v)
	case r.Job != nil:
		return putJob(l.tx, *r.Job)
	case r.Installation != nil:
		v, err := encode(r.Installation)
		if err != nil {
			return err
		}
		return l.tx.Bucket(bucketInstalls).Put([]byte(r.Installation.Team), v)
	case r.Member != "":
		if err := l.tx.Bucket(bucketMembers).Put(pairKey(string(r.Member), string(r.Owner)), nil); err != nil {
			return err
		}
		return l.tx.Bucket(bucketMemberOf).Put(pairKey(string(r.Owner), string(r.Member)), nil)
	}
	b, err := l.bucket(r.Owner)
	if err != nil {
		return err
	}
	var k, v []byte
	switch {
	case r.Settings != nil:
		if err := markPlan(l.tx, r.Owner); err != nil {
			return err
		}
		k, v = spaceSettings.key(), nil
		v, err = encode(r.Settings)
	case r.Contact != nil:
		if err := b.Put(nameKey(r.Contact.Name), nameEntry(r.Contact)); err != nil {
			return err
		}
		k, v = contactKey(r.Contact.ID), encodeContact(r.Contact)
	case r.Interaction != nil:
		k, v = interactionKey(*r.Interaction), encodeInteraction(r.Interaction)
	case r.Promise != nil:
		k, v = promiseKey(*r.Promise), encodePromise(r.Promise)
	default:
		if r.Sequence > b.Sequence() {
			return b.SetSequence(r.Sequence)
		}
		return nil
	}
	if err != nil {
		return err
	}
	return b.Put(k, v)
}

// Counts counts what the file holds.
func (s *Store) Counts(ctx context.Context) (reminders.Counts, error) {
	var c reminders.Counts
	if err := ctx.Err(); err != nil {
		return c, reminders.Internal(err)
	}
	err := s.db.View(func(tx *bbolt.Tx) error {
		c.Owners = int64(tx.Bucket(bucketOwners).Stats().KeyN)
		err := tx.Bucket(bucketData).ForEach(func(k, _ []byte) error {
			if len(k) <= ownerNumLen {
				return nil
			}
			switch space(k[ownerNumLen]) {
			case spaceContacts:
				c.Contacts++
			case spaceInteractions:
				c.Interactions++
			case spacePromises:
				c.Promises++
			}
			return nil
		})
		c.Teams = int64(tx.Bucket(bucketTeams).Stats().KeyN)
		c.Jobs = int64(tx.Bucket(bucketJobs).Stats().KeyN)
		c.Installations = int64(tx.Bucket(bucketInstalls).Stats().KeyN)
		return err
	})
	return c, reminders.Internal(err)
}
