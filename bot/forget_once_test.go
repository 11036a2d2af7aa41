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
