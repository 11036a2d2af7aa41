package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

func TestSeedBuildsTheDataSet(t *testing.T) {
	db := filepath.Join(t.TempDir(), "seed.db")
	now := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	o := seedOptions{db: db, owners: 7, contacts: 4, interactions: 3, writers: 3, now: now}
	ctx := context.Background()
	n, err := seed(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if n != 7*(1+4) {
		t.Errorf("seed made %d changes, want %d", n, 7*(1+4))
	}
	store, err := bolt.Open(db, bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	owners, err := store.Owners(ctx)
	if err != nil || len(owners) != 7 {
		t.Fatalf("owners = %v, %v; want 7", owners, err)
	}
	for _, owner := range owners {
		err := store.View(ctx, owner, func(tx reminders.OwnerTx) error {
			set, err := tx.Settings()
			if err != nil || set.Created.IsZero() || set.TimeZone == "" {
				t.Errorf("%s: settings %+v, %v", owner, set, err)
			}
			cs, err := tx.Contacts()
			if err != nil || len(cs) != 4 {
				t.Fatalf("%s: %d contacts, %v; want 4", owner, len(cs), err)
			}
			for _, c := range cs {
				h, err := tx.History(c.ID, 0)
				if err != nil || len(h) != 3 {
					t.Errorf("%s %s: %d interactions, %v; want 3", owner, c.Name, len(h), err)
				}
				if c.LastContact.IsZero() || c.Given != 1 || c.Received != 1 {
					t.Errorf("%s %s: derived fields not recorded: %+v", owner, c.Name, c)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		j, err := store.Job(ctx, reminders.DigestJob, string(owner))
		if err != nil || !j.Slot.After(now) {
			t.Errorf("%s: digest job %+v, %v; want one planned after now", owner, j, err)
		}
	}
	if err := runSeed(ctx, []string{"-db", db, "-owners", "1"}); err == nil {
		t.Error("seeding over an existing file succeeded; it must refuse")
	}
}
