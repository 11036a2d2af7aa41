package reminders_test

import (
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

var (
	day  = 24 * time.Hour
	t0   = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	def  = reminders.DefaultCadence // 30 days
	week = reminders.Cadence{N: 1, Unit: reminders.Weeks}
)

func mustInteraction(t *testing.T, kind reminders.Kind, at, now time.Time, text string) reminders.Interaction {
	t.Helper()
	i, err := reminders.NewInteraction(1, kind, at, now, text)
	if err != nil {
		t.Fatalf("NewInteraction(%s, %v): %v", kind, at, err)
	}
	return i
}

func TestDue(t *testing.T) {
	tests := []struct {
		name    string
		contact reminders.Contact
		now     time.Time
		due     bool
		cold    bool
	}{
		{"new contact, not yet a cadence old", reminders.Contact{Added: t0}, t0.Add(29 * day), false, false},
		{"new contact due a cadence after it was added", reminders.Contact{Added: t0}, t0.Add(30 * day), true, false},
		{"last contact resets the clock", reminders.Contact{Added: t0, LastContact: t0.Add(20 * day)}, t0.Add(30 * day), false, false},
		{"due exactly at last contact + cadence", reminders.Contact{Added: t0, LastContact: t0.Add(20 * day)}, t0.Add(50 * day), true, false},
		{"own cadence beats the default", reminders.Contact{Added: t0, Cadence: week}, t0.Add(7 * day), true, false},
		{"cold: overdue by more than one full cadence", reminders.Contact{Added: t0, Cadence: week}, t0.Add(14*day + time.Second), true, true},
		{"not cold at exactly two cadences", reminders.Contact{Added: t0, Cadence: week}, t0.Add(14 * day), true, false},
		{"never is never due nor cold", reminders.Contact{Added: t0, Cadence: reminders.NeverCadence}, t0.Add(3000 * day), false, false},
		{"snoozed is not due", reminders.Contact{Added: t0, Cadence: week, Snoozed: t0.Add(20 * day)}, t0.Add(10 * day), false, false},
		{"snooze ended: due again, and cold since long out of touch", reminders.Contact{Added: t0, Cadence: week, Snoozed: t0.Add(20 * day)}, t0.Add(20 * day), true, true},
		{"snoozed is not cold", reminders.Contact{Added: t0, Cadence: week, Snoozed: t0.Add(40 * day)}, t0.Add(30 * day), false, false},
		{"snooze shorter than the cadence changes nothing", reminders.Contact{Added: t0, Cadence: week, Snoozed: t0.Add(3 * day)}, t0.Add(7 * day), true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.contact.Due(tt.now, def); got != tt.due {
				t.Errorf("Due = %v; want %v", got, tt.due)
			}
			if got := tt.contact.Cold(tt.now, def); got != tt.cold {
				t.Errorf("Cold = %v; want %v", got, tt.cold)
			}
		})
	}
}

func TestCadenceChangeMovesNextDue(t *testing.T) {
	c := reminders.Contact{Added: t0, LastContact: t0}
	if got := c.NextDue(def); !got.Equal(t0.Add(30 * day)) {
		t.Fatalf("NextDue with default = %v; want %v", got, t0.Add(30*day))
	}
	c.Cadence = week
	if got := c.NextDue(def); !got.Equal(t0.Add(7 * day)) {
		t.Errorf("NextDue after every 1w = %v; want %v", got, t0.Add(7*day))
	}
	c.Cadence = c.Cadence.Double()
	if got := c.NextDue(def); !got.Equal(t0.Add(14 * day)) {
		t.Errorf("NextDue after less often = %v; want %v", got, t0.Add(14*day))
	}
	c.Cadence = reminders.NeverCadence
	if got := c.NextDue(def); !got.IsZero() {
		t.Errorf("NextDue with never = %v; want none", got)
	}
}

func TestRecordKeepsLatestContactAndBalance(t *testing.T) {
	now := t0.Add(10 * day)
	var c reminders.Contact
	c.Record(mustInteraction(t, reminders.Met, now.Add(-2*day), now, "coffee"))
	c.Record(mustInteraction(t, reminders.Got, now.Add(-5*day), now, "an intro to Bob")) // back-dated before the meeting
	c.Record(mustInteraction(t, reminders.Note, now, now, "likes climbing"))
	if !c.LastContact.Equal(now.Add(-2*day)) || c.LastKind != reminders.Met || c.LastNote != "coffee" {
		t.Errorf("last contact = %v %s %q; want the meeting two days ago", c.LastContact, c.LastKind, c.LastNote)
	}
	if c.Balance() != -1 || c.LastGot != "an intro to Bob" {
		t.Errorf("balance %d, last got %q; want -1 and the intro", c.Balance(), c.LastGot)
	}
	c.Record(mustInteraction(t, reminders.Gave, now, now, "a book"))
	c.Record(mustInteraction(t, reminders.Gave, now, now, "a referral"))
	if c.Balance() != 1 || !c.LastContact.Equal(now) || c.LastKind != reminders.Gave {
		t.Errorf("after two gifts balance %d, last %v %s; want 1 and a gift now", c.Balance(), c.LastContact, c.LastKind)
	}

	history := []reminders.Interaction{
		mustInteraction(t, reminders.Met, now.Add(-2*day), now, "coffee"),
		mustInteraction(t, reminders.Got, now.Add(-5*day), now, "an intro to Bob"),
	}
	c.Rebuild(history)
	if c.Balance() != -1 || !c.LastContact.Equal(now.Add(-2*day)) || c.Given != 0 {
		t.Errorf("after Rebuild balance %d given %d last %v; want the history's figures", c.Balance(), c.Given, c.LastContact)
	}
}

