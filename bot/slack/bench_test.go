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
// contains (Store.Update adding one interaction), at 1 and 64 clients, each
// client a different owner. Custom metrics: p50-µs, p99-µs and ops/s.
func BenchmarkMet(b *testing.B) {
	for _, clients := range []int{1, 64} {
		b.Run(fmt.Sprintf("store-write/clients=%d", clients), func(b *testing.B) {
			store := openStore(b)
			ctx := context.Background()
			owners := seed(b, store, clients)
			var seq atomic.Int64
			measure(b, clients, func(client int) error {
				return metWrite(ctx, store, owners[client], "bench-"+strconv.FormatInt(seq.Add(1), 10))
			})
		})
		b.Run(fmt.Sprintf("http-met/clients=%d", clients), func(b *testing.B) {
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
			send := func(c int) error {
				body := commandBody(owners[c].User, "met Jane", "bench-"+strconv.FormatInt(seq.Add(1), 10), hs.fake.responseURL("bench"))
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
			// Warm up: each owner's first command also records first use
			// and team membership, which the steady state does not pay.
			for c := range owners {
				if err := send(c); err != nil {
					b.Fatal(err)
				}
			}
			measure(b, clients, send)
		})
	}
}

// seed gives each of n owners a contact Jane.
func seed(b *testing.B, store reminders.Store, n int) []reminders.Owner {
	owners := make([]reminders.Owner, n)
	for i := range owners {
		owners[i] = slackOwner("UB" + strconv.Itoa(i))
		err := store.Update(context.Background(), owners[i].ID(), reminders.Change{Now: now}, func(tx reminders.OwnerTx) error {
			return tx.PutContact(&reminders.Contact{Name: "Jane", Added: now})
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return owners
}

// metWrite is the bare write: one keyed Store.Update adding a met interaction.
func metWrite(ctx context.Context, store reminders.Store, owner reminders.Owner, key string) error {
	return store.Update(ctx, owner.ID(), reminders.Change{Key: key, Now: now}, func(tx reminders.OwnerTx) error {
		c, err := tx.ContactByName("Jane")
		if err != nil {
			return err
		}
		i, err := reminders.NewInteraction(c.ID, reminders.Met, now, now, "")
		if err != nil {
			return err
		}
		if err := tx.AddInteraction(&i); err != nil {
			return err
		}
		c.Record(i)
		return tx.PutContact(&c)
	})
}

// measure runs b.N operations spread over clients goroutines and reports
// latency percentiles and throughput.
func measure(b *testing.B, clients int, op func(client int) error) {
	var next atomic.Int64
	lat := make([][]time.Duration, clients)
	var wg sync.WaitGroup
	var failed atomic.Value
	b.ResetTimer()
	start := time.Now()
	for c := range clients {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
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
	elapsed := time.Since(start)
	b.StopTimer()
	if err, _ := failed.Load().(error); err != nil {
		b.Fatal(err)
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	pct := func(p float64) float64 {
		return float64(all[min(len(all)-1, int(float64(len(all))*p))].Microseconds())
	}
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "ops/s")
}
