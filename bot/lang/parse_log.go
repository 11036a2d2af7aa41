package lang

import (
	"slices"
	"strings"

	"github.com/kith-bot/kith/reminders"
)

// met reads: met <name>[, <name> ...] [<when>] [: note]
func (p *parser) met(rest string) error {
	before, note, _ := splitNote(rest)
	if err := checkText("note", note); err != nil {
		return err
	}
	p.out.Note = note
	ts, err := tokenize(before)
	if err != nil {
		return err
	}
	var groups [][]token
	var cur []token
	for _, t := range ts {
		if !t.plain() || !strings.Contains(t.text, ",") {
			cur = append(cur, t)
			continue
		}
		// A comma ends a name wherever it stands: "Jane,Bob" is two names.
		for i, piece := range strings.Split(t.text, ",") {
			if i > 0 {
				groups, cur = append(groups, cur), nil
			}
			if piece != "" {
				cur = append(cur, token{text: piece, raw: piece})
			}
		}
	}
	groups = append(groups, cur)
	var out []reminders.Contact
	add := func(c reminders.Contact) {
		if !slices.ContainsFunc(out, func(o reminders.Contact) bool { return o.ID == c.ID }) {
			out = append(out, c)
		}
	}
	for i, g := range groups {
		if len(g) == 0 {
			if len(groups) == 1 {
				return p.usage("met")
			}
			continue
		}
		if i < len(groups)-1 {
			c, err := p.nameOnly(g)
			if err != nil {
				return err
			}
			add(c)
			continue
		}
		var when = p.out.When
		var notice string
		c, err := p.splitName(g, func(c reminders.Contact, tail []token) error {
			at, err := p.pastDate(tail)
			if err == nil {
				when, notice = at, p.lastYear(tail, at)
			}
			return err
		})
		if err != nil {
			if reminders.ErrorCode(err) == reminders.ENOTFOUND {
				// Name the unknown contact without the date that followed it.
				if name, _, _ := p.trailingDate(g); len(name) > 0 && allPlain(name) && len(name) < len(g) {
					return unknownName(joinWords(name))
				}
			}
			return err
		}
		p.out.When, p.out.Notice = when, notice
		add(c)
	}
	if len(out) == 0 {
		return p.usage("met")
	}
	p.out.Contacts = out
	return nil
}

// favour reads: gave|got <name> <what> [<when>]
func (p *parser) favour(rest string) error {
	ts, err := tokenize(rest)
	if err != nil {
		return err
	}
	c, err := p.splitName(ts, func(c reminders.Contact, tail []token) error {
		what, at, err := p.trailingDate(tail)
		if err != nil {
			return err
		}
		text := joinText(what)
		if text == "" {
			return reminders.Errorf(reminders.EINVALID, "say what was %s, e.g. %s %s an intro to Bob yesterday.",
				map[string]string{"gave": "given", "got": "received"}[p.out.Verb], p.out.Verb, c.Name)
		}
		if err := checkText("text", text); err != nil {
			return err
		}
		p.out.Text, p.out.When, p.out.Notice = text, at, p.lastYear(tail[len(what):], at)
		return nil
	})
	if err != nil {
		return err
	}
	p.out.Contacts = []reminders.Contact{c}
	return nil
}

// note reads: note <name> <text>
func (p *parser) note(rest string) error {
	ts, err := tokenize(rest)
	if err != nil {
		return err
	}
	c, err := p.splitName(ts, func(c reminders.Contact, tail []token) error {
		text := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(joinText(tail)), ":"))
		if text == "" {
			return reminders.Errorf(reminders.EINVALID, "say what to note, e.g. note %s moving to Berlin in March.", c.Name)
		}
		if err := checkText("note", text); err != nil {
			return err
		}
		p.out.Text = text
		return nil
	})
	if err != nil {
		return err
	}
	p.out.Contacts = []reminders.Contact{c}
	return nil
}

