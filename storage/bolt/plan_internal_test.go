package bolt

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// TestMigrationMarksEveryone: a file from before the plan log has every
// owner planned at its first start, as every start did then; later opens
// write nothing at all.
func TestMigrationMarksEveryone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kith.db")
	db, err := bbolt.Open(path, fileMode, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := migrate(db, path, migrations[:4]); err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, o := range []string{"console:ada", "slack:T1:U2"} {
			b, err := tx.Bucket(bucketOwners).CreateBucket([]byte(o))
			if err != nil {
				return err
			}
			if err := b.Put(spaceSettings.key(), []byte(`{"created":"2026-01-01T00:00:00Z"}`)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	txid := func() int {
		t.Helper()
		s, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		var id int
		_ = s.db.View(func(tx *bbolt.Tx) error { id = tx.ID(); return nil })
		return id
	}
	migrated := txid()
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.PendingPlans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []reminders.OwnerID
	for _, x := range p {
		got = append(got, x.Owner)
	}
	if want := []reminders.OwnerID{"console:ada", "slack:T1:U2"}; !slices.Equal(got, want) {
		t.Errorf("pending after the migration: %v, want %v", got, want)
	}
	_ = s.Close()
	if again := txid(); again != migrated {
		t.Errorf("opening an up-to-date file committed %d transactions; want none", again-migrated)
	}
}
