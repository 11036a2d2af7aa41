package bolt_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// benchOwners is how many owners the write benchmarks spread over, one per writer at most.
const benchOwners = 64

// sampleContact is a contact as the bot keeps it, for realistic value sizes.
func sampleContact(name string) reminders.Contact {
	return reminders.Contact{
		Name: name, Company: "Acme Corporation", Role: "VP Engineering", Email: "someone@example.com",
		Tags: []string{"ai", "berlin"}, Note: "met at KubeCon, interested in platform teams",
		Cadence: reminders.Cadence{N: 2, Unit: reminders.Weeks}, Added: t0,
		LastContact: t0, LastKind: reminders.Met, LastNote: "coffee", Given: 3, Received: 2,
	}
}

// logMet is the bot's write for `met Jane`: the entry and the contact's derived fields.
func logMet(id uint64, now time.Time) func(tx reminders.OwnerTx) error {
	return func(tx reminders.OwnerTx) error {
		i := reminders.Interaction{ContactID: id, Kind: reminders.Met, At: now, Logged: now, Text: "coffee at the conference"}
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
}

// writeSize is about how many key and value bytes one logMet writes, so the
// bare bbolt writes carry the same payload.
func writeSize() int {
	c, _ := json.Marshal(sampleContact("Jane Doe"))
	i, _ := json.Marshal(reminders.Interaction{ID: 1, ContactID: 1, Kind: reminders.Met, At: t0, Logged: t0, Text: "coffee at the conference"})
	// Keys of the contact, interaction and activity entries, the activity
	// value, and the request key with its time.
	const indexes = 9 + 29 + 21 + 5 + 1 + len("req-0000000") + 12
	return len(c) + len(i) + indexes
}

// parallel runs op from writers goroutines (writers/GOMAXPROCS per proc) or,
// for one writer, in a plain loop.
func parallel(b *testing.B, writers int, op func(worker int)) {
	if writers == 1 {
		for b.Loop() {
			op(0)
		}
		return
	}
	b.SetParallelism(max(1, writers/runtime.GOMAXPROCS(0)))
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		w := int(next.Add(1)-1) % benchOwners
		for pb.Next() {
			op(w)
		}
	})
}

// BenchmarkWrite compares the store's write path with bare bbolt writes of
// the same size on the same disk in the same run.
func BenchmarkWrite(b *testing.B) {
	size := writeSize()
	for _, writers := range []int{1, 64} {
		b.Run(fmt.Sprintf("store/writers=%d", writers), func(b *testing.B) {
			s, _ := open(b)
			ids := make([]uint64, benchOwners)
			for w := range benchOwners {
				c := sampleContact("Jane Doe")
				if err := s.Update(ctx, owner(w), reminders.Change{Now: t0}, func(tx reminders.OwnerTx) error {
					c.ID = 0
					return tx.PutContact(&c)
				}); err != nil {
					b.Fatal(err)
				}
				ids[w] = c.ID
			}
			var seq atomic.Int64
			b.SetBytes(int64(size))
			b.ResetTimer()
			parallel(b, writers, func(w int) {
				key := fmt.Sprintf("req-%07d", seq.Add(1))
				if err := s.Update(ctx, owner(w), reminders.Change{Key: key, Now: t0}, logMet(ids[w], t0)); err != nil {
					b.Error(err)
				}
			})
		})
		for _, mode := range []string{"update", "batch"} {
			b.Run(fmt.Sprintf("bbolt-%s/writers=%d", mode, writers), func(b *testing.B) {
				db, err := bbolt.Open(filepath.Join(b.TempDir(), "bare.db"), 0o600, &bbolt.Options{FreelistType: bbolt.FreelistMapType})
				if err != nil {
					b.Fatal(err)
				}
				defer db.Close()
				write := db.Update
				if mode == "batch" {
					write = db.Batch
				}
				value := make([]byte, size)
				var seq atomic.Uint64
				b.SetBytes(int64(size))
				b.ResetTimer()
				parallel(b, writers, func(w int) {
					key := fmt.Appendf(nil, "%08d", seq.Add(1))
					if err := write(func(tx *bbolt.Tx) error {
						bk, err := tx.CreateBucketIfNotExists([]byte(owner(w)))
						if err != nil {
							return err
						}
						return bk.Put(key, value)
					}); err != nil {
						b.Error(err)
					}
				})
			})
		}
	}
}

func owner(w int) reminders.OwnerID { return reminders.OwnerID(fmt.Sprintf("slack:T1:U%04d", w)) }
