package reminders_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

func TestSchedulerDigestRunsOnceAtItsSlot(t *testing.T) {
	ctx := context.Background()
	ny := mustZone(t, "America/New_York")
	store, _ := tempStore(t)
	c := newClock(time.Date(2026, 6, 1, 8, 0, 0, 0, ny)) // a Monday
	d := &fakeDeliverer{}
	s := newScheduler(store, d, c)
	owner := reminders.OwnerID("console:alice")
	set := reminders.Settings{TimeZone: "America/New_York"} // default: weekdays 09:00
	addOwner(t, store, owner, set, true, c.Now())
	if err := s.ScheduleDigest(ctx, owner, set); err != nil {
		t.Fatal(err)
	}
	slot := time.Date(2026, 6, 1, 9, 0, 0, 0, ny)
	if j := mustJob(t, store, reminders.DigestJob, string(owner)); !j.Slot.Equal(slot) || !j.Due.Equal(slot) {
		t.Fatalf("job %+v, want slot and due %s", j, slot)
	}

	c.Set(slot.Add(-time.Second))
	if n := tick(t, s); n != 0 || len(d.Digests()) != 0 {
		t.Fatalf("before the slot: ran %d, delivered %d", n, len(d.Digests()))
	}
	c.Set(slot)
	if n := tick(t, s); n != 1 {
		t.Fatalf("at the slot: ran %d, want 1", n)
	}
	if n := tick(t, s); n != 0 {
		t.Fatalf("second tick at the same instant ran %d", n)
	}
	got := d.Digests()
	if len(got) != 1 {
		t.Fatalf("delivered %d digests, want 1", len(got))
	}
	if got[0].Owner != owner || !got[0].Slot.Equal(slot) || len(got[0].Entries) != 1 {
		t.Fatalf("digest %+v", got[0])
	}
	if j := mustJob(t, store, reminders.DigestJob, string(owner)); !j.Slot.Equal(slot.AddDate(0, 0, 1)) || j.Attempts != 0 {
		t.Fatalf("next job %+v, want Tuesday 09:00", j)
	}
}

// TestSchedulerDST runs each zone's spring and autumn transition through the
// durable path: schedule, tick just before, tick at the slot.
func TestSchedulerDST(t *testing.T) {
	tests := []struct {
		name, zone, schedule, start string
		slots                       []string
	}{
		{"new york spring", "America/New_York", "daily 02:30", "2026-03-07T12:00:00-05:00",
			[]string{"2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"}},
		{"new york autumn", "America/New_York", "daily 01:30", "2026-10-31T12:00:00-04:00",
			[]string{"2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"}},
		{"berlin spring", "Europe/Berlin", "daily 02:30", "2026-03-28T12:00:00+01:00",
			[]string{"2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"}},
		{"berlin autumn", "Europe/Berlin", "daily 02:30", "2026-10-24T12:00:00+02:00",
			[]string{"2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"}},
		{"sydney spring", "Australia/Sydney", "daily 02:30", "2026-10-03T12:00:00+10:00",
			[]string{"2026-10-04T03:00:00+11:00", "2026-10-05T02:30:00+11:00"}},
		{"sydney autumn", "Australia/Sydney", "daily 02:30", "2026-04-04T12:00:00+11:00",
			[]string{"2026-04-05T02:30:00+11:00", "2026-04-06T02:30:00+10:00"}},
		{"sydney weekdays over spring", "Australia/Sydney", "weekdays 09:00", "2026-10-02T10:00:00+10:00",
			[]string{"2026-10-05T09:00:00+11:00", "2026-10-06T09:00:00+11:00"}},
		{"berlin weekdays over autumn", "Europe/Berlin", "weekdays 09:00", "2026-10-23T10:00:00+02:00",
			[]string{"2026-10-26T09:00:00+01:00", "2026-10-27T09:00:00+01:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store, _ := tempStore(t)
			c := newClock(mustTime(t, tt.start))
			d := &fakeDeliverer{}
			s := newScheduler(store, d, c)
			owner := reminders.OwnerID("console:dst")
			set := reminders.Settings{TimeZone: tt.zone, Digest: tt.schedule}
			addOwner(t, store, owner, set, true, c.Now())
			if err := s.ScheduleDigest(context.Background(), owner, set); err != nil {
				t.Fatal(err)
			}
			for i, w := range tt.slots {
				slot := mustTime(t, w)
				c.Set(slot.Add(-time.Second))
				tick(t, s)
				if n := len(d.Digests()); n != i {
					t.Fatalf("a second before %s: %d digests, want %d", w, n, i)
				}
				c.Set(slot)
				tick(t, s)
				got := d.Digests()
				if len(got) != i+1 || !got[i].Slot.Equal(slot) {
					t.Fatalf("at %s: digests %d, last slot %v", w, len(got), got[len(got)-1].Slot)
				}
			}
		})
	}
}

