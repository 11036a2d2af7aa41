package reminders

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Unit is the unit of a Cadence.
type Unit string

// Units of a cadence. Months and years follow the calendar (time.AddDate),
// so "monthly" from Jan 31 lands on Mar 3 in a non-leap year, as Go's calendar does.
const (
	Days   Unit = "d"
	Weeks  Unit = "w"
	Months Unit = "m"
	Years  Unit = "y"
)

// Cadence is how often an owner wants to be in touch with a contact. The zero
// Cadence means "the owner's default"; Never means "keep, never nudge".
type Cadence struct {
	N     int  `json:"n,omitempty"`
	Unit  Unit `json:"unit,omitempty"`
	Never bool `json:"never,omitempty"`
}

// DefaultCadence is an owner's default before they change it: 30 days.
var DefaultCadence = Cadence{N: 30, Unit: Days}

// NeverCadence keeps a contact without ever nudging about it.
var NeverCadence = Cadence{Never: true}

// IsZero reports whether the cadence is unset (the owner's default applies).
func (c Cadence) IsZero() bool { return c == Cadence{} }

// Or returns c, or def when c is unset.
func (c Cadence) Or(def Cadence) Cadence {
	if c.IsZero() {
		return def
	}
	return c
}

// After returns t plus one cadence; for Never it returns the zero time.
func (c Cadence) After(t time.Time) time.Time {
	return c.afterN(t, 1)
}

func (c Cadence) afterN(t time.Time, k int) time.Time {
	n := c.N * k
	switch c.Unit {
	case Days:
		return t.AddDate(0, 0, n)
	case Weeks:
		return t.AddDate(0, 0, 7*n)
	case Months:
		return t.AddDate(0, n, 0)
	case Years:
		return t.AddDate(n, 0, 0)
	}
	return time.Time{}
}

// Double returns a cadence twice as long ("Less often"), or c itself when
// twice as long would be longer than ten years.
func (c Cadence) Double() Cadence {
	if c.Never || c.IsZero() {
		return c
	}
	if d := (Cadence{N: c.N * 2, Unit: c.Unit}); !d.TooLong() {
		return d
	}
	return c
}

// Approx returns the cadence as an approximate duration, for ordering and display.
func (c Cadence) Approx() time.Duration {
	day := 24 * time.Hour
	switch c.Unit {
	case Days:
		return time.Duration(c.N) * day
	case Weeks:
		return time.Duration(c.N) * 7 * day
	case Months:
		return time.Duration(c.N) * 30 * day
	case Years:
		return time.Duration(c.N) * 365 * day
	}
	return 0
}

// String renders the cadence as a person would say it: "every 2 weeks", "monthly".
func (c Cadence) String() string {
	if c.Never {
		return "never"
	}
	if c.IsZero() {
		return "default"
	}
	names := map[Unit][2]string{Days: {"day", "daily"}, Weeks: {"week", "weekly"}, Months: {"month", "monthly"}, Years: {"year", "yearly"}}
	nm := names[c.Unit]
	switch {
	case c.N == 1:
		return nm[1]
	case c.Unit == Weeks && c.N == 2:
		return "biweekly"
	case c.Unit == Months && c.N == 3:
		return "quarterly"
	}
	return fmt.Sprintf("every %d %ss", c.N, nm[0])
}

// Short renders the cadence in the compact form ParseCadence reads back: "2w", "never".
func (c Cadence) Short() string {
	if c.Never {
		return "never"
	}
	if c.IsZero() {
		return ""
	}
	return strconv.Itoa(c.N) + string(c.Unit)
}

// maxCadenceDays bounds a cadence, and a snooze, so that date arithmetic
// and durations stay sane: ten years.
const maxCadenceDays = 10 * 366

// unitDays is roughly how many days a unit holds, as Approx counts them.
var unitDays = map[Unit]int{Days: 1, Weeks: 7, Months: 30, Years: 365}

// TooLong reports whether the cadence is longer than ten years, the longest
// kith keeps (and snoozes for); "never" is not too long. It counts in days,
// so no count is large enough to overflow.
func (c Cadence) TooLong() bool {
	per := unitDays[c.Unit]
	return !c.Never && per > 0 && c.N > maxCadenceDays/per
}

// ParseCadence reads "2w", "30d", "3 months", "6 months", "weekly", "biweekly",
// "monthly", "quarterly", "yearly" or "never".
func ParseCadence(s string) (Cadence, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	in = strings.TrimPrefix(in, "every ")
	bad := Errorf(EINVALID, "%q is not a cadence; use 2w, 30d, 3 months, weekly, biweekly, monthly, quarterly, yearly or never.", s)
	switch in {
	case "never":
		return NeverCadence, nil
	case "daily", "day":
		return Cadence{N: 1, Unit: Days}, nil
	case "weekly", "week":
		return Cadence{N: 1, Unit: Weeks}, nil
	case "biweekly", "fortnightly":
		return Cadence{N: 2, Unit: Weeks}, nil
	case "monthly", "month":
		return Cadence{N: 1, Unit: Months}, nil
	case "quarterly", "quarter":
		return Cadence{N: 3, Unit: Months}, nil
	case "yearly", "annually", "year":
		return Cadence{N: 1, Unit: Years}, nil
	}
	n, unit, ok := splitAmount(in)
	if !ok || n <= 0 {
		return Cadence{}, bad
	}
	var c Cadence
	switch unit {
	case "d", "day", "days":
		c = Cadence{N: n, Unit: Days}
	case "w", "wk", "wks", "week", "weeks":
		c = Cadence{N: n, Unit: Weeks}
	case "m", "mo", "mos", "month", "months":
		c = Cadence{N: n, Unit: Months}
	case "y", "yr", "yrs", "year", "years":
		c = Cadence{N: n, Unit: Years}
	default:
		return Cadence{}, bad
	}
	if c.TooLong() {
		return Cadence{}, Errorf(EINVALID, "%q is longer than ten years; use a shorter cadence or never.", s)
	}
	return c, nil
}

// splitAmount splits "3 days" or "3d" into 3 and "days".
func splitAmount(s string) (int, string, bool) {
	i := 0
	for i < len(s) && unicode.IsDigit(rune(s[i])) {
		i++
	}
	if i == 0 || i > 6 {
		return 0, "", false
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil {
		return 0, "", false
	}
	return n, strings.TrimSpace(s[i:]), true
}
