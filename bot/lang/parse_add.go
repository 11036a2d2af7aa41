package lang

import (
	"strings"
	"unicode"

	"github.com/kith-bot/kith/reminders"
)

// maxText bounds any free text (a note, what was given) so one command cannot bloat the database.
const maxText = 2000

// checkText refuses free text that is too long.
func checkText(what, s string) error {
	if len(s) > maxText {
		return reminders.Errorf(reminders.EINVALID, "that %s is longer than %d characters; make it shorter.", what, maxText)
	}
	return nil
}

// add reads: add <name> [every <cadence>] [at <company>] [as <role>] [#tag ...] [: note]
func (p *parser) add(rest string) error {
	before, note, _ := splitNote(rest)
	ts, err := tokenize(before)
	if err != nil {
		return err
	}
	if err := checkText("note", note); err != nil {
		return err
	}
	p.out.Note = note
	// A keyword always starts its part, even last ("add Kim as"): a name
	// that holds one is quoted, so a forgotten value is an error, never a
	// piece of the name.
	isKey := func(i int) bool {
		t := ts[i]
		if !t.plain() {
			return false
		}
		w := strings.ToLower(t.text)
		return strings.HasPrefix(w, "#") || w == "every" || w == "at" || w == "as"
	}
	i := 0
	var nameParts []token
	for i < len(ts) && !isKey(i) {
		nameParts = append(nameParts, ts[i])
		i++
	}
	if len(nameParts) > 0 && nameParts[0].mention != "" {
		p.out.Mention = nameParts[0].mention
		if len(nameParts) == 1 {
			p.out.Name = nameParts[0].text
		} else {
			p.out.Name = joinText(nameParts[1:])
		}
		if p.out.Name == "" {
			return reminders.Errorf(reminders.EINVALID, "say the name too, e.g. add %s Jane Doe.", nameParts[0].raw)
		}
	} else {
		p.out.Name = joinText(nameParts)
	}
	p.out.Name = strings.Join(strings.Fields(p.out.Name), " ")
	if p.out.Name == "" {
		return p.usage("add")
	}
	if err := reminders.CheckName(p.out.Name); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i < len(ts) {
		if strings.HasPrefix(ts[i].text, "#") { // a lone # is refused as no tag
			tag, err := checkTag(ts[i].text)
			if err != nil {
				return err
			}
			p.out.Tags = append(p.out.Tags, tag)
			i++
			continue
		}
		key := strings.ToLower(ts[i].text)
		if seen[key] {
			return reminders.Errorf(reminders.EINVALID, "%q appears twice; give each of every, at and as once, e.g. add Jane Doe every 2w at Acme as CTO.", key)
		}
		seen[key] = true
		j := i + 1
		for j < len(ts) && !isKey(j) {
			j++
		}
		value := joinText(ts[i+1 : j])
		if value == "" {
			return reminders.Errorf(reminders.EINVALID, "%s needs %s after it, e.g. add Jane Doe %s; if %q is part of the name, quote it: add \"%s %s\".",
				key, map[string]string{"every": "a cadence", "at": "a company", "as": "a role"}[key],
				map[string]string{"every": "every 2w", "at": "at Acme", "as": "as CTO"}[key], ts[i].text, p.out.Name, ts[i].text)
		}
		switch key {
		case "every":
			c, err := reminders.ParseCadence(value)
			if err != nil {
				return err
			}
			p.out.Cadence = c
		case "at":
			p.out.Company = value
		case "as":
			p.out.Role = value
		}
		i = j
	}
	for _, c := range p.env.Contacts {
		if reminders.NameKey(c.Name) == reminders.NameKey(p.out.Name) {
			return reminders.Errorf(reminders.ECONFLICT, "You already have a contact called %s; see show %s, or add this one under another name.", c.Name, c.Name)
		}
	}
	if p.out.Mention != "" {
		if err := MentionFree(p.out.Mention, p.env.Contacts); err != nil {
			return err
		}
	}
	return firstErr(checkText("company", p.out.Company), checkText("role", p.out.Role))
}

// MentionFree refuses a chat user (a mention's id) that one of contacts already is.
func MentionFree(mention string, contacts []reminders.Contact) error {
	for _, c := range contacts {
		if c.Mention == mention {
			return reminders.Errorf(reminders.ECONFLICT, "%s is already your contact %s.", "<@"+mention+">", c.Name)
		}
	}
	return nil
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// isTag reports whether a token is a #tag.
func isTag(t token) bool { return t.plain() && len(t.text) > 1 && t.text[0] == '#' }

// checkTag validates a tag and returns it without '#', in lower case.
func checkTag(s string) (string, error) {
	tag := reminders.NormalizeTag(s)
	ok := tag != "" && len(tag) <= 50
	for _, r := range tag {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' && r != '.' && r != '/' {
			ok = false
		}
	}
	if !ok {
		return "", reminders.Errorf(reminders.EINVALID, "%q is not a tag; tags are one word of letters, digits and - _ . /, e.g. #investor.", s)
	}
	return tag, nil
}
