package bolt

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	bbolt "go.etcd.io/bbolt"
)

// sweepNow is the tick the sweep benchmark looks for due work at.
var sweepNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// buildSweep fills a new file with n owners of 10 contacts each and a digest
// job per owner, 1% of them due at sweepNow. It writes through ownerTx in
// large transactions, which is what makes 100k owners take seconds, not an hour.
func buildSweep(b *testing.B, n int) (*Store, string) {
	b.Helper()
	start := time.Now()
	path := filepath.Join(b.TempDir(), "sweep.db")
	s, err := Open(path, Options{})
	if err != nil {
		b.Fatal(err)
	}
	s.db.NoSync = true // setup only: a crash here loses a benchmark, not data
	const perTx = 2000
	for lo := 0; lo < n; lo += perTx {
		err := s.db.Update(func(tx *bbolt.Tx) error {
			for i := lo; i < min(lo+perTx, n); i++ {
				owner := reminders.OwnerID(fmt.Sprintf("slack:T%03d:U%07d", i%500, i))
				ob, err := createRange(tx, owner)
				if err != nil {
					return err
				}
				otx := &ownerTx{owner: owner, b: ob, writable: true}
				if err := otx.PutSettings(reminders.Settings{TimeZone: "Europe/Berlin", Name: "Someone", Created: sweepNow}); err != nil {
					return err
				}
				for c := range 10 {
					contact := reminders.Contact{
						Name: fmt.Sprintf("Contact Person %d", c), Company: "Acme Corporation", Role: "Engineer",
						Email: "someone@example.com", Tags: []string{"ai"}, Note: "met at a conference",
						Added: sweepNow.AddDate(0, -3, 0), LastContact: sweepNow.AddDate(0, 0, -c*7), LastKind: reminders.Met,
					}
					if err := otx.PutContact(&contact); err != nil {
						return err
					}
				}
				due := sweepNow.Add(time.Duration(1+i%10_000) * time.Minute) // later this week
				if i%100 == 0 {
					due = sweepNow.Add(-time.Duration(i%60) * time.Second) // due this tick
				}
				if err := putJob(tx, reminders.Job{Kind: reminders.DigestJob, ID: string(owner), Slot: due, Due: due}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	s.db.NoSync = false
	if err := s.db.Sync(); err != nil {
		b.Fatal(err)
	}
	fi, _ := os.Stat(path)
	b.Logf("built %d owners in %s: %.0f MB", n, time.Since(start).Round(time.Millisecond), float64(fi.Size())/1e6)
	return s, path
}

// BenchmarkDueJobs times one scheduler tick's look for due work on files of
// 10k and 100k owners (10 contacts each, 1% of digests due). "limit=100" is
// one tick's batch; "all" fetches every due job (100 and 1,000).
func BenchmarkDueJobs(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{10_000, 100_000} {
		s, _ := buildSweep(b, n)
		for _, limit := range []int{100, 0} {
			name := fmt.Sprintf("owners=%d/limit=%d", n, limit)
			if limit == 0 {
				name = fmt.Sprintf("owners=%d/all", n)
			}
			b.Run(name, func(b *testing.B) {
				var got int
				for b.Loop() {
					jobs, err := s.DueJobs(ctx, sweepNow, limit)
					if err != nil {
						b.Fatal(err)
					}
					got = len(jobs)
				}
				b.ReportMetric(float64(got), "jobs")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(max(got, 1)), "ns/job")
			})
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
