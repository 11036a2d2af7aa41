package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
	"github.com/kith-bot/kith/storage/postgres"
	"github.com/kith-bot/kith/storage/postgres/pgtest"
)

var bt0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// benchContact is a contact as the bot keeps it, for realistic row sizes.
func benchContact(name string) reminders.Contact {
	return reminders.Contact{
		Name: name, Company: "Acme Corporation", Role: "VP Engineering", Email: "someone@example.com",
		Tags: []string{"ai", "berlin"}, Note: "met at KubeCon, interested in platform teams",
		Cadence: reminders.Cadence{N: 2, Unit: reminders.Weeks}, Added: bt0,
		LastContact: bt0, LastKind: reminders.Met, LastNote: "coffee", Given: 3, Received: 2,
	}
}

// latencies collects per-operation times for a p99.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) { l.mu.Lock(); l.d = append(l.d, d); l.mu.Unlock() }

func (l *latencies) p99() time.Duration {
	if len(l.d) == 0 {
		return 0
	}
	slices.Sort(l.d)
	return l.d[len(l.d)*99/100]
}

// writers runs op from n goroutines until ops operations are done, timing
// each, and returns how long they took.
func writers(b *testing.B, n, ops int, lat *latencies, op func(worker int) error) time.Duration {
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := range n {
		wg.Go(func() {
			for next.Add(1) <= int64(ops) {
				start := time.Now()
				if err := op(w); err != nil {
					b.Error(err)
					return
				}
				lat.add(time.Since(start))
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

// BenchmarkWritePath compares a `met` through Store.Update (lock the owner,
// read the contact, add the interaction, write the contact back, keep the
// undo record, record the request key) with a bare pgx transaction writing
// the same rows (the interaction, the contact, the request key and the
// owner's row with its undo record, sent as one batch), at 1 and 64
// concurrent writers, each on its own owner. A third side writes only the
// interaction and the contact, to show what the request key and undo cost.
// Each side makes b.N writes, in ten rounds taken in turn, so that both see
// the same machine: on shared cores, the load of the minute would otherwise
// decide the ratio. Every writer first writes once, untimed, so that both
// pools have all their connections before the clock starts (opening 64 at
// once, each a password exchange, would otherwise be the p99).
//
//	go test ./storage/postgres -run '^$' -bench WritePath -benchtime 2000x
func BenchmarkWritePath(b *testing.B) {
	srv := pgtest.Start(b)
	ctx := context.Background()
	for _, n := range []int{1, 64} {
		url := srv.NewDB(b)
		s, err := postgres.Open(ctx, url, postgres.Options{MaxConns: int32(n)})
		if err != nil {
			b.Fatal(err)
		}
		ids := make([]uint64, n)
		for w := range n {
			c := benchContact("Jane Doe")
			if err := s.Update(ctx, owner(w), reminders.Change{}, func(tx reminders.OwnerTx) error { c.ID = 0; return tx.PutContact(&c) }); err != nil {
				b.Fatal(err)
			}
			ids[w] = c.ID
		}
		var seq atomic.Int64
		store := func(w int) error {
			k := "req-" + strconv.FormatInt(seq.Add(1), 10)
			// The contact's id goes with the change, as the bot sends it.
			return s.Update(ctx, owner(w), reminders.Change{Key: k, Undo: "met Jane Doe", Now: bt0, Contacts: ids[w : w+1]}, func(tx reminders.OwnerTx) error {
				i := reminders.Interaction{ContactID: ids[w], Kind: reminders.Met, At: bt0, Logged: bt0, Text: "coffee at the conference"}
				if err := tx.AddInteraction(&i); err != nil {
					return err
				}
				c, err := tx.Contact(ids[w])
				if err != nil {
					return err
				}
				c.Record(i)
				return tx.PutContact(&c)
			})
		}
		pool, err := pgxpool.New(ctx, url+"&pool_max_conns="+strconv.Itoa(n))
		if err != nil {
			b.Fatal(err)
		}
		// The contact as the store keeps it, so that both sides can take turns on it.
		contacts := make([][]byte, n)
		for w := range n {
			c := benchContact("Jane Doe")
			c.ID = ids[w]
			contacts[w], _ = json.Marshal(c)
		}
		var bareID atomic.Int64
		bareID.Store(1 << 40)
		bare := func(w int) error {
			id := bareID.Add(1)
			return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
				iv, _ := json.Marshal(reminders.Interaction{ID: uint64(id), ContactID: ids[w], Kind: reminders.Met, At: bt0, Logged: bt0, Text: "coffee at the conference"})
				if _, err := tx.Exec(ctx, `INSERT INTO kith_interactions (owner, id, contact_id, at, logged, kind, kept, data) VALUES ($1, $2, $3, $4, $5, 'met', false, $6)`,
					string(owner(w)), id, int64(ids[w]), bt0, bt0, iv); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, `UPDATE kith_contacts SET data = $3 WHERE owner = $1 AND id = $2`, string(owner(w)), int64(ids[w]), contacts[w])
				return err
			})
		}
		// The same rows as the store's met, in one batch: three round trips.
		same := func(w int) error {
			id := bareID.Add(1)
			key := "bare-" + strconv.FormatInt(seq.Add(1), 10)
			return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
				iv, _ := json.Marshal(reminders.Interaction{ID: uint64(id), ContactID: ids[w], Kind: reminders.Met, At: bt0, Logged: bt0, Text: "coffee at the conference"})
				undo, _ := json.Marshal(map[string]any{"label": "met Jane Doe", "at": bt0, "before": []json.RawMessage{contacts[w]}})
				batch := &pgx.Batch{}
				batch.Queue(`INSERT INTO kith_request_keys (owner, key, seen) VALUES ($1, $2, $3)`, string(owner(w)), key, bt0)
				batch.Queue(`INSERT INTO kith_interactions (owner, id, contact_id, at, logged, kind, kept, data) VALUES ($1, $2, $3, $4, $5, 'met', false, $6)`,
					string(owner(w)), id, int64(ids[w]), bt0, bt0, iv)
				batch.Queue(`UPDATE kith_contacts SET data = $3 WHERE owner = $1 AND id = $2`, string(owner(w)), int64(ids[w]), contacts[w])
				batch.Queue(`UPDATE kith_owners SET next_id = next_id + 1, undo = $2 WHERE owner = $1`, string(owner(w)), undo)
				return tx.SendBatch(ctx, batch).Close()
			})
		}
		b.Run(fmt.Sprintf("writers=%d", n), func(b *testing.B) {
			var warm latencies
			writers(b, n, n, &warm, store)
			writers(b, n, n, &warm, same)
			writers(b, n, n, &warm, bare)
			const rounds = 10
			var storeLat, sameLat, bareLat latencies
			var storeT, sameT, bareT time.Duration
			b.ResetTimer()
			for r := range rounds {
				ops := b.N / rounds
				if r == rounds-1 {
					ops += b.N % rounds
				}
				storeT += writers(b, n, ops, &storeLat, store)
				sameT += writers(b, n, ops, &sameLat, same)
				bareT += writers(b, n, ops, &bareLat, bare)
			}
			b.StopTimer()
			b.ReportMetric(float64(storeT.Microseconds())/float64(b.N), "store-µs/op")
			b.ReportMetric(float64(sameT.Microseconds())/float64(b.N), "bare-µs/op")
			b.ReportMetric(sameT.Seconds()/storeT.Seconds(), "throughput-ratio")
			b.ReportMetric(float64(storeLat.p99().Microseconds()), "store-p99-µs")
			b.ReportMetric(float64(sameLat.p99().Microseconds()), "bare-p99-µs")
			b.ReportMetric(storeLat.p99().Seconds()/sameLat.p99().Seconds(), "p99-ratio")
			b.ReportMetric(float64(bareT.Microseconds())/float64(b.N), "two-rows-µs/op")
			b.ReportMetric(bareT.Seconds()/storeT.Seconds(), "two-rows-ratio")
		})
		pool.Close()
		s.Close()
	}
}

