package reminders_test

import (
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

func TestParseCadence(t *testing.T) {
	tests := []struct {
		in   string
		want reminders.Cadence
	}{
		{"2w", reminders.Cadence{N: 2, Unit: reminders.Weeks}},
		{"30d", reminders.Cadence{N: 30, Unit: reminders.Days}},
		{"3 months", reminders.Cadence{N: 3, Unit: reminders.Months}},
		{"6 months", reminders.Cadence{N: 6, Unit: reminders.Months}},
		{"1 year", reminders.Cadence{N: 1, Unit: reminders.Years}},
		{"2y", reminders.Cadence{N: 2, Unit: reminders.Years}},
		{"10 days", reminders.Cadence{N: 10, Unit: reminders.Days}},
		{"weekly", reminders.Cadence{N: 1, Unit: reminders.Weeks}},
		{"biweekly", reminders.Cadence{N: 2, Unit: reminders.Weeks}},
		{"Monthly", reminders.Cadence{N: 1, Unit: reminders.Months}},
		{"quarterly", reminders.Cadence{N: 3, Unit: reminders.Months}},
		{"yearly", reminders.Cadence{N: 1, Unit: reminders.Years}},
		{"every 2 weeks", reminders.Cadence{N: 2, Unit: reminders.Weeks}},
		{"never", reminders.NeverCadence},
	}
	for _, tt := range tests {
		got, err := reminders.ParseCadence(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseCadence(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
		back, err := reminders.ParseCadence(got.Short())
		if err != nil || back != got {
			t.Errorf("ParseCadence(%q.Short()=%q) = %+v, %v; not a round trip", tt.in, got.Short(), back, err)
		}
	}
	for _, bad := range []string{"", "0d", "-3d", "3", "3 fortnights", "soon", "d", "9999999d", "11 years"} {
		if _, err := reminders.ParseCadence(bad); reminders.ErrorCode(err) != reminders.EINVALID {
			t.Errorf("ParseCadence(%q) error = %v; want an EINVALID error", bad, err)
		}
	}
}

func TestCadenceAfterFollowsTheCalendar(t *testing.T) {
	start := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		c    reminders.Cadence
		want time.Time
	}{
		{reminders.Cadence{N: 3, Unit: reminders.Days}, time.Date(2026, 1, 18, 10, 0, 0, 0, time.UTC)},
		{reminders.Cadence{N: 2, Unit: reminders.Weeks}, time.Date(2026, 1, 29, 10, 0, 0, 0, time.UTC)},
		{reminders.Cadence{N: 1, Unit: reminders.Months}, time.Date(2026, 2, 15, 10, 0, 0, 0, time.UTC)},
		{reminders.Cadence{N: 1, Unit: reminders.Years}, time.Date(2027, 1, 15, 10, 0, 0, 0, time.UTC)},
		{reminders.NeverCadence, time.Time{}},
	}
	for _, tt := range tests {
		if got := tt.c.After(start); !got.Equal(tt.want) {
			t.Errorf("%v.After(%v) = %v; want %v", tt.c, start, got, tt.want)
		}
	}
	if got := (reminders.Cadence{N: 3, Unit: reminders.Weeks}).Double(); got != (reminders.Cadence{N: 6, Unit: reminders.Weeks}) {
		t.Errorf("Double of 3w = %+v; want 6w", got)
	}
	if got := reminders.NeverCadence.Double(); got != reminders.NeverCadence {
		t.Errorf("Double of never = %+v; want never", got)
	}
}

func TestCadenceString(t *testing.T) {
	tests := map[string]reminders.Cadence{
		"weekly":         {N: 1, Unit: reminders.Weeks},
		"biweekly":       {N: 2, Unit: reminders.Weeks},
		"quarterly":      {N: 3, Unit: reminders.Months},
		"every 10 days":  {N: 10, Unit: reminders.Days},
		"every 6 months": {N: 6, Unit: reminders.Months},
		"never":          reminders.NeverCadence,
	}
	for want, c := range tests {
		if got := c.String(); got != want {
			t.Errorf("%+v.String() = %q; want %q", c, got, want)
		}
	}
}

// TestCadenceTooLong checks the ten-year bound, which no count can slip past
// by overflowing a time.Duration (300 years once read as "due in 292 years").
func TestCadenceTooLong(t *testing.T) {
	for _, s := range []string{"300y", "300 years", "5000w", "3661d", "999999y", "123 months"} {
		if c, err := reminders.ParseCadence(s); err == nil {
			t.Errorf("ParseCadence(%q) = %v, want it refused", s, c)
		}
	}
	for _, s := range []string{"10y", "520w", "3660d", "120 months", "never"} {
		if _, err := reminders.ParseCadence(s); err != nil {
			t.Errorf("ParseCadence(%q): %v", s, err)
		}
	}
	ten := reminders.Cadence{N: 10, Unit: reminders.Years}
	if got := ten.Double(); got != ten {
		t.Errorf("Double of 10y = %v, want it kept at 10y", got)
	}
}
