package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// TestWritePathPlansOnce: every statement of a `met`, with its contact
// named beforehand or not, runs a generic plan after its first five runs
// rather than being planned again on every call, which cost a write more
// than some of its statements took to run (`id = ANY($2)` for the named
// contacts was planned afresh every time: a generic plan must assume an
// array of several elements, so it always looked dearer than one planned
// for the array given). Which plan Postgres picks depends on statistics,
// so the tables hold many owners, each with as many contacts as the one
// that writes, and are analysed first; pg_prepared_statements counts the
// plans of the one connection the store has.
func TestWritePathPlansOnce(t *testing.T) {
	ctx := context.Background()
	s, pool := oneConnection(t, nil)

	const owners, contacts = 100, 30
	for _, sql := range []string{
		`INSERT INTO kith_owners (owner, next_id) SELECT 'console:o' || o, $2 FROM generate_series(1, $1::int) o`,
		`INSERT INTO kith_contacts (owner, id, name_key, name, mention, data)
			SELECT 'console:o' || o, i, 'c' || i, 'c' || i, '', jsonb_build_object('id', i, 'name', 'c' || i)
			FROM generate_series(1, $1::int) o, generate_series(1, $2::int) i`,
	} {
		if _, err := pool.Exec(ctx, sql, owners, contacts); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := pool.Exec(ctx, `ANALYZE`); err != nil {
		t.Fatal(err)
	}
	owner := reminders.OwnerID("console:o1")
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	const runs = 20
	for k := range runs {
		id := uint64(k%contacts + 1)
		met := func(tx reminders.OwnerTx) error {
			i := reminders.Interaction{ContactID: id, Kind: reminders.Met, At: now, Logged: now}
			if err := tx.AddInteraction(&i); err != nil {
				return err
			}
			c, err := tx.Contact(id)
			if err != nil {
				return err
			}
			c.Record(i)
			return tx.PutContact(&c)
		}
		for _, named := range []bool{true, false} {
			change := reminders.Change{Key: fmt.Sprint(k, named), Undo: "met", Now: now}
			if named {
				change.Contacts = []uint64{id}
			}
			if err := s.Update(ctx, owner, change, met); err != nil {
				t.Fatal(err)
			}
		}
	}
	rows, err := pool.Query(ctx, `SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	checked := 0
	for rows.Next() {
		var sql string
		var generic, custom int64
		if err := rows.Scan(&sql, &generic, &custom); err != nil {
			t.Fatal(err)
		}
		if generic+custom >= runs {
			checked++
		}
		if custom > 5 {
			t.Errorf("planned for its arguments %d times in %d runs:\n%s", custom, generic+custom, sql)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if checked < 5 {
		t.Errorf("only %d statements ran %d times or more; the write path was not measured", checked, runs)
	}
}