func TestSchedulerDowntimeSendsOneDigest(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	tests := []struct {
		name     string
		schedule string
		back     time.Time // when kith comes back
		wantNext time.Time
	}{
		{"three days", "daily 09:00", time.Date(2026, 6, 4, 12, 0, 0, 0, ny), time.Date(2026, 6, 5, 9, 0, 0, 0, ny)},
		{"ten minutes", "daily 09:00", time.Date(2026, 6, 1, 9, 10, 0, 0, ny), time.Date(2026, 6, 2, 9, 0, 0, 0, ny)},
		{"over a weekend", "weekdays 09:00", time.Date(2026, 6, 8, 8, 0, 0, 0, ny), time.Date(2026, 6, 8, 9, 0, 0, 0, ny)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			store, path := tempStore(t)
			c := newClock(time.Date(2026, 6, 1, 8, 0, 0, 0, ny))
			owner := reminders.OwnerID("console:alice")
			set := reminders.Settings{TimeZone: "America/New_York", Digest: tt.schedule}
			addOwner(t, store, owner, set, true, c.Now())
			if err := newScheduler(store, &fakeDeliverer{}, c).ScheduleDigest(ctx, owner, set); err != nil {
				t.Fatal(err)
			}
			if err := store.Close(); err != nil { // kith goes down before the slot
				t.Fatal(err)
			}

			c.Set(tt.back)
			store = openStore(t, path)
			d := &fakeDeliverer{}
			s := newScheduler(store, d, c)
			tick(t, s)
			tick(t, s)
			got := d.Digests()
			if len(got) != 1 {
				t.Fatalf("delivered %d digests after downtime, want 1", len(got))
			}
			if want := time.Date(2026, 6, 1, 9, 0, 0, 0, ny); !got[0].Slot.Equal(want) {
				t.Fatalf("digest for slot %s, want the missed %s", got[0].Slot, want)
			}
			if j := mustJob(t, store, reminders.DigestJob, string(owner)); !j.Slot.Equal(tt.wantNext) {
				t.Fatalf("next slot %s, want %s", j.Slot.In(ny), tt.wantNext)
			}
		})
	}
}

func TestSchedulerRetriesWithBackoff(t *testing.T) {
	tests := []struct {
		name       string
		maxBackoff time.Duration
		waits      []time.Duration // the wait after each failure
	}{
		{"doubling", 0, []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute}},
		{"capped", 3 * time.Minute, []time.Duration{time.Minute, 2 * time.Minute, 3 * time.Minute, 3 * time.Minute}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			store, _ := tempStore(t)
			slot := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
			c := newClock(slot.Add(-time.Hour))
			d := &fakeDeliverer{}
			d.setFail(func(string) error { return errPlatformDown })
			s := reminders.NewScheduler(store, d, reminders.SchedulerOptions{Now: c.Now, Logger: quietLogger(), MaxBackoff: tt.maxBackoff})
			owner := reminders.OwnerID("console:alice")
			set := reminders.Settings{Digest: "daily 09:00"}
			addOwner(t, store, owner, set, true, c.Now())
			if err := s.ScheduleDigest(ctx, owner, set); err != nil {
				t.Fatal(err)
			}
			now := slot
			for i, wait := range tt.waits {
				c.Set(now)
				if n := tick(t, s); n != 1 {
					t.Fatalf("attempt %d: ran %d", i+1, n)
				}
				j := mustJob(t, store, reminders.DigestJob, string(owner))
				if !j.Slot.Equal(slot) || j.Attempts != i+1 || !j.Due.Equal(now.Add(wait)) {
					t.Fatalf("after failure %d: job %+v, want slot %s, attempts %d, due %s", i+1, j, slot, i+1, now.Add(wait))
				}
				c.Set(j.Due.Add(-time.Second))
				if n := tick(t, s); n != 0 {
					t.Fatalf("retried %s before its back-off ended", wait)
				}
				now = j.Due
			}
			d.setFail(nil)
			c.Set(now)
			tick(t, s)
			tick(t, s)
			if got := d.Digests(); len(got) != 1 || !got[0].Slot.Equal(slot) {
				t.Fatalf("delivered %d digests (%+v), want one for %s", len(got), got, slot)
			}
			if got, want := d.Attempts(), len(tt.waits)+1; got != want {
				t.Fatalf("%d delivery attempts, want %d", got, want)
			}
			if got := d.Digests()[0].Attempts; got != len(tt.waits) {
				t.Fatalf("the delivered digest says %d earlier failures, want %d", got, len(tt.waits))
			}
			if j := mustJob(t, store, reminders.DigestJob, string(owner)); !j.Slot.Equal(slot.AddDate(0, 0, 1)) || j.Attempts != 0 {
				t.Fatalf("after success: job %+v", j)
			}
		})
	}
}

