package backup_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/backup"
	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

const owner = reminders.OwnerID("console:tester")

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func openStore(t *testing.T, path string) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// addContact writes one contact and returns once it is acknowledged.
func addContact(s reminders.Store, name string) error {
	return s.Update(context.Background(), owner, reminders.Change{Now: time.Now()}, func(tx reminders.OwnerTx) error {
		return tx.PutContact(&reminders.Contact{Name: name, Added: time.Now()})
	})
}

// names reads the contact names in a database file.
func names(t *testing.T, path string) map[string]bool {
	t.Helper()
	s := openStore(t, path)
	defer s.Close()
	out := map[string]bool{}
	err := s.View(context.Background(), owner, func(tx reminders.OwnerTx) error {
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

func TestBackupWhileWriting(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, filepath.Join(dir, "kith.db"))
	defer s.Close()
	var (
		mu    sync.Mutex
		more  = sync.NewCond(&mu) // signalled on every acknowledged write
		acked []string
		dead  int // writers that stopped on an error
		wg    sync.WaitGroup
	)
	ctx, stop := context.WithCancel(context.Background())
	defer wg.Wait() // before the store closes
	defer stop()
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				name := fmt.Sprintf("writer%d-%d", w, i)
				if err := addContact(s, name); err != nil {
					t.Error(err)
					mu.Lock()
					dead++
					more.Broadcast()
					mu.Unlock()
					return
				}
				mu.Lock()
				acked = append(acked, name)
				more.Broadcast()
				mu.Unlock()
			}
		}()
	}
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	for round := range 3 {
		mu.Lock()
		for len(acked) < 20*(round+1) && dead < 4 { // let some writes land first
			more.Wait()
		}
		if dead == 4 {
			mu.Unlock()
			t.FailNow()
		}
		before := append([]string(nil), acked...)
		mu.Unlock()
		path, err := backup.Once(context.Background(), s, backup.Options{Dir: filepath.Join(dir, "backups"), Now: clk.Now, Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Hour)
		got := names(t, path)
		for _, name := range before {
			if !got[name] {
				t.Fatalf("round %d: %s was acknowledged before the backup but is not in it", round, name)
			}
		}
	}
}

func TestRetention(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, filepath.Join(dir, "kith.db"))
	defer s.Close()
	bdir := filepath.Join(dir, "backups")
	if err := os.MkdirAll(bdir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bdir, "README.txt"), []byte("not a backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	o := backup.Options{Dir: bdir, Keep: 3, Now: clk.Now, Logger: quiet}
	for i := range 5 {
		if err := addContact(s, fmt.Sprintf("c%d", i)); err != nil {
			t.Fatal(err)
		}
		path, err := backup.Once(context.Background(), s, o)
		if err != nil {
			t.Fatal(err)
		}
		if want := clk.Now().Format("kith-20060102T150405Z.db"); filepath.Base(path) != want {
			t.Errorf("backup named %s, want %s", filepath.Base(path), want)
		}
		clk.Add(6 * time.Hour)
	}
	list, err := backup.List(bdir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"kith-20260302T090000Z.db", "kith-20260302T030000Z.db", "kith-20260301T210000Z.db"}
	if len(list) != len(want) {
		t.Fatalf("backups = %v, want %v", list, want)
	}
	for i, p := range list {
		if filepath.Base(p) != want[i] {
			t.Errorf("backup %d = %s, want %s", i, filepath.Base(p), want[i])
		}
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, %v; want 0600", p, fi.Mode().Perm(), err)
		}
	}
	if n := len(names(t, list[0])); n != 5 {
		t.Errorf("the newest backup holds %d contacts, want 5", n)
	}
	entries, _ := os.ReadDir(bdir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	if _, err := os.Stat(filepath.Join(bdir, "README.txt")); err != nil {
		t.Errorf("pruning removed a file that is not a backup: %v", err)
	}
}

