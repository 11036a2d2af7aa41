package bolt_test

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
	bbolt "go.etcd.io/bbolt"
)

const restoreOwner = reminders.OwnerID("console:tester")

// addNamed writes one contact and returns once it is acknowledged.
func addNamed(t *testing.T, s *bolt.Store, name string) {
	t.Helper()
	err := s.Update(ctx, restoreOwner, reminders.Change{Now: t0}, func(tx reminders.OwnerTx) error {
		return tx.PutContact(&reminders.Contact{Name: name, Added: t0})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// contactNames reads the contact names in a closed database file.
func contactNames(t *testing.T, path string) map[string]bool {
	t.Helper()
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := map[string]bool{}
	err = s.View(ctx, restoreOwner, func(tx reminders.OwnerTx) error {
		cs, err := tx.Contacts()
		for _, c := range cs {
			out[c.Name] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// backupTo writes a hot backup of s to path, as the backup package does.
func backupTo(t *testing.T, s *bolt.Store, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backup(ctx, f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestRestore(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "kith.db")
	s, err := bolt.Open(dbPath, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close() }()
	addNamed(t, s, "kept")
	bak := filepath.Join(dir, "kith-20260302T100000Z.db")
	backupTo(t, s, bak)
	if err := bolt.Verify(bak); err != nil {
		t.Fatalf("Verify of a fresh backup = %v", err)
	}
	addNamed(t, s, "after the backup")
	o := bolt.Options{Timeout: 50 * time.Millisecond, Now: func() time.Time { return t0 }}

	// A running kith holds the file: restore refuses and changes nothing.
	kept, err := bolt.Restore(bak, dbPath, o)
	if reminders.ErrorCode(err) != reminders.EUNAVAILABLE || !strings.Contains(reminders.ErrorMessage(err), bolt.ErrInUse) || kept != "" {
		t.Fatalf("Restore over an open database = %q, %v; want EUNAVAILABLE saying it is in use", kept, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got := contactNames(t, dbPath); !got["after the backup"] {
		t.Fatalf("a refused restore changed the database: %v", got)
	}

	kept, err = bolt.Restore(bak, dbPath, o)
	if err != nil {
		t.Fatal(err)
	}
	if want := dbPath + ".before-restore-20260302T100000Z"; kept != want {
		t.Errorf("the replaced database is kept as %s, want %s", kept, want)
	}
	if got := contactNames(t, dbPath); !got["kept"] || got["after the backup"] {
		t.Errorf("restored database holds %v, want only what the backup held", got)
	}
	if !contactNames(t, kept)["after the backup"] {
		t.Errorf("%s does not hold the replaced database", kept)
	}
	if fi, err := os.Stat(dbPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("restored database: %v, %v; want mode 0600", fi, err)
	}
	if got := contactNames(t, bak); !got["kept"] || len(got) != 1 {
		t.Errorf("the backup itself changed: %v", got)
	}

	// A second restore in the same second keeps both replaced databases.
	again, err := bolt.Restore(bak, dbPath, o)
	if err != nil || again == kept || again == "" {
		t.Errorf("second restore = %q, %v; want a kept file other than %s", again, err, kept)
	}
	if !contactNames(t, kept)["after the backup"] {
		t.Errorf("the second restore overwrote %s", kept)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp")); len(leftovers) != 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}

	// Restoring where no database is yet (a new machine) works too.
	fresh := filepath.Join(dir, "new", "kith.db")
	if err := os.MkdirAll(filepath.Dir(fresh), 0o700); err != nil {
		t.Fatal(err)
	}
	kept, err = bolt.Restore(bak, fresh, o)
	if err != nil || kept != "" || !contactNames(t, fresh)["kept"] {
		t.Errorf("restore to a new path = %q, %v; want the backup and nothing kept", kept, err)
	}
}

// rawFile writes a bbolt file that is not, or not quite, a kith database.
func rawFile(t *testing.T, path string, fill func(tx *bbolt.Tx) error) string {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(fill); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// withVersion writes a meta bucket holding a schema version.
func withVersion(v uint64) func(tx *bbolt.Tx) error {
	return func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucket([]byte("meta"))
		if err != nil {
			return err
		}
		return b.Put([]byte("version"), binary.BigEndian.AppendUint64(nil, v))
	}
}

// damaged returns a copy of a real backup whose root page has an invalid
// type: the file opens, but its consistency check fails.
func damaged(t *testing.T, dir string) string {
	t.Helper()
	s, _ := open(t)
	addNamed(t, s, "someone")
	path := filepath.Join(dir, "damaged.db")
	backupTo(t, s, path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// bbolt's layout: a 16-byte page header (id, flags at 8, ...), then on
	// the two meta pages the page size at 24, the root page id at 32 and the
	// transaction id at 64. The meta page with the higher txid is current.
	le := binary.LittleEndian
	pageSize := int(le.Uint32(b[24:]))
	meta := b[:pageSize]
	if other := b[pageSize : 2*pageSize]; le.Uint64(other[64:]) > le.Uint64(meta[64:]) {
		meta = other
	}
	root := int(le.Uint64(meta[32:]))
	le.PutUint16(b[root*pageSize+8:], 0) // no page type
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRestoreRefusesWhatIsNotABackup(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "notes.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("not a database ", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"not a database", garbage, "not a kith database backup"},
		{"missing", filepath.Join(dir, "missing.db"), "there is no file at"},
		{"another program's bbolt file", rawFile(t, filepath.Join(dir, "foreign.db"), func(tx *bbolt.Tx) error {
			_, err := tx.CreateBucket([]byte("other"))
			return err
		}), "not a kith database backup"},
		{"a meta bucket without a version", rawFile(t, filepath.Join(dir, "noversion.db"), func(tx *bbolt.Tx) error {
			_, err := tx.CreateBucket([]byte("meta"))
			return err
		}), "no kith schema version"},
		{"written by a newer kith", rawFile(t, filepath.Join(dir, "newer.db"), withVersion(bolt.SchemaVersion()+1)), "written by a newer kith"},
		{"damaged pages", damaged(t, dir), "is damaged"},
	}
	dbPath := filepath.Join(dir, "kith.db")
	s, err := bolt.Open(dbPath, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	addNamed(t, s, "precious")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			verr := bolt.Verify(tt.path)
			kept, err := bolt.Restore(tt.path, dbPath, bolt.Options{})
			for _, err := range []error{verr, err} {
				msg := reminders.ErrorMessage(err)
				if reminders.ErrorCode(err) != reminders.EINVALID || !strings.Contains(msg, tt.want) || !strings.Contains(msg, "choose") {
					t.Errorf("%v; want EINVALID saying %q and what to choose", err, tt.want)
				}
			}
			if kept != "" {
				t.Errorf("a refused restore kept the database as %s", kept)
			}
		})
	}
	if got := contactNames(t, dbPath); !got["precious"] || len(got) != 1 {
		t.Errorf("a refused restore changed the database: %v", got)
	}
	if old, _ := filepath.Glob(dbPath + ".before-restore-*"); len(old) != 0 {
		t.Errorf("a refused restore moved the database: %v", old)
	}
}

func TestVerifyAcceptsAnOlderSchema(t *testing.T) {
	// Open migrates an older file, so a backup from an older kith restores.
	path := rawFile(t, filepath.Join(t.TempDir(), "v1.db"), withVersion(1))
	if err := bolt.Verify(path); err != nil {
		t.Errorf("Verify of a schema 1 file = %v, want nil", err)
	}
}
