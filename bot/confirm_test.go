package bot_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
)

// question runs a command that must ask "Did you mean …?" and returns its
// Yes and No buttons.
func question(t *testing.T, h *harness, who reminders.Owner, text, want string) (yes, no bot.Button) {
	t.Helper()
	m := h.ok(who, text)
	if !strings.Contains(m.Title, want) || len(m.Sections) != 1 || len(m.Sections[0].Buttons) != 2 {
		t.Fatalf("%s = %+v, want to be asked %q", text, m, want)
	}
	return m.Sections[0].Buttons[0], m.Sections[0].Buttons[1]
}

// pendingField is the kept command in a snapshot's settings, which asking
// sets and answering clears: not the owner's data.
var pendingField = regexp.MustCompile(`Pending:[^ }]*`)

// data is the owner's data as the snapshot shows it, without the kept command.
func (h *harness) data(who reminders.Owner) string {
	return pendingField.ReplaceAllString(h.snapshot(who), "")
}

// TestCloseSpellingAsksFirst checks that a command that writes asks before
// acting on a close spelling, changes nothing until confirmed, acts once
// when confirmed, and that a command that only reads uses it directly.
func TestCloseSpellingAsksFirst(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Roe")
	h.ok(ana, "add Finn Khan32")
	h.ok(ana, "add Jane Doe")
	before := h.data(ana)

	yes, no := question(t, h, ana, "met Janet Roe : coffee", "Did you mean Jane Roe?")
	if yes.Label != "Yes, met Jane Roe" || no.Label != "No" {
		t.Errorf("buttons %q and %q", yes.Label, no.Label)
	}
	if after := h.data(ana); after != before {
		t.Fatalf("asking changed data:\n%s\n%s", before, after)
	}
	m := h.click(ana, yes)
	if m.Error || !m.Replace || !strings.Contains(m.Text, "Logged: met *Jane Roe*") || m.Verb != "met" {
		t.Fatalf("Yes = %+v", m)
	}
	if _, hist := h.contact(ana, "Jane Roe"); len(hist) != 1 || hist[0].Text != "coffee" {
		t.Fatalf("history after Yes: %+v", hist)
	}
	// Yes again, or No after Yes, changes nothing more.
	for _, b := range []bot.Button{yes, no} {
		if m := h.click(ana, b); !strings.Contains(m.Text, "already answered") {
			t.Errorf("%s after Yes = %q", b.Label, m.Text)
		}
	}
	if _, hist := h.contact(ana, "Jane Roe"); len(hist) != 1 {
		t.Errorf("a second answer logged again: %+v", hist)
	}
	// undo takes back the confirmed meeting.
	h.ok(ana, "undo")
	if _, hist := h.contact(ana, "Jane Roe"); len(hist) != 0 {
		t.Errorf("undo left %+v", hist)
	}

	// No changes nothing; an older question is replaced by a newer one.
	before = h.data(ana)
	old, _ := question(t, h, ana, "gave Khan33 intro", "Did you mean Finn Khan32?")
	_, no = question(t, h, ana, "gave Khan33 a book", "Did you mean Finn Khan32?")
	if m := h.click(ana, old); !m.Error || !strings.Contains(m.Text, "replaced by a newer one") {
		t.Errorf("Yes to a replaced question = %+v", m)
	}
	if m := h.click(ana, no); m.Error || !strings.Contains(m.Text, "Nothing was changed") {
		t.Errorf("No = %+v", m)
	}
	if after := h.data(ana); after != before {
		t.Errorf("No or a replaced question changed data:\n%s\n%s", before, after)
	}

	// A question expires; someone else cannot answer it.
	yes, _ = question(t, h, ana, "snooze Jnae Roe 2w", "Did you mean Jane Roe?")
	if m := h.click(user("bob"), yes); !m.Error || !strings.Contains(m.Text, "someone else") {
		t.Errorf("Yes by someone else = %+v", m)
	}
	h.advance(16 * time.Minute)
	if m := h.click(ana, yes); !m.Error || !strings.Contains(m.Text, "expired") {
		t.Errorf("Yes after 16 minutes = %+v", m)
	}

	// Reading uses the closest spelling at once.
	if m := h.ok(ana, "show Jnae Roe"); !strings.Contains(m.Text, "Jane Roe") || strings.Contains(m.Text, "Did you mean") {
		t.Errorf("show Jnae Roe = %q", m.Text)
	}
}