func TestOnceNeedsADirectory(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, filepath.Join(dir, "kith.db"))
	defer s.Close()
	if _, err := backup.Once(context.Background(), s, backup.Options{Logger: quiet}); reminders.ErrorCode(err) != reminders.EINVALID {
		t.Errorf("Once without Dir = %v, want EINVALID", err)
	}
	// A failed backup leaves no file behind.
	s2 := openStore(t, filepath.Join(dir, "other.db"))
	_ = s2.Close()
	bdir := filepath.Join(dir, "b")
	if _, err := backup.Once(context.Background(), s2, backup.Options{Dir: bdir, Logger: quiet}); err == nil {
		t.Error("backing up a closed store succeeded")
	}
	if entries, _ := os.ReadDir(bdir); len(entries) != 0 {
		t.Errorf("a failed backup left %v", entries)
	}
}

// fakeTimer hands Run's waits to the test.
type fakeTimer struct {
	waits chan time.Duration
	fire  chan time.Time
}

func (f *fakeTimer) After(d time.Duration) <-chan time.Time {
	f.waits <- d
	return f.fire
}

func TestRunSchedule(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, filepath.Join(dir, "kith.db"))
	defer s.Close()
	bdir := filepath.Join(dir, "backups")
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	// A backup from an hour ago, made before a restart.
	if _, err := backup.Once(context.Background(), s, backup.Options{Dir: bdir, Now: func() time.Time { return clk.Now().Add(-time.Hour) }, Logger: quiet}); err != nil {
		t.Fatal(err)
	}
	ft := &fakeTimer{waits: make(chan time.Duration), fire: make(chan time.Time)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	var mu sync.Mutex
	var newest []time.Time
	var results []error
	o := backup.Options{Dir: bdir, Every: 24 * time.Hour, Keep: 2, Now: clk.Now, Logger: quiet, After: ft.After,
		Result: func(err error) { mu.Lock(); results = append(results, err); mu.Unlock() },
		Newest: func(at time.Time) { mu.Lock(); newest = append(newest, at); mu.Unlock() },
	}
	go func() {
		done <- backup.Run(ctx, s, o)
	}()
	steps := []time.Duration{23 * time.Hour, 24 * time.Hour, 24 * time.Hour}
	for i, want := range steps {
		if got := <-ft.waits; got != want {
			t.Fatalf("wait %d = %v, want %v", i, got, want)
		}
		clk.Add(want)
		ft.fire <- clk.Now()
	}
	<-ft.waits
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v, want nil after cancel", err)
	}
	list, _ := backup.List(bdir)
	if len(list) != 2 || filepath.Base(list[0]) != "kith-20260304T080000Z.db" {
		t.Errorf("backups = %v, want the 2 newest, last at 2026-03-04T08:00Z", list)
	}
	// The backup found at start is reported before any is written, so its
	// age is right from the start; then each success.
	start := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	want := []time.Time{start, start.Add(24 * time.Hour), start.Add(48 * time.Hour), start.Add(72 * time.Hour)}
	mu.Lock()
	defer mu.Unlock()
	if !slices.EqualFunc(newest, want, time.Time.Equal) || len(results) != 3 || results[0] != nil || results[2] != nil {
		t.Errorf("reported newest %v and results %v; want %v and three successes", newest, results, want)
	}
}

func TestRunRetriesAFailure(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, filepath.Join(dir, "kith.db"))
	_ = s.Close() // every backup fails
	ft := &fakeTimer{waits: make(chan time.Duration), fire: make(chan time.Time)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	failed := make(chan error, 1)
	go func() {
		done <- backup.Run(ctx, s, backup.Options{Dir: filepath.Join(dir, "b"), Now: clk.Now, Logger: quiet, After: ft.After,
			Result: func(err error) { failed <- err }})
	}()
	if got := <-ft.waits; got != backup.RetryAfter {
		t.Errorf("after a failure Run waits %v, want %v", got, backup.RetryAfter)
	}
	if err := <-failed; err == nil {
		t.Error("a failed backup was reported as a success")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run = %v", err)
	}
}

