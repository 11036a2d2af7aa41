package reminders

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// cronParser reads standard 5-field cron expressions (no seconds, no
// descriptors other than the ones below), as users know them from crontab.
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// dayWords maps the friendly day words of a digest schedule to cron's day-of-week field.
var dayWords = map[string]string{
	"daily": "*", "everyday": "*", "every day": "*",
	"weekdays": "1-5", "weekends": "0,6",
	"sundays": "0", "mondays": "1", "tuesdays": "2", "wednesdays": "3",
	"thursdays": "4", "fridays": "5", "saturdays": "6",
	"sunday": "0", "monday": "1", "tuesday": "2", "wednesday": "3",
	"thursday": "4", "friday": "5", "saturday": "6",
}

// ScheduleCron turns a schedule as users write it ("09:00", "weekdays 09:00",
// "mondays 08:30", "daily 18:00" or a 5-field cron expression) into a cron
// expression, checking it.
func ScheduleCron(s string) (string, error) {
	in := strings.ToLower(strings.Join(strings.Fields(s), " "))
	bad := Errorf(EINVALID, "%q is not a schedule; use 09:00, weekdays 09:00, mondays 08:30, daily 18:00 or a 5-field cron expression like 0 9 * * 1-5.", s)
	if in == "" {
		return "", bad
	}
	if strings.Count(in, " ") == 4 { // a cron expression
		spec, err := cronParser.Parse(in)
		if err != nil {
			return "", bad
		}
		// cron parses 30 February as readily as 1 March. Checked here, a
		// schedule that never fires is refused before anything is stored;
		// Next looks five years ahead, long enough for any date a cron
		// expression can name (29 February comes every four).
		if spec.Next(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).IsZero() {
			return "", Errorf(EINVALID, "%q never fires; use 09:00, weekdays 09:00, mondays 08:30, daily 18:00 or a 5-field cron expression like 0 9 * * 1-5.", s)
		}
		return in, nil
	}
	days, clock := "*", in
	if i := strings.LastIndex(in, " "); i > 0 {
		d, ok := dayWords[in[:i]]
		if !ok {
			return "", bad
		}
		days, clock = d, in[i+1:]
	}
	h, m, ok := parseClock(clock)
	if !ok {
		return "", bad
	}
	return fmt.Sprintf("%d %d * * %s", m, h, days), nil
}

// parseClock reads "09:00", "9:30", "18:00", "9", "9am" or "6pm".
func parseClock(s string) (int, int, bool) {
	pm, am := strings.HasSuffix(s, "pm"), strings.HasSuffix(s, "am")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "pm"), "am")
	hs, ms, found := strings.Cut(s, ":")
	if !found {
		ms = "0"
	}
	h, err1 := strconv.Atoi(hs)
	m, err2 := strconv.Atoi(ms)
	// Minutes take two digits: 9:5 could mean 09:05 or 09:50.
	if err1 != nil || err2 != nil || (found && len(ms) != 2) || m < 0 || m > 59 || h < 0 || h > 23 {
		return 0, 0, false
	}
	if am || pm {
		if h < 1 || h > 12 {
			return 0, 0, false
		}
		h %= 12
		if pm {
			h += 12
		}
	}
	return h, m, true
}

// ParseSchedule parses a schedule as users write it into a cron schedule.
func ParseSchedule(s string) (cron.Schedule, error) {
	expr, err := ScheduleCron(s)
	if err != nil {
		return nil, err
	}
	return cronParser.Parse(expr)
}
