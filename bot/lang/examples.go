package lang

import (
	"strings"
	"time"
)

// Placeholders in help and usage texts for dates, filled in from today by
// Dated: a fixed date in an example goes stale, and an example that kith
// then refuses (a snooze until a past day) contradicts the help it is in.
const (
	pastDate   = "{past}"   // a day two weeks ago: for met, gave, got
	futureDate = "{future}" // a day two weeks ahead: for promise by, snooze until
)

// exampleDays is how far from today the dated examples lie.
const exampleDays = 14

// Dated fills the date placeholders of a help or usage text with days
// counted from now in loc (nil means UTC), written as 2026-11-01.
func Dated(s string, now time.Time, loc *time.Location) string {
	if strings.Contains(s, pastDate) {
		s = strings.ReplaceAll(s, pastDate, exampleDay(now, loc, -exampleDays))
	}
	if strings.Contains(s, futureDate) {
		s = strings.ReplaceAll(s, futureDate, exampleDay(now, loc, exampleDays))
	}
	return s
}

// exampleDay is the day a dated example shows, days from now in loc; it is
// cheap, since errors that show one are made while names are being tried.
func exampleDay(now time.Time, loc *time.Location, days int) string {
	if loc == nil {
		loc = time.UTC
	}
	return now.In(loc).AddDate(0, 0, days).Format("2006-01-02")
}

// On returns the verb with the dates of its usage, examples and notes filled
// in from now, as help shows them.
func (v Verb) On(now time.Time, loc *time.Location) Verb {
	v.Usage, v.Notes = Dated(v.Usage, now, loc), Dated(v.Notes, now, loc)
	ex := make([]string, len(v.Examples))
	for i, e := range v.Examples {
		ex[i] = Dated(e, now, loc)
	}
	v.Examples = ex
	return v
}
