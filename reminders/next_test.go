package reminders_test

import (
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("parse %s: %v", s, err)
	}
	return at
}

// Transitions in 2026: New York springs forward on 8 March at 02:00 and falls
// back on 1 November at 02:00 (01:00-02:00 repeats); Berlin on 29 March at
// 02:00 and 25 October at 03:00 (02:00-03:00 repeats); Sydney springs forward
// on 4 October at 02:00 and falls back on 5 April at 03:00 (02:00-03:00 repeats).
func TestNextAfterDST(t *testing.T) {
	tests := []struct {
		name, zone, schedule, after string
		want                        []string // successive fire instants
	}{
		// New York, spring.
		{"ny spring daily in gap", "America/New_York", "daily 02:30", "2026-03-07T12:00:00-05:00",
			[]string{"2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"}},
		{"ny spring sunday in gap", "America/New_York", "sundays 02:30", "2026-03-02T00:00:00-05:00",
			[]string{"2026-03-08T03:00:00-04:00", "2026-03-15T02:30:00-04:00"}},
		{"ny spring cron slots in gap fire once", "America/New_York", "*/15 2 * * *", "2026-03-08T00:00:00-05:00",
			[]string{"2026-03-08T03:00:00-04:00", "2026-03-09T02:00:00-04:00"}},
		{"ny spring weekdays over the weekend", "America/New_York", "weekdays 09:00", "2026-03-06T09:00:00-05:00",
			[]string{"2026-03-09T09:00:00-04:00", "2026-03-10T09:00:00-04:00"}},
		{"ny spring daily before gap", "America/New_York", "daily 01:59", "2026-03-08T00:00:00-05:00",
			[]string{"2026-03-08T01:59:00-05:00", "2026-03-09T01:59:00-04:00"}},
		// New York, autumn.
		{"ny autumn daily in repeated hour", "America/New_York", "daily 01:30", "2026-10-31T12:00:00-04:00",
			[]string{"2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"}},
		{"ny autumn from inside second pass", "America/New_York", "daily 01:30", "2026-11-01T01:10:00-05:00",
			[]string{"2026-11-02T01:30:00-05:00"}},
		{"ny autumn sunday in repeated hour", "America/New_York", "sundays 01:30", "2026-10-30T00:00:00-04:00",
			[]string{"2026-11-01T01:30:00-04:00", "2026-11-08T01:30:00-05:00"}},
		{"ny autumn half-hourly repeats no slot", "America/New_York", "0,30 * * * *", "2026-11-01T00:45:00-04:00",
			[]string{"2026-11-01T01:00:00-04:00", "2026-11-01T01:30:00-04:00", "2026-11-01T02:00:00-05:00", "2026-11-01T02:30:00-05:00"}},
		{"ny autumn weekdays over the weekend", "America/New_York", "weekdays 09:00", "2026-10-30T09:00:00-04:00",
			[]string{"2026-11-02T09:00:00-05:00"}},
		// Berlin.
		{"berlin spring daily in gap", "Europe/Berlin", "daily 02:30", "2026-03-28T12:00:00+01:00",
			[]string{"2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"}},
		{"berlin spring weekdays", "Europe/Berlin", "weekdays 09:00", "2026-03-27T09:00:00+01:00",
			[]string{"2026-03-30T09:00:00+02:00"}},
		{"berlin spring cron sunday in gap", "Europe/Berlin", "15 2 * * 0", "2026-03-23T00:00:00+01:00",
			[]string{"2026-03-29T03:00:00+02:00", "2026-04-05T02:15:00+02:00"}},
		{"berlin autumn daily in repeated hour", "Europe/Berlin", "daily 02:30", "2026-10-24T12:00:00+02:00",
			[]string{"2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"}},
		{"berlin autumn weekdays", "Europe/Berlin", "weekdays 09:00", "2026-10-23T09:00:00+02:00",
			[]string{"2026-10-26T09:00:00+01:00"}},
		// Sydney.
		{"sydney spring daily in gap", "Australia/Sydney", "daily 02:30", "2026-10-03T12:00:00+10:00",
			[]string{"2026-10-04T03:00:00+11:00", "2026-10-05T02:30:00+11:00"}},
		{"sydney spring weekdays", "Australia/Sydney", "weekdays 09:00", "2026-10-02T09:00:00+10:00",
			[]string{"2026-10-05T09:00:00+11:00"}},
		{"sydney autumn daily in repeated hour", "Australia/Sydney", "daily 02:30", "2026-04-04T12:00:00+11:00",
			[]string{"2026-04-05T02:30:00+11:00", "2026-04-06T02:30:00+10:00"}},
		{"sydney autumn weekdays", "Australia/Sydney", "weekdays 09:00", "2026-04-03T09:00:00+11:00",
			[]string{"2026-04-06T09:00:00+10:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustZone(t, tt.zone)
			after := mustTime(t, tt.after)
			for i, w := range tt.want {
				got, err := reminders.NextAfter(tt.schedule, loc, after)
				if err != nil {
					t.Fatalf("NextAfter(%q, %s): %v", tt.schedule, after, err)
				}
				if want := mustTime(t, w); !got.Equal(want) {
					t.Fatalf("fire %d after %s: got %s, want %s", i, after.In(loc), got.In(loc), want.In(loc))
				}
				after = got
			}
		})
	}
}

