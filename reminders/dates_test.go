package reminders_test

import (
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

func TestDateNext(t *testing.T) {
	t.Parallel()
	auckland, err := time.LoadLocation("Pacific/Auckland")
	if err != nil {
		t.Fatal(err)
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	tests := []struct {
		name     string
		date     reminders.Date
		now      time.Time
		loc      *time.Location
		wantDay  string
		wantDays int
		wantOK   bool
	}{
		{"later this year", reminders.Date{Month: time.May, Day: 3}, day(2026, 4, 30), time.UTC, "2026-05-03", 3, true},
		{"today", reminders.Date{Month: time.May, Day: 3}, day(2026, 5, 3), time.UTC, "2026-05-03", 0, true},
		{"passed: next year", reminders.Date{Month: time.May, Day: 3}, day(2026, 5, 4), time.UTC, "2027-05-03", 364, true},
		{"year wrap Dec 30 to Jan 2", reminders.Date{Month: time.January, Day: 2}, day(2026, 12, 30), time.UTC, "2027-01-02", 3, true},
		{"Feb 29 in a common year falls on Feb 28", reminders.Date{Month: time.February, Day: 29}, day(2027, 2, 20), time.UTC, "2027-02-28", 8, true},
		{"Feb 29 in a leap year", reminders.Date{Month: time.February, Day: 29, Year: 1996}, day(2028, 2, 20), time.UTC, "2028-02-29", 9, true},
		{"Feb 29 after Feb 28 of a common year: next year's", reminders.Date{Month: time.February, Day: 29}, day(2027, 3, 1), time.UTC, "2028-02-29", 365, true},
		// 2026-12-31 23:30 UTC is already Jan 1 in Auckland.
		{"owner's zone ahead", reminders.Date{Month: time.January, Day: 1}, time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC), auckland, "2027-01-01", 0, true},
		{"same instant in UTC", reminders.Date{Month: time.January, Day: 1}, time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC), time.UTC, "2027-01-01", 1, true},
		{"once, to come", reminders.Date{Month: time.June, Day: 12, Year: 2027, Once: true}, day(2026, 12, 1), time.UTC, "2027-06-12", 193, true},
		{"once, passed", reminders.Date{Month: time.June, Day: 12, Year: 2026, Once: true}, day(2026, 12, 1), time.UTC, "", 0, false},
	}
	for _, tt := range tests {
		on, days, ok := tt.date.Next(tt.now, tt.loc)
		if ok != tt.wantOK || (ok && (on.Format("2006-01-02") != tt.wantDay || days != tt.wantDays)) {
			t.Errorf("%s: got %s, %d days, %v; want %s, %d, %v", tt.name, on.Format("2006-01-02"), days, ok, tt.wantDay, tt.wantDays, tt.wantOK)
		}
	}
}

func TestCheckDate(t *testing.T) {
	t.Parallel()
	for _, d := range []reminders.Date{
		{Label: "", Month: 5, Day: 3},
		{Label: "birthday", Month: 2, Day: 30},
		{Label: "birthday", Month: 13, Day: 1},
		{Label: "birthday", Month: 2, Day: 29, Year: 2027},
	} {
		if reminders.CheckDate(d) == nil {
			t.Errorf("%+v accepted", d)
		}
	}
	if err := reminders.CheckDate(reminders.Date{Label: "birthday", Month: 2, Day: 29}); err != nil {
		t.Errorf("Feb 29 without a year refused: %v", err)
	}
}

// A date 7 days ahead is in the digest even when the contact is not due; 8
// days ahead it is not; a due contact without a date comes after it.
func TestDigestBringsDates(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 28, 9, 0, 0, 0, time.UTC) // a Monday
	fresh := now.Add(-24 * time.Hour)
	contacts := []reminders.Contact{
		{ID: 1, Name: "Jane Doe", Added: fresh, LastContact: fresh, Dates: []reminders.Date{{Label: "birthday", Month: time.January, Day: 4}}},
		{ID: 2, Name: "Bob Lee", Added: fresh, LastContact: fresh, Dates: []reminders.Date{{Label: "birthday", Month: time.January, Day: 5}}},
		{ID: 3, Name: "Ana Ruiz", Added: now.AddDate(0, -3, 0)},
		{ID: 4, Name: "Zoe Snoozed", Added: fresh, Snoozed: now.AddDate(0, 0, 30), Dates: []reminders.Date{{Label: "birthday", Month: time.December, Day: 28}}},
	}
	d := reminders.ComposeDigest("slack:T1:U1", reminders.Settings{}, contacts, nil, now)
	var names []string
	for _, e := range d.Entries {
		names = append(names, e.Contact.Name)
	}
	if len(names) != 2 || names[0] != "Jane Doe" || names[1] != "Ana Ruiz" {
		t.Fatalf("digest lists %v; want Jane Doe (birthday in 7 days) then Ana Ruiz (due)", names)
	}
	jane := d.Entries[0]
	if len(jane.Dates) != 1 || jane.Dates[0].Days != 7 || jane.Suggestion.Reason != reminders.ReasonDate {
		t.Fatalf("Jane's entry %+v", jane)
	}
	if want := "Jane's birthday is next Monday (Jan 4)"; jane.Suggestion.Text[:len(want)] != want {
		t.Errorf("suggestion %q, want it to start %q", jane.Suggestion.Text, want)
	}
	// On the day it comes first and says today.
	d = reminders.ComposeDigest("slack:T1:U1", reminders.Settings{}, contacts, nil, time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC))
	if len(d.Entries) < 2 || d.Entries[0].Contact.Name != "Jane Doe" || d.Entries[0].Dates[0].When() != "today" {
		t.Errorf("on the day: %+v", d.Entries)
	}
}