// promise reads: promise <name> <what> [by <when>]
func (p *parser) promise(rest string) error {
	ts, err := tokenize(rest)
	if err != nil {
		return err
	}
	c, err := p.splitName(ts, func(c reminders.Contact, tail []token) error {
		what, due := tail, p.out.When
		// The last "by" followed by a date is the due date; a date has at most
		// maxDateWords words, so only the last few words are looked at.
		for i := len(tail) - 2; i >= max(0, len(tail)-1-maxDateWords); i-- {
			if !tail[i].plain() || strings.ToLower(tail[i].text) != "by" || !allPlain(tail[i+1:]) {
				continue
			}
			day, err := ParseDay(joinWords(tail[i+1:]), p.env.Now, p.env.Loc, Future)
			if err != nil {
				if looksLikeDate(lowerWords(tail[i+1:])) {
					return err
				}
				continue
			}
			if day.Before(StartOfDay(p.env.Now.In(p.env.Loc))) {
				return reminders.Errorf(reminders.EINVALID, "%s has passed; promise by a day from today on, e.g. promise %s send the deck by friday.", day.Format("Jan 2, 2006"), c.Name)
			}
			what, due = tail[:i], reminders.Day(day, day.Location())
			break
		}
		text := joinText(what)
		if text == "" {
			return reminders.Errorf(reminders.EINVALID, "say what you promised, e.g. promise %s send the deck by friday.", c.Name)
		}
		if err := checkText("promise", text); err != nil {
			return err
		}
		p.out.Text, p.out.When = text, due
		return nil
	})
	if err != nil {
		return err
	}
	p.out.Contacts = []reminders.Contact{c}
	return nil
}

// looksLikeDate reports whether words after "by" were meant as a date, so a
// misspelt one is an error instead of becoming part of the promise's text.
func looksLikeDate(w []string) bool {
	if len(w) == 0 {
		return false
	}
	first := w[0]
	if first == "next" || first == "this" || first == "in" || first == "tomorrow" || first == "today" {
		return true
	}
	if _, ok := weekdays[first]; ok {
		return true
	}
	if _, ok := months[first]; ok && len(w) > 1 {
		return true
	}
	return first != "" && first[0] >= '0' && first[0] <= '9'
}

// done reads: done <name> [<what>]
func (p *parser) done(rest string) error {
	ts, err := tokenize(rest)
	if err != nil {
		return err
	}
	c, err := p.splitName(ts, func(c reminders.Contact, tail []token) error {
		var open []reminders.Promise
		for _, pr := range p.env.Promises {
			if pr.ContactID == c.ID && pr.Open() {
				open = append(open, pr)
			}
		}
		if len(open) == 0 {
			return reminders.Errorf(reminders.ENOTFOUND, "%s has no open promise; log a favour with gave %s <what>.", c.Name, c.Name)
		}
		want := strings.ToLower(joinText(tail))
		var match []reminders.Promise
		for _, pr := range open {
			if want == "" || strings.Contains(strings.ToLower(pr.What), want) {
				match = append(match, pr)
			}
		}
		match = narrowPromises(match, want)
		var whats []string
		for _, pr := range open {
			whats = append(whats, pr.What)
		}
		switch {
		case len(match) == 1:
			p.out.Promise = match[0]
			return nil
		case len(match) == 0:
			return reminders.Errorf(reminders.ENOTFOUND, "%s has no open promise matching %q; open: %s.", c.Name, joinText(tail), strings.Join(whats, "; "))
		}
		return reminders.Errorf(reminders.EINVALID, "%s has %d open promises (%s); say which, e.g. done %s %s.", c.Name, len(match), strings.Join(whats, "; "), c.Name, open[0].What)
	})
	if err != nil {
		return err
	}
	p.out.Contacts = []reminders.Contact{c}
	return nil
}

// narrowPromises picks among several promises that match what was typed, so
// that every open promise can be named: a promise whose words are exactly
// what was typed beats one that merely contains them ("send deck" over
// "send deck v2"), and promises that read the same ("intro" twice) are kept
// in the order they fall due, earliest first (undated last).
func narrowPromises(match []reminders.Promise, want string) []reminders.Promise {
	if len(match) < 2 {
		return match
	}
	var exact []reminders.Promise
	for _, pr := range match {
		if strings.EqualFold(strings.TrimSpace(pr.What), want) {
			exact = append(exact, pr)
		}
	}
	if len(exact) > 0 {
		match = exact
	}
	for _, pr := range match[1:] {
		if !strings.EqualFold(pr.What, match[0].What) {
			return match
		}
	}
	first := match[0]
	for _, pr := range match[1:] {
		if dueBefore(pr, first) {
			first = pr
		}
	}
	return []reminders.Promise{first}
}

// dueBefore orders promises by their date, undated last, then by when they were made.
func dueBefore(a, b reminders.Promise) bool {
	switch {
	case a.Due.IsZero() != b.Due.IsZero():
		return !a.Due.IsZero()
	case !a.Due.Equal(b.Due):
		return a.Due.Before(b.Due)
	case !a.Created.Equal(b.Created):
		return a.Created.Before(b.Created)
	}
	return a.ID < b.ID
}
