package bolt_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
	bbolt "go.etcd.io/bbolt"
)

// acked is a contact whose Update returned nil.
type acked struct {
	owner reminders.OwnerID
	id    uint64
	name  string
}

func TestBackupWhileWriting(t *testing.T) {
	s, _ := open(t)
	const writers = 8
	var (
		mu    sync.Mutex
		done  []acked
		stop  atomic.Bool
		wg    sync.WaitGroup
		count atomic.Int64
		some  = make(chan struct{})
		once  sync.Once
	)
	for g := range writers {
		owner := reminders.OwnerID(fmt.Sprintf("console:w%d", g))
		wg.Go(func() {
			for n := 0; !stop.Load(); n++ {
				c := reminders.Contact{Name: fmt.Sprintf("contact %d-%d", g, n), Added: t0}
				err := s.Update(ctx, owner, reminders.Change{Key: c.Name, Now: t0}, func(tx reminders.OwnerTx) error {
					c.ID = 0
					if err := tx.PutContact(&c); err != nil {
						return err
					}
					i := reminders.Interaction{ContactID: c.ID, Kind: reminders.Met, At: t0, Logged: t0}
					return tx.AddInteraction(&i)
				})
				if err != nil {
					t.Errorf("Update: %v", err)
					once.Do(func() { close(some) })
					return
				}
				mu.Lock()
				done = append(done, acked{owner, c.ID, c.Name})
				mu.Unlock()
				if count.Add(1) == 50 {
					once.Do(func() { close(some) })
				}
			}
		})
	}
	// Let some writes land, then back up while the writers keep going.
	<-some
	mu.Lock()
	before := append([]acked(nil), done...)
	mu.Unlock()
	var buf bytes.Buffer
	n, err := s.Backup(ctx, &buf)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if n != int64(buf.Len()) {
		t.Errorf("Backup reported %d bytes, wrote %d", n, buf.Len())
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	checkFile(t, path)
	cp, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatalf("the backup does not open: %v", err)
	}
	defer cp.Close()
	for _, a := range before {
		err := cp.View(ctx, a.owner, func(tx reminders.OwnerTx) error {
			c, err := tx.Contact(a.id)
			if err == nil && c.Name != a.name {
				t.Errorf("backup has %q for %d, want %q", c.Name, a.id, a.name)
			}
			if h, _ := tx.History(a.id, 0); len(h) != 1 {
				t.Errorf("backup has %d history entries for %q, want 1", len(h), a.name)
			}
			return err
		})
		if err != nil {
			t.Errorf("acknowledged write %q missing from the backup: %v", a.name, err)
		}
	}
	t.Logf("%d writes acknowledged before the backup, %d in all", len(before), len(done))
}

// checkFile runs bbolt's consistency check over a closed database file.
func checkFile(t *testing.T, path string) {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			t.Errorf("consistency check: %v", err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
