package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
)

// TestSnoozeMenuIsOneAnswer picks 1 week from a digest entry's snooze menu
// and then 3 months from the same menu: the second choice is spent, says
// so without claiming it was done, and the snooze stays a week.
func TestSnoozeMenuIsOneAnswer(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe every 2w")
	h.advance(15 * 24 * time.Hour)
	d := h.digestFor(ana)
	week := pick(t, d, "Jane Doe", bot.ActSnooze, "Snooze 1 week")
	months := pick(t, d, "Jane Doe", bot.ActSnooze, "Snooze 3 months")
	contains(t, h.click(ana, week), "snoozed Jane Doe for a week")
	m := h.click(ana, months)
	if m.Error || !strings.Contains(m.Text, "Already done") || strings.Contains(m.Text, "3 months") {
		t.Errorf("3 months after 1 week replied %q", m.Text)
	}
	if c, _ := h.contact(ana, "Jane Doe"); !c.Snoozed.Equal(h.clock().AddDate(0, 0, 7)) {
		t.Errorf("Jane snoozed until %s, want a week", c.Snoozed)
	}
}
