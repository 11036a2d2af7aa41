package discord_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot/discord"
)

// shardClock is a settable clock shared by the replicas of a test.
type shardClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *shardClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *shardClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// replica starts an adapter on the shared store with two shards and
// returns it with a function that stops it.
func replica(t *testing.T, e *env) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.a.Run(ctx) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(waitFor):
			t.Error("Run did not return after cancel")
		}
	}
	t.Cleanup(stop)
	waitUntil(t, "the replica is ready", e.a.Ready)
	return stop
}

// waitUntil polls a condition another goroutine makes true.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(2 * time.Millisecond) // polls another goroutine; no schedule involved
	}
}

// shardOf reads the shard pair of an IDENTIFY payload.
func shardOf(ident map[string]any) []any {
	s, _ := ident["shard"].([]any)
	return s
}

// TestShardsOneReplicaEach runs two replicas with two shards on one store:
// each shard is connected by exactly one of them; when a replica stops,
// the other takes its shards over, and a shard whose holder died is taken
// over once its lease has run out.
func TestShardsOneReplicaEach(t *testing.T) {
	st := openStore(t)
	c := &shardClock{t: now}
	mod := func(holder string) func(*discord.Config) {
		return func(cfg *discord.Config) {
			cfg.ShardCount, cfg.Holder, cfg.Now = 2, holder, c.now
			cfg.ShardLease, cfg.ShardRenew = time.Minute, 5*time.Millisecond
		}
	}
	h := newRecorder()
	a := setupWith(t, st, h, mod("a"))
	b := setupWith(t, st, h, mod("b"))

	stopA := replica(t, a)
	for range 2 {
		ident := a.f.AwaitReady(t)
		if s := shardOf(ident); len(s) != 2 || s[1] != float64(2) {
			t.Errorf("IDENTIFY shard = %v, want [id, 2]", s)
		}
	}
	if got := a.a.Shards(); !slices.Equal(got, []int{0, 1}) {
		t.Fatalf("the first replica holds %v, want both shards", got)
	}
	replica(t, b)
	if got := b.a.Shards(); len(got) != 0 {
		t.Fatalf("the second replica holds %v while the first holds them all", got)
	}

	// A replica that stops gives its shards up; the other connects them.
	stopA()
	b.f.AwaitReady(t)
	b.f.AwaitReady(t)
	waitUntil(t, "the second replica holds both shards", func() bool { return slices.Equal(b.a.Shards(), []int{0, 1}) })
	if n := len(a.f.identify); n != 0 {
		t.Errorf("the stopped replica identified %d more times", n)
	}

	// A holder that dies keeps its lease until it runs out; then it is taken over.
	if ok, err := st.Lease(context.Background(), "discord-shard-0-of-3", "dead", c.now(), c.now().Add(time.Minute)); err != nil || !ok {
		t.Fatalf("the dying replica's lease: %v, %v", ok, err)
	}
	d := setupWith(t, st, h, func(cfg *discord.Config) {
		mod("d")(cfg)
		cfg.ShardCount = 3
	})
	replica(t, d)
	d.f.AwaitReady(t)
	d.f.AwaitReady(t)
	if got := d.a.Shards(); !slices.Equal(got, []int{1, 2}) {
		t.Fatalf("before the dead lease ran out the replica holds %v, want [1 2]", got)
	}
	c.add(time.Minute + time.Second)
	waitUntil(t, "the dead replica's shard is taken over", func() bool { return slices.Equal(d.a.Shards(), []int{0, 1, 2}) })
	if s := shardOf(d.f.AwaitReady(t)); len(s) != 2 || s[0] != float64(0) {
		t.Errorf("the taken-over IDENTIFY is for shard %v, want 0", s)
	}
}