// TestSchedulerFailingPastNextSlot keeps failing until the next slot has
// passed: the retries go on, and one digest covers both slots.
func TestSchedulerFailingPastNextSlot(t *testing.T) {
	owner := reminders.OwnerID("console:alice")
	store, c, d, s, slot := plannedDigest(t, owner, reminders.Settings{Digest: "daily 09:00"}, true)
	d.setFail(func(string) error { return errPlatformDown })
	end := slot.AddDate(0, 0, 1).Add(90 * time.Minute) // past the next slot
	ticks := 0
	for now := slot; now.Before(end); now = mustJob(t, store, reminders.DigestJob, string(owner)).Due {
		c.Set(now)
		tick(t, s)
		ticks++
	}
	j := mustJob(t, store, reminders.DigestJob, string(owner))
	if !j.Slot.Equal(slot) || j.Attempts != ticks || j.Due.Sub(c.Now()) != time.Hour {
		t.Fatalf("still failing: job %+v after %d ticks, want slot %s and an hour's back-off", j, ticks, slot)
	}
	d.setFail(nil)
	c.Set(j.Due)
	tick(t, s)
	c.Set(j.Due.Add(time.Hour))
	tick(t, s)
	if got := d.Digests(); len(got) != 1 || !got[0].Slot.Equal(slot) {
		t.Fatalf("delivered %d digests, want one for %s", len(got), slot)
	}
	if j := mustJob(t, store, reminders.DigestJob, string(owner)); !j.Slot.Equal(slot.AddDate(0, 0, 2)) {
		t.Fatalf("next slot %s, want %s", j.Slot, slot.AddDate(0, 0, 2))
	}
}

// TestSchedulerRestart closes the store between ticks, mid-retry, and goes on
// with a new store handle and a new Scheduler: nothing lost, nothing doubled.
func TestSchedulerRestart(t *testing.T) {
	ctx := context.Background()
	store, path := tempStore(t)
	slot := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	c := newClock(slot.Add(-time.Hour))
	owners := map[reminders.OwnerID]string{
		"console:alice": "daily 09:00", // fails before the restart
		"console:bob":   "daily 09:00", // delivered before the restart
		"console:carol": "daily 10:00", // due after the restart
	}
	d1 := &fakeDeliverer{}
	d1.setFail(func(id string) error {
		if id == "console:alice" {
			return errPlatformDown
		}
		return nil
	})
	s1 := newScheduler(store, d1, c)
	for o, sched := range owners {
		set := reminders.Settings{Digest: sched}
		addOwner(t, store, o, set, true, c.Now())
		if err := s1.ScheduleDigest(ctx, o, set); err != nil {
			t.Fatal(err)
		}
	}
	c.Set(slot)
	if n := tick(t, s1); n != 2 {
		t.Fatalf("first tick ran %d, want 2", n)
	}
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}

	store = openStore(t, path)
	d2 := &fakeDeliverer{}
	s2 := newScheduler(store, d2, c)
	if n := tick(t, s2); n != 0 { // the same instant again: bob is done, alice waits for her back-off
		t.Fatalf("tick at the same instant after restart ran %d", n)
	}
	for _, at := range []time.Time{slot.Add(time.Minute), slot.Add(time.Hour), slot.Add(time.Hour)} {
		c.Set(at)
		tick(t, s2)
	}
	total := d1.countByOwner()
	for o, n := range d2.countByOwner() {
		total[o] += n
	}
	for o := range owners {
		if total[o] != 1 {
			t.Errorf("%s got %d digests, want 1", o, total[o])
		}
		if j := mustJob(t, store, reminders.DigestJob, string(o)); !j.Slot.After(c.Now()) || j.Attempts != 0 {
			t.Errorf("%s: job %+v is not a future slot", o, j)
		}
	}
}

