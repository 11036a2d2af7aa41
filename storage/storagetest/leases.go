package storagetest

import (
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// testLeases pins the lease rules that gateway shards rest on.
func testLeases(t *testing.T, s reminders.Store) {
	const name = "discord-shard-0"
	lease := func(holder string, now time.Time) bool {
		t.Helper()
		ok, err := s.Lease(ctx, name, holder, now, now.Add(time.Minute))
		if err != nil {
			t.Fatalf("Lease(%s): %v", holder, err)
		}
		return ok
	}
	_, err := s.Lease(ctx, name, "", t0, t0.Add(time.Minute))
	wantCode(t, err, reminders.EINVALID)
	if !lease("a", t0) {
		t.Fatal("a free lease was refused")
	}
	if lease("b", t0.Add(30*time.Second)) {
		t.Error("b took a lease a holds")
	}
	if !lease("a", t0.Add(50*time.Second)) {
		t.Error("a could not renew its own lease")
	}
	// Renewed until t0+110s: b still cannot take it at t0+100s, can after.
	if lease("b", t0.Add(100*time.Second)) {
		t.Error("b took a renewed lease")
	}
	if !lease("b", t0.Add(111*time.Second)) {
		t.Error("b could not take over an expired lease")
	}
	if lease("a", t0.Add(112*time.Second)) {
		t.Error("a took back a lease b now holds")
	}
	// Releasing: only the holder's release counts.
	if err := s.ReleaseLease(ctx, name, "a"); err != nil {
		t.Fatal(err)
	}
	if lease("c", t0.Add(113*time.Second)) {
		t.Error("a's release freed b's lease")
	}
	if err := s.ReleaseLease(ctx, name, "b"); err != nil {
		t.Fatal(err)
	}
	if !lease("c", t0.Add(114*time.Second)) {
		t.Error("a released lease was not free")
	}
	// Many asking at once: exactly one gets a free lease.
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for i := range 8 {
		wg.Go(func() {
			ok, err := s.Lease(ctx, "discord-shard-1", string(rune('a'+i)), t0, t0.Add(time.Minute))
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				won++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if won != 1 {
		t.Errorf("%d of 8 concurrent takers got one lease, want 1", won)
	}
}
