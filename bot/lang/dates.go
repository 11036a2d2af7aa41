package lang

import (
	"strconv"
	"strings"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// Dates are read by a small hand-written parser rather than a natural-date
// library: github.com/olebedev/when v1.1.0, the maintained candidate, reads
// "on 2026-11-01" as 11:01 today, "monday" as the coming Monday even for a
// past meeting, and a lone "May" as a date, which would swallow contacts
// named May. The grammar kith needs is small and is table-tested in
// dates_test.go.

// Direction says which way a date without a year or a bare weekday points.
type Direction int

// Directions of a date: Past for what happened (met monday = the most recent
// Monday), Future for what is planned (by friday = the coming Friday).
const (
	Past Direction = iota
	Future
)

// ParseDay reads a date as people write it, in the owner's zone loc, and
// returns the start of that day: today, yesterday, tomorrow, last friday,
// next friday, monday, 3 days ago, a week ago, last week, in 2 weeks,
// on 2026-11-01, 2026-11-01, on Nov 1, Nov 1st 2026, 1 November.
func ParseDay(s string, now time.Time, loc *time.Location, dir Direction) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	day, ok := parseDay(strings.Fields(strings.ToLower(s)), now.In(loc), dir)
	if !ok {
		if dir == Future {
			return time.Time{}, reminders.Errorf(reminders.EINVALID, "%q is not a date; use e.g. by friday, by tomorrow, by Dec 1 or by %s.", s, exampleDay(now, loc, exampleDays))
		}
		return time.Time{}, reminders.Errorf(reminders.EINVALID, "%q is not a date; use e.g. today, yesterday, last friday, 3 days ago, on %s or on Nov 1.", s, exampleDay(now, loc, -exampleDays))
	}
	return day, nil
}

// pastInstant turns a day into the instant a past event is logged at: now
// for today, else that day at the current clock time, so "3 days ago" is
// three days before now.
func pastInstant(day, now time.Time, loc *time.Location) time.Time {
	n := now.In(loc)
	if sameDay(day, n) {
		return now
	}
	h, m, s := n.Clock()
	return time.Date(day.Year(), day.Month(), day.Day(), h, m, s, 0, loc)
}

// StartOfDay is midnight at the start of t's day in t's zone.
func StartOfDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// sameDay reports whether a and b fall on the same calendar day in a's zone.
func sameDay(a, b time.Time) bool {
	b = b.In(a.Location())
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "sun": time.Sunday, "sundays": time.Sunday,
	"monday": time.Monday, "mon": time.Monday, "mondays": time.Monday,
	"tuesday": time.Tuesday, "tue": time.Tuesday, "tues": time.Tuesday,
	"wednesday": time.Wednesday, "wed": time.Wednesday,
	"thursday": time.Thursday, "thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday,
	"friday": time.Friday, "fri": time.Friday,
	"saturday": time.Saturday, "sat": time.Saturday,
}

var months = map[string]time.Month{
	"january": time.January, "jan": time.January,
	"february": time.February, "feb": time.February,
	"march": time.March, "mar": time.March,
	"april": time.April, "apr": time.April,
	"may":  time.May,
	"june": time.June, "jun": time.June,
	"july": time.July, "jul": time.July,
	"august": time.August, "aug": time.August,
	"september": time.September, "sep": time.September, "sept": time.September,
	"october": time.October, "oct": time.October,
	"november": time.November, "nov": time.November,
	"december": time.December, "dec": time.December,
}

