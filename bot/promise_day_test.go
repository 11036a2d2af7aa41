package bot_test

import (
	"strings"
	"testing"
)

// TestPromiseDayStaysInAnyZone makes a promise "by friday" under UTC and
// reads it after moving to zones east and west: the card, the digest's
// suggestion and the CSV export all keep Friday.
func TestPromiseDayStaysInAnyZone(t *testing.T) {
	for _, zone := range []string{"Europe/Berlin", "Pacific/Auckland", "America/Los_Angeles"} {
		t.Run(zone, func(t *testing.T) {
			h := newHarness(t)
			ana := user("ana")
			h.ok(ana, "settings tz UTC")
			h.ok(ana, "add Bob Lee")
			contains(t, h.ok(ana, "promise Bob the deck by friday"), "by Fri Nov 20")
			h.ok(ana, "settings tz "+zone)
			card := h.ok(ana, "show Bob")
			if !strings.Contains(card.Text, "the deck (by Fri Nov 20)") {
				t.Errorf("after moving to %s the card says:\n%s", zone, card.Text)
			}
			m := h.ok(ana, "export csv")
			if len(m.Files) != 1 || !strings.Contains(string(m.Files[0].Data), "the deck (by 2026-11-20)") {
				t.Errorf("after moving to %s the CSV says:\n%s", zone, m.Files[0].Data)
			}
		})
	}
}
