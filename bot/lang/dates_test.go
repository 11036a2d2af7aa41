package lang_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// newYork is the non-UTC zone most tests run in; US daylight saving time
// ends on 2026-11-01, inside the dates tested.
func newYork(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// wednesday is the tests' "now": Wed 2026-11-18 10:00 in New York.
func wednesday(t testing.TB) time.Time {
	return time.Date(2026, 11, 18, 10, 0, 0, 0, newYork(t))
}

func TestParseDay(t *testing.T) {
	now := wednesday(t)
	tests := []struct {
		in   string
		dir  lang.Direction
		want string // the day, or "" for an error
	}{
		{"today", lang.Past, "2026-11-18"},
		{"yesterday", lang.Past, "2026-11-17"},
		{"last friday", lang.Past, "2026-11-13"},
		{"Last Friday", lang.Past, "2026-11-13"},
		{"3 days ago", lang.Past, "2026-11-15"},
		{"3d ago", lang.Past, "2026-11-15"},
		{"a week ago", lang.Past, "2026-11-11"},
		{"2 weeks ago", lang.Past, "2026-11-04"},
		{"1 month ago", lang.Past, "2026-10-18"},
		{"last week", lang.Past, "2026-11-11"},
		{"on 2026-11-01", lang.Past, "2026-11-01"},
		{"2026-11-01", lang.Past, "2026-11-01"},
		{"2026/11/1", lang.Past, "2026-11-01"},
		{"on Nov 1", lang.Past, "2026-11-01"},
		{"Nov 1st", lang.Past, "2026-11-01"},
		{"November 1, 2025", lang.Past, "2025-11-01"},
		{"1 Nov", lang.Past, "2026-11-01"},
		{"on Dec 1", lang.Past, "2025-12-01"}, // the most recent Dec 1
		{"on May 3", lang.Past, "2026-05-03"},
		{"monday", lang.Past, "2026-11-16"}, // the most recent Monday
		{"on monday", lang.Past, "2026-11-16"},
		{"mon", lang.Past, "2026-11-16"},
		{"wednesday", lang.Past, "2026-11-18"}, // today is a Wednesday
		{"last wednesday", lang.Past, "2026-11-11"},
		{"friday", lang.Future, "2026-11-20"}, // by friday: the coming Friday
		{"next friday", lang.Future, "2026-11-20"},
		{"next wednesday", lang.Future, "2026-11-25"},
		{"monday", lang.Future, "2026-11-23"},
		{"tomorrow", lang.Future, "2026-11-19"},
		{"in 3 days", lang.Future, "2026-11-21"},
		{"in 2 weeks", lang.Future, "2026-12-02"},
		{"next week", lang.Future, "2026-11-25"},
		{"Dec 1", lang.Future, "2026-12-01"},
		{"Nov 1", lang.Future, "2027-11-01"}, // the coming Nov 1
		{"Feb 29", lang.Future, ""},          // 2027 has none
		{"May", lang.Past, ""},               // a month alone is no date (and may be a name)
		{"Feb 30", lang.Past, ""},
		{"2026-13-01", lang.Past, ""},
		{"soon", lang.Past, ""},
		{"", lang.Past, ""},
		{"on", lang.Past, ""},
		{"99999999 days ago", lang.Past, ""},
		{"last", lang.Past, ""},
	}
	for _, tt := range tests {
		got, err := lang.ParseDay(tt.in, now, now.Location(), tt.dir)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("ParseDay(%q) = %s, want an error", tt.in, got)
		case tt.want == "" && reminders.ErrorCode(err) != reminders.EINVALID:
			t.Errorf("ParseDay(%q) error %v, want EINVALID", tt.in, err)
		case tt.want != "" && err != nil:
			t.Errorf("ParseDay(%q): %v", tt.in, err)
		case tt.want != "" && got.Format("2006-01-02") != tt.want:
			t.Errorf("ParseDay(%q) = %s, want %s", tt.in, got.Format("2006-01-02"), tt.want)
		case tt.want != "" && (got.Hour() != 0 || got.Location() != now.Location()):
			t.Errorf("ParseDay(%q) = %s, want the start of the day in New York", tt.in, got)
		}
	}
}

// TestParseDayZone checks that "today" is the owner's day, not UTC's.
func TestParseDayZone(t *testing.T) {
	now := time.Date(2026, 11, 18, 3, 0, 0, 0, time.UTC) // Nov 17, 22:00 in New York
	for _, tt := range []struct {
		loc  *time.Location
		want string
	}{{time.UTC, "2026-11-18"}, {newYork(t), "2026-11-17"}, {nil, "2026-11-18"}} {
		got, err := lang.ParseDay("today", now, tt.loc, lang.Past)
		if err != nil || got.Format("2006-01-02") != tt.want {
			t.Errorf("today in %v = %s, %v; want %s", tt.loc, got, err, tt.want)
		}
	}
}

func TestParseSnooze(t *testing.T) {
	now := wednesday(t)
	loc := now.Location()
	tests := []struct {
		in   string
		want time.Time // zero: an error
	}{
		{"2w", now.AddDate(0, 0, 14)},
		{"3d", now.AddDate(0, 0, 3)},
		{"1 month", now.AddDate(0, 1, 0)},
		{"6 weeks", now.AddDate(0, 0, 42)},
		{"for 2 weeks", now.AddDate(0, 0, 14)},
		{"a week", now.AddDate(0, 0, 7)},
		{"until 2026-12-01", time.Date(2026, 12, 1, 0, 0, 0, 0, loc)},
		{"until friday", time.Date(2026, 11, 20, 0, 0, 0, 0, loc)},
		{"until wednesday", time.Date(2026, 11, 25, 0, 0, 0, 0, loc)}, // typed on a Wednesday
		{"wednesday", time.Date(2026, 11, 25, 0, 0, 0, 0, loc)},
		{"until Dec 1", time.Date(2026, 12, 1, 0, 0, 0, 0, loc)},
		{"until yesterday", time.Time{}},
		{"until today", time.Time{}},
		{"0d", time.Time{}},
		{"soon", time.Time{}},
		{"", time.Time{}},
	}
	for _, tt := range tests {
		got, err := lang.ParseSnooze(tt.in, now, loc)
		switch {
		case tt.want.IsZero() && reminders.ErrorCode(err) != reminders.EINVALID:
			t.Errorf("ParseSnooze(%q) = %s, %v; want EINVALID", tt.in, got, err)
		case !tt.want.IsZero() && (err != nil || !got.Equal(tt.want)):
			t.Errorf("ParseSnooze(%q) = %s, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}

// TestParseSnoozeDayGone checks that a day already over is called passed,
// and today begun, so the sentence says what was wrong.
func TestParseSnoozeDayGone(t *testing.T) {
	now := wednesday(t)
	tests := []struct{ in, want string }{
		{"until yesterday", "Nov 17, 2026 has passed"},
		{"until 2026-11-01", "Nov 1, 2026 has passed"},
		{"until today", "Nov 18, 2026 has already begun"},
	}
	for _, tt := range tests {
		_, err := lang.ParseSnooze(tt.in, now, now.Location())
		if reminders.ErrorCode(err) != reminders.EINVALID || !strings.Contains(reminders.ErrorMessage(err), tt.want) {
			t.Errorf("ParseSnooze(%q) = %v; want %q", tt.in, err, tt.want)
		}
	}
}
