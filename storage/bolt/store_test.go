package bolt_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
	"github.com/kith-bot/kith/storage/storagetest"
)

// open opens a new store on a real file in the test's temp dir.
func open(t testing.TB) (*bolt.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kith.db")
	s, err := bolt.Open(path, bolt.Options{Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, path
}

func TestConformance(t *testing.T) {
	storagetest.Run(t, func(t *testing.T) reminders.Store {
		s, _ := open(t)
		return s
	})
}

func TestCopy(t *testing.T) {
	open := func(t *testing.T) reminders.Store { s, _ := open(t); return s }
	storagetest.RunCopy(t, open, open)
}

// TestReplicas runs the cross-replica promises on one bbolt store given
// twice: one process is bbolt's only replica, and they must hold there too.
func TestReplicas(t *testing.T) {
	storagetest.RunReplicas(t, func(t *testing.T) (reminders.Store, reminders.Store) {
		s, _ := open(t)
		return s, s
	})
}
