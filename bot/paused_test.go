package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kith-bot/kith/reminders"
)

// TestPausedOwnerIsToldOnceAndResumed: after the scheduler paused an owner's
// digests (the platform could not reach them), their next command's reply
// says so once and plans their digests again; the command after says nothing.
func TestPausedOwnerIsToldOnceAndResumed(t *testing.T) {
	h := newHarness(t)
	ann := user("ann")
	h.ok(ann, "settings tz Europe/Berlin")
	err := h.store.Update(context.Background(), ann.ID(), reminders.Change{Now: h.clock()}, func(tx reminders.OwnerTx) error {
		s, err := tx.Settings()
		if err != nil {
			return err
		}
		s.Paused = "Slack says the user left the workspace."
		return tx.PutSettings(s)
	})
	if err != nil {
		t.Fatal(err)
	}
	h.sched.mu.Lock()
	before := len(h.sched.digests)
	h.sched.mu.Unlock()

	m := h.ok(ann, "add Jane")
	if !strings.Contains(m.Text, "digests were paused") || !strings.Contains(m.Text, "left the workspace") {
		t.Fatalf("the first reply after a pause does not say so: text %q footer %q", m.Text, m.Footer)
	}
	set, err := reminders.LoadSettings(context.Background(), h.store, ann.ID())
	if err != nil || set.Paused != "" {
		t.Fatalf("still paused after a command: %+v, %v", set, err)
	}
	h.sched.mu.Lock()
	replanned := len(h.sched.digests) > before && h.sched.digests[len(h.sched.digests)-1].DigestSchedule() != ""
	h.sched.mu.Unlock()
	if !replanned {
		t.Error("the command did not plan the digest again")
	}
	if m := h.ok(ann, "list"); strings.Contains(m.Text, "paused") {
		t.Errorf("the pause was mentioned twice: %q", m.Text)
	}
}
