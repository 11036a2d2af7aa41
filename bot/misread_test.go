package bot_test

import (
	"strings"
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
	// A cron expression that parses but names no day (31 February) is
	// refused as bad input: nothing stored, one sentence saying why.
	before := h.snapshot(ana)
	m = h.do(ana, "settings digest 0 9 31 2 * max 7")
	if !m.Error || !strings.Contains(m.Text, "never fires") {
		t.Errorf("settings digest 0 9 31 2 * = %+v, want it refused as never firing", m)
	}
	if after := h.snapshot(ana); after != before {
		t.Errorf("a refused schedule changed the settings:\n%s\nwant\n%s", after, before)
	}
	h.ok(ana, "add Kim Wu every 2w")
	if m := h.do(ana, "every Kim 300y"); !m.Error {
		t.Errorf("every Kim 300y = %q, want it refused", m.Text)
	}
}
