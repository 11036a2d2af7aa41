package reminders_test

import (
	"testing"

	"github.com/kith-bot/kith/reminders"
)

func TestScheduleCron(t *testing.T) {
	tests := map[string]string{
		"09:00":           "0 9 * * *",
		"weekdays 09:00":  "0 9 * * 1-5",
		"mondays 08:30":   "30 8 * * 1",
		"daily 18:00":     "0 18 * * *",
		"Fridays 5pm":     "0 17 * * 5",
		"9am":             "0 9 * * *",
		"12am":            "0 0 * * *",
		"12pm":            "0 12 * * *",
		"0 9 * * 1-5":     "0 9 * * 1-5",
		"*/30 8-17 * * *": "*/30 8-17 * * *",
		"0 9 29 2 *":      "0 9 29 2 *", // every fourth year
	}
	for in, want := range tests {
		got, err := reminders.ScheduleCron(in)
		if err != nil || got != want {
			t.Errorf("ScheduleCron(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "25:00", "9:60", "someday 09:00", "13pm", "0 9 * *", "0 99 * * *", "weekdays", "9:5:3",
		"0 9 30 2 *", "0 9 31 4 *", // parse, but never fire
	} {
		if _, err := reminders.ScheduleCron(bad); reminders.ErrorCode(err) != reminders.EINVALID {
			t.Errorf("ScheduleCron(%q) error = %v; want an EINVALID error", bad, err)
		}
	}
}

// TestNormalSchedule checks that a schedule is written back as understood.
func TestNormalSchedule(t *testing.T) {
	for in, want := range map[string]string{
		"9": "09:00", "9pm": "21:00", "12am": "00:00", "09:30": "09:30", "Weekdays  9PM": "weekdays 21:00",
		"every day 7": "every day 07:00", "0 9 * * 1-5": "0 9 * * 1-5",
	} {
		if got, err := reminders.NormalSchedule(in); err != nil || got != want {
			t.Errorf("NormalSchedule(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"9:5", "25", "13pm", "weekdays"} {
		if got, err := reminders.NormalSchedule(bad); err == nil {
			t.Errorf("NormalSchedule(%q) = %q, want it refused", bad, got)
		}
	}
}
