package storagetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// testClaims pins the lease rules of ClaimJobs and FinishJob that the
// scheduler's exactly-once delivery rests on.
func testClaims(t *testing.T, s reminders.Store) {
	lease := t0.Add(time.Minute)
	var jobs []reminders.Job
	for i := range 3 {
		due := t0.Add(-time.Duration(3-i) * time.Minute)
		jobs = append(jobs, reminders.Job{Kind: reminders.DigestJob, ID: fmt.Sprintf("console:c%d", i), Slot: due, Due: due})
	}
	future := reminders.Job{Kind: reminders.DigestJob, ID: "console:later", Slot: t0.Add(time.Hour), Due: t0.Add(time.Hour)}
	if err := s.PutJobs(ctx, append(jobs, future)...); err != nil {
		t.Fatal(err)
	}
	_, err := s.ClaimJobs(ctx, t0, 10, "", lease)
	wantCode(t, err, reminders.EINVALID)

	a, err := s.ClaimJobs(ctx, t0, 2, "a", lease)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 2 || a[0].ID != jobs[0].ID || a[1].ID != jobs[1].ID {
		t.Fatalf("ClaimJobs(limit 2) = %+v, want the two earliest", a)
	}
	for _, j := range a {
		if j.Holder != "a" || !j.Lease.Equal(lease) || j.Claims != 1 {
			t.Errorf("claimed job %+v: want holder a, lease %s, one claim", j, lease)
		}
	}
	b, err := s.ClaimJobs(ctx, t0, 10, "b", lease)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 1 || b[0].ID != jobs[2].ID {
		t.Fatalf("second ClaimJobs = %+v, want only the job a did not hold", b)
	}
	if due, _ := s.DueJobs(ctx, t0, 0); len(due) != 0 {
		t.Errorf("DueJobs lists leased jobs: %+v", due)
	}
	if got, _ := s.Job(ctx, reminders.DigestJob, a[0].ID); got.Holder != "a" || got.Claims != 1 {
		t.Errorf("Job after the claim = %+v", got)
	}

	// Only the holder of the current claim finishes the job.
	stolen := a[0]
	stolen.Holder = "b"
	if ok, err := s.FinishJob(ctx, stolen, nil); err != nil || ok {
		t.Errorf("FinishJob by another holder = %v, %v; want false", ok, err)
	}
	next := reminders.Job{Kind: a[0].Kind, ID: a[0].ID, Slot: t0.Add(24 * time.Hour), Due: t0.Add(24 * time.Hour)}
	if ok, err := s.FinishJob(ctx, a[0], &next); err != nil || !ok {
		t.Fatalf("FinishJob by the holder = %v, %v; want true", ok, err)
	}
	if got, _ := s.Job(ctx, next.Kind, next.ID); !got.Slot.Equal(next.Slot) || got.Holder != "" || got.Claims != 0 {
		t.Errorf("finished job = %+v, want the next slot, unleased", got)
	}
	if ok, _ := s.FinishJob(ctx, a[0], &next); ok {
		t.Error("a claim finished twice")
	}
	wrong := next
	wrong.ID = "console:other"
	_, err = s.FinishJob(ctx, a[1], &wrong)
	wantCode(t, err, reminders.EINVALID)

	// Until the lease ends nobody else gets a[1]; then another holder takes
	// it over, counting the claim, and the dead holder's claim is void.
	if got, _ := s.ClaimJobs(ctx, lease.Add(-time.Second), 10, "b", lease.Add(time.Minute)); len(got) != 0 {
		t.Fatalf("claimed before the lease ended: %+v", got)
	}
	later := lease.Add(time.Second)
	took, err := s.ClaimJobs(ctx, later, 10, "b", later.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(took) != 2 {
		t.Fatalf("takeover claimed %+v, want a's and b's expired jobs", took)
	}
	for _, j := range took {
		if j.Holder != "b" || j.Claims != 2 {
			t.Errorf("taken over %+v: want holder b with two claims", j)
		}
	}
	if ok, _ := s.FinishJob(ctx, a[1], nil); ok {
		t.Error("the dead holder finished a job taken over from it")
	}
	for _, j := range took {
		if ok, err := s.FinishJob(ctx, j, nil); err != nil || !ok {
			t.Errorf("FinishJob(delete) = %v, %v", ok, err)
		}
		_, err := s.Job(ctx, j.Kind, j.ID)
		wantCode(t, err, reminders.ENOTFOUND)
	}
	if ok, err := s.FinishJob(ctx, took[0], nil); err != nil || ok {
		t.Errorf("FinishJob of a deleted job = %v, %v; want false", ok, err)
	}
	// A job replaced by PutJobs (a new schedule) while claimed is no longer
	// the claim's to finish.
	c, _ := s.ClaimJobs(ctx, t0.Add(2*time.Hour), 1, "a", t0.Add(3*time.Hour))
	if len(c) != 1 || c[0].ID != future.ID {
		t.Fatalf("claim of the later job = %+v", c)
	}
	if err := s.PutJobs(ctx, reminders.Job{Kind: future.Kind, ID: future.ID, Slot: t0.Add(48 * time.Hour), Due: t0.Add(48 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.FinishJob(ctx, c[0], nil); ok {
		t.Error("a claim finished a job rescheduled since")
	}
}

// countingDeliverer counts digests by owner and remembers rechecks.
type countingDeliverer struct {
	mu       sync.Mutex
	got      map[reminders.OwnerID]int
	rechecks int
}

func (d *countingDeliverer) DeliverDigest(_ context.Context, dg reminders.Digest) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.got == nil {
		d.got = map[reminders.OwnerID]int{}
	}
	d.got[dg.Owner]++
	if dg.Recheck {
		d.rechecks++
	}
	return nil
}

func (d *countingDeliverer) DeliverSummary(context.Context, reminders.Summary) error { return nil }

// dueOwners gives n owners a contact due long ago and a daily digest at
// 09:00 UTC, registered for the slot after t0, and returns them and the slot.
func dueOwners(t *testing.T, s reminders.Store, n int) ([]reminders.OwnerID, time.Time) {
	t.Helper()
	slot := time.Date(t0.Year(), t0.Month(), t0.Day()+1, 9, 0, 0, 0, time.UTC)
	owners := make([]reminders.OwnerID, n)
	var jobs []reminders.Job
	for i := range owners {
		owners[i] = reminders.OwnerID(fmt.Sprintf("console:o%03d", i))
		update(t, s, owners[i], func(tx reminders.OwnerTx) error {
			if err := tx.PutSettings(reminders.Settings{Digest: "daily 09:00", Created: t0.Add(-365 * day)}); err != nil {
				return err
			}
			c := reminders.Contact{Name: "Jane", Added: t0.Add(-365 * day)}
			return tx.PutContact(&c)
		})
		jobs = append(jobs, reminders.Job{Kind: reminders.DigestJob, ID: string(owners[i]), Slot: slot, Due: slot})
	}
	if err := s.PutJobs(ctx, jobs...); err != nil {
		t.Fatal(err)
	}
	return owners, slot
}

// testClaimsTwoSchedulers runs two schedulers on one store, ticking at once
// at a slot many owners share: every owner gets exactly one digest.
func testClaimsTwoSchedulers(t *testing.T, s reminders.Store) { twoSchedulers(t, s, s) }

// twoSchedulers runs a scheduler on each store (two replicas when the
// stores share a database) at a slot many owners share.
func twoSchedulers(t *testing.T, s, other reminders.Store) {
	owners, slot := dueOwners(t, s, 60)
	now := func() time.Time { return slot }
	var d1, d2 countingDeliverer
	s1 := reminders.NewScheduler(s, &d1, reminders.SchedulerOptions{Now: now, Holder: "one", Workers: 4, Logger: quiet})
	s2 := reminders.NewScheduler(other, &d2, reminders.SchedulerOptions{Now: now, Holder: "two", Workers: 4, Logger: quiet})
	var wg sync.WaitGroup
	for _, sc := range []*reminders.Scheduler{s1, s2, s1, s2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := sc.Tick(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for _, o := range owners {
		if n := d1.got[o] + d2.got[o]; n != 1 {
			t.Errorf("%s got %d digests, want exactly 1", o, n)
		}
		if j, err := s.Job(ctx, reminders.DigestJob, string(o)); err != nil || !j.Slot.After(slot) || j.Holder != "" {
			t.Errorf("%s: job %+v, %v; want the next slot, unleased", o, j, err)
		}
	}
	if d1.rechecks+d2.rechecks != 0 {
		t.Errorf("%d rechecks on first claims", d1.rechecks+d2.rechecks)
	}
}

// testClaimsTakeover: a scheduler dies holding claims; another takes them
// over only after the lease, and asks the platform first (Recheck).
func testClaimsTakeover(t *testing.T, s reminders.Store) { takeover(t, s, s) }

// takeover: a scheduler on s dies holding claims; one on other takes them
// over after the lease.
func takeover(t *testing.T, s, other reminders.Store) {
	owners, slot := dueOwners(t, s, 10)
	held, err := s.ClaimJobs(ctx, slot, 0, "dead", slot.Add(reminders.DefaultLease))
	if err != nil || len(held) != len(owners) {
		t.Fatalf("the dying scheduler claimed %d, %v", len(held), err)
	}
	clock := slot.Add(reminders.DefaultLease - time.Second)
	var d countingDeliverer
	sc := reminders.NewScheduler(other, &d, reminders.SchedulerOptions{Now: func() time.Time { return clock }, Holder: "alive", Logger: quiet})
	if n, err := sc.Tick(ctx); err != nil || n != 0 {
		t.Fatalf("tick within the lease ran %d, %v; want 0", n, err)
	}
	clock = slot.Add(reminders.DefaultLease + time.Second)
	if n, err := sc.Tick(ctx); err != nil || n != len(owners) {
		t.Fatalf("tick after the lease ran %d, %v; want %d", n, err, len(owners))
	}
	for _, o := range owners {
		if d.got[o] != 1 {
			t.Errorf("%s got %d digests after the takeover, want 1", o, d.got[o])
		}
	}
	if d.rechecks != len(owners) {
		t.Errorf("%d of %d taken-over digests asked to recheck the platform", d.rechecks, len(owners))
	}
	for _, j := range held {
		if ok, _ := s.FinishJob(ctx, j, nil); ok {
			t.Errorf("the dead scheduler's claim on %s still finished", j.ID)
		}
	}
}

// deferringDeliverer defers the digests of the owners in paused (their
// platform is paused) and counts the others' like countingDeliverer.
type deferringDeliverer struct {
	countingDeliverer
	paused func(reminders.OwnerID) bool
}

func (d *deferringDeliverer) DeliverDigest(ctx context.Context, dg reminders.Digest) error {
	if d.paused(dg.Owner) {
		return &reminders.Deferred{Wait: 10 * time.Minute}
	}
	return d.countingDeliverer.DeliverDigest(ctx, dg)
}

// testClaimsHandBack: jobs the scheduler hands back while their platform
// is paused (FinishJob with the job as it was, due later, its claim given
// back) are stored as given: not claimed before they are due, claimed then
// with their claim count starting again where it was, and delivered once
// each, without a check with the platform.
func testClaimsHandBack(t *testing.T, s reminders.Store) {
	owners, slot := dueOwners(t, s, 20)
	at := slot
	now := func() time.Time { return at }
	pausedSet := map[reminders.OwnerID]bool{}
	for i, o := range owners {
		pausedSet[o] = i%2 == 0
	}
	pausedNow := true
	d := &deferringDeliverer{paused: func(o reminders.OwnerID) bool { return pausedNow && pausedSet[o] }}
	sc := reminders.NewScheduler(s, d, reminders.SchedulerOptions{Now: now, Holder: "one", Workers: 4, Logger: quiet})
	if n, err := sc.Tick(ctx); err != nil || n != len(owners)/2 {
		t.Fatalf("tick = %d, %v; want the %d unpaused owners' digests", n, err, len(owners)/2)
	}
	for _, o := range owners {
		j, err := s.Job(ctx, reminders.DigestJob, string(o))
		if err != nil {
			t.Fatal(err)
		}
		if !pausedSet[o] {
			continue
		}
		if !j.Slot.Equal(slot) || !j.Due.Equal(slot.Add(10*time.Minute)) || j.Holder != "" || !j.Lease.IsZero() || j.Claims != 0 || j.Attempts != 0 {
			t.Errorf("%s handed back as %+v; want its slot, due 10 minutes on, unleased, no claim, no attempt", o, j)
		}
	}
	at = slot.Add(5 * time.Minute)
	if c, err := s.ClaimJobs(ctx, at, 100, "two", at.Add(time.Minute)); err != nil || len(c) != 0 {
		t.Fatalf("claimed inside the pause: %+v, %v", c, err)
	}
	at = slot.Add(10 * time.Minute)
	pausedNow = false
	if n, err := sc.Tick(ctx); err != nil || n != len(owners)/2 {
		t.Fatalf("tick after the pause = %d, %v; want the %d handed back", n, err, len(owners)/2)
	}
	for _, o := range owners {
		if n := d.got[o]; n != 1 {
			t.Errorf("%s got %d digests, want exactly 1", o, n)
		}
		if j, err := s.Job(ctx, reminders.DigestJob, string(o)); err != nil || !j.Slot.After(slot) || j.Holder != "" {
			t.Errorf("%s: job %+v, %v; want the next slot, unleased", o, j, err)
		}
	}
	if d.rechecks != 0 {
		t.Errorf("%d rechecks after hand-backs that sent nothing", d.rechecks)
	}
}