func TestNewInteraction(t *testing.T) {
	now := t0
	if _, err := reminders.NewInteraction(1, reminders.Met, now.Add(time.Minute), now, ""); reminders.ErrorCode(err) != reminders.EINVALID {
		t.Errorf("a meeting in the future: err = %v; want EINVALID", err)
	}
	if _, err := reminders.NewInteraction(1, reminders.Gave, now, now, "  "); reminders.ErrorCode(err) != reminders.EINVALID {
		t.Errorf("a gift of nothing: err = %v; want EINVALID", err)
	}
	if _, err := reminders.NewInteraction(1, "hugged", now, now, ""); reminders.ErrorCode(err) != reminders.EINVALID {
		t.Errorf("an unknown kind: err = %v; want EINVALID", err)
	}
	i, err := reminders.NewInteraction(1, reminders.Met, time.Time{}, now, "")
	if err != nil || !i.At.Equal(now) {
		t.Errorf("undated meeting = %v, %v; want dated now", i.At, err)
	}
	back, err := reminders.NewInteraction(1, reminders.Met, now.Add(-400*day), now, "")
	if err != nil || !back.At.Equal(now.Add(-400*day)) || !back.Logged.Equal(now) {
		t.Errorf("back-dated meeting = %+v, %v; want At in the past and Logged now", back, err)
	}
}

func TestPromiseOverdue(t *testing.T) {
	p := reminders.Promise{What: "send the deck", Due: reminders.Day(t0, time.UTC)}
	end := reminders.Day(t0, time.UTC).Add(day)
	if p.Overdue(t0.Add(-time.Second)) || p.Overdue(end.Add(-time.Second)) || !p.Overdue(end) {
		t.Error("a promise is overdue once its day is over, not before")
	}
	p.Done = t0
	if p.Overdue(t0.Add(day)) || p.Open() {
		t.Error("a kept promise is never overdue")
	}
	if (reminders.Promise{What: "x"}).Overdue(t0.Add(1000 * day)) {
		t.Error("an undated promise is never overdue")
	}
}

func TestTags(t *testing.T) {
	var c reminders.Contact
	c.AddTags("#Investor", "climbing", "#investor", "")
	if len(c.Tags) != 2 || !c.HasTag("#INVESTOR") || !c.HasTag("climbing") {
		t.Fatalf("tags = %v; want investor and climbing once each", c.Tags)
	}
	c.RemoveTags("#Climbing")
	if len(c.Tags) != 1 || c.HasTag("climbing") {
		t.Errorf("after untag tags = %v; want only investor", c.Tags)
	}
}

func TestParseOwnerID(t *testing.T) {
	for _, id := range []string{"slack:T1:U1", "discord:123", "console:ann"} {
		o, err := reminders.ParseOwnerID(id)
		if err != nil || string(o.ID()) != id {
			t.Errorf("ParseOwnerID(%q) = %+v, %v; not a round trip", id, o, err)
		}
	}
	for _, bad := range []string{"", "slack:T1", "discord:", "irc:bob", "slack::U1", "console:a:b"} {
		if _, err := reminders.ParseOwnerID(bad); reminders.ErrorCode(err) != reminders.EINVALID {
			t.Errorf("ParseOwnerID(%q) err = %v; want EINVALID", bad, err)
		}
	}
}

// TestPromiseDayIsACalendarDay keeps a promise "by friday" on Friday
// whatever zone the owner reads it in, and late from Saturday in that zone.
func TestPromiseDayIsACalendarDay(t *testing.T) {
	friday := time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC)
	p := reminders.Promise{What: "the deck", Due: reminders.Day(friday, time.UTC)}
	for _, zone := range []string{"UTC", "Europe/Berlin", "Pacific/Auckland", "America/Los_Angeles"} {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.DueDay(loc).Format("Mon Jan 2"); got != "Fri Dec 4" {
			t.Errorf("in %s the promise is due %s, want Fri Dec 4", zone, got)
		}
		fridayNight := time.Date(2026, 12, 4, 23, 30, 0, 0, loc)
		saturday := time.Date(2026, 12, 5, 0, 30, 0, 0, loc)
		if p.Overdue(fridayNight) || !p.Overdue(saturday) {
			t.Errorf("in %s: overdue Friday night %v, Saturday %v; want false, true", zone, p.Overdue(fridayNight), p.Overdue(saturday))
		}
	}
	// A promise stored before days were, as the instant its day ended in
	// the owner's zone, reads as that day in that zone.
	berlin, _ := time.LoadLocation("Europe/Berlin")
	old := reminders.Promise{Due: time.Date(2026, 12, 4, 23, 59, 59, 0, berlin)}
	if got := old.DueDay(berlin).Format("Mon Jan 2"); got != "Fri Dec 4" {
		t.Errorf("an old promise reads %s, want Fri Dec 4", got)
	}
}
