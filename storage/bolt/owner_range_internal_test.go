package bolt

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// TestOwnerRangeEdges: owners whose numbers sit at a carry (0x000000ff,
// 0x00000100) and at the very end of the number space (0xffffffff), with a
// neighbour that has no contacts, read only their own records: walking back
// from a range's end (History), forward (Contacts, Activity), and forgetting
// the one in the middle leaves its neighbours whole.
func TestOwnerRangeEdges(t *testing.T) {
	ctx := context.Background()
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, start := range []uint64{0xfe, 0xfffffffd} {
		t.Run(fmt.Sprintf("%#x", start), func(t *testing.T) {
			s, err := Open(filepath.Join(t.TempDir(), "kith.db"), Options{Now: func() time.Time { return t0 }})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketOwners).SetSequence(start - 1) }); err != nil {
				t.Fatal(err)
			}
			owners := []reminders.OwnerID{"console:a", "console:b", "console:c"} // numbers start, start+1, start+2
			for n, o := range owners {
				err := s.Update(ctx, o, reminders.Change{Now: t0}, func(tx reminders.OwnerTx) error {
					if n == 1 {
						return tx.PutSettings(reminders.Settings{Name: "no contacts"}) // an owner between two with records
					}
					c := reminders.Contact{Name: "friend of " + string(o), Added: t0}
					if err := tx.PutContact(&c); err != nil {
						return err
					}
					return tx.AddInteraction(&reminders.Interaction{ContactID: c.ID, Kind: reminders.Met, At: t0, Logged: t0, Text: string(o)})
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			check := func(o reminders.OwnerID, want int) {
				t.Helper()
				err := s.db.View(func(tx *bbolt.Tx) error {
					// The cursor's ends are the first and last of the owner's own keys.
					var all [][]byte
					c := lookupRange(tx, o).Cursor()
					for k, _ := c.First(); k != nil; k, _ = c.Next() {
						all = append(all, clone(k))
					}
					first, _ := c.First()
					last, _ := c.Last()
					if len(all) == 0 || !bytes.Equal(first, all[0]) || !bytes.Equal(last, all[len(all)-1]) {
						t.Errorf("%s: cursor ends %q, %q; its keys %q", o, first, last, all)
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				err = s.View(ctx, o, func(tx reminders.OwnerTx) error {
					cs, err := tx.Contacts()
					if err != nil {
						return err
					}
					var hist []reminders.Interaction
					for id := uint64(0); id < 4; id++ {
						h, err := tx.History(id, 0)
						if err != nil {
							return err
						}
						hist = append(hist, h...)
					}
					act, err := tx.Activity(t0.Add(-time.Hour), t0.Add(time.Hour))
					if err != nil {
						return err
					}
					if len(cs) != want || len(hist) != want || act.Met != want {
						t.Errorf("%s sees %d contacts, %d interactions, %d met; want %d of each", o, len(cs), len(hist), act.Met, want)
					}
					for _, c := range cs {
						if c.Name != "friend of "+string(o) {
							t.Errorf("%s sees %q", o, c.Name)
						}
					}
					for _, i := range hist {
						if i.Text != string(o) {
							t.Errorf("%s sees the interaction of %s", o, i.Text)
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			for n, o := range owners {
				check(o, map[bool]int{true: 0, false: 1}[n == 1])
			}
			if err := s.DeleteOwner(ctx, owners[1]); err != nil {
				t.Fatal(err)
			}
			check(owners[0], 1)
			check(owners[2], 1)
			// The last number there is: a new owner gets none, and no old one's.
			if start+2 == 0xffffffff {
				err := s.Update(ctx, "console:d", reminders.Change{Now: t0}, func(reminders.OwnerTx) error { return nil })
				if reminders.ErrorCode(err) != reminders.EUNAVAILABLE {
					t.Errorf("a new owner past the last number: %v", err)
				}
			}
		})
	}
}
