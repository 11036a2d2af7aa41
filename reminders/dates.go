package reminders

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// DateWindow is how many days ahead a digest brings an important date: from
// a week before through the day itself, so a digest on weekdays cannot skip
// it by the week's first mention falling on a Saturday.
const DateWindow = 7

// Date is an important date of a contact (a birthday, a work anniversary,
// any label). It is a calendar date, never an instant, so it stays on its
// day whatever the owner's time zone. Without Once it comes back every
// year; Year is then only what the owner knew (a birth year), or 0.
type Date struct {
	Label string     `json:"label"`
	Month time.Month `json:"month"`
	Day   int        `json:"day"`
	Year  int        `json:"year,omitempty"`
	Once  bool       `json:"once,omitempty"` // a single day in Year, not yearly
}

// MaxDateLabel bounds a label so a digest line stays short.
const MaxDateLabel = 60

// CheckDate validates a date's label and calendar day.
func CheckDate(d Date) error {
	label := strings.TrimSpace(d.Label)
	switch {
	case label == "":
		return Errorf(EINVALID, "name the date, e.g. remember Jane birthday on May 3.")
	case len(label) > MaxDateLabel:
		return Errorf(EINVALID, "that label is longer than %d characters; use a shorter one.", MaxDateLabel)
	case d.Month < time.January || d.Month > time.December || d.Day < 1 || d.Day > 31:
		return Errorf(EINVALID, "that is not a day of the year; use e.g. remember Jane birthday on May 3.")
	}
	y := d.Year
	if y == 0 {
		y = 2000 // a leap year, so Feb 29 is a day
	}
	if t := time.Date(y, d.Month, d.Day, 0, 0, 0, 0, time.UTC); t.Day() != d.Day {
		return Errorf(EINVALID, "%s %d is not a day of the year; use a real date, e.g. remember Jane birthday on May 3.", d.Month, d.Day)
	}
	return nil
}

// In returns the day the date falls on in year: Feb 29 falls on Feb 28 in a
// year without it. The zero time for a once-only date of another year.
func (d Date) In(year int, loc *time.Location) time.Time {
	if d.Once && d.Year != year {
		return time.Time{}
	}
	day := d.Day
	if d.Month == time.February && day == 29 && !leap(year) {
		day = 28
	}
	return time.Date(year, d.Month, day, 0, 0, 0, 0, loc)
}

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// Next returns the first day on or after today's date (in loc) the date
// falls on, and how many days away that is; ok is false for a once-only
// date that has passed.
func (d Date) Next(now time.Time, loc *time.Location) (day time.Time, days int, ok bool) {
	n := now.In(loc)
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, loc)
	for y := today.Year(); y <= today.Year()+1; y++ {
		t := d.In(y, loc)
		if t.IsZero() || t.Before(today) {
			continue
		}
		// Count calendar days in UTC, where no day is 23 or 25 hours long.
		a := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
		b := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		return t, int(b.Sub(a).Hours() / 24), true
	}
	return time.Time{}, 0, false
}

// String renders the date as a card shows it: "May 3", "May 3, 1990", "Jun 1, 2027 (once)".
func (d Date) String() string {
	s := fmt.Sprintf("%s %d", d.Month.String()[:3], d.Day)
	if d.Year != 0 {
		s += fmt.Sprintf(", %d", d.Year)
	}
	if d.Once {
		s += " (once)"
	}
	return s
}

// SetDate adds or replaces (by label, any case) an important date.
func (c *Contact) SetDate(d Date) {
	d.Label = strings.TrimSpace(d.Label)
	if i := c.dateIndex(d.Label); i >= 0 {
		c.Dates[i] = d
		return
	}
	c.Dates = append(c.Dates, d)
}

// DropDate removes the date with that label and reports whether there was one.
func (c *Contact) DropDate(label string) bool {
	i := c.dateIndex(label)
	if i < 0 {
		return false
	}
	c.Dates = slices.Delete(c.Dates, i, i+1)
	if len(c.Dates) == 0 {
		c.Dates = nil
	}
	return true
}

func (c *Contact) dateIndex(label string) int {
	return slices.IndexFunc(c.Dates, func(d Date) bool { return strings.EqualFold(d.Label, strings.TrimSpace(label)) })
}

// Upcoming is an important date within DateWindow days of now.
type Upcoming struct {
	Date Date
	On   time.Time // the day, in the owner's zone
	Days int       // 0 is today
}

// UpcomingDates lists the contact's dates that fall within DateWindow days
// of now in loc, soonest first.
func (c Contact) UpcomingDates(now time.Time, loc *time.Location) []Upcoming {
	var out []Upcoming
	for _, d := range c.Dates {
		if on, days, ok := d.Next(now, loc); ok && days <= DateWindow {
			out = append(out, Upcoming{d, on, days})
		}
	}
	slices.SortStableFunc(out, func(a, b Upcoming) int { return a.Days - b.Days })
	return out
}

// When says when an upcoming date is, as a digest says it: "today",
// "tomorrow", "Friday", "next Tuesday" (a week away).
func (u Upcoming) When() string {
	switch {
	case u.Days == 0:
		return "today"
	case u.Days == 1:
		return "tomorrow"
	case u.Days < 7:
		return u.On.Weekday().String()
	}
	return "next " + u.On.Weekday().String() + " (" + u.On.Format("Jan 2") + ")"
}
