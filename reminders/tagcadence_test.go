package reminders_test

import (
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

func TestCadenceFor(t *testing.T) {
	t.Parallel()
	weekly := reminders.Cadence{N: 1, Unit: reminders.Weeks}
	monthly := reminders.Cadence{N: 1, Unit: reminders.Months}
	var s reminders.Settings
	s.Cadence = reminders.Cadence{N: 6, Unit: reminders.Weeks}
	s.SetTagCadence("#Investor", monthly)
	s.SetTagCadence("friend", weekly)
	s.SetTagCadence("archive", reminders.NeverCadence)
	tests := []struct {
		name       string
		c          reminders.Contact
		want       reminders.Cadence
		src, byTag string
	}{
		{"own wins over its tag", reminders.Contact{Cadence: reminders.Cadence{N: 2, Unit: reminders.Years}, Tags: []string{"investor"}}, reminders.Cadence{N: 2, Unit: reminders.Years}, reminders.CadenceOwn, ""},
		{"tag over default", reminders.Contact{Tags: []string{"investor"}}, monthly, reminders.CadenceTag, "investor"},
		{"shortest tag wins", reminders.Contact{Tags: []string{"archive", "investor", "friend"}}, weekly, reminders.CadenceTag, "friend"},
		{"never only when nothing else", reminders.Contact{Tags: []string{"archive"}}, reminders.NeverCadence, reminders.CadenceTag, "archive"},
		{"untagged: default", reminders.Contact{Tags: []string{"other"}}, s.Cadence, reminders.CadenceDefault, ""},
	}
	for _, tt := range tests {
		got, src, tag := s.CadenceFor(tt.c)
		if got != tt.want || src != tt.src || tag != tt.byTag {
			t.Errorf("%s: %v %s %s; want %v %s %s", tt.name, got, src, tag, tt.want, tt.src, tt.byTag)
		}
	}
	// The tag's cadence decides when a contact is due; dropping it falls back to the default.
	now := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	c := reminders.Contact{Added: now.AddDate(0, 0, -10), Tags: []string{"friend"}}
	if !c.Due(now, s.DefaultFor(c)) {
		t.Error("a #friend contact 10 days old is not due under a weekly tag cadence")
	}
	s.SetTagCadence("friend", reminders.Cadence{})
	if c.Due(now, s.DefaultFor(c)) || s.TagCadences["friend"] != (reminders.Cadence{}) {
		t.Error("dropping the tag's cadence left it in force")
	}
}

func TestLearning(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	monthly := reminders.Cadence{N: 1, Unit: reminders.Months}
	c := reminders.Contact{Added: now.AddDate(0, -2, 0)}
	for i := 1; i <= reminders.LearnAfter; i++ {
		if _, ok := c.Offer(monthly, now); ok {
			t.Fatalf("offer after %d snoozes", i-1)
		}
		c.Pushed()
	}
	o, ok := c.Offer(monthly, now)
	if !ok || !o.Longer || o.Cadence != (reminders.Cadence{N: 2, Unit: reminders.Months}) {
		t.Fatalf("after 3 snoozes: %+v %v; want every 2 months", o, ok)
	}
	// A meeting breaks the run.
	c.Met(now, monthly)
	if _, ok := c.Offer(monthly, now); ok {
		t.Error("offer still made after a meeting")
	}
	// Dismissed: quiet for 90 days, then offered again after three more.
	for range reminders.LearnAfter {
		c.Pushed()
	}
	c.Settle(o, false, now)
	for range reminders.LearnAfter {
		c.Pushed()
	}
	if _, ok := c.Offer(monthly, now.Add(reminders.LearnQuiet-time.Hour)); ok {
		t.Error("a dismissed offer came back within 90 days")
	}
	if _, ok := c.Offer(monthly, now.Add(reminders.LearnQuiet)); !ok {
		t.Error("no offer 90 days after dismissing, after three more snoozes")
	}

	// Three meetings in a row sooner than the cadence: a shorter one.
	e := reminders.Contact{Added: now.AddDate(0, -6, 0)}
	at := now.AddDate(0, -3, 0)
	e.Met(at, monthly)
	e.LastContact = at
	for i := 0; i < reminders.LearnAfter; i++ {
		at = at.AddDate(0, 0, 10)
		e.Met(at, monthly)
		e.LastContact = at
	}
	o, ok = e.Offer(monthly, now)
	if !ok || o.Longer || o.Cadence != (reminders.Cadence{N: 2, Unit: reminders.Weeks}) {
		t.Fatalf("after three early meetings: %+v %v; want every 2 weeks", o, ok)
	}
	// A meeting on time breaks the run.
	e.Met(at.AddDate(0, 2, 0), monthly)
	if _, ok := e.Offer(monthly, now); ok {
		t.Error("offer after a meeting on time")
	}
}
