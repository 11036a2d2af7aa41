package bolt

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
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
		return migration{v, "step", func(*bbolt.Tx) error { ran = append(ran, v); return nil }, nil}
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
		if _, err := migrate(db, "", tc.list); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ran, tc.want) {
			t.Errorf("ran %v, want %v", ran, tc.want)
		}
		if v := version(); v != tc.list[len(tc.list)-1].version {
			t.Errorf("version = %d, want %d", v, tc.list[len(tc.list)-1].version)
		}
	}
	if _, err := migrate(db, "", []migration{step(1)}); err == nil {
		t.Error("an older kith migrated a newer file")
	}
}

// v1Owner is one owner's data as schema 1 stored it.
type v1Owner struct {
	contacts []reminders.Contact
	names    map[string]uint64 // NameKey -> id: schema 1's name index
	undo     *undoRecord
}

// writeV1 writes a schema 1 file by hand: the layout of version 1, not
// this build's writes.
func writeV1(t *testing.T, path string, owners map[reminders.OwnerID]v1Owner) {
	t.Helper()
	db, err := bbolt.Open(path, fileMode, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := migrate(db, path, migrations[:1]); err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		for id, o := range owners {
			b, err := tx.Bucket(bucketOwners).CreateBucket([]byte(id))
			if err != nil {
				return err
			}
			var seq uint64
			for _, c := range o.contacts {
				v, _ := json.Marshal(c)
				if err := b.Put(append([]byte{'c'}, idKey(c.ID)...), v); err != nil {
					return err
				}
				seq = max(seq, c.ID)
			}
			for key, cid := range o.names {
				if err := b.Put(append([]byte{'n'}, key...), idKey(cid)); err != nil {
					return err
				}
			}
			if o.undo != nil {
				v, _ := json.Marshal(o.undo)
				if err := b.Put([]byte{'u'}, v); err != nil {
					return err
				}
			}
			if err := b.SetSequence(seq + 1); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestMigrateNames opens a schema 1 file: every owner's name index is
// rebuilt with names and mentions, and an undo recorded before the upgrade
// (a rename, a delete) still restores names that Names reads; an undo record
// that cannot be converted is dropped.
func TestMigrateNames(t *testing.T) {
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	janeDoe := reminders.Contact{ID: 1, Name: "Jane Doe", Mention: "UJANE", Company: "Acme", Added: t0}
	janeRoe := janeDoe
	janeRoe.Name = "Jane Roe"
	bobC := reminders.Contact{ID: 2, Name: "Bob", Added: t0}
	ann := reminders.Contact{ID: 1, Name: "Ann", Mention: "UANN", Added: t0}
	oldFriend := reminders.Contact{ID: 2, Name: "Old Friend", Added: t0}
	cjson := func(c reminders.Contact) []byte { v, _ := json.Marshal(c); return v }
	ckey := func(id uint64) []byte { return append([]byte{'c'}, idKey(id)...) }
	nkey := func(k string) []byte { return append([]byte{'n'}, k...) }
	const alice, bob, carl = reminders.OwnerID("slack:T1:UALICE"), reminders.OwnerID("discord:42"), reminders.OwnerID("discord:43")
	path := filepath.Join(t.TempDir(), "kith.db")
	writeV1(t, path, map[reminders.OwnerID]v1Owner{
		// Alice renamed Jane Doe to Jane Roe; her index also holds a stale entry.
		alice: {
			contacts: []reminders.Contact{janeRoe, bobC},
			names:    map[string]uint64{"jane roe": 1, "bob": 2, "ghost": 9},
			undo: &undoRecord{Label: "edit Jane Doe name Jane Roe", At: t0, Entries: []undoEntry{
				{Key: ckey(1), Value: cjson(janeDoe)},
				{Key: nkey("jane doe"), Value: idKey(1)},
				{Key: nkey("jane roe"), Absent: true},
			}},
		},
		// Bob removed Old Friend (schema 1 deleted the name before the record).
		bob: {
			contacts: []reminders.Contact{ann},
			names:    map[string]uint64{"ann": 1},
			undo: &undoRecord{Label: "remove Old Friend", At: t0, Entries: []undoEntry{
				{Key: nkey("old friend"), Value: idKey(2)},
				{Key: ckey(2), Value: cjson(oldFriend)},
			}},
		},
		// Carl's record names a contact that exists nowhere: it cannot be converted.
		carl: {
			contacts: []reminders.Contact{ann},
			names:    map[string]uint64{"ann": 1},
			undo: &undoRecord{Label: "broken", At: t0, Entries: []undoEntry{
				{Key: nkey("nobody"), Value: idKey(7)},
			}},
		},
	})

	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var version uint64
	_ = s.db.View(func(tx *bbolt.Tx) error { version = parseID(tx.Bucket(bucketMeta).Get(keyVersion)); return nil })
	if version != SchemaVersion() || version < 2 {
		t.Fatalf("schema version after Open = %d (build %d), want the build's, at least 2", version, SchemaVersion())
	}
	ctx := context.Background()
	names := func(owner reminders.OwnerID) []string {
		t.Helper()
		var out []string
		err := s.View(ctx, owner, func(tx reminders.OwnerTx) error {
			ns, err := tx.Names(nil)
			if err != nil {
				return err
			}
			cs, err := tx.Contacts()
			if err != nil {
				return err
			}
			for i, n := range ns {
				out = append(out, fmt.Sprintf("%d %s <%s>", n.ID, n.Name, n.Mention))
				if i >= len(cs) || cs[i].ID != n.ID || cs[i].Name != n.Name || cs[i].Mention != n.Mention {
					t.Errorf("%s: Names = %+v, Contacts = %+v", owner, ns, cs)
				}
			}
			if len(ns) != len(cs) {
				t.Errorf("%s: %d names, %d contacts", owner, len(ns), len(cs))
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", owner, err)
		}
		return out
	}
	undo := func(owner reminders.OwnerID) (string, error) {
		var label string
		err := s.Update(ctx, owner, reminders.Change{Now: t0.Add(time.Minute)}, func(tx reminders.OwnerTx) error {
			var err error
			label, err = tx.Undo(t0.Add(time.Minute))
			return err
		})
		return label, err
	}
	tests := []struct {
		owner       reminders.OwnerID
		migrated    []string
		label       string // "" when the undo record was dropped
		afterUndo   []string
		byName, not string
	}{
		{alice, []string{"2 Bob <>", "1 Jane Roe <UJANE>"}, "edit Jane Doe name Jane Roe", []string{"2 Bob <>", "1 Jane Doe <UJANE>"}, "jane doe", "jane roe"},
		{bob, []string{"1 Ann <UANN>"}, "remove Old Friend", []string{"1 Ann <UANN>", "2 Old Friend <>"}, "old friend", "ghost"},
		{carl, []string{"1 Ann <UANN>"}, "", []string{"1 Ann <UANN>"}, "ann", "nobody"},
	}
	for _, tc := range tests {
		if got := names(tc.owner); !slices.Equal(got, tc.migrated) {
			t.Errorf("%s: Names after migration = %q, want %q", tc.owner, got, tc.migrated)
		}
		label, err := undo(tc.owner)
		if tc.label == "" {
			if reminders.ErrorCode(err) != reminders.ENOTFOUND {
				t.Errorf("%s: undo of an unconvertible record = %q, %v; want ENOTFOUND", tc.owner, label, err)
			}
		} else if err != nil || label != tc.label {
			t.Errorf("%s: undo = %q, %v; want %q", tc.owner, label, err, tc.label)
		}
		if got := names(tc.owner); !slices.Equal(got, tc.afterUndo) {
			t.Errorf("%s: Names after undo = %q, want %q", tc.owner, got, tc.afterUndo)
		}
		_ = s.View(ctx, tc.owner, func(tx reminders.OwnerTx) error {
			if _, err := tx.ContactByName(tc.byName); err != nil {
				t.Errorf("%s: ContactByName(%q) = %v", tc.owner, tc.byName, err)
			}
			if _, err := tx.ContactByName(tc.not); reminders.ErrorCode(err) != reminders.ENOTFOUND {
				t.Errorf("%s: ContactByName(%q) = %v, want ENOTFOUND", tc.owner, tc.not, err)
			}
			return nil
		})
	}
}
