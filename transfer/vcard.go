package transfer

import (
	"errors"
	"fmt"
	"io"
	"mime/quotedprintable"
	"strings"
	"time"

	"github.com/emersion/go-vcard"
	"github.com/kith-bot/kith/reminders"
)

// googleGroups are the system groups Google Contacts writes into CATEGORIES;
// they say nothing about the person, so they do not become tags.
var googleGroups = map[string]bool{"mycontacts": true, "starred": true}

// parseVCard reads a vCard 2.1, 3.0 or 4.0 file of one or more cards, as
// Apple Contacts, Google Contacts and Outlook write them.
func parseVCard(data []byte, now time.Time) (parsed, error) {
	dec := vcard.NewDecoder(strings.NewReader(strings.Join(logicalLines(string(data)), "\r\n")))
	var p parsed
	for n := 1; ; n++ {
		card, err := dec.Decode()
		if errors.Is(err, io.EOF) {
			return p, nil
		}
		if err != nil {
			return parsed{}, reminders.Errorf(reminders.EINVALID,
				"card %d of that vCard file is broken (each card needs BEGIN:VCARD and END:VCARD); export the file again.", n)
		}
		if len(p.records) >= MaxImportContacts {
			p.records = append(p.records, record{}) // parse reports the limit
			return p, nil
		}
		p.records = append(p.records, cardRecord(card, n, now))
	}
}

// cardRecord turns one card into a record.
func cardRecord(card vcard.Card, n int, now time.Time) record {
	rec := record{where: fmt.Sprintf("card %d", n)}
	if card.Kind() == vcard.KindGroup {
		rec.skip = "a group, not a person"
		return rec
	}
	name := clean(text(card.Get(vcard.FieldFormattedName)))
	if name == "" {
		if f := card.Get(vcard.FieldName); f != nil {
			parts := components(f)
			// N is family;given;additional;prefix;suffix.
			name = clean(strings.Join([]string{part(parts, 1), part(parts, 2), part(parts, 0)}, " "))
		}
	}
	c := reminders.Contact{
		Name:  name,
		Email: strings.TrimPrefix(clean(text(card.Preferred(vcard.FieldEmail))), "mailto:"),
		Role:  clean(text(card.Get(vcard.FieldTitle))),
		URL:   clean(text(card.Preferred(vcard.FieldURL))),
		Note:  strings.TrimSpace(text(card.Get(vcard.FieldNote))),
		Added: now,
	}
	if f := card.Get(vcard.FieldOrganization); f != nil {
		c.Company = clean(part(components(f), 0))
	}
	if c.Role == "" {
		c.Role = clean(text(card.Get(vcard.FieldRole)))
	}
	if c.URL == "" {
		c.URL = socialProfile(card)
	}
	for _, d := range cardDates(card) {
		c.SetDate(d)
	}
	for _, f := range card[vcard.FieldCategories] {
		for _, tag := range strings.Split(text(f), ",") {
			tag = strings.ReplaceAll(clean(reminders.NormalizeTag(tag)), " ", "-")
			if !googleGroups[tag] {
				c.AddTags(tag)
			}
		}
	}
	rec.contact = c
	return rec
}

// socialProfile returns Apple's LinkedIn profile field, the URL most useful
// for keeping in touch, when the card has no URL of its own.
func socialProfile(card vcard.Card) string {
	for _, f := range card["X-SOCIALPROFILE"] {
		if f.Params.HasType("linkedin") {
			return clean(text(f))
		}
	}
	return ""
}

// text returns a field's value decoded: quoted-printable (vCard 2.1) and the
// escapes go-vcard leaves in place (\; \: \N).
func text(f *vcard.Field) string {
	if f == nil {
		return ""
	}
	return unescape(qp(f, f.Value))
}

// components splits a structured value (N, ORG) at its unescaped semicolons.
func components(f *vcard.Field) []string {
	v := qp(f, f.Value)
	var parts []string
	start := 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++
		case ';':
			parts = append(parts, unescape(v[start:i]))
			start = i + 1
		}
	}
	return append(parts, unescape(v[start:]))
}

// part returns parts[i], or "" when there are fewer.
func part(parts []string, i int) string {
	if i < len(parts) {
		return parts[i]
	}
	return ""
}

// qp decodes a quoted-printable value, as Outlook writes non-ASCII notes.
func qp(f *vcard.Field, v string) string {
	if !strings.EqualFold(f.Params.Get("ENCODING"), "QUOTED-PRINTABLE") {
		return v
	}
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(v)))
	if err != nil {
		return v
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

// unescaper undoes the escapes of RFC 6350 that go-vcard does not; Google
// writes "https\://", Apple "\;" inside ORG.
var unescaper = strings.NewReplacer(`\;`, ";", `\:`, ":", `\N`, "\n", `\n`, "\n", `\,`, ",")

// unescape undoes vCard escapes.
func unescape(s string) string { return unescaper.Replace(s) }

// logicalLines unfolds a vCard file into one line per property: RFC folding
// (a line starting with a space continues the previous one) and the soft line
// breaks of vCard 2.1 quoted-printable values (a line ending in "="). It also
// rewrites vCard 2.1's bare parameters (EMAIL;PREF;INTERNET:) as TYPE=, which
// go-vcard would otherwise read as the value.
func logicalLines(data string) []string {
	var out []string
	cur, open := "", false
	flush := func() {
		if open && strings.TrimSpace(cur) != "" {
			out = append(out, fixParams(cur))
		}
		cur, open = "", false
	}
	for _, l := range strings.Split(data, "\n") {
		l = strings.TrimSuffix(l, "\r")
		switch {
		case open && isQP(cur) && strings.HasSuffix(cur, "="):
			cur = cur[:len(cur)-1] + l
		case open && l != "" && (l[0] == ' ' || l[0] == '\t'):
			cur += l[1:]
		default:
			flush()
			cur, open = l, true
		}
	}
	flush()
	return out
}

// propertyHead returns the name-and-parameters part of a property line: up to
// the first colon outside double quotes.
func propertyHead(l string) (head string, ok bool) {
	quoted := false
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '"':
			quoted = !quoted
		case ':':
			if !quoted {
				return l[:i], true
			}
		}
	}
	return l, false
}

// isQP reports whether a property line is quoted-printable.
func isQP(l string) bool {
	head, ok := propertyHead(l)
	return ok && strings.Contains(strings.ToUpper(head), "QUOTED-PRINTABLE")
}

// fixParams rewrites bare parameters (vCard 2.1) as TYPE= parameters.
func fixParams(l string) string {
	head, ok := propertyHead(l)
	if !ok || !strings.Contains(head, ";") {
		return l
	}
	params := strings.Split(head, ";")
	changed := false
	for i := 1; i < len(params); i++ {
		if params[i] != "" && !strings.Contains(params[i], "=") {
			params[i] = "TYPE=" + params[i]
			changed = true
		}
	}
	if !changed {
		return l
	}
	return strings.Join(params, ";") + l[len(head):]
}
