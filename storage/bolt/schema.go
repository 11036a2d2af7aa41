package bolt

import (
	"encoding/binary"
	"fmt"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// Root buckets. Everything an owner keeps lives in one nested bucket under
// bucketOwners, so DeleteOwner is one bucket deletion and no index spans owners.
var (
	bucketMeta     = []byte("meta")
	bucketOwners   = []byte("owners")
	bucketTeams    = []byte("teams")    // team id -> Team JSON
	bucketMembers  = []byte("members")  // team \0 owner -> nil
	bucketMemberOf = []byte("memberof") // owner \0 team -> nil, to forget an owner's memberships
	bucketJobs     = []byte("jobs")     // kind \0 id -> Job JSON
	bucketDue      = []byte("due")      // timeKey(Due) kind \0 id -> Job JSON
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
	}},
	{2, "keep each contact's name and mention in the name index", indexNames},
	{3, "add the installations and single-use keys", func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketInstalls, bucketOnce} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	}},
	{4, "add the leases", func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketLeases)
		return err
	}},
	{5, "record whose digest needs planning, everyone's at first", markEveryone},
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() uint64 { return migrations[len(migrations)-1].version }

// checkVersion refuses, for a read-only open, a file whose schema is not the
// one this build reads: it cannot be migrated without writing.
func checkVersion(db *bbolt.DB, list []migration) error {
	return db.View(func(tx *bbolt.Tx) error {
		var have uint64
		if meta := tx.Bucket(bucketMeta); meta != nil {
			if v := meta.Get(keyVersion); len(v) == 8 {
				have = binary.BigEndian.Uint64(v)
			}
		}
		if latest := list[len(list)-1].version; have != latest {
			return reminders.Errorf(reminders.EUNAVAILABLE, "the database has schema %d and this kith reads %d; open it once writable (kith serve, or a copy on a writable disk) so it can be upgraded.", have, latest)
		}
		return nil
	})
}

// migrate runs the migrations the file has not seen yet, in one transaction,
// so a crash mid-way leaves the file at its old version.
func migrate(db *bbolt.DB, list []migration) error {
	if checkVersion(db, list) == nil {
		return nil // up to date: a start writes nothing
	}
	return db.Update(func(tx *bbolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		var have uint64
		if v := meta.Get(keyVersion); len(v) == 8 {
			have = binary.BigEndian.Uint64(v)
		}
		latest := list[len(list)-1].version
		if have > latest {
			return reminders.Errorf(reminders.EUNAVAILABLE, "the database was written by a newer kith (schema %d, this one knows up to %d); upgrade kith to open it.", have, latest)
		}
		for _, m := range list {
			if m.version <= have {
				continue
			}
			if err := m.run(tx); err != nil {
				return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
			}
			have = m.version
		}
		return meta.Put(keyVersion, idKey(have))
	})
}
