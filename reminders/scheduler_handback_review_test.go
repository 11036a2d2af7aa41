package reminders_test

import (
	"context"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// TestLongHandBackKeepsItsSlotThroughReplanning: a workspace paused for
// hours hands its digest back, and kith restarts meanwhile with the owner's
// settings changed (their plan mark pending), so ScheduleDigests plans the
// owner again. The slot owed must stay, as registration keeps every slot
// that has passed; ScheduleDigests finds those with one scan up to
// MaxBackoff ahead, so a job handed back further than that was replaced by
// the next slot and its digest never sent.
func TestLongHandBackKeepsItsSlotThroughReplanning(t *testing.T) {
	ctx := context.Background()
	owner := reminders.OwnerID("console:erin")
	set := reminders.Settings{Digest: "daily 09:00"}
	store, c, d, s, slot := plannedDigest(t, owner, set, true)
	c.Set(slot)
	d.setFail(func(string) error { return &reminders.Deferred{Wait: 3 * time.Hour} })
	tick(t, s)
	back := mustJob(t, store, reminders.DigestJob, string(owner))
	if !back.Slot.Equal(slot) {
		t.Fatalf("handed back as %+v", back)
	}
	if back.Due.After(slot.Add(reminders.DefaultMaxBackoff)) {
		t.Errorf("handed back due %s, more than MaxBackoff ahead: registration's scan of owed slots cannot see it", back.Due.Sub(slot))
	}
	c.Set(slot.Add(time.Minute))
	set.Digest = "daily 10:00"
	if err := s.ScheduleDigests(ctx, map[reminders.OwnerID]reminders.Settings{owner: set}); err != nil {
		t.Fatal(err)
	}
	if j := mustJob(t, store, reminders.DigestJob, string(owner)); !j.Slot.Equal(slot) {
		t.Fatalf("after replanning the job is %+v; the owed 09:00 slot was dropped unsent", j)
	}
	d.setFail(nil)
	for i := 0; i < 8 && len(d.Digests()) == 0; i++ {
		c.Set(mustJob(t, store, reminders.DigestJob, string(owner)).Due)
		tick(t, s)
	}
	if got := d.Digests(); len(got) != 1 || !got[0].Slot.Equal(slot) {
		t.Fatalf("delivered %+v; want the 09:00 slot once", got)
	}
}
