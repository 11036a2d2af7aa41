package slack

import (
	"context"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
)

// Home refreshes run in the background, at most homeWorkers at once. Opening
// the tab redraws it at once. After a change an owner's tab is redrawn only
// if they opened it since kith started (the tab of someone who never looks
// is drawn when they first do), and at most once per homeInterval (the last
// change of a burst is drawn when the interval ends), so a busy user costs
// one views.publish, not one per command. Past homePending waiting owners a
// refresh is dropped, and past homeViewers remembered owners the memory of
// who opened the tab starts afresh; either way the next app_home_opened
// redraws the tab.
const (
	homeWorkers  = 2
	homeInterval = 2 * time.Second
	homePending  = 1000
	homeViewers  = 100000
)

// homeQueue republishes owners' Home tabs after their data changed. It
// paces with the wall clock: this is load shedding, not domain time.
type homeQueue struct {
	a       *Adapter
	sem     chan struct{}
	mu      sync.Mutex
	closed  bool
	every   time.Duration                     // homeInterval; tests shorten it
	viewers map[reminders.OwnerID]bool        // owners who opened their tab since start
	last    map[reminders.OwnerID]time.Time   // when the owner's tab was last drawn
	waiting map[reminders.OwnerID]*time.Timer // a trailing redraw is scheduled
	running map[reminders.OwnerID]bool        // a redraw is queued or running
}

func newHomeQueue(a *Adapter) *homeQueue {
	return &homeQueue{a: a, sem: make(chan struct{}, homeWorkers), every: homeInterval, viewers: map[reminders.OwnerID]bool{},
		last: map[reminders.OwnerID]time.Time{}, waiting: map[reminders.OwnerID]*time.Timer{}, running: map[reminders.OwnerID]bool{}}
}

// changed redraws the owner's tab after a change, paced by homeInterval, if
// they ever opened it: Slack shows a tab only to those who open it, and
// every opening redraws it anyway.
func (q *homeQueue) changed(owner reminders.Owner) {
	id := owner.ID()
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed || !q.viewers[id] || q.waiting[id] != nil || len(q.waiting) >= homePending {
		return
	}
	wait := q.every - time.Since(q.last[id])
	if wait <= 0 {
		q.startLocked(owner)
		return
	}
	// Spread trailing redraws so owners who changed data together are not
	// all redrawn in the same instant.
	wait += rand.N(q.every/2 + 1)
	q.waiting[id] = time.AfterFunc(wait, func() {
		q.mu.Lock()
		defer q.mu.Unlock()
		if q.waiting[id] == nil {
			return // stopped
		}
		delete(q.waiting, id)
		if !q.closed {
			q.startLocked(owner)
		}
	})
}

// opened redraws the owner's tab now, since they are looking at it, and
// from now on after their changes.
func (q *homeQueue) opened(owner reminders.Owner) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	if len(q.viewers) >= homeViewers {
		q.viewers = map[reminders.OwnerID]bool{}
	}
	q.viewers[owner.ID()] = true
	q.startLocked(owner)
}

// startLocked queues a redraw unless one is queued already; q.mu is held,
// which also keeps stop from passing in between.
func (q *homeQueue) startLocked(owner reminders.Owner) {
	id := owner.ID()
	if q.running[id] || len(q.running) >= homePending {
		return
	}
	q.running[id] = true
	q.last[id] = time.Now()
	if len(q.last) > 10*homePending {
		q.last = map[reminders.OwnerID]time.Time{id: time.Now()}
	}
	q.a.goWork(context.Background(), "home", func(ctx context.Context) {
		select {
		case q.sem <- struct{}{}:
		case <-ctx.Done():
		}
		// Clear the mark before reading, so a change made while drawing
		// queues another redraw instead of being lost.
		q.mu.Lock()
		delete(q.running, id)
		q.mu.Unlock()
		if ctx.Err() != nil {
			return
		}
		defer func() { <-q.sem }()
		if err := q.a.publishHome(ctx, owner); err != nil {
			q.a.log.Warn("slack: home refresh failed", "owner", id, "err", err)
		}
	})
}

// stop cancels scheduled redraws; those already running finish.
func (q *homeQueue) stop() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	for id, t := range q.waiting {
		t.Stop()
		delete(q.waiting, id)
	}
}

// publishHome draws the owner's Home tab from Handler.Home.
func (a *Adapter) publishHome(ctx context.Context, owner reminders.Owner) error {
	m := a.h.Home(ctx, owner)
	view := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: homeBlocks(m)}}
	api, err := a.client(ctx, owner.Team)
	if err != nil {
		return err
	}
	_, err = api.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: owner.User, View: view})
	if err != nil {
		return wrap("views.publish", err)
	}
	return nil
}

// homeBlocks renders a message for the Home tab, which shows only blocks.
func homeBlocks(m bot.Message) []slack.Block {
	blocks, text := render(m, maxHomeBlk)
	if len(blocks) == 0 {
		blocks = []slack.Block{slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, truncate(text, maxSectionText), false, false), nil, nil)}
	}
	return blocks
}