func TestOnceVerifiesBeforeRenaming(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, filepath.Join(dir, "kith.db"))
	defer s.Close()
	if err := addContact(s, "checked"); err != nil {
		t.Fatal(err)
	}
	bdir := filepath.Join(dir, "backups")
	refused := reminders.Errorf(reminders.EINVALID, "the copy is damaged; choose an older backup.")
	tests := []struct {
		name   string
		verify func(path string) error
		err    error // the error Once returns
		files  int   // backups in bdir afterwards
	}{
		{"a bad copy is never renamed into place", func(string) error { return refused }, refused, 0},
		{"the storage package's check accepts a good copy", bolt.Verify, nil, 1},
		{"no check at all", nil, nil, 2},
	}
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var checked []string
			verify := tt.verify
			if verify != nil {
				verify = func(path string) error {
					checked = append(checked, path)
					return tt.verify(path)
				}
			}
			path, err := backup.Once(context.Background(), s, backup.Options{Dir: bdir, Now: clk.Now, Logger: quiet, Verify: verify})
			clk.Add(time.Hour)
			if err != tt.err {
				t.Fatalf("Once = %q, %v; want %v", path, err, tt.err)
			}
			if tt.verify != nil && (len(checked) != 1 || checked[0] == path || filepath.Dir(checked[0]) != bdir) {
				t.Errorf("Verify saw %v; want the temporary copy in %s, once, before it became %s", checked, bdir, path)
			}
			if err == nil && !names(t, path)["checked"] {
				t.Errorf("backup %s lacks the contact", path)
			}
			entries, _ := os.ReadDir(bdir)
			if len(entries) != tt.files {
				t.Errorf("backup directory holds %v, want %d backups and nothing else", entries, tt.files)
			}
		})
	}
}

// Two replicas on one database make one backup per interval between them:
// the one holding the lease; the other takes over once the first is gone.
func TestRunOneReplicaAtATime(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, filepath.Join(dir, "kith.db"))
	defer s.Close()
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	type replica struct {
		dir    string
		timer  *fakeTimer
		cancel context.CancelFunc
		done   chan error
	}
	start := func(name string) *replica {
		r := &replica{dir: filepath.Join(dir, name), timer: &fakeTimer{waits: make(chan time.Duration), fire: make(chan time.Time)}, done: make(chan error)}
		ctx, cancel := context.WithCancel(context.Background())
		r.cancel = cancel
		o := backup.Options{Dir: r.dir, Every: 24 * time.Hour, Now: clk.Now, Logger: quiet, After: r.timer.After, Holder: name}
		go func() { r.done <- backup.Run(ctx, s, o) }()
		return r
	}
	count := func(r *replica) int {
		list, _ := backup.List(r.dir)
		return len(list)
	}
	a := start("a")
	if got := <-a.timer.waits; got != 24*time.Hour {
		t.Fatalf("a waits %v after its backup, want 24h", got)
	}
	b := start("b")
	if got := <-b.timer.waits; got != backup.RetryAfter {
		t.Fatalf("b waits %v while a holds the backups, want %v", got, backup.RetryAfter)
	}
	if count(a) != 1 || count(b) != 0 {
		t.Fatalf("a made %d backups and b %d; want 1 and 0", count(a), count(b))
	}
	// a's next turn: it renews the lease and backs up again; b, asking
	// every RetryAfter meanwhile, gets nothing.
	for range 24 * time.Hour / backup.RetryAfter {
		clk.Add(backup.RetryAfter)
		b.timer.fire <- clk.Now()
		<-b.timer.waits
	}
	a.timer.fire <- clk.Now()
	<-a.timer.waits
	if count(a) != 2 || count(b) != 0 {
		t.Fatalf("after a day a made %d backups and b %d; want 2 and 0", count(a), count(b))
	}
	// a stops without a word (as if killed): b takes over once a's lease
	// runs out, just after a's next backup was due.
	a.cancel()
	<-a.done
	clk.Add(24*time.Hour + backup.RetryAfter)
	b.timer.fire <- clk.Now()
	if got := <-b.timer.waits; got != 24*time.Hour {
		t.Fatalf("b waits %v after taking over, want 24h", got)
	}
	if count(b) != 1 {
		t.Fatalf("b made %d backups after a stopped; want 1", count(b))
	}
	b.cancel()
	<-b.done
}
