package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
)

// pick finds the choice labelled label in the menu button of a section.
func pick(t *testing.T, m bot.Message, title, action, label string) bot.Button {
	t.Helper()
	menu := button(t, m, title, action)
	for _, c := range menu.Choices {
		if c.Label == label {
			return bot.Button{Label: c.Label, Action: menu.Action, Value: c.Value}
		}
	}
	t.Fatalf("no choice %q in %+v", label, menu.Choices)
	return bot.Button{}
}

func hasButton(m bot.Message, title, action string) bool {
	for _, s := range m.Sections {
		for _, b := range s.Buttons {
			if s.Title == title && b.Action == action {
				return true
			}
		}
	}
	return false
}

// Snoozed three times in a row from the digest, a contact's entry offers a
// longer cadence with one button; dismissed, the offer keeps quiet for 90 days.
func TestCadenceLearnsFromSnoozes(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe every 2w")
	h.advance(15 * 24 * time.Hour)
	for i, choice := range []string{"Snooze 1 week", "Snooze 2 weeks", "Snooze 1 week"} {
		d := h.digestFor(ana)
		if hasButton(d, "Jane Doe", bot.ActCadence) {
			t.Fatalf("offer after %d snoozes", i)
		}
		if m := h.click(ana, pick(t, d, "Jane Doe", bot.ActSnooze, choice)); m.Error {
			t.Fatalf("%s: %s", choice, m.Text)
		}
		c, _ := h.contact(ana, "Jane Doe")
		h.advance(c.Snoozed.Add(time.Hour).Sub(h.clock())) // due again once the snooze ends
	}
	d := h.digestFor(ana)
	contains(t, d, "you put Jane Doe off 3 times in a row; every 4 weeks instead?")
	take := button(t, d, "Jane Doe", bot.ActCadence)
	if take.Label != "Every 4 weeks" {
		t.Errorf("offer button %q", take.Label)
	}
	// A crafted value that names a choice on another button is refused and changes nothing.
	before := h.snapshot(ana)
	forged := take
	forged.Value += ":3m"
	if m := h.click(ana, forged); !m.Error {
		t.Errorf("forged value accepted: %s", m.Text)
	}
	if h.snapshot(ana) != before {
		t.Error("a forged value changed data")
	}
	m := h.click(ana, button(t, d, "Jane Doe", bot.ActKeepCadence))
	contains(t, m, "Keeping Jane Doe's cadence as it is; kith will not suggest a change for 90 days.")
	// Keep answered the suggestion, so Take on the same message is spent.
	if m := h.click(ana, take); m.Error || !strings.Contains(m.Text, "Already done: the cadence suggestion for Jane Doe was answered") {
		t.Errorf("taking a dismissed offer: %s", m.Text)
	}
	if c, _ := h.contact(ana, "Jane Doe"); c.Cadence != (reminders.Cadence{N: 2, Unit: reminders.Weeks}) {
		t.Errorf("cadence %v after dismissing", c.Cadence)
	}
	// Three more snoozes within 90 days: still no offer.
	for range 3 {
		h.ok(ana, "snooze Jane 1w")
	}
	if hasButton(h.ok(ana, "due"), "Jane Doe", bot.ActCadence) {
		t.Error("offer within 90 days of dismissing it")
	}
	h.advance(reminders.LearnQuiet)
	due := h.ok(ana, "due")
	if !hasButton(due, "Jane Doe", bot.ActCadence) {
		t.Fatalf("no offer 90 days later: %s", due.Text)
	}
	m = h.click(ana, button(t, due, "Jane Doe", bot.ActCadence))
	contains(t, m, "*Jane Doe*: every 4 weeks from now on")
	if c, _ := h.contact(ana, "Jane Doe"); c.Cadence != (reminders.Cadence{N: 4, Unit: reminders.Weeks}) || c.Learn.Pushed != 0 {
		t.Errorf("after taking the offer: %v, %+v", c.Cadence, c.Learn)
	}
	if m := h.click(ana, button(t, due, "Jane Doe", bot.ActCadence)); !strings.Contains(strings.ToLower(m.Title+m.Text), "already") {
		t.Errorf("second click: %s", m.Text)
	}
}

// Three meetings in a row sooner than the cadence: a shorter one is offered.
func TestCadenceLearnsFromEarlyMeetings(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe every 2 months")
	for range 3 {
		h.advance(20 * 24 * time.Hour)
		h.ok(ana, "met Jane")
	}
	h.ok(ana, "remember Jane birthday on Jan 25") // brings her into the digest though she is not due
	h.advance(5 * 24 * time.Hour)
	due := h.ok(ana, "due")
	contains(t, due, "you met Jane Doe sooner than due 3 times in a row; monthly instead?")
	if b := button(t, due, "Jane Doe", bot.ActCadence); b.Label != "Monthly" {
		t.Errorf("offer %q", b.Label)
	}
}