// parseDay is the grammar of ParseDay over lower-case words; now is in the owner's zone.
func parseDay(w []string, now time.Time, dir Direction) (time.Time, bool) {
	today := StartOfDay(now)
	if len(w) > 1 && w[0] == "on" {
		w = w[1:]
	}
	switch len(w) {
	case 0:
		return time.Time{}, false
	case 1:
		switch w[0] {
		case "today", "now", "tonight":
			return today, true
		case "yesterday":
			return today.AddDate(0, 0, -1), true
		case "tomorrow":
			return today.AddDate(0, 0, 1), true
		}
		if wd, ok := weekdays[w[0]]; ok {
			return weekday(today, wd, dir, false), true
		}
		if d, ok := isoDay(w[0], now.Location()); ok {
			return d, true
		}
	case 2:
		if wd, ok := weekdays[w[1]]; ok {
			switch w[0] {
			case "last":
				return weekday(today, wd, Past, true), true
			case "next":
				return weekday(today, wd, Future, true), true
			case "this":
				return weekday(today, wd, dir, false), true
			}
		}
		if _, unit, ok := amount([]string{"1", w[1]}); ok {
			switch w[0] {
			case "last":
				return shift(today, unit, -1), true
			case "next":
				return shift(today, unit, 1), true
			}
		}
	}
	if w[len(w)-1] == "ago" {
		if n, unit, ok := amount(w[:len(w)-1]); ok {
			return shift(today, unit, -n), true
		}
		return time.Time{}, false
	}
	if w[0] == "in" {
		if n, unit, ok := amount(w[1:]); ok {
			return shift(today, unit, n), true
		}
		return time.Time{}, false
	}
	return monthDay(w, today, dir)
}

// weekday returns the day of the week wd nearest to today in the direction
// dir: today itself counts unless strict ("last friday" on a Friday is a week ago).
func weekday(today time.Time, wd time.Weekday, dir Direction, strict bool) time.Time {
	if dir == Past {
		back := (int(today.Weekday()) - int(wd) + 7) % 7
		if back == 0 && strict {
			back = 7
		}
		return today.AddDate(0, 0, -back)
	}
	ahead := (int(wd) - int(today.Weekday()) + 7) % 7
	if ahead == 0 && strict {
		ahead = 7
	}
	return today.AddDate(0, 0, ahead)
}

// shift moves a day by n units along the calendar.
func shift(day time.Time, unit reminders.Unit, n int) time.Time {
	switch unit {
	case reminders.Weeks:
		return day.AddDate(0, 0, 7*n)
	case reminders.Months:
		return day.AddDate(0, n, 0)
	case reminders.Years:
		return day.AddDate(n, 0, 0)
	}
	return day.AddDate(0, 0, n)
}

// maxAmount bounds "N days ago" so that date arithmetic stays sane.
const maxAmount = 10000

// amount reads "3 days", "3d", "a week", "one month", "6 weeks" into a count and a unit.
func amount(w []string) (int, reminders.Unit, bool) {
	var num, unit string
	switch len(w) {
	case 1:
		i := 0
		for i < len(w[0]) && w[0][i] >= '0' && w[0][i] <= '9' {
			i++
		}
		num, unit = w[0][:i], w[0][i:]
	case 2:
		num, unit = w[0], w[1]
	default:
		return 0, "", false
	}
	var n int
	switch num {
	case "a", "an", "one":
		n = 1
	case "two":
		n = 2
	case "three":
		n = 3
	default:
		v, err := strconv.Atoi(num)
		if err != nil || v < 0 || v > maxAmount {
			return 0, "", false
		}
		n = v
	}
	switch unit {
	case "d", "day", "days":
		return n, reminders.Days, true
	case "w", "wk", "wks", "week", "weeks":
		return n, reminders.Weeks, true
	case "m", "mo", "month", "months":
		return n, reminders.Months, true
	case "y", "yr", "yrs", "year", "years":
		return n, reminders.Years, true
	}
	return 0, "", false
}

// isoDay reads 2026-11-01 or 2026/11/01.
func isoDay(s string, loc *time.Location) (time.Time, bool) {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '/' })
	if len(parts) != 3 || len(parts[0]) != 4 || len(parts[1]) > 2 || len(parts[2]) > 2 {
		return time.Time{}, false
	}
	y, e1 := strconv.Atoi(parts[0])
	m, e2 := strconv.Atoi(parts[1])
	d, e3 := strconv.Atoi(parts[2])
	if e1 != nil || e2 != nil || e3 != nil {
		return time.Time{}, false
	}
	return civil(y, time.Month(m), d, loc)
}

