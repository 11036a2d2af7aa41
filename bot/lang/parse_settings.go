package lang

import (
	"strconv"
	"strings"

	"github.com/kith-bot/kith/reminders"
)

// settingKeys are the words that start a setting in a settings command.
var settingKeys = map[string]string{"tz": "tz", "timezone": "tz", "zone": "tz", "digest": "digest", "cadence": "cadence", "max": "max", "share": "share"}

// settings reads: settings [tz <Area/City>] [digest <time|cron>|off] [cadence <c>] [max <n>] [share on|off]
func (p *parser) settings(rest string) error {
	w := strings.Fields(rest)
	if len(w) == 0 {
		return nil
	}
	ch := &SettingsChange{}
	bad := func() error {
		return reminders.Errorf(reminders.EINVALID, "Use: settings [tz Europe/Berlin] [digest weekdays 09:00|off] [cadence 30d] [max 5] [share on|off].")
	}
	for i := 0; i < len(w); {
		key, ok := settingKeys[strings.ToLower(w[i])]
		if !ok {
			return bad()
		}
		j := i + 1
		for j < len(w) {
			if _, next := settingKeys[strings.ToLower(w[j])]; next {
				break
			}
			j++
		}
		value := strings.Join(w[i+1:j], " ")
		if value == "" {
			return bad()
		}
		switch key {
		case "tz":
			tz, err := timeZone(value)
			if err != nil {
				return err
			}
			ch.TimeZone = &tz
		case "digest":
			if strings.EqualFold(value, "off") {
				off := "off"
				ch.Digest = &off
				break
			}
			v, err := reminders.NormalSchedule(value)
			if err != nil {
				return err
			}
			ch.Digest = &v
		case "cadence":
			c, err := reminders.ParseCadence(value)
			if err != nil {
				return err
			}
			ch.Cadence = &c
		case "max":
			n, err := strconv.Atoi(value)
			if err != nil || n < 1 || n > reminders.MaxDigestEntries {
				return reminders.Errorf(reminders.EINVALID, "max is how many contacts a digest lists: a number from 1 to %d, e.g. settings max 5.", reminders.MaxDigestEntries)
			}
			ch.Max = &n
		case "share":
			var on bool
			switch strings.ToLower(value) {
			case "on", "yes", "true":
				on = true
			case "off", "no", "false":
			default:
				return reminders.Errorf(reminders.EINVALID, "share is on or off, e.g. settings share on.")
			}
			ch.Share = &on
		}
		i = j
	}
	p.out.Settings = ch
	return nil
}

// timeZone checks an IANA zone name, forgiving its case (europe/berlin).
func timeZone(s string) (string, error) {
	if reminders.CheckTimeZone(s) == nil {
		return s, nil
	}
	if strings.EqualFold(s, "utc") {
		return "UTC", nil
	}
	parts := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == '/' })
	for i, part := range parts {
		words := strings.Split(part, "_")
		for j, w := range words {
			if w != "" && w != "of" && w != "es" && w != "au" {
				words[j] = strings.ToUpper(w[:1]) + w[1:]
			}
		}
		parts[i] = strings.Join(words, "_")
	}
	if t := strings.Join(parts, "/"); reminders.CheckTimeZone(t) == nil {
		return t, nil
	}
	return "", reminders.CheckTimeZone(s)
}

// team reads: team summary here [<schedule>] | team summary off | team summary now
func (p *parser) team(rest string) error {
	w := strings.Fields(strings.ToLower(rest))
	if len(w) < 2 || w[0] != "summary" {
		return p.usage("team")
	}
	switch w[1] {
	case "here":
		if len(w) > 2 {
			sched, err := reminders.NormalSchedule(strings.Join(w[2:], " "))
			if err != nil {
				return err
			}
			p.out.Schedule = sched
		}
	case "off", "now":
		if len(w) > 2 {
			return p.usage("team")
		}
	default:
		return p.usage("team")
	}
	p.out.Team = w[1]
	return nil
}

// whoKnows reads: who-knows <company|#tag> [: why]
func (p *parser) whoKnows(rest string) error {
	rest, why, _ := splitNote(rest)
	why = strings.Join(strings.Fields(why), " ")
	if len(why) > reminders.MaxIntroWhy {
		return reminders.Errorf(reminders.EINVALID, "that reason is longer than %d characters; say it in a sentence.", reminders.MaxIntroWhy)
	}
	p.out.Why = why
	q := strings.Join(strings.Fields(rest), " ")
	if len(q) > 6 && strings.EqualFold(q[:6], "knows ") { // "who knows Acme"
		q = q[6:]
	}
	if q == "" {
		return p.usage("who-knows")
	}
	if strings.HasPrefix(q, "#") {
		tag, err := checkTag(q)
		if err != nil {
			return err
		}
		p.out.Tags = []string{tag}
		return nil
	}
	if err := checkText("company", q); err != nil {
		return err
	}
	p.out.Text = q
	return nil
}

// export reads: export [json|csv|vcard]
func (p *parser) export(rest string) error {
	switch f := strings.ToLower(strings.TrimSpace(rest)); f {
	case "", "json", "csv", "vcard":
		p.out.Format = f
		return nil
	}
	return reminders.Errorf(reminders.EINVALID, "export gives CSV and JSON; for one format use export json, export csv or export vcard.")
}
