package slack_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	kslack "github.com/kith-bot/kith/bot/slack"
	"github.com/kith-bot/kith/reminders"
)

// BenchmarkMet compares a signed `/kith met` through the HTTP route, the real
// bot and bbolt (durable commit and reply) with the bare store write it
// contains (one keyed, undoable Store.Update adding an interaction and
// updating the contact), at 1 and 64 clients, each client a different owner
// with a network of networkSize contacts. Jane is named exactly ("met Jane")
// and loosely ("met jan", a prefix), which resolution must match against
// every contact's name.
// Each side has its own database file. The two sides run in alternating
// rounds, so load from elsewhere on a shared machine falls on both alike.
// Custom metrics per side (write-, met-): p50-µs, p99-µs and ops/s, and
// p99-ratio (met p99 / write p99; the goal is ≤ 2).
func BenchmarkMet(b *testing.B) {
	for _, clients := range []int{1, 64} {
		for _, name := range []struct{ kind, typed string }{{"exact", "Jane"}, {"loose", "jan"}} {
			b.Run(fmt.Sprintf("clients=%d/name=%s", clients, name.kind), func(b *testing.B) {
				benchMet(b, clients, name.typed)
			})
		}
	}
}

// benchMet runs one BenchmarkMet case: clients clients, typing `met <typed>`.
func benchMet(b *testing.B, clients int, typed string) {
	write := bareSide(b, clients)
	met := commandSide(b, clients, typed)
	for c := range clients { // warm up both: first use, team membership, page cache
		if err := write(c); err != nil {
			b.Fatal(err)
		}
		if err := met(c); err != nil {
			b.Fatal(err)
		}
	}
	var ws, ms samples
	b.ResetTimer()
	for r, n := range rounds(b.N, clients) {
		// Alternate which side goes first, so neither always
		// follows the other's disk flushes.
		if r%2 == 0 {
			ws.run(b, clients, n, write)
			ms.run(b, clients, n, met)
		} else {
			ms.run(b, clients, n, met)
			ws.run(b, clients, n, write)
		}
	}
	b.StopTimer()
	ws.report(b, "write-")
	ms.report(b, "met-")
	b.ReportMetric(ms.pct(0.99)/ws.pct(0.99), "p99-ratio")
}

// bareSide returns the bare store write for client c.
func bareSide(b *testing.B, clients int) func(c int) error {
	store := openStore(b)
	owners := seed(b, store, clients)
	ctx := context.Background()
	var seq atomic.Int64
	return func(c int) error {
		key := "req:bench-" + strconv.FormatInt(seq.Add(1), 10)
		return store.Update(ctx, owners[c].ID(), reminders.Change{Key: key, Undo: "met Jane", Now: now}, func(tx reminders.OwnerTx) error {
			jane, err := tx.ContactByName("Jane")
			if err != nil {
				return err
			}
			i, err := reminders.NewInteraction(jane.ID, reminders.Met, now, now, "")
			if err != nil {
				return err
			}
			if err := tx.AddInteraction(&i); err != nil {
				return err
			}
			jane.Record(i)
			return tx.PutContact(&jane)
		})
	}
}

// commandSide returns a signed `/kith met <typed>` over HTTP for client c,
// checked for a 200 reply that names Jane: typed is her exact name or a
// looser one (a prefix) that only she matches.
func commandSide(b *testing.B, clients int, typed string) func(c int) error {
	store := openStore(b)
	owners := seed(b, store, clients)
	bt := bot.New(store, bot.Options{Now: clock, Command: "/kith"})
	hs := start(b, store, bt, nil)
	bt.Route(reminders.PlatformSlack, hs.a)
	for _, o := range owners {
		hs.fake.addUser(o.User, o.User, "UTC", false)
	}
	client := hs.srv.Client()
	client.Transport.(*http.Transport).MaxIdleConnsPerHost = clients
	var seq atomic.Int64
	return func(c int) error {
		body := commandBody(owners[c].User, "met "+typed, "bench-"+strconv.FormatInt(seq.Add(1), 10), hs.fake.responseURL("bench"))
		req, _ := http.NewRequest(http.MethodPost, hs.srv.URL+"/slack/commands", bytes.NewReader(body))
		for k, v := range kslack.Sign(secret, now, body) {
			req.Header[k] = v
		}
		req.Header.Set("Content-Type", form)
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		reply, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || !bytes.Contains(reply, []byte("Jane")) {
			return fmt.Errorf("reply %d %s", res.StatusCode, reply)
		}
		return nil
	}
}

// networkSize is how many contacts each benchmark owner has: a working
// network, so that what a command costs per contact shows.
const networkSize = 200

// seed gives each of n owners a network of networkSize contacts, Jane among them.
func seed(b *testing.B, store reminders.Store, n int) []reminders.Owner {
	owners := make([]reminders.Owner, n)
	for i := range owners {
		owners[i] = slackOwner("UB" + strconv.Itoa(i))
		err := store.Update(context.Background(), owners[i].ID(), reminders.Change{Now: now}, func(tx reminders.OwnerTx) error {
			if err := tx.PutContact(&reminders.Contact{Name: "Jane", Added: now}); err != nil {
				return err
			}
			for j := range networkSize - 1 {
				c := reminders.Contact{Name: fmt.Sprintf("Person%d Example", j), Company: "Globex", Role: "Engineer",
					Tags: []string{"work"}, Note: "met at a conference", Added: now}
				if err := tx.PutContact(&c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return owners
}

// rounds splits n operations per side into alternating rounds, each long
// enough (about 12 operations per client) to reach a steady state.
func rounds(n, clients int) []int {
	k := max(1, min(10, n/(12*clients)))
	out := make([]int, k)
	for i := range out {
		out[i] = n / k
	}
	out[0] += n % k
	return out
}

// samples collects the latencies and busy time of one side.
type samples struct {
	lat     []time.Duration
	elapsed time.Duration
}

// run performs n operations spread over clients goroutines.
func (s *samples) run(b *testing.B, clients, n int, op func(client int) error) {
	var next atomic.Int64
	lat := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	var failed atomic.Value
	start := time.Now()
	for c := range clients {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				t0 := time.Now()
				if err := op(c); err != nil {
					failed.Store(err)
					return
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		})
	}
	wg.Wait()
	s.elapsed += time.Since(start)
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	for _, l := range lat {
		s.lat = append(s.lat, l...)
	}
}

// pct is the p-th latency percentile in microseconds.
func (s *samples) pct(p float64) float64 {
	slices.Sort(s.lat)
	return float64(s.lat[min(len(s.lat)-1, int(float64(len(s.lat))*p))].Microseconds())
}

// report adds the side's percentiles and throughput to the benchmark line.
func (s *samples) report(b *testing.B, prefix string) {
	b.ReportMetric(s.pct(0.50), prefix+"p50-µs")
	b.ReportMetric(s.pct(0.99), prefix+"p99-µs")
	b.ReportMetric(float64(len(s.lat))/s.elapsed.Seconds(), prefix+"ops/s")
}
