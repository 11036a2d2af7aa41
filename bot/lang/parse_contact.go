package lang

import (
	"net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/kith-bot/kith/reminders"
)

// list reads: list [#tag] [due|cold|all] [[page] N]
func (p *parser) list(rest string) error {
	ts, err := tokenize(rest)
	if err != nil {
		return err
	}
	p.out.Filter = "all"
	filterSet := false
	for i, t := range ts {
		w := strings.ToLower(t.text)
		switch {
		case w == "page" && t.plain() && i+1 < len(ts) && p.out.Page == 0:
			// "list page 2" reads as "list 2".
		case t.plain() && p.out.Page == 0 && isPageNumber(w):
			n, _ := strconv.Atoi(w)
			p.out.Page = n
		case isTag(t) && len(p.out.Tags) == 0:
			tag, err := checkTag(t.text)
			if err != nil {
				return err
			}
			p.out.Tags = []string{tag}
		case (w == "due" || w == "cold" || w == "all") && !filterSet && t.plain():
			p.out.Filter, filterSet = w, true
		default:
			return reminders.Errorf(reminders.EINVALID, "%q does not fit here; use list, list due, list cold, list #tag, list #tag due, or a page number: list all 2.", t.text)
		}
	}
	return nil
}

// isPageNumber reports whether w is a page of a list: a whole number from 1.
func isPageNumber(w string) bool {
	n, err := strconv.Atoi(w)
	return err == nil && n >= 1 && n <= 1_000_000 && w[0] != '+' && w[0] != '0'
}

// snooze reads: snooze <name> <duration|until date>
func (p *parser) snooze(rest string) error {
	ts, err := tokenize(rest)
	if err != nil {
		return err
	}
	c, err := p.splitName(ts, func(c reminders.Contact, tail []token) error {
		if len(tail) == 0 || !allPlain(tail) {
			return reminders.Errorf(reminders.EINVALID, "say for how long, e.g. snooze %s 2w or snooze %s until %s.", c.Name, c.Name, exampleDay(p.env.Now, p.env.Loc, exampleDays))
		}
		until, err := ParseSnooze(joinWords(tail), p.env.Now, p.env.Loc)
		if err != nil {
			return err
		}
		p.out.When = until
		return nil
	})
	if err != nil {
		return err
	}
	p.out.Contacts = []reminders.Contact{c}
	return nil
}

// every reads: every <name> <cadence>, or every #tag <cadence>
func (p *parser) every(rest string) error {
	ts, err := tokenize(rest)
	if err != nil {
		return err
	}
	if len(ts) > 0 && isTag(ts[0]) {
		return p.tagEvery(ts)
	}
	c, err := p.splitName(ts, func(c reminders.Contact, tail []token) error {
		if len(tail) == 0 {
			return reminders.Errorf(reminders.EINVALID, "say how often, e.g. every %s 2w, every %s monthly or every %s never.", c.Name, c.Name, c.Name)
		}
		cad, err := reminders.ParseCadence(joinWords(tail))
		if err != nil {
			return err
		}
		p.out.Cadence = cad
		return nil
	})
	if err != nil {
		return err
	}
	p.out.Contacts = []reminders.Contact{c}
	return nil
}

// editFields are the fields edit may change.
var editFields = []string{"name", "company", "role", "email", "url", "note"}

// edit reads: edit <name> <field> <value>; a value of "-" clears the field.
func (p *parser) edit(rest string) error {
	ts, err := tokenize(rest)
	if err != nil {
		return err
	}
	c, err := p.splitName(ts, func(c reminders.Contact, tail []token) error {
		if len(tail) == 0 || !slices.Contains(editFields, strings.ToLower(tail[0].text)) || !tail[0].plain() {
			return reminders.Errorf(reminders.EINVALID, "say which field to change (name, company, role, email, url or note), e.g. edit %s company Acme.", c.Name)
		}
		field := strings.ToLower(tail[0].text)
		value := strings.Join(strings.Fields(joinText(tail[1:])), " ")
		if field == "note" {
			value = strings.TrimSpace(joinText(tail[1:]))
		}
		if value == "" {
			return reminders.Errorf(reminders.EINVALID, "say the new %s, e.g. edit %s %s %s (or - to clear it).", field, c.Name, field, map[string]string{
				"name": "Jane Roe", "company": "Acme", "role": "CTO", "email": "jane@example.com", "url": "https://example.com", "note": "met at GopherCon"}[field])
		}
		if field == "url" || field == "email" {
			value = unwrapLink(value)
		}
		if value == "-" {
			if field == "name" {
				return reminders.Errorf(reminders.EINVALID, "a contact needs a name; to delete %s use remove %s.", c.Name, c.Name)
			}
			value = ""
		}
		if err := p.checkField(c, field, value); err != nil {
			return err
		}
		p.out.Field, p.out.Text = field, value
		return nil
	})
	if err != nil {
		return err
	}
	p.out.Contacts = []reminders.Contact{c}
	return nil
}

// checkField validates a new value of a contact's field.
func (p *parser) checkField(c reminders.Contact, field, value string) error {
	switch field {
	case "name":
		if err := reminders.CheckName(value); err != nil {
			return err
		}
		for _, o := range p.env.Contacts {
			if o.ID != c.ID && reminders.NameKey(o.Name) == reminders.NameKey(value) {
				return reminders.Errorf(reminders.ECONFLICT, "You already have a contact called %s; pick another name.", o.Name)
			}
		}
	case "email":
		if value == "" {
			return nil
		}
		if a, err := mail.ParseAddress(value); err != nil || a.Address != value {
			return reminders.Errorf(reminders.EINVALID, "%q is not an email address; use e.g. edit %s email jane@example.com.", value, c.Name)
		}
	case "url":
		if value == "" {
			return nil
		}
		u, err := url.Parse(value)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return reminders.Errorf(reminders.EINVALID, "%q is not a web address; use e.g. edit %s url https://example.com/jane.", value, c.Name)
		}
	}
	return checkText(field, value)
}

// tags reads: tag|untag <name> #tag ...
func (p *parser) tags(rest string) error {
	ts, err := tokenize(rest)
	if err != nil {
		return err
	}
	c, err := p.splitName(ts, func(c reminders.Contact, tail []token) error {
		if len(tail) == 0 {
			return reminders.Errorf(reminders.EINVALID, "say which tags, e.g. %s %s #investor #berlin.", p.out.Verb, c.Name)
		}
		var tags []string
		for _, t := range tail {
			if !t.plain() {
				return reminders.Errorf(reminders.EINVALID, "%q is not a tag; use e.g. %s %s #investor.", t.raw, p.out.Verb, c.Name)
			}
			tag, err := checkTag(t.text)
			if err != nil {
				return err
			}
			tags = append(tags, tag)
		}
		p.out.Tags = tags
		return nil
	})
	if err != nil {
		return err
	}
	p.out.Contacts = []reminders.Contact{c}
	return nil
}

// unwrapLink undoes Slack's link markup, <https://x|x> and <mailto:a@b|a@b>,
// which Slack wraps around URLs and addresses typed in a command.
func unwrapLink(s string) string {
	if strings.HasPrefix(s, "<") && strings.HasSuffix(s, ">") && !strings.ContainsAny(s, " \t") {
		s, _, _ = strings.Cut(s[1:len(s)-1], "|")
		s = strings.TrimPrefix(s, "mailto:")
	}
	return s
}
