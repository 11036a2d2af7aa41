package reminders_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
	"github.com/robfig/cron/v3"
)

// benchSizes are the registration sizes measured; the goal is stated for
// 100k owners, and the smaller sizes show how each side scales.
var benchSizes = []int{1_000, 10_000, 100_000}

// benchSettings gives n owners a realistic spread: a few zones and a few
// schedules, most owners on the default.
func benchSettings(n int) map[reminders.OwnerID]reminders.Settings {
	zones := []string{"America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Tokyo", ""}
	schedules := []string{"", "", "", "daily 08:00", "mondays 08:30", "weekdays 07:30", "0 18 * * 5"}
	owners := make(map[reminders.OwnerID]reminders.Settings, n)
	for i := range n {
		id := reminders.OwnerID(fmt.Sprintf("slack:T%04d:U%07d", i%97, i))
		owners[id] = reminders.Settings{TimeZone: zones[i%len(zones)], Digest: schedules[i%len(schedules)]}
	}
	return owners
}

type nopDeliverer struct{}

func (nopDeliverer) DeliverDigest(context.Context, reminders.Digest) error   { return nil }
func (nopDeliverer) DeliverSummary(context.Context, reminders.Summary) error { return nil }

// BenchmarkScheduleDigests registers n owners' digests, durably, into a
// fresh bbolt file per iteration.
func BenchmarkScheduleDigests(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("owners=%d", n), func(b *testing.B) { benchScheduleDigests(b, n) })
	}
}

func benchScheduleDigests(b *testing.B, n int) {
	ctx := context.Background()
	owners := benchSettings(n)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	dir := b.TempDir()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		store, err := bolt.Open(filepath.Join(dir, fmt.Sprintf("bench-%d.db", i)), bolt.Options{})
		if err != nil {
			b.Fatal(err)
		}
		s := reminders.NewScheduler(store, nopDeliverer{}, reminders.SchedulerOptions{Now: func() time.Time { return now }, Logger: quietLogger()})
		b.StartTimer()
		if err := s.ScheduleDigests(ctx, owners); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if err := store.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/owner")
}

// BenchmarkRobfigCronAddFunc registers the same owners the way robfig/cron is
// usually used: a running Cron with one AddFunc per owner, in the owner's
// zone. It keeps nothing on disk.
func BenchmarkRobfigCronAddFunc(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("owners=%d", n), func(b *testing.B) { benchRobfigCron(b, n) })
	}
}

func benchRobfigCron(b *testing.B, n int) {
	specs := make([]string, 0, n)
	for _, set := range benchSettings(n) {
		expr, err := reminders.ScheduleCron(set.DigestSchedule())
		if err != nil {
			b.Fatal(err)
		}
		tz := set.TimeZone
		if tz == "" {
			tz = "UTC"
		}
		specs = append(specs, "CRON_TZ="+tz+" "+expr)
	}
	b.ResetTimer()
	for range b.N {
		c := cron.New()
		c.Start()
		for _, spec := range specs {
			if _, err := c.AddFunc(spec, func() {}); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		<-c.Stop().Done()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/owner")
}
