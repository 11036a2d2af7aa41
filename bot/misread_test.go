package bot_test

import (
	"testing"
)

// TestMisreadReplies checks that replies say how a date or a time was
// understood when it may not be what was meant.
func TestMisreadReplies(t *testing.T) {
	h := newHarness(t) // Wed Nov 18, 2026
	ana := user("ana")
	h.ok(ana, "add Zoe Li")
	m := h.ok(ana, "met Zoe on Dec 1 : coffee")
	contains(t, m, "Dec 1 is still to come this year, so this is last year's: Mon Dec 1, 2025.")
	_, hist := h.contact(ana, "Zoe Li")
	if len(hist) != 1 || hist[0].At.Year() != 2025 {
		t.Errorf("history %+v, want one meeting in 2025", hist)
	}
	m = h.ok(ana, "settings digest 9pm")
	contains(t, m, "Digest: 21:00")
	if m := h.do(ana, "settings digest 9:5"); !m.Error {
		t.Errorf("settings digest 9:5 = %q, want it refused", m.Text)
	}
	h.ok(ana, "add Kim Wu every 2w")
	if m := h.do(ana, "every Kim 300y"); !m.Error {
		t.Errorf("every Kim 300y = %q, want it refused", m.Text)
	}
}
