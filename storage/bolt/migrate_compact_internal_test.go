package bolt

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// emptyBucket deletes every key (and nested bucket) of a root bucket.
func emptyBucket(t *testing.T, tx *bbolt.Tx, name []byte) {
	t.Helper()
	b := tx.Bucket(name)
	var keys, nested [][]byte
	_ = b.ForEach(func(k, v []byte) error {
		if v == nil {
			nested = append(nested, clone(k))
		} else {
			keys = append(keys, clone(k))
		}
		return nil
	})
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			t.Fatal(err)
		}
	}
	for _, k := range nested {
		if err := b.DeleteBucket(k); err != nil {
			t.Fatal(err)
		}
	}
}

// TestUpgradeJobsWithoutOwners: a file whose owners are all gone (every one
// forgotten) still holds its teams' summary jobs, written as JSON before
// schema 7. The upgrade converts them too, though there are no records to
// rewrite, so the scheduler can still read, claim and finish them.
func TestUpgradeJobsWithoutOwners(t *testing.T) {
	for _, f := range fixtures {
		t.Run(fmt.Sprintf("schema%d", f.schema), func(t *testing.T) {
			path := fixtureFile(t, f)
			plus := time.FixedZone("", 5*3600+30*60)
			job := reminders.Job{Kind: reminders.SummaryJob, ID: "slack:T1", Slot: fixtureT0.In(plus), Due: fixtureT0.Add(time.Minute),
				Attempts: 2, Since: fixtureT0.AddDate(0, 0, -7)}
			db, err := bbolt.Open(path, fileMode, &bbolt.Options{Timeout: time.Second})
			if err != nil {
				t.Fatal(err)
			}
			// What every owner's DeleteOwner leaves, as that schema wrote it:
			// no owner and no records, the team's summary job as JSON.
			err = db.Update(func(tx *bbolt.Tx) error {
				emptyBucket(t, tx, bucketOwners)
				if tx.Bucket(bucketData) != nil {
					emptyBucket(t, tx, bucketData)
				}
				emptyBucket(t, tx, bucketJobs)
				emptyBucket(t, tx, bucketDue)
				v, err := encode(job)
				if err != nil {
					return err
				}
				if err := tx.Bucket(bucketJobs).Put(jobKey(job.Kind, job.ID), v); err != nil {
					return err
				}
				return tx.Bucket(bucketDue).Put(dueKey(job), v)
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}

			s, err := Open(path, Options{Now: func() time.Time { return fixtureT0 }})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			var v uint64
			_ = s.db.View(func(tx *bbolt.Tx) error { v = fileVersion(tx); return nil })
			if v != SchemaVersion() {
				t.Errorf("schema %d after Open, want %d", v, SchemaVersion())
			}
			ctx := context.Background()
			got, err := s.Job(ctx, job.Kind, job.ID)
			if err != nil || !reflect.DeepEqual(got, job) {
				t.Errorf("Job after the upgrade = %+v, %v; want %+v", got, err, job)
			}
			now := fixtureT0.Add(time.Hour)
			claimed, err := s.ClaimJobs(ctx, now, 0, "h", now.Add(time.Minute))
			if err != nil || len(claimed) != 1 {
				t.Fatalf("ClaimJobs after the upgrade = %+v, %v; want the summary job", claimed, err)
			}
			if ok, err := s.FinishJob(ctx, claimed[0], nil); !ok || err != nil {
				t.Errorf("FinishJob after the upgrade = %v, %v", ok, err)
			}
		})
	}
}
