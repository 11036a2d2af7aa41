package lang

import (
	"strconv"
	"strings"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// remember reads: remember <name> <label> on <date> | remember <name> <label> off
func (p *parser) remember(rest string) error {
	ts, err := tokenize(rest)
	if err != nil {
		return err
	}
	c, err := p.splitName(ts, func(c reminders.Contact, tail []token) error {
		example := "remember " + c.Name + " birthday on May 3, or remember " + c.Name + " birthday off"
		if len(tail) < 2 || !allPlain(tail) {
			return reminders.Errorf(reminders.EINVALID, "say which date and when, e.g. %s.", example)
		}
		words := lowerWords(tail)
		if words[len(words)-1] == "off" {
			p.out.Date = &reminders.Date{Label: joinWords(tail[:len(tail)-1])}
			return checkLabel(p.out.Date.Label, example)
		}
		on := -1
		for i, w := range words {
			if w == "on" && i > 0 {
				on = i // the last "on": a label may hold one ("day on the job")
			}
		}
		if on < 0 {
			return reminders.Errorf(reminders.EINVALID, "say when with on, e.g. %s.", example)
		}
		d, ok := calendarDate(words[on+1:])
		if !ok {
			return reminders.Errorf(reminders.EINVALID, "%q is not a date; use e.g. on May 3, on 3 May, or on 1990-05-03 with a year.", joinWords(tail[on+1:]))
		}
		d.Label = joinWords(tail[:on])
		if err := checkLabel(d.Label, example); err != nil {
			return err
		}
		if err := reminders.CheckDate(d); err != nil {
			return err
		}
		// A date with a year still to come happens once (a wedding on
		// 2027-06-12); with a past year it is an anniversary (a birthday).
		now := p.env.Now.In(p.env.Loc)
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		if d.Year != 0 && time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).After(today) {
			d.Once = true
		}
		p.out.Date = &d
		return nil
	})
	if err != nil {
		return err
	}
	p.out.Contacts = []reminders.Contact{c}
	return nil
}

// checkLabel refuses an empty or over-long label of a date.
func checkLabel(label, example string) error {
	if strings.TrimSpace(label) == "" {
		return reminders.Errorf(reminders.EINVALID, "name the date, e.g. %s.", example)
	}
	return reminders.CheckDate(reminders.Date{Label: label, Month: time.January, Day: 1})
}

// calendarDate reads a day of the year with or without its year: May 3,
// 3 May, May 3rd 1990, 1990-05-03, --05-03 (vCard's form without a year).
func calendarDate(w []string) (reminders.Date, bool) {
	if len(w) == 1 {
		s := w[0]
		if md, ok := strings.CutPrefix(s, "--"); ok {
			m, d, ok := monthDayNumbers(md)
			return reminders.Date{Month: m, Day: d}, ok
		}
		t, ok := isoDay(s, time.UTC)
		if !ok {
			return reminders.Date{}, false
		}
		return reminders.Date{Month: t.Month(), Day: t.Day(), Year: t.Year()}, true
	}
	if len(w) < 2 || len(w) > 3 {
		return reminders.Date{}, false
	}
	m, ok := months[w[0]]
	dayWord := w[1]
	if !ok {
		m, ok = months[w[1]]
		dayWord = w[0]
	}
	d, dayOK := dayNumber(dayWord)
	if !ok || !dayOK {
		return reminders.Date{}, false
	}
	out := reminders.Date{Month: m, Day: d}
	if len(w) == 3 {
		y, err := strconv.Atoi(w[2])
		if err != nil || y < 1900 || y > 2999 {
			return reminders.Date{}, false
		}
		out.Year = y
	}
	return out, true
}

// monthDayNumbers reads "05-03" or "0503" as May 3.
func monthDayNumbers(s string) (time.Month, int, bool) {
	s = strings.ReplaceAll(s, "-", "")
	if len(s) != 4 {
		return 0, 0, false
	}
	m, e1 := strconv.Atoi(s[:2])
	d, e2 := strconv.Atoi(s[2:])
	return time.Month(m), d, e1 == nil && e2 == nil && m >= 1 && m <= 12 && d >= 1 && d <= 31
}

// tagEvery reads: every #tag <cadence|default>; default clears the tag's cadence.
func (p *parser) tagEvery(ts []token) error {
	tag, err := checkTag(ts[0].text)
	if err != nil {
		return err
	}
	if len(ts) < 2 || !allPlain(ts[1:]) {
		return reminders.Errorf(reminders.EINVALID, "say how often, e.g. every #%s 2w, every #%s quarterly, or every #%s default to drop it.", tag, tag, tag)
	}
	p.out.Tags = []string{tag}
	if w := joinWords(ts[1:]); strings.EqualFold(w, "default") {
		return nil
	}
	p.out.Cadence, err = reminders.ParseCadence(joinWords(ts[1:]))
	return err
}