func TestSchedulerConcurrentTicks(t *testing.T) {
	ctx := context.Background()
	store, _ := tempStore(t)
	slot := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	c := newClock(slot.Add(-time.Hour))
	d := &fakeDeliverer{}
	s := reminders.NewScheduler(store, d, reminders.SchedulerOptions{Now: c.Now, Logger: quietLogger(), Workers: 3})
	const owners = 40
	for i := range owners {
		o := reminders.OwnerID(fmt.Sprintf("console:u%02d", i))
		set := reminders.Settings{Digest: "daily 09:00"}
		addOwner(t, store, o, set, true, c.Now())
		if err := s.ScheduleDigest(ctx, o, set); err != nil {
			t.Fatal(err)
		}
	}
	c.Set(slot)
	// Two schedulers' worth of ticks at once: the same Scheduler ticked
	// concurrently, as an overrunning cron tick would.
	const ticks = 6
	var wg sync.WaitGroup
	start := make(chan struct{})
	ran := make([]int, ticks)
	for i := range ticks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			n, err := s.Tick(ctx)
			if err != nil {
				t.Error(err)
			}
			ran[i] = n
		}()
	}
	close(start)
	wg.Wait()
	total := 0
	for _, n := range ran {
		total += n
	}
	if total != owners {
		t.Errorf("ticks ran %d jobs in all, want %d", total, owners)
	}
	counts := d.countByOwner()
	if len(counts) != owners {
		t.Errorf("%d owners got a digest, want %d", len(counts), owners)
	}
	for o, n := range counts {
		if n != 1 {
			t.Errorf("%s got %d digests", o, n)
		}
	}
}

func TestSchedulerEmptyDigestSendsNothingButAdvances(t *testing.T) {
	owner := reminders.OwnerID("console:idle")
	set := reminders.Settings{Digest: "daily 09:00"}
	store, c, d, s, slot := plannedDigest(t, owner, set, false)
	c.Set(slot)
	if n := tick(t, s); n != 1 {
		t.Fatalf("ran %d, want 1", n)
	}
	if d.Attempts() != 0 {
		t.Fatalf("an empty digest was handed over %d times", d.Attempts())
	}
	if j := mustJob(t, store, reminders.DigestJob, string(owner)); !j.Slot.Equal(slot.AddDate(0, 0, 1)) {
		t.Fatalf("job %+v did not advance", j)
	}
}

func TestSchedulerDropsJobsWhoseWorkIsGone(t *testing.T) {
	slot := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		kind  reminders.JobKind
		id    string
		setup func(t *testing.T, store reminders.Store, s *reminders.Scheduler)
	}{
		{"digests turned off", reminders.DigestJob, "console:off", func(t *testing.T, store reminders.Store, s *reminders.Scheduler) {
			set := reminders.Settings{Digest: "daily 09:00"}
			addOwner(t, store, "console:off", set, true, slot.Add(-time.Hour))
			if err := s.ScheduleDigest(context.Background(), "console:off", set); err != nil {
				t.Fatal(err)
			}
			set.DigestOff = true // stored, but the job was not told
			addOwner(t, store, "console:off", set, false, slot.Add(-time.Hour))
		}},
		{"owner forgot themselves", reminders.DigestJob, "console:gone", func(t *testing.T, store reminders.Store, s *reminders.Scheduler) {
			// The job outlived the owner's data (settings never stored, or deleted).
			if err := s.ScheduleDigest(context.Background(), "console:gone", reminders.Settings{Digest: "daily 09:00"}); err != nil {
				t.Fatal(err)
			}
		}},
		{"team summary off", reminders.SummaryJob, "console:local", func(t *testing.T, store reminders.Store, s *reminders.Scheduler) {
			team := reminders.Team{ID: "console:local", Channel: "C1", Schedule: "daily 09:00"}
			if err := store.PutTeam(context.Background(), team); err != nil {
				t.Fatal(err)
			}
			if err := s.ScheduleSummary(context.Background(), team); err != nil {
				t.Fatal(err)
			}
			team.Channel = ""
			if err := store.PutTeam(context.Background(), team); err != nil {
				t.Fatal(err)
			}
		}},
		{"team never stored", reminders.SummaryJob, "console:ghost", func(t *testing.T, store reminders.Store, s *reminders.Scheduler) {
			if err := s.ScheduleSummary(context.Background(), reminders.Team{ID: "console:ghost", Channel: "C1", Schedule: "daily 09:00"}); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store, _ := tempStore(t)
			c := newClock(slot.Add(-time.Hour))
			d := &fakeDeliverer{}
			s := newScheduler(store, d, c)
			tt.setup(t, store, s)
			mustJob(t, store, tt.kind, tt.id)
			c.Set(slot)
			tick(t, s)
			if d.Attempts() != 0 {
				t.Fatalf("delivered %d times", d.Attempts())
			}
			mustNoJob(t, store, tt.kind, tt.id)
		})
	}
}

