package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestDigestListsOpenPromises pins spec §1: an open promise shows in the
// owner's digests until done, even before its date and on a contact that is
// not due, and such an entry says truly that the contact is not due.
func TestDigestListsOpenPromises(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Pat Quinn")
	h.ok(ana, "promise Pat send the book")
	h.ok(ana, "promise Pat call back by friday")

	due := h.ok(ana, "due")
	contains(t, due, "Time to reach out: 1 person", "Pat Quinn", "due in 4 weeks",
		"Promise: call back (by Fri", "Promise: send the book", "Give first: Keep your promise: call back (due Nov 20).")
	if strings.Contains(due.Text, "overdue") || strings.Contains(due.Text, "due now") || strings.Contains(due.Text, "Nobody") {
		t.Errorf("a contact listed for a promise reads as due by cadence: %q", due.Text)
	}
	n := len(h.sent.dms)
	contains(t, h.ok(ana, "digest"), "Sent your digest to your DMs: 1 contact.")
	if len(h.sent.dms) != n+1 || sectionTitles(h.sent.dms[n].msg) != "Pat Quinn" {
		t.Errorf("the digest command sent %+v", h.sent.dms[n:])
	}
	if got := sectionTitles(h.digestFor(ana)); got != "Pat Quinn" { // the scheduled digest
		t.Errorf("the scheduled digest lists %q; want Pat Quinn", got)
	}

	// After the due contacts; the footer does not call the rest "due".
	h.ok(ana, "add Ann Due")
	h.advance(31 * 24 * time.Hour) // Ann is due; Pat's call back is late
	h.ok(ana, "add Bo Later")
	h.ok(ana, "promise Bo an intro by 2027-01-20")
	if got := sectionTitles(h.ok(ana, "due")); got != "Pat Quinn|Ann Due|Bo Later" {
		t.Errorf("due lists %q; want the late promise, then the due contact, then the promise not yet late", got)
	}
	h.ok(ana, "settings max 2")
	m := h.ok(ana, "due")
	contains(t, m, "Time to reach out: 3 people", "…and 1 more;")
	if strings.Contains(m.Footer, "more due") {
		t.Errorf("footer %q calls Bo, listed for a promise, due", m.Footer)
	}

	// The App Home's "Due now" is who is due; promises have their own section.
	home := h.bot.Home(context.Background(), ana)
	for _, s := range home.Sections {
		if s.Title == "Due now" && (strings.Contains(s.Text, "Bo Later") || !strings.Contains(s.Text, "Ann Due")) {
			t.Errorf("home's Due now reads %q; want Ann and not Bo", s.Text)
		}
		if s.Title == "Open promises" && !strings.Contains(s.Text, "Bo Later: an intro") {
			t.Errorf("home's Open promises reads %q; want Bo's intro", s.Text)
		}
	}

	// A snooze hides the promise until it ends; done ends it for good.
	h.ok(ana, "snooze Bo 1w")
	if got := sectionTitles(h.ok(ana, "settings max 5")); strings.Contains(got, "Bo") {
		t.Fatalf("settings reply %q", got)
	}
	if got := sectionTitles(h.ok(ana, "due")); got != "Pat Quinn|Ann Due" {
		t.Errorf("with Bo snoozed due lists %q", got)
	}
	h.advance(8 * 24 * time.Hour)
	if got := sectionTitles(h.ok(ana, "due")); !strings.HasSuffix(got, "|Bo Later") {
		t.Errorf("after the snooze due lists %q; want Bo back", got)
	}
	h.ok(ana, "done Bo")
	if got := sectionTitles(h.ok(ana, "due")); strings.Contains(got, "Bo") {
		t.Errorf("a kept promise still brings Bo: %q", got)
	}
}
