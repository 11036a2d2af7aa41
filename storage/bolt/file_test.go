package bolt_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
	bbolt "go.etcd.io/bbolt"
)

var ctx = context.Background()

var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func TestFileMode(t *testing.T) {
	_, path := open(t)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := fi.Mode().Perm(); mode != 0o600 {
		t.Errorf("database file mode = %o, want 600", mode)
	}
}

// wantInUse checks the error a second opener gets.
func wantInUse(t *testing.T, err error) {
	t.Helper()
	var e *reminders.Error
	if !errors.As(err, &e) || e.Code != reminders.EUNAVAILABLE || e.Message != "database is in use by another kith process" {
		t.Fatalf("second Open = %v, want EUNAVAILABLE %q", err, bolt.ErrInUse)
	}
	if reminders.ErrorMessage(err) != bolt.ErrInUse {
		t.Errorf("users would see %q", reminders.ErrorMessage(err))
	}
}

func TestSecondOpenInProcess(t *testing.T) {
	_, path := open(t)
	s2, err := bolt.Open(path, bolt.Options{Timeout: 50 * time.Millisecond})
	if err == nil {
		s2.Close()
	}
	wantInUse(t, err)
}

// TestMain lets the test binary double as a second kith process that holds
// the database, for TestSecondOpenOtherProcess.
func TestMain(m *testing.M) {
	if path := os.Getenv("KITH_TEST_HOLD_DB"); path != "" {
		s, err := bolt.Open(path, bolt.Options{})
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		fmt.Println("holding")
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n') // until the parent closes stdin
		s.Close()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestSecondOpenOtherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kith.db")
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "KITH_TEST_HOLD_DB="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); _ = cmd.Wait() }()
	if line, _ := bufio.NewReader(stdout).ReadString('\n'); line != "holding\n" {
		t.Fatalf("holder said %q", line)
	}
	s, err := bolt.Open(path, bolt.Options{Timeout: 50 * time.Millisecond})
	if err == nil {
		s.Close()
	}
	wantInUse(t, err)

	// Once the other process is gone the file opens.
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	s, err = bolt.Open(path, bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatalf("Open after the holder exited: %v", err)
	}
	s.Close()
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kith.db")
	s, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := reminders.Contact{Name: "Jane", Added: t0}
	if err := s.Update(ctx, "console:me", reminders.Change{Key: "k", Undo: "added Jane", Now: t0}, func(tx reminders.OwnerTx) error {
		c.ID = 0
		return tx.PutContact(&c)
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutJobs(ctx, reminders.Job{Kind: reminders.DigestJob, ID: "console:me", Due: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = bolt.Open(path, bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(ctx, "console:me", func(tx reminders.OwnerTx) error {
		got, err := tx.Contact(c.ID)
		if got.Name != "Jane" {
			t.Errorf("after reopen: %+v", got)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, "console:me", reminders.Change{Key: "k", Now: t0}, func(reminders.OwnerTx) error { return nil }); err != reminders.ErrDuplicate {
		t.Errorf("request key after reopen = %v, want ErrDuplicate", err)
	}
	if due, _ := s.DueJobs(ctx, t0, 0); len(due) != 1 {
		t.Errorf("jobs after reopen = %+v", due)
	}
	if err := s.Update(ctx, "console:me", reminders.Change{Now: t0}, func(tx reminders.OwnerTx) error {
		_, err := tx.Undo(t0)
		return err
	}); err != nil {
		t.Errorf("undo after reopen = %v", err)
	}
}

func TestNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kith.db")
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucket([]byte("meta"))
		if err != nil {
			return err
		}
		v := binary.BigEndian.AppendUint64(nil, bolt.SchemaVersion()+1)
		return b.Put([]byte("version"), v)
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := bolt.Open(path, bolt.Options{})
	if err == nil {
		s.Close()
		t.Fatal("a file from a newer kith opened")
	}
	if reminders.ErrorCode(err) != reminders.EUNAVAILABLE {
		t.Errorf("Open = %v, want EUNAVAILABLE", err)
	}
}

// TestReadAll: a file opened to be read whole (mapped whole at open) reads
// as any other.
func TestReadAll(t *testing.T) {
	s, path := open(t)
	c := reminders.Contact{Name: "Jane", Added: t0}
	if err := s.Update(ctx, "console:me", reminders.Change{Now: t0}, func(tx reminders.OwnerTx) error {
		c.ID = 0
		return tx.PutContact(&c)
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	r, err := bolt.Open(path, bolt.Options{ReadOnly: true, ReadAll: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.View(ctx, "console:me", func(tx reminders.OwnerTx) error {
		got, err := tx.Contact(c.ID)
		if err == nil && got.Name != "Jane" {
			t.Errorf("read back %+v", got)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
