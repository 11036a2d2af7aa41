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
	}
	for in, want := range tests {
		got, err := reminders.ScheduleCron(in)
		if err != nil || got != want {
			t.Errorf("ScheduleCron(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "25:00", "9:60", "someday 09:00", "13pm", "0 9 * *", "0 99 * * *", "weekdays", "9:5:3"} {
		if _, err := reminders.ScheduleCron(bad); reminders.ErrorCode(err) != reminders.EINVALID {
			t.Errorf("ScheduleCron(%q) error = %v; want an EINVALID error", bad, err)
		}
	}
}