func owner(i int) reminders.OwnerID { return reminders.OwnerID(fmt.Sprintf("slack:T1:U%06d", i)) }

// fillJobs loads n owners' digest jobs, one in a hundred due at bt0.
func fillJobs(b *testing.B, s *postgres.Store, n int) []reminders.Job {
	var due []reminders.Job
	err := s.Load(context.Background(), func(put func(reminders.Record) error) error {
		for i := range n {
			at := bt0.Add(time.Duration(1+i%97) * time.Hour)
			if i%100 == 0 {
				at = bt0.Add(-time.Minute)
			}
			j := reminders.Job{Kind: reminders.DigestJob, ID: string(owner(i)), Slot: at, Due: at}
			if at.Before(bt0) {
				due = append(due, j)
			}
			if err := put(reminders.Record{Job: &j}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return due
}

// BenchmarkClaimDue claims the due jobs (1% of the owners) as a scheduler
// tick does, at 10k and 100k owners; after each claim the jobs are put back
// unclaimed, outside the timer.
//
//	go test ./storage/postgres -run '^$' -bench ClaimDue -benchtime 20x
func BenchmarkClaimDue(b *testing.B) {
	srv := pgtest.Start(b)
	ctx := context.Background()
	for _, n := range []int{10_000, 100_000} {
		s, err := postgres.Open(ctx, srv.NewDB(b), postgres.Options{})
		if err != nil {
			b.Fatal(err)
		}
		due := fillJobs(b, s, n)
		b.Run(fmt.Sprintf("owners=%d/due=%d", n, len(due)), func(b *testing.B) {
			for b.Loop() {
				got, err := s.ClaimJobs(ctx, bt0, 0, "bench", bt0.Add(time.Minute))
				if err != nil || len(got) != len(due) {
					b.Fatalf("claimed %d, %v; want %d", len(got), err, len(due))
				}
				b.StopTimer()
				if err := s.PutJobs(ctx, due...); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
		s.Close()
	}
}

// BenchmarkMigrate copies a bbolt file of KITH_BENCH_OWNERS owners (default
// 10000) with ten contacts each into Postgres through kith migrate's path
// (Dump into Load), and reports the heap it peaked at: it must stream.
//
//	KITH_BENCH_OWNERS=100000 go test ./storage/postgres -run '^$' -bench Migrate -benchtime 1x
func BenchmarkMigrate(b *testing.B) {
	owners := 10_000
	if v, err := strconv.Atoi(os.Getenv("KITH_BENCH_OWNERS")); err == nil && v > 0 {
		owners = v
	}
	srv := pgtest.Start(b)
	ctx := context.Background()
	file, err := bolt.Open(filepath.Join(b.TempDir(), "kith.db"), bolt.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer file.Close()
	err = file.Load(ctx, func(put func(reminders.Record) error) error {
		for o := range owners {
			if err := put(reminders.Record{Owner: owner(o), Sequence: 10}); err != nil {
				return err
			}
			for c := range 10 {
				ct := benchContact(fmt.Sprintf("Contact %d", c))
				ct.ID = uint64(c + 1)
				if err := put(reminders.Record{Owner: owner(o), Contact: &ct}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("owners=%d/contacts=%d", owners, owners*10), func(b *testing.B) {
		for range b.N {
			b.StopTimer()
			pg, err := postgres.Open(ctx, srv.NewDB(b), postgres.Options{})
			if err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			var peak atomic.Uint64
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Go(func() { sampleHeap(&peak, stop) })
			b.StartTimer()
			err = pg.Load(ctx, func(put func(reminders.Record) error) error { return file.Dump(ctx, put) })
			b.StopTimer()
			close(stop)
			wg.Wait()
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
			pg.Close()
		}
	})
}

// sampleHeap records the largest live heap seen until stop is closed.
func sampleHeap(peak *atomic.Uint64, stop <-chan struct{}) {
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if m.HeapInuse > peak.Load() {
			peak.Store(m.HeapInuse)
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}
