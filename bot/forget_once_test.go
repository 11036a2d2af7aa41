package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// TestForgetConfirmationActsOnce clicks "Delete everything" again after the
// owner started afresh: the old button must not delete the new contacts.
func TestForgetConfirmationActsOnce(t *testing.T) {
	tests := []struct {
		name    string
		between string // typed between the two clicks; "" types nothing
	}{
		{"click twice", ""},
		{"start afresh, then click again", "add Yolanda"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			ana := user("ana")
			h.ok(ana, "add Xavier")
			m := h.ok(ana, "forget-me")
			del := m.Sections[0].Buttons[0]
			h.advance(time.Minute)
			contains(t, h.click(ana, del), "Deleted all your kith data")
			h.advance(time.Minute)
			if tt.between != "" {
				h.ok(ana, tt.between)
			}
			before := h.snapshot(ana)
			r := h.click(ana, del)
			if r.Error || !strings.Contains(r.Text, "Already done") || r.Code != reminders.EDUPLICATE {
				t.Errorf("second click replied %+v", r)
			}
			if after := h.snapshot(ana); after != before {
				t.Errorf("second click changed data:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// TestForgetChoicesAreSpent answers the forget-me question one way and then
// presses the other button of the same message: the second choice is spent,
// says so, and changes nothing.
func TestForgetChoicesAreSpent(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Xavier")
	m := h.ok(ana, "forget-me")
	del, keep := m.Sections[0].Buttons[0], m.Sections[0].Buttons[1]
	contains(t, h.click(ana, keep), "Nothing was deleted")
	before := h.snapshot(ana)
	r := h.click(ana, del)
	if r.Error || !r.Replace || !strings.Contains(r.Text, "already answered") || r.Code != reminders.EDUPLICATE {
		t.Errorf("Delete after Keep replied %+v", r)
	}
	if after := h.snapshot(ana); after != before {
		t.Errorf("Delete after Keep changed data:\nbefore %s\nafter  %s", before, after)
	}
	// A new question is a new answer.
	m = h.ok(ana, "forget-me")
	contains(t, h.click(ana, m.Sections[0].Buttons[0]), "Deleted all your kith data")
	contains(t, h.click(ana, m.Sections[0].Buttons[1]), "Already done: your kith data was deleted")
}
