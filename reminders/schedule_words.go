package reminders

import (
	"fmt"
	"strings"
)

// NormalSchedule is a schedule as kith writes it back, so a reply shows what
// was understood: a cron expression as typed (spaces squeezed), else its day
// words and the clock as HH:MM ("9pm" is "21:00", "weekdays 9" is "weekdays
// 09:00"). It refuses what ScheduleCron refuses.
func NormalSchedule(s string) (string, error) {
	if _, err := ScheduleCron(s); err != nil {
		return "", err
	}
	in := strings.ToLower(strings.Join(strings.Fields(s), " "))
	if strings.Count(in, " ") == 4 {
		return in, nil
	}
	days, clock := "", in
	if i := strings.LastIndex(in, " "); i > 0 {
		days, clock = in[:i+1], in[i+1:]
	}
	h, m, _ := parseClock(clock)
	return fmt.Sprintf("%s%02d:%02d", days, h, m), nil
}
