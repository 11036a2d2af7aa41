package bot_test

import (
	"regexp"
	"testing"
	"time"
)

// isoDay finds the dates an example shows.
var isoDay = regexp.MustCompile(`(until|on|by) (\d{4}-\d{2}-\d{2})`)

// TestExamplesAreDatedFromToday reads the dated examples of help and of
// errors months after the code was written, and runs each: kith never
// suggests a date it then refuses.
func TestExamplesAreDatedFromToday(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe")
	h.advance(60 * 24 * time.Hour) // 2027-01-17: past every date the code was written with
	for _, ask := range []string{"help snooze", "snooze Jane soon", "snooze Jane", "help met", "met Jane on the 41st", "promise Jane a call by 2027-13-45"} {
		m := h.do(ana, ask)
		found := isoDay.FindAllStringSubmatch(m.Text, -1)
		if len(found) == 0 {
			t.Errorf("%s shows no dated example:\n%s", ask, m.Text)
		}
		for _, f := range found {
			try := map[string]string{"until": "snooze Jane until ", "on": "met Jane on ", "by": "promise Jane a call by "}[f[1]] + f[2]
			if r := h.do(ana, try); r.Error {
				t.Errorf("%s suggests %q, which kith refuses: %s", ask, try, r.Text)
			}
		}
	}
}