// civil builds a day, refusing dates that do not exist (Feb 30).
func civil(y int, m time.Month, d int, loc *time.Location) (time.Time, bool) {
	if y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	if t.Month() != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// monthDay reads "Nov 1", "November 1st", "Nov 1, 2026", "1 Nov" and "1 November 2026".
// A date without a year is the most recent one (Past) or the coming one (Future).
func monthDay(w []string, today time.Time, dir Direction) (time.Time, bool) {
	if len(w) < 2 || len(w) > 3 {
		return time.Time{}, false
	}
	m, ok := months[w[0]]
	dayWord := w[1]
	if !ok {
		m, ok = months[w[1]]
		dayWord = w[0]
	}
	if !ok {
		return time.Time{}, false
	}
	d, ok := dayNumber(dayWord)
	if !ok {
		return time.Time{}, false
	}
	loc := today.Location()
	if len(w) == 3 {
		y, err := strconv.Atoi(w[2])
		if err != nil {
			return time.Time{}, false
		}
		return civil(y, m, d, loc)
	}
	t, ok := civil(today.Year(), m, d, loc)
	if !ok {
		return time.Time{}, false
	}
	if dir == Past && t.After(today) {
		return civil(today.Year()-1, m, d, loc)
	}
	if dir == Future && t.Before(today) {
		return civil(today.Year()+1, m, d, loc)
	}
	return t, true
}

// dayNumber reads "1", "1st", "2nd", "23rd", "4th" and "1," as a day of the month.
func dayNumber(s string) (int, bool) {
	s = strings.TrimSuffix(s, ",")
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		s = strings.TrimSuffix(s, suf)
	}
	if len(s) == 0 || len(s) > 2 {
		return 0, false
	}
	d, err := strconv.Atoi(s)
	return d, err == nil && d >= 1 && d <= 31
}

// ParseSnooze reads how long to snooze: a duration (3d, 2w, 1 month, 6 weeks,
// for 2 weeks) from now, or a date (until 2026-12-01, until friday) from the
// start of that day in loc. The result is always after now.
func ParseSnooze(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if loc == nil {
		loc = time.UTC
	}
	w := strings.Fields(strings.ToLower(s))
	bad := reminders.Errorf(reminders.EINVALID, "%q is not a time to snooze for; use e.g. snooze Jane 2w, snooze Jane 1 month or snooze Jane until %s.", s, exampleDay(now, loc, exampleDays))
	if len(w) == 0 {
		return time.Time{}, bad
	}
	if w[0] == "for" {
		w = w[1:]
	}
	tooLong := reminders.Errorf(reminders.EINVALID, "%q is longer than ten years; snooze for less, or stop nudges with e.g. every Jane never.", s)
	if n, unit, ok := amount(w); ok {
		c := reminders.Cadence{N: n, Unit: unit}
		switch {
		case n == 0:
			return time.Time{}, bad
		case c.TooLong(): // the same bound as a cadence's
			return time.Time{}, tooLong
		}
		return c.After(now), nil
	}
	if w[0] == "until" || w[0] == "till" || w[0] == "til" {
		w = w[1:]
	}
	day, ok := parseDay(w, now.In(loc), Future)
	if !ok {
		return time.Time{}, bad
	}
	if _, weekday := weekdays[w[len(w)-1]]; weekday && len(w) == 1 && !day.After(now) {
		// "until thursday" typed on a Thursday means next week's, not today's.
		day = day.AddDate(0, 0, 7)
	}
	if !day.After(now) {
		// A snooze runs until the start of the day named, so today is as
		// useless as yesterday; only the wording differs.
		verb := "has passed"
		if y, m, d := now.In(loc).Date(); day.Equal(time.Date(y, m, d, 0, 0, 0, 0, loc)) {
			verb = "has already begun"
		}
		return time.Time{}, reminders.Errorf(reminders.EINVALID, "%s %s; snooze until a later day, e.g. snooze Jane until %s.", day.Format("Jan 2, 2006"), verb, now.In(loc).AddDate(0, 0, 7).Format("2006-01-02"))
	}
	if day.After(now.AddDate(10, 0, 0)) {
		return time.Time{}, tooLong
	}
	return day, nil
}