// TestNextAfterYear walks a whole year of a daily schedule in each zone: it
// fires exactly once per local day, at 02:30 or, on the day 02:30 does not
// exist, at the first instant after it.
func TestNextAfterYear(t *testing.T) {
	for _, zone := range []string{"America/New_York", "Europe/Berlin", "Australia/Sydney", "UTC"} {
		t.Run(zone, func(t *testing.T) {
			loc := mustZone(t, zone)
			after := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
			days := map[string]bool{}
			for range 365 {
				next, err := reminders.NextAfter("daily 02:30", loc, after)
				if err != nil {
					t.Fatal(err)
				}
				if !next.After(after) {
					t.Fatalf("%s is not after %s", next, after)
				}
				l := next.In(loc)
				day := l.Format(time.DateOnly)
				if days[day] {
					t.Fatalf("fired twice on %s", day)
				}
				days[day] = true
				if hm := l.Format("15:04"); hm != "02:30" && hm != "03:00" {
					t.Fatalf("fired at %s", l)
				}
				after = next
			}
			if after.In(loc).Format(time.DateOnly) != "2026-12-31" {
				t.Fatalf("365 fires ended on %s, want 2026-12-31", after.In(loc))
			}
		})
	}
}

// TestNextAfterRepeatedHourOnce checks, over a year of half-hourly slots,
// that no wall-clock reading fires twice.
func TestNextAfterRepeatedHourOnce(t *testing.T) {
	for _, zone := range []string{"America/New_York", "Europe/Berlin", "Australia/Sydney"} {
		t.Run(zone, func(t *testing.T) {
			loc := mustZone(t, zone)
			after := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
			seen := map[string]bool{}
			for range 365 * 48 {
				next, err := reminders.NextAfter("*/30 * * * *", loc, after)
				if err != nil {
					t.Fatal(err)
				}
				if !next.After(after) {
					t.Fatalf("%s is not after %s", next, after)
				}
				wall := next.In(loc).Format("2006-01-02 15:04")
				if seen[wall] {
					t.Fatalf("wall time %s fired twice", wall)
				}
				seen[wall] = true
				after = next
			}
		})
	}
}

func TestNextAfterStrictlyAfterAndZones(t *testing.T) {
	ny := mustZone(t, "America/New_York")
	slot := mustTime(t, "2026-06-01T09:00:00-04:00")
	tests := []struct {
		name  string
		loc   *time.Location
		after time.Time
		want  string
	}{
		{"at the slot gives the next", ny, slot, "2026-06-02T09:00:00-04:00"},
		{"just before the slot gives it", ny, slot.Add(-time.Nanosecond), "2026-06-01T09:00:00-04:00"},
		{"nil zone is UTC", nil, slot, "2026-06-02T09:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := reminders.NextAfter("daily 09:00", tt.loc, tt.after)
			if err != nil {
				t.Fatal(err)
			}
			if want := mustTime(t, tt.want); !got.Equal(want) {
				t.Fatalf("got %s, want %s", got, want)
			}
		})
	}
}

func TestNextAfterInvalid(t *testing.T) {
	for _, s := range []string{"", "soon", "25:00", "0 9 30 2 *", "0 9 31 4 *"} {
		t.Run(s, func(t *testing.T) {
			_, err := reminders.NextAfter(s, time.UTC, time.Now())
			if reminders.ErrorCode(err) != reminders.EINVALID {
				t.Fatalf("NextAfter(%q) = %v, want EINVALID", s, err)
			}
			if msg := reminders.ErrorMessage(err); msg == "" || msg == "internal error" {
				t.Fatalf("message %q does not show the right form", msg)
			}
		})
	}
}
