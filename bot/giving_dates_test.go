package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// remember stores a calendar date, shows it on the card, and digests bring
// it from 7 days before; bad input changes nothing.
func TestRememberDates(t *testing.T) {
	h := newHarness(t) // Wed 2026-11-18 in New York
	ana := user("ana")
	h.ok(ana, "add Jane Doe every 2w")
	h.ok(ana, "met Jane")
	m := h.ok(ana, "remember Jane birthday on Nov 25")
	contains(t, m, "Remembered Jane Doe's birthday: Nov 25.", "in 7 days")
	before := h.snapshot(ana)
	for _, bad := range []string{
		"remember Jane birthday", "remember Jane on May 3", "remember Jane birthday on Feb 30", "remember Jane work anniversary on 2019-02-29",
		"remember Jane birthday on someday", "remember Jane wedding off", "remember Nobody birthday on May 3",
	} {
		if m := h.do(ana, bad); !m.Error {
			t.Errorf("%s: accepted: %s", bad, m.Text)
		}
	}
	if after := h.snapshot(ana); after != before {
		t.Errorf("bad input changed data:\n%s\n%s", before, after)
	}
	c, _ := h.contact(ana, "Jane Doe")
	if len(c.Dates) != 1 || c.Dates[0] != (reminders.Date{Label: "birthday", Month: time.November, Day: 25}) {
		t.Fatalf("stored %+v", c.Dates)
	}
	h.ok(ana, "remember Jane wedding on 2027-06-12")
	h.ok(ana, "remember Jane birthday on 1990-11-25") // replaces, with the birth year
	c, _ = h.contact(ana, "Jane Doe")
	if len(c.Dates) != 2 || c.Dates[0].Year != 1990 || c.Dates[0].Once || !c.Dates[1].Once {
		t.Fatalf("stored %+v", c.Dates)
	}
	card := h.ok(ana, "show Jane")
	contains(t, card, "birthday: Nov 25, 1990 (in 7 days)", "wedding: Jun 12, 2027 (once)", "biweekly (set for them)")

	// Jane is not due (met today, every 2 weeks), yet the digest brings her birthday.
	due := h.ok(ana, "due")
	contains(t, due, "Jane Doe", "Date: birthday next Wednesday (Nov 25)", "Jane's birthday is next Wednesday")
	h.advance(-24 * time.Hour) // 8 days before: not yet
	if m := h.ok(ana, "due"); strings.Contains(m.Text, "birthday") {
		t.Errorf("8 days ahead the digest says %q", m.Text)
	}
	h.advance(24 * time.Hour)
	h.ok(ana, "remember Jane birthday off")
	c, _ = h.contact(ana, "Jane Doe")
	if len(c.Dates) != 1 || c.Dates[0].Label != "wedding" {
		t.Errorf("after off: %+v", c.Dates)
	}
	if m := h.ok(ana, "undo"); !strings.Contains(m.Text, "remember Jane birthday off") {
		t.Errorf("undo said %q", m.Text)
	}
	if c, _ = h.contact(ana, "Jane Doe"); len(c.Dates) != 2 {
		t.Errorf("undo did not bring the birthday back: %+v", c.Dates)
	}
}

// every #tag sets the cadence of every tagged contact, now and later; a
// contact's own cadence wins; show says where a cadence comes from.
func TestTagCadence(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe #investor")
	h.ok(ana, "add Bob Lee every 3 months #investor")
	m := h.ok(ana, "every #investor 2w")
	contains(t, m, "#investor: biweekly, for the 2 contacts", "1 contact of them keep")
	h.ok(ana, "add Ana Ruiz #Investor") // later
	contains(t, h.ok(ana, "show Jane"), "biweekly (from #investor)")
	contains(t, h.ok(ana, "show Ana Ruiz"), "biweekly (from #investor)")
	contains(t, h.ok(ana, "show Bob"), "quarterly (set for them)")
	contains(t, h.ok(ana, "settings"), "#investor: biweekly")
	h.advance(15 * 24 * time.Hour)
	due := h.ok(ana, "due")
	contains(t, due, "Jane Doe", "Ana Ruiz")
	if strings.Contains(due.Text, "Bob Lee") {
		t.Errorf("Bob's own cadence did not win: %q", due.Text)
	}
	before := h.snapshot(ana)
	for _, bad := range []string{"every #investor", "every #investor sometimes", "every #in vestor 2w"} {
		if m := h.do(ana, bad); !m.Error {
			t.Errorf("%s accepted: %s", bad, m.Text)
		}
	}
	if h.snapshot(ana) != before {
		t.Error("bad input changed data")
	}
	h.ok(ana, "every #investor default")
	contains(t, h.ok(ana, "show Jane"), "every 30 days (your default)")
	var s reminders.Settings
	_ = h.store.View(context.Background(), ana.ID(), func(tx reminders.OwnerTx) error { s, _ = tx.Settings(); return nil })
	if len(s.TagCadences) != 0 {
		t.Errorf("tag cadences left %v", s.TagCadences)
	}
}
