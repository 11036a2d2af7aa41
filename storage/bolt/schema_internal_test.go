package bolt

import (
	"path/filepath"
	"slices"
	"testing"

	bbolt "go.etcd.io/bbolt"
)

// TestMigrate checks the migration hook: new migrations run once, in order,
// and only those the file has not seen.
func TestMigrate(t *testing.T) {
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "kith.db"), fileMode, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ran []uint64
	step := func(v uint64) migration {
		return migration{v, "step", func(*bbolt.Tx) error { ran = append(ran, v); return nil }}
	}
	version := func() uint64 {
		var v uint64
		_ = db.View(func(tx *bbolt.Tx) error { v = parseID(tx.Bucket(bucketMeta).Get(keyVersion)); return nil })
		return v
	}
	tests := []struct {
		list []migration
		want []uint64
	}{
		{[]migration{step(1), step(2)}, []uint64{1, 2}},
		{[]migration{step(1), step(2)}, nil},
		{[]migration{step(1), step(2), step(3), step(4)}, []uint64{3, 4}},
	}
	for _, tc := range tests {
		ran = nil
		if err := migrate(db, tc.list); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ran, tc.want) {
			t.Errorf("ran %v, want %v", ran, tc.want)
		}
		if v := version(); v != tc.list[len(tc.list)-1].version {
			t.Errorf("version = %d, want %d", v, tc.list[len(tc.list)-1].version)
		}
	}
	if err := migrate(db, []migration{step(1)}); err == nil {
		t.Error("an older kith migrated a newer file")
	}
}
