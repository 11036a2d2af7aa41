package bot

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// daysBetween counts calendar days from a to b in loc (negative when b is earlier).
func daysBetween(a, b time.Time, loc *time.Location) int {
	da, db := lang.StartOfDay(a.In(loc)), lang.StartOfDay(b.In(loc))
	return int(math.Round(db.Sub(da).Hours() / 24))
}

// span says a number of days the way people do: "3 days", "2 weeks", "5 months".
func span(days int) string {
	switch {
	case days < 14:
		return plural(days, "day")
	case days < 60:
		return plural(days/7, "week")
	case days < 730:
		return plural(days/30, "month")
	}
	return plural(days/365, "year")
}

// plural writes "1 day" or "3 days".
func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// ago says how long before now t was: "today", "yesterday", "3 weeks ago".
func ago(t, now time.Time, loc *time.Location) string {
	d := daysBetween(t, now, loc)
	switch {
	case d <= 0:
		return "today"
	case d == 1:
		return "yesterday"
	}
	return span(d) + " ago"
}

// dateText writes a day briefly: "Fri Nov 20", with the year when it is not this year's.
func dateText(t, now time.Time, loc *time.Location) string {
	t = t.In(loc)
	if t.Year() != now.In(loc).Year() {
		return t.Format("Mon Jan 2, 2006")
	}
	return t.Format("Mon Jan 2")
}

// dayText writes a calendar day (see reminders.Day) as dateText writes a
// date, without moving it into any zone: Friday stays Friday.
func dayText(day, now time.Time, loc *time.Location) string {
	if day.Year() != now.In(loc).Year() {
		return day.Format("Mon Jan 2, 2006")
	}
	return day.Format("Mon Jan 2")
}

// whenText says on which day something happened, relative when recent.
func whenText(t, now time.Time, loc *time.Location) string {
	d := daysBetween(t, now, loc)
	if d < 7 {
		return ago(t, now, loc)
	}
	return "on " + dateText(t, now, loc)
}

// title is a contact's name with company: "Jane Doe (Acme)".
func title(c reminders.Contact) string {
	if c.Company != "" {
		return c.Name + " (" + c.Company + ")"
	}
	return c.Name
}

// kindText is how an interaction kind reads in a sentence.
func kindText(k reminders.Kind) string {
	switch k {
	case reminders.Gave:
		return "you gave"
	case reminders.Got:
		return "they gave you"
	case reminders.Note:
		return "note"
	}
	return "met"
}

// lastText says when the contact was last in touch and how.
func lastText(c reminders.Contact, now time.Time, loc *time.Location) string {
	if c.LastContact.IsZero() {
		return "nothing logged yet; added " + ago(c.Added, now, loc)
	}
	s := kindText(c.LastKind) + " " + ago(c.LastContact, now, loc)
	if c.LastNote != "" {
		s += ": " + quote(c.LastNote)
	}
	return s
}

// quote puts free text in typographic quotes, shortened to stay readable.
func quote(s string) string {
	const maxRunes = 140
	if r := []rune(s); len(r) > maxRunes {
		s = string(r[:maxRunes-1]) + "…"
	}
	return "“" + s + "”"
}

// dueText says when the contact is next due.
func dueText(c reminders.Contact, now time.Time, def reminders.Cadence, loc *time.Location) string {
	cad := c.Cadence.Or(def)
	if cad.Never {
		return "never nudged"
	}
	next := c.NextDue(def)
	if now.Before(c.Snoozed) && !now.Before(cad.After(c.Since())) {
		return "snoozed until " + dateText(c.Snoozed, now, loc)
	}
	d := daysBetween(now, next, loc)
	switch {
	case !now.Before(next) && d >= 0:
		return "due now"
	case !now.Before(next):
		return "overdue by " + span(-d)
	case d == 0:
		return "due later today"
	case d == 1:
		return "due tomorrow"
	}
	return "due in " + span(d) + " (" + dateText(next, now, loc) + ")"
}

// balanceText says how favours stand with a contact.
func balanceText(c reminders.Contact) string {
	switch b := c.Balance(); {
	case c.Given == 0 && c.Received == 0:
		return "no favours yet"
	case b == 0:
		return fmt.Sprintf("even (you gave %d, got %d)", c.Given, c.Received)
	case b > 0:
		return fmt.Sprintf("+%d (you gave %d, got %d)", b, c.Given, c.Received)
	default:
		return fmt.Sprintf("%d (you gave %d, got %d): you owe; give first", b, c.Given, c.Received)
	}
}

// promiseText describes an open promise with its date.
func promiseText(p reminders.Promise, now time.Time, loc *time.Location) string {
	switch {
	case p.Due.IsZero():
		return p.What
	case p.Overdue(now.In(loc)):
		return p.What + " (was due " + dayText(p.DueDay(loc), now, loc) + ")"
	}
	return p.What + " (by " + dayText(p.DueDay(loc), now, loc) + ")"
}

// andList joins names: "Jane", "Jane and Bob", "Jane, Bob and Ana".
func andList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// tagsText writes tags with their '#'.
func tagsText(tags []string) string {
	out := make([]string, len(tags))
	for i, t := range tags {
		out[i] = "#" + t
	}
	return strings.Join(out, " ")
}

// plainText builds a message's plain-text fallback from its parts.
func plainText(m Message) string {
	var b strings.Builder
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.WriteString(s)
		}
	}
	if m.Title != "" {
		add("*" + m.Title + "*")
	}
	add(m.Text)
	for _, s := range m.Sections {
		if s.Title != "" {
			add("*" + s.Title + "*")
		}
		add(s.Text)
		for _, f := range s.Fields {
			add(f.Label + ": " + f.Value)
		}
	}
	add(m.Footer)
	return b.String()
}

// finish makes a message whole for every adapter: with no sections the
// message is all in Text (title and footer folded in); with sections, Text is
// the plain fallback of everything.
func finish(m Message) Message {
	m.Text = plainText(m)
	if len(m.Sections) == 0 {
		m.Title, m.Footer = "", ""
	}
	return m
}