func TestSchedulerSummaryPeriod(t *testing.T) {
	ctx := context.Background()
	ny := mustZone(t, "America/New_York")
	store, path := tempStore(t)
	slot1 := time.Date(2026, 6, 1, 9, 0, 0, 0, ny) // default: mondays 09:00
	slot2 := slot1.AddDate(0, 0, 7)
	c := newClock(slot1.AddDate(0, 0, -2))
	d := &fakeDeliverer{}
	s := newScheduler(store, d, c)
	team := reminders.Team{ID: "console:local", Channel: "C1", TimeZone: "America/New_York"}
	if err := store.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	log := func(owner reminders.OwnerID, kind reminders.Kind, at time.Time) {
		t.Helper()
		err := store.Update(ctx, owner, reminders.Change{Now: at}, func(tx reminders.OwnerTx) error {
			cs, err := tx.Contacts()
			if err != nil {
				return err
			}
			i, err := reminders.NewInteraction(cs[0].ID, kind, at, at, "an intro")
			if err != nil {
				return err
			}
			return tx.AddInteraction(&i)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, o := range []reminders.OwnerID{"console:alice", "console:bob"} {
		addOwner(t, store, o, reminders.Settings{Share: true, Name: string(o)}, true, slot1.AddDate(0, 0, -30))
		if err := store.Join(ctx, team.ID, o); err != nil {
			t.Fatal(err)
		}
	}
	log("console:alice", reminders.Met, slot1.AddDate(0, 0, -8))  // before the first period
	log("console:alice", reminders.Met, slot1.AddDate(0, 0, -3))  // first period
	log("console:bob", reminders.Gave, slot1.Add(-time.Minute))   // first period
	log("console:bob", reminders.Got, slot1)                      // second period: [Since, Slot)
	log("console:alice", reminders.Met, slot2.Add(-time.Hour))    // second period
	log("console:alice", reminders.Met, slot2.Add(2*time.Minute)) // third

	if err := s.ScheduleSummary(ctx, team); err != nil {
		t.Fatal(err)
	}
	if j := mustJob(t, store, reminders.SummaryJob, string(team.ID)); !j.Slot.Equal(slot1) || !j.Since.Equal(slot1.AddDate(0, 0, -7)) {
		t.Fatalf("first job %+v, want slot %s since a week before", j, slot1)
	}
	c.Set(slot1)
	tick(t, s)
	if err := store.Close(); err != nil { // the period's start survives a restart
		t.Fatal(err)
	}
	store = openStore(t, path)
	s = newScheduler(store, d, c)
	c.Set(slot2)
	tick(t, s)
	got := d.Summaries()
	want := []struct {
		from, to time.Time
		totals   reminders.ActivityCounts
		active   int
	}{
		{slot1.AddDate(0, 0, -7), slot1, reminders.ActivityCounts{Met: 1, Gave: 1}, 2},
		{slot1, slot2, reminders.ActivityCounts{Met: 1, Got: 1}, 2},
	}
	if len(got) != len(want) {
		t.Fatalf("%d summaries, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if !g.From.Equal(w.from) || !g.To.Equal(w.to) || !g.Slot.Equal(w.to) || g.Totals != w.totals || g.Active != w.active || g.Members != 2 {
			t.Errorf("summary %d: from %s to %s slot %s totals %+v active %d members %d; want from %s to %s totals %+v active %d",
				i, g.From, g.To, g.Slot, g.Totals, g.Active, g.Members, w.from, w.to, w.totals, w.active)
		}
	}
	if j := mustJob(t, store, reminders.SummaryJob, string(team.ID)); !j.Slot.Equal(slot2.AddDate(0, 0, 7)) || !j.Since.Equal(slot2) {
		t.Fatalf("third job %+v, want slot %s since %s", j, slot2.AddDate(0, 0, 7), slot2)
	}
}

func TestScheduleDigestKeepsAnOwedSlot(t *testing.T) {
	ctx := context.Background()
	owner := reminders.OwnerID("console:alice")
	set := reminders.Settings{Digest: "daily 09:00"}
	store, c, d, s, slot := plannedDigest(t, owner, set, true)

	c.Set(slot.Add(30 * time.Minute)) // due, not yet run
	set.Digest = "daily 18:00"
	addOwner(t, store, owner, set, false, c.Now())
	if err := s.ScheduleDigest(ctx, owner, set); err != nil {
		t.Fatal(err)
	}
	if j := mustJob(t, store, reminders.DigestJob, string(owner)); !j.Slot.Equal(slot) {
		t.Fatalf("rescheduling dropped the owed slot: %+v", j)
	}
	tick(t, s)
	if got := d.Digests(); len(got) != 1 || !got[0].Slot.Equal(slot) {
		t.Fatalf("owed digest not delivered once: %+v", got)
	}
	evening := slot.Add(9 * time.Hour)
	if j := mustJob(t, store, reminders.DigestJob, string(owner)); !j.Slot.Equal(evening) {
		t.Fatalf("after the owed slot the new schedule applies: got %s, want %s", j.Slot, evening)
	}

	set.Digest = "daily 20:00" // a future slot is simply replaced
	if err := s.ScheduleDigest(ctx, owner, set); err != nil {
		t.Fatal(err)
	}
	if j := mustJob(t, store, reminders.DigestJob, string(owner)); !j.Slot.Equal(slot.Add(11 * time.Hour)) {
		t.Fatalf("future slot not replaced: %+v", j)
	}

	bad := set
	bad.Digest = "0 9 30 2 *"
	if err := s.ScheduleDigest(ctx, owner, bad); reminders.ErrorCode(err) != reminders.EINVALID {
		t.Fatalf("a schedule that never fires: %v, want EINVALID", err)
	}
	if j := mustJob(t, store, reminders.DigestJob, string(owner)); !j.Slot.Equal(slot.Add(11 * time.Hour)) {
		t.Fatalf("invalid schedule changed the job: %+v", j)
	}

	set.DigestOff = true
	if err := s.ScheduleDigest(ctx, owner, set); err != nil {
		t.Fatal(err)
	}
	mustNoJob(t, store, reminders.DigestJob, string(owner))
}

func TestScheduleDigestsBulk(t *testing.T) {
	ctx := context.Background()
	store, _ := tempStore(t)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	c := newClock(now.Add(-6 * time.Hour))
	s := newScheduler(store, &fakeDeliverer{}, c)
	// Jobs from before: one owed (its slot has passed), one to be turned off.
	for _, o := range []reminders.OwnerID{"console:owed", "console:off"} {
		if err := s.ScheduleDigest(ctx, o, reminders.Settings{Digest: "daily 09:00"}); err != nil {
			t.Fatal(err)
		}
	}
	owedSlot := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	c.Set(now)

	owners := map[reminders.OwnerID]reminders.Settings{
		"console:ny":     {TimeZone: "America/New_York"},
		"console:ny2":    {TimeZone: "America/New_York"},
		"console:berlin": {TimeZone: "Europe/Berlin", Digest: "daily 18:00"},
		"console:sydney": {TimeZone: "Australia/Sydney", Digest: "mondays 08:30"},
		"console:utc":    {Digest: "30 7 * * *"},
		"console:owed":   {Digest: "daily 18:00"},
		"console:off":    {DigestOff: true},
		"console:never":  {Digest: "0 9 30 2 *"},
	}
	err := s.ScheduleDigests(ctx, owners)
	if reminders.ErrorCode(err) != reminders.EINVALID {
		t.Fatalf("bulk with one impossible schedule: %v, want EINVALID", err)
	}
	for o, set := range owners {
		switch o {
		case "console:owed":
			if j := mustJob(t, store, reminders.DigestJob, string(o)); !j.Slot.Equal(owedSlot) {
				t.Errorf("owed slot replaced: %+v", j)
			}
		case "console:off", "console:never":
			mustNoJob(t, store, reminders.DigestJob, string(o))
		default:
			want, err := reminders.NextAfter(set.DigestSchedule(), set.Location(), now)
			if err != nil {
				t.Fatal(err)
			}
			if j := mustJob(t, store, reminders.DigestJob, string(o)); !j.Slot.Equal(want) || !j.Due.Equal(want) {
				t.Errorf("%s: job %+v, want slot %s", o, j, want)
			}
		}
	}
}

func TestSchedulerPanickingDelivererIsRetried(t *testing.T) {
	ctx := context.Background()
	store, _ := tempStore(t)
	slot := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	c := newClock(slot.Add(-time.Hour))
	d := &fakeDeliverer{}
	d.setFail(func(id string) error {
		if id == "console:boom" {
			panic("deliverer bug")
		}
		return nil
	})
	s := newScheduler(store, d, c)
	for _, o := range []reminders.OwnerID{"console:boom", "console:fine"} {
		set := reminders.Settings{Digest: "daily 09:00"}
		addOwner(t, store, o, set, true, c.Now())
		if err := s.ScheduleDigest(ctx, o, set); err != nil {
			t.Fatal(err)
		}
	}
	c.Set(slot)
	if n := tick(t, s); n != 2 {
		t.Fatalf("ran %d, want 2", n)
	}
	if got := d.countByOwner(); got["console:fine"] != 1 || got["console:boom"] != 0 {
		t.Fatalf("deliveries %v", got)
	}
	if j := mustJob(t, store, reminders.DigestJob, "console:boom"); j.Attempts != 1 || !j.Due.Equal(slot.Add(time.Minute)) {
		t.Fatalf("a panic is a failed delivery: %+v", j)
	}
}

func TestSchedulerSlowOwnerDoesNotHoldUpOthers(t *testing.T) {
	ctx := context.Background()
	store, _ := tempStore(t)
	slot := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	c := newClock(slot.Add(-time.Hour))
	release := make(chan struct{})
	d := &fakeDeliverer{delivered: make(chan string, 16)}
	d.setFail(func(id string) error {
		if id == "console:slow" {
			<-release
		}
		return nil
	})
	s := reminders.NewScheduler(store, d, reminders.SchedulerOptions{Now: c.Now, Logger: quietLogger(), Workers: 2})
	others := []reminders.OwnerID{"console:a", "console:b", "console:c", "console:d", "console:e"}
	for _, o := range append([]reminders.OwnerID{"console:slow"}, others...) {
		set := reminders.Settings{Digest: "daily 09:00"}
		addOwner(t, store, o, set, true, c.Now())
		if err := s.ScheduleDigest(ctx, o, set); err != nil {
			t.Fatal(err)
		}
	}
	c.Set(slot)
	done := make(chan error, 1)
	go func() {
		_, err := s.Tick(ctx)
		done <- err
	}()
	timeout := time.After(10 * time.Second)
	for range others {
		select {
		case o := <-d.delivered:
			if o == "console:slow" {
				t.Fatal("the slow owner finished first")
			}
		case <-timeout:
			close(release)
			t.Fatal("the other owners waited for the slow one")
		}
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := d.countByOwner(); len(got) != len(others)+1 {
		t.Fatalf("deliveries %v", got)
	}
}

func TestSchedulerRunTicksAtStartAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store, _ := tempStore(t)
	slot := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	c := newClock(slot.Add(-time.Hour))
	d := &fakeDeliverer{delivered: make(chan string, 1)}
	s := reminders.NewScheduler(store, d, reminders.SchedulerOptions{Now: c.Now, Logger: quietLogger(), Tick: time.Hour})
	owner := reminders.OwnerID("console:alice")
	set := reminders.Settings{Digest: "daily 09:00"}
	addOwner(t, store, owner, set, true, c.Now())
	if err := s.ScheduleDigest(ctx, owner, set); err != nil {
		t.Fatal(err)
	}
	c.Set(slot.Add(72 * time.Hour)) // kith comes back after three days
	stopped := make(chan error, 1)
	go func() { stopped <- s.Run(ctx) }()
	select {
	case <-d.delivered:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not run the missed digest at start")
	}
	cancel()
	select {
	case err := <-stopped:
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
	if n := len(d.Digests()); n != 1 {
		t.Fatalf("%d digests, want 1", n)
	}
}
