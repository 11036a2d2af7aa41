package discord

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Shard lease timing. A replica renews its shards every DefaultShardRenew
// and holds each for DefaultShardLease; a replica that dies loses its
// shards to another within a lease plus a renewal (under a minute), while
// a database blip shorter than the lease costs no reconnect.
const (
	DefaultShardLease = 30 * time.Second
	DefaultShardRenew = 10 * time.Second
)

// shard is one gateway connection this replica holds the lease of.
type shard struct {
	id      int
	s       *discordgo.Session
	open    bool // Open succeeded; discordgo reconnects by itself from then on
	online  atomic.Bool
	renewed time.Time // the end of the last lease renewed
}

// shards is the set of gateway shards this replica holds.
type shards struct {
	mu   sync.Mutex
	held map[int]*shard
}

// leaseName names a shard's lease; the count is part of it, so replicas
// configured with different counts never share a lease for different work.
func leaseName(id, count int) string { return fmt.Sprintf("discord-shard-%d-of-%d", id, count) }

// Shards lists the gateway shards this replica holds, in order.
func (a *Adapter) Shards() []int {
	a.shards.mu.Lock()
	defer a.shards.mu.Unlock()
	var ids []int
	for id := range a.shards.held {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// shardsOnline reports whether every shard this replica holds is connected.
func (a *Adapter) shardsOnline() bool {
	a.shards.mu.Lock()
	defer a.shards.mu.Unlock()
	for _, sh := range a.shards.held {
		if !sh.online.Load() {
			return false
		}
	}
	return true
}

// claimShards takes or renews the lease of every shard once: it opens the
// shards newly held and closes those another replica holds now. With
// retry, a shard newly held is opened with back-off until it connects
// (the first round at start, so that Ready means connected); otherwise a
// failed open is tried again next round. It reports false when ctx ended.
func (a *Adapter) claimShards(ctx context.Context, retry bool) bool {
	n := a.cfg.ShardCount
	for id := range n {
		now := a.cfg.Now()
		until := now.Add(a.cfg.ShardLease)
		got, err := a.store.Lease(ctx, leaseName(id, n), a.holder, now, until)
		if ctx.Err() != nil {
			return false
		}
		a.shards.mu.Lock()
		sh := a.shards.held[id]
		a.shards.mu.Unlock()
		switch {
		case err != nil:
			a.log.Warn("renewing a gateway shard's lease failed", "shard", id, "err", err)
			// Without a renewal the lease runs out and another replica may
			// take the shard: stop before that (when the next round could
			// come too late), never hold it twice.
			if sh != nil && !now.Add(a.cfg.ShardRenew).Before(sh.renewed) {
				a.dropShard(id, false)
			}
		case !got && sh != nil:
			a.log.Warn("another replica holds a gateway shard this one had; letting it go", "shard", id)
			a.dropShard(id, false)
		case got && sh == nil:
			s, err := a.newSession()
			if err != nil {
				a.log.Error("preparing a gateway shard", "shard", id, "err", err)
				continue
			}
			sh = &shard{id: id, s: s, renewed: until}
			s.ShardID, s.ShardCount = id, n
			s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Connect) { sh.online.Store(true) })
			s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) { sh.online.Store(false) })
			s.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
				if ic.Interaction != nil {
					i := ic.Interaction
					a.goTracked(func() { a.serve(i, a.restResponder(i), true) })
				}
			})
			a.shards.mu.Lock()
			a.shards.held[id] = sh
			a.shards.mu.Unlock()
			fallthrough
		case got:
			sh.renewed = until
			if sh.open {
				continue
			}
			if retry {
				if !a.open(ctx, sh.s) {
					return false
				}
				sh.open = true
			} else if err := sh.s.Open(); err != nil {
				a.log.Warn("connecting a gateway shard failed; retrying", "shard", id, "err", redact(err))
			} else {
				sh.open = true
			}
			if sh.open {
				a.log.Info("gateway shard connected", "shard", id, "of", n)
			}
		}
	}
	return true
}

// keepShards renews the shard leases every ShardRenew until ctx ends.
func (a *Adapter) keepShards(ctx context.Context) {
	t := time.NewTicker(a.cfg.ShardRenew)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			a.claimShards(ctx, false)
		}
	}
}

// dropShard disconnects a shard and, when release is set, gives its lease
// up so that another replica takes it at once rather than after it expires.
func (a *Adapter) dropShard(id int, release bool) {
	a.shards.mu.Lock()
	sh := a.shards.held[id]
	delete(a.shards.held, id)
	a.shards.mu.Unlock()
	if sh == nil {
		return
	}
	if sh.open {
		if err := sh.s.Close(); err != nil {
			a.log.Warn("closing a gateway shard", "shard", id, "err", err)
		}
	}
	if release {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		if err := a.store.ReleaseLease(ctx, leaseName(id, a.cfg.ShardCount), a.holder); err != nil {
			a.log.Warn("releasing a gateway shard's lease", "shard", id, "err", err)
		}
	}
}

// dropShards disconnects every shard and releases the leases, at shutdown.
func (a *Adapter) dropShards() {
	for _, id := range a.Shards() {
		a.dropShard(id, true)
	}
}
