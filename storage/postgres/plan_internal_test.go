package postgres

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/postgres/pgtest"
)

// A database from before the plan log plans everyone with settings at its
// first start on the new schema, as every start did before; so does a
// database filled by a copy (kith migrate).
func TestPlanLogMarksEveryoneOnce(t *testing.T) {
	srv := pgtest.Start(t)
	ctx := context.Background()
	pending := func(s *Store) []reminders.OwnerID {
		t.Helper()
		p, err := s.PendingPlans(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []reminders.OwnerID
		for _, x := range p {
			out = append(out, x.Owner)
		}
		return out
	}
	want := []reminders.OwnerID{"slack:T1:U1", "slack:T1:U2"}

	url := srv.NewDB(t)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(ctx, conn, migrations[:1]); err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(ctx, `INSERT INTO kith_owners (owner, settings) VALUES
		('slack:T1:U1', '{}'), ('slack:T1:U2', '{}'), ('slack:T1:U3', NULL)`)
	_ = conn.Close(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := pending(s); !slices.Equal(got, want) {
		t.Errorf("pending after the upgrade = %v, want %v", got, want)
	}

	copied, err := Open(ctx, srv.NewDB(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer copied.Close()
	set := reminders.Settings{Created: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	err = copied.Load(ctx, func(put func(reminders.Record) error) error {
		for _, o := range []reminders.OwnerID{"slack:T1:U1", "slack:T1:U2", "slack:T1:U3"} {
			if err := put(reminders.Record{Owner: o}); err != nil {
				return err
			}
			if o != "slack:T1:U3" {
				if err := put(reminders.Record{Owner: o, Settings: &set}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := pending(copied); !slices.Equal(got, want) {
		t.Errorf("pending after a copy = %v, want %v", got, want)
	}
}
