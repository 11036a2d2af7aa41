package bolt

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// Root buckets. Everything an owner keeps lives in bucketData under the
// owner's number (owner_range.go), so no index spans owners and DeleteOwner
// removes one range of keys.
var (
	bucketMeta     = []byte("meta")
	bucketOwners   = []byte("owners")   // owner -> their 4-byte number; schema 5 and before: a nested bucket per owner
	bucketData     = []byte("data")     // owner number, space, key -> record (owner_tx.go)
	bucketTeams    = []byte("teams")    // team id -> Team JSON
	bucketMembers  = []byte("members")  // team \0 owner -> nil
	bucketMemberOf = []byte("memberof") // owner \0 team -> nil, to forget an owner's memberships
	bucketJobs     = []byte("jobs")     // kind \0 id -> Job (record.go; JSON before schema 7)
	bucketDue      = []byte("due")      // timeKey(Visible) kind \0 id -> Job, as in bucketJobs
	bucketInstalls = []byte("installs") // team id -> Installation JSON (its token sealed)
	bucketOnce     = []byte("once")     // single-use key -> timeKey(until)
	bucketLeases   = []byte("leases")   // lease name -> lease JSON
	bucketPlan     = []byte("plan")     // owner -> sequence of their last settings change whose digest may need planning
)

// keyVersion holds the schema version in bucketMeta.
var keyVersion = []byte("version")

// migration brings the schema from version-1 to version.
type migration struct {
	version uint64
	name    string
	run     func(tx *bbolt.Tx) error
	// rewrite, instead of run, makes the step write the file anew: it
	// returns the database to go on with, at version, in place of db.
	rewrite func(db *bbolt.DB, path string, version uint64) (*bbolt.DB, error)
}

// migrations are applied in order by Open; append, never edit, so that every
// file reaches the same shape whatever version it starts from.
var migrations = []migration{
	{1, "create the root buckets", func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketOwners, bucketTeams, bucketMembers, bucketMemberOf, bucketJobs, bucketDue} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	}, nil},
	{2, "keep each contact's name and mention in the name index", indexNames, nil},
	{3, "add the installations and single-use keys", func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketInstalls, bucketOnce} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	}, nil},
	{4, "add the leases", func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketLeases)
		return err
	}, nil},
	{5, "record whose digest needs planning, everyone's at first", markEveryone, nil},
	{6, "keep every owner's records in one shared bucket, compactly", nil, shareOwners},
	{7, "drop the activity index, shorten ids in keys, store jobs compactly", nil, compactRecords},
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() uint64 { return migrations[len(migrations)-1].version }

// checkVersion refuses, for a read-only open, a file whose schema is not the
// one this build reads: it cannot be migrated without writing.
func checkVersion(db *bbolt.DB, list []migration) error {
	return db.View(func(tx *bbolt.Tx) error {
		if have := fileVersion(tx); have != list[len(list)-1].version {
			latest := list[len(list)-1].version
			return reminders.Errorf(reminders.EUNAVAILABLE, "the database has schema %d and this kith reads %d; open it once writable (kith serve, or a copy on a writable disk) so it can be upgraded.", have, latest)
		}
		return nil
	})
}

// fileVersion reads the schema version in tx; 0 for a new file.
func fileVersion(tx *bbolt.Tx) uint64 {
	if meta := tx.Bucket(bucketMeta); meta != nil {
		if v := meta.Get(keyVersion); len(v) == 8 {
			return binary.BigEndian.Uint64(v)
		}
	}
	return 0
}

// migrate runs the migrations the file at path has not seen yet and returns
// the database to use, db itself unless a step wrote the file anew. Steps
// that run in a transaction run together in one, so a crash mid-way leaves
// the file at its old version; a step that rewrites the file is safe on its
// own terms (shareOwners).
func migrate(db *bbolt.DB, path string, list []migration) (*bbolt.DB, error) {
	if checkVersion(db, list) == nil {
		return db, nil // up to date: a start writes nothing
	}
	latest := list[len(list)-1].version
	for {
		var have uint64
		if err := db.View(func(tx *bbolt.Tx) error { have = fileVersion(tx); return nil }); err != nil {
			return db, err
		}
		if have > latest {
			return db, reminders.Errorf(reminders.EUNAVAILABLE, "the database was written by a newer kith (schema %d, this one knows up to %d); upgrade kith to open it.", have, latest)
		}
		next := slices.IndexFunc(list, func(m migration) bool { return m.version > have })
		if next < 0 {
			return db, nil
		}
		if m := list[next]; m.rewrite != nil {
			ndb, err := m.rewrite(db, path, m.version)
			if err != nil {
				return ndb, fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
			}
			db = ndb
			continue
		}
		err := db.Update(func(tx *bbolt.Tx) error {
			meta, err := tx.CreateBucketIfNotExists(bucketMeta)
			if err != nil {
				return err
			}
			for _, m := range list[next:] {
				if m.rewrite != nil {
					break
				}
				if err := m.run(tx); err != nil {
					return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
				}
				have = m.version
			}
			return meta.Put(keyVersion, idKey(have))
		})
		if err != nil {
			return db, err
		}
	}
}
