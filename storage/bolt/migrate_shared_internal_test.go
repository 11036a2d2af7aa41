package bolt

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// fixtureT0 is the clock the fixtures were written at (testdata/fixture).
var fixtureT0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// gunzip reads a gzipped file of testdata.
func gunzip(t *testing.T, name string) []byte {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fixture is a database written by kith at an older schema through the
// Store API (testdata/fixture/gen.go, at the last commit of each: the same
// records) and what that kith's Dump read from it.
type fixture struct {
	schema   uint64
	db, dump string
}

var fixtures = []fixture{{5, "schema5.db.gz", "schema5.jsonl.gz"}, {6, "schema6.db.gz", "schema6.jsonl.gz"}}

// fixtureFile writes a fixture's database to a new temp dir and returns its path.
func fixtureFile(t *testing.T, f fixture) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kith.db")
	if err := os.WriteFile(path, gunzip(t, f.db), fileMode); err != nil {
		t.Fatal(err)
	}
	return path
}

// schema5File writes the schema 5 fixture, made by kith before schema 6.
func schema5File(t *testing.T) string { return fixtureFile(t, fixtures[0]) }

// dumpLines is everything Dump reads, a record a line, as JSON.
func dumpLines(t *testing.T, s *Store) []string {
	t.Helper()
	var out []string
	err := s.Dump(context.Background(), func(r reminders.Record) error {
		b, err := json.Marshal(r)
		out = append(out, string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// fileVersionAt reads the schema version of the file at path without changing it.
func fileVersionAt(t *testing.T, path string) uint64 {
	t.Helper()
	db, err := bbolt.Open(path, fileMode, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v uint64
	_ = db.View(func(tx *bbolt.Tx) error { v = fileVersion(tx); return nil })
	return v
}

// checkUpgraded opens the file at path as kith does and checks that it is
// at this build's schema, holds exactly what kith read from the fixture f,
// and that nothing of the rewrite is left beside it.
func checkUpgraded(t *testing.T, path string, f fixture) *Store {
	t.Helper()
	s, err := Open(path, Options{Now: func() time.Time { return fixtureT0 }})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	var v uint64
	_ = s.db.View(func(tx *bbolt.Tx) error { v = fileVersion(tx); return nil })
	if v != SchemaVersion() {
		t.Errorf("schema %d after Open, want %d", v, SchemaVersion())
	}
	want := strings.Split(strings.TrimSpace(string(gunzip(t, f.dump))), "\n")
	got := dumpLines(t, s)
	if len(got) != len(want) {
		t.Errorf("%d records after the upgrade, %d before", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Fatalf("record %d after the upgrade:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
	if _, err := os.Stat(rewritePath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the rewrite's temporary file is still there: %v", err)
	}
	checkNameIndex(t, s)
	return s
}

// checkNameIndex checks every owner's name index against their contacts,
// which Dump does not read: each name resolves, and Names gives the id,
// name and mention of each contact, in Contacts' order.
func checkNameIndex(t *testing.T, s *Store) {
	t.Helper()
	var owners []reminders.OwnerID
	_ = s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketOwners).ForEach(func(k, _ []byte) error {
			owners = append(owners, reminders.OwnerID(k))
			return nil
		})
	})
	for _, o := range owners {
		err := s.View(context.Background(), o, func(tx reminders.OwnerTx) error {
			cs, err := tx.Contacts()
			if err != nil {
				return err
			}
			names, err := tx.Names(nil)
			if err != nil {
				return err
			}
			if len(names) != len(cs) {
				t.Errorf("%s: %d names, %d contacts", o, len(names), len(cs))
			}
			for i := range min(len(names), len(cs)) {
				if n, c := names[i], cs[i]; n.ID != c.ID || n.Name != c.Name || n.Mention != c.Mention {
					t.Errorf("%s: Names[%d] = %d %q <%s>, contact %d %q <%s>", o, i, n.ID, n.Name, n.Mention, c.ID, c.Name, c.Mention)
				}
				if got, err := tx.ContactByName(cs[i].Name); err != nil || got.ID != cs[i].ID {
					t.Errorf("%s: ContactByName(%q) = %d, %v; want %d", o, cs[i].Name, got.ID, err, cs[i].ID)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestUpgrade opens a file written by kith at schema 5, and one at schema
// 6: every record reads back as that kith read it, and what is not in Dump
// carries over too: request keys, undo records (their before-images
// re-encoded), the plan log and the id sequences.
func TestUpgrade(t *testing.T) {
	for _, f := range fixtures {
		t.Run(fmt.Sprintf("schema%d", f.schema), func(t *testing.T) { testUpgrade(t, f) })
	}
}

func testUpgrade(t *testing.T, f fixture) {
	path := fixtureFile(t, f)
	before, _ := os.Stat(path)
	s := checkUpgraded(t, path, f)
	ctx := context.Background()
	owner := reminders.OwnerID("slack:T1:U000")

	err := s.Update(ctx, owner, reminders.Change{Key: "rename-0", Now: fixtureT0.Add(time.Minute)}, func(reminders.OwnerTx) error { return nil })
	if err != reminders.ErrDuplicate {
		t.Errorf("a request key recorded before the upgrade, delivered again = %v, want ErrDuplicate", err)
	}
	var label string
	err = s.Update(ctx, owner, reminders.Change{Now: fixtureT0.Add(time.Minute)}, func(tx reminders.OwnerTx) error {
		label, err = tx.Undo(fixtureT0.Add(time.Minute))
		return err
	})
	if err != nil || label != "rename" {
		t.Fatalf("undo of a change made before the upgrade = %q, %v", label, err)
	}
	err = s.View(ctx, owner, func(tx reminders.OwnerTx) error {
		c, err := tx.ContactByName("Contact 1 of 0")
		if err != nil {
			return err
		}
		if c.Company != "Acme" || len(c.Dates) != 2 || c.Learn.Early != 2 {
			t.Errorf("the contact the undo restored: %+v", c)
		}
		if _, err := tx.ContactByName("Renamed 0"); reminders.ErrorCode(err) != reminders.ENOTFOUND {
			t.Errorf("the undone name still resolves: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// New ids continue after the old ones.
	var id uint64
	err = s.Update(ctx, owner, reminders.Change{}, func(tx reminders.OwnerTx) error {
		c := reminders.Contact{Name: "Newcomer", Added: fixtureT0}
		err := tx.PutContact(&c)
		id = c.ID
		return err
	})
	if err != nil || id <= 30 {
		t.Errorf("a contact added after the upgrade got id %d (%v); the fixture's owner had handed out more", id, err)
	}
	plans, err := s.PendingPlans(ctx)
	if err != nil || len(plans) != 11 {
		t.Errorf("pending plans after the upgrade: %d, %v; want the fixture's 11", len(plans), err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("slack:T1:U002")) {
		t.Error("the owner forgotten before the upgrade is in the new file")
	}
	after, _ := os.Stat(path)
	t.Logf("file %d bytes at schema %d, %d at schema %d", before.Size(), f.schema, after.Size(), SchemaVersion())
}

// crashEnv names, for the child process of TestUpgradeCrash, the step to
// die at and the file to open.
const crashEnv = "KITH_TEST_REWRITE_CRASH"

// TestUpgradeCrashChild is the process TestUpgradeCrash kills: it opens the
// file and exits at once, without closing anything, at the step it is told.
func TestUpgradeCrashChild(t *testing.T) {
	step, path, ok := strings.Cut(os.Getenv(crashEnv), ":")
	if !ok {
		t.Skip("run by TestUpgradeCrash")
	}
	rewriteBatch = 100 // several batches, so a crash can come between two
	rewriteHook = func(s string) error {
		if s == step {
			os.Exit(3)
		}
		return nil
	}
	_, err := Open(path, Options{})
	fmt.Println("no crash:", err)
	os.Exit(4)
}

// TestUpgradeCrash kills the upgrade at each of its steps, in a process of
// its own so nothing is closed or cleaned up: the file then opens, upgrades
// on that next Open, and holds every record.
func TestUpgradeCrash(t *testing.T) {
	for _, f := range fixtures {
		for _, step := range []string{"created", "batch", "synced", "renamed"} {
			t.Run(fmt.Sprintf("schema%d/%s", f.schema, step), func(t *testing.T) { testUpgradeCrash(t, f, step) })
		}
	}
}

func testUpgradeCrash(t *testing.T, f fixture, step string) {
	path := fixtureFile(t, f)
	cmd := exec.Command(os.Args[0], "-test.run=^TestUpgradeCrashChild$")
	cmd.Env = append(os.Environ(), crashEnv+"="+step+":"+path)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("the child did not die at %q: %v\n%s", step, err, out)
	}
	wantVersion := f.schema
	if step == "renamed" { // the first rewrite's; a file of schema 5 takes two
		wantVersion = f.schema + 1
	}
	if v := fileVersionAt(t, path); v != wantVersion {
		t.Errorf("after a crash at %q the file has schema %d, want %d", step, v, wantVersion)
	}
	checkUpgraded(t, path, f)
}

// TestUpgradeReopenInUse: another kith taking the file in the moment the
// upgrade lets its lock go makes this Open fail with the sentence for a
// file in use, not an internal error, and leaves the file to upgrade later.
func TestUpgradeReopenInUse(t *testing.T) {
	path := schema5File(t)
	var holder *bbolt.DB
	defer func(h func(string) error) { rewriteHook = h }(rewriteHook)
	rewriteHook = func(step string) error {
		if step != "reopen" {
			return nil
		}
		var err error
		holder, err = bbolt.Open(path, fileMode, &bbolt.Options{Timeout: time.Second})
		return err
	}
	s, err := Open(path, Options{})
	if err == nil {
		s.Close()
		t.Fatal("Open succeeded while another handle held the file")
	}
	if holder == nil {
		t.Fatalf("the upgrade never let its lock go: %v", err)
	}
	holder.Close()
	if reminders.ErrorCode(err) != reminders.EUNAVAILABLE || !strings.Contains(reminders.ErrorMessage(err), ErrInUse) {
		t.Errorf("Open = %v (%s), want %q", err, reminders.ErrorCode(err), ErrInUse)
	}
	rewriteHook = func(string) error { return nil }
	checkUpgraded(t, path, fixtures[0])
}

// TestUpgradeKeepsMode: the upgraded file has the old file's permissions.
func TestUpgradeKeepsMode(t *testing.T) {
	path := schema5File(t)
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if v := fileVersionAt(t, path); v != SchemaVersion() {
		t.Fatalf("schema %d after Open, want %d", v, SchemaVersion())
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != 0o640 {
		t.Errorf("mode %v after the upgrade, want -rw-r-----", got)
	}
}

// TestUpgradeFails: an error during the rewrite (a full disk, say) leaves
// the old file as it was and nothing beside it; the next Open upgrades.
func TestUpgradeFails(t *testing.T) {
	for _, f := range fixtures {
		t.Run(fmt.Sprintf("schema%d", f.schema), func(t *testing.T) { testUpgradeFails(t, f) })
	}
}

func testUpgradeFails(t *testing.T, f fixture) {
	path := fixtureFile(t, f)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func(h func(string) error) { rewriteHook = h }(rewriteHook)
	rewriteHook = func(step string) error {
		if step == "synced" {
			return errors.New("no space left on device")
		}
		return nil
	}
	if s, err := Open(path, Options{}); err == nil {
		s.Close()
		t.Fatal("Open succeeded through a failed rewrite")
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("a failed upgrade changed the old file")
	}
	if _, err := os.Stat(rewritePath(path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed upgrade left its temporary file: %v", err)
	}
	rewriteHook = func(string) error { return nil }
	checkUpgraded(t, path, f)
}

// TestUpgradeLeftover: a temporary file left by a crash, even a torn one,
// is replaced, never read.
func TestUpgradeLeftover(t *testing.T) {
	path := schema5File(t)
	if err := os.WriteFile(rewritePath(path), []byte("half a database"), fileMode); err != nil {
		t.Fatal(err)
	}
	checkUpgraded(t, path, fixtures[0])
}

// TestNewFileSkipsRewrite: a new file reaches the latest schema in place;
// there is nothing to rewrite.
func TestNewFileSkipsRewrite(t *testing.T) {
	defer func(h func(string) error) { rewriteHook = h }(rewriteHook)
	var steps []string
	rewriteHook = func(step string) error { steps = append(steps, step); return nil }
	path := filepath.Join(t.TempDir(), "kith.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if len(steps) > 0 || fileVersionAt(t, path) != SchemaVersion() {
		t.Errorf("a new file was rewritten (steps %v) or is at schema %d", steps, fileVersionAt(t, path))
	}
}

// TestUpgradeThroughSymlink: when the database path is a symbolic link, the
// file it points to is upgraded and the link stays a link.
func TestUpgradeThroughSymlink(t *testing.T) {
	real := schema5File(t)
	link := filepath.Join(t.TempDir(), "kith.db")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	s := checkUpgraded(t, link, fixtures[0])
	s.Close()
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link is no longer a link: %v, %v", fi, err)
	}
	if v := fileVersionAt(t, real); v != SchemaVersion() {
		t.Errorf("the file behind the link has schema %d", v)
	}
}

// TestUpgradeAfterAnotherUpgraded: a second kith that opened the file
// before the first one upgraded it holds the old file, now unlinked; once it
// gets the lock it must take the upgraded file at path as it is, not rewrite
// it again. Read as schema 5, the upgraded file's owners (numbers now, not
// buckets) were skipped and the rewrite left every record without an owner.
func TestUpgradeAfterAnotherUpgraded(t *testing.T) {
	path := schema5File(t)
	stale, err := bbolt.Open(path, fileMode, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	// The first kith upgrades; its rename replaces the file under stale.
	first := schema5File(t)
	s, err := Open(first, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.Rename(first, path); err != nil {
		t.Fatal(err)
	}
	db, err := migrate(stale, path, migrations)
	if db != nil {
		_ = db.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	checkUpgraded(t, path, fixtures[0])
}

// TestOpenAfterRename: an Open waiting for the lock while another kith
// renames a new file over the path (its upgrade, or a restore) must end up
// with the file at path, not the old one it opened first: writes to that
// one, unlinked, would be lost at the next start.
func TestOpenAfterRename(t *testing.T) {
	if _, err := os.ReadDir("/proc/self/fd"); err != nil {
		t.Skip("needs /proc/self/fd to see the waiting Open hold the old file")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "kith.db")
	for _, p := range []string{path, path + ".new"} {
		s, err := Open(p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	holder, err := bbolt.Open(path, fileMode, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	opened := make(chan *Store, 1)
	go func() {
		s, err := Open(path, Options{Timeout: time.Minute})
		if err != nil {
			t.Error(err)
		}
		opened <- s
	}()
	// Wait until the second Open holds the old file and waits for its lock.
	for holding := 0; holding < 2 && len(opened) == 0; { // or it failed at once
		holding = 0
		fds, _ := os.ReadDir("/proc/self/fd")
		for _, fd := range fds {
			if l, _ := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); l == path {
				holding++
			}
		}
		runtime.Gosched()
	}
	if err := os.Rename(path+".new", path); err != nil {
		t.Fatal(err)
	}
	_ = holder.Close()
	s := <-opened
	if s == nil {
		return
	}
	ctx := context.Background()
	err = s.Update(ctx, "console:me", reminders.Change{Now: fixtureT0}, func(tx reminders.OwnerTx) error {
		return tx.PutSettings(reminders.Settings{Name: "me"})
	})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if owners, err := s.Owners(ctx); err != nil || len(owners) != 1 {
		t.Errorf("owners after a write and a restart: %v, %v; the write went to the file renamed away", owners, err)
	}
}

// TestUpgradeKeepsOnceAndNumbers: a single-use key spent before the upgrade
// stays spent, and an owner who arrives after it gets a number of their
// own, past every upgraded owner's, so they see nothing of anyone's.
func TestUpgradeKeepsOnceAndNumbers(t *testing.T) {
	s := checkUpgraded(t, schema5File(t), fixtures[0])
	ctx := context.Background()
	if err := s.UseOnce(ctx, "state-1", fixtureT0, fixtureT0.Add(time.Hour)); err == nil {
		t.Error("a single-use key spent before the upgrade was accepted again")
	}
	var most uint32
	_ = s.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketOwners).ForEach(func(_, num []byte) error {
			most = max(most, binary.BigEndian.Uint32(num))
			return nil
		})
	})
	newcomer := reminders.OwnerID("console:newcomer")
	if err := s.Update(ctx, newcomer, reminders.Change{Now: fixtureT0}, func(reminders.OwnerTx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	_ = s.db.View(func(tx *bbolt.Tx) error {
		if n := binary.BigEndian.Uint32(ownerNum(tx, newcomer)); n <= most {
			t.Errorf("a new owner got number %d; the upgraded owners go up to %d", n, most)
		}
		return nil
	})
	err := s.View(ctx, newcomer, func(tx reminders.OwnerTx) error {
		if cs, err := tx.Contacts(); err != nil || len(cs) != 0 {
			t.Errorf("a new owner sees %d contacts (%v)", len(cs), err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestUpgradeAfterOlderFileRenamedIn: when the file at path, reopened for
// the rewrite, turns out older than schema 5 (a restore of an old backup
// landed meanwhile), the steps it has not seen run first; rewritten as it
// was, it would reach schema 6 without the leases and the plan log.
func TestUpgradeAfterOlderFileRenamedIn(t *testing.T) {
	path := schema5File(t)
	stale, err := bbolt.Open(path, fileMode, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	older := filepath.Join(t.TempDir(), "kith.db")
	db, err := bbolt.Open(older, fileMode, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := migrate(db, older, migrations[:3]); err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		_, err := tx.Bucket(bucketOwners).CreateBucket([]byte("console:ada"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	if err := os.Rename(older, path); err != nil {
		t.Fatal(err)
	}
	db, err = migrate(stale, path, migrations)
	if db != nil {
		_ = db.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Lease(context.Background(), "digest", "me", fixtureT0, fixtureT0.Add(time.Minute)); err != nil {
		t.Errorf("lease after the upgrade: %v", err)
	}
	if plans, err := s.PendingPlans(context.Background()); err != nil || len(plans) != 1 {
		t.Errorf("pending plans after the upgrade: %v, %v; want the one owner's", plans, err)
	}
}
