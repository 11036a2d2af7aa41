package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestShowSaysHowMuchMoreHistory logs twelve meetings: the card lists five,
// says seven more and how to see them, and show Jane all lists all twelve.
func TestShowSaysHowMuchMoreHistory(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe")
	for i := 12; i >= 1; i-- {
		h.ok(ana, fmt.Sprintf("met Jane %d days ago : chat %d", i, i))
		h.advance(time.Second)
	}
	card := h.ok(ana, "show Jane")
	contains(t, card, "…and 7 earlier entries; type show \"Jane Doe\" all to see them.")
	if strings.Contains(card.Text, "chat 6") {
		t.Errorf("the card lists more than five entries:\n%s", card.Text)
	}
	all := h.ok(ana, "show Jane all")
	contains(t, all, "History (12)")
	for i := 1; i <= 12; i++ {
		contains(t, all, fmt.Sprintf("chat %d”", i))
	}
	if strings.Contains(all.Text, "earlier entr") {
		t.Errorf("the full history still hints at more:\n%s", all.Text)
	}
	// A contact whose name ends in All is shown by that name.
	h.ok(ana, "add Jane All")
	contains(t, h.ok(ana, "show Jane All"), "Jane All")
}
