package transfer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// columns maps the CSV headers kith understands (lower case) to a field:
// LinkedIn's Connections.csv and kith's own CSV export. Headers are found by
// name, so LinkedIn's changing column order and its preamble do not matter.
var columns = map[string]string{
	"first name": "first", "last name": "last", "name": "name",
	"email address": "email", "email": "email", "e-mail address": "email",
	"url": "url", "profile url": "url",
	"company": "company", "organization": "company",
	"position": "role", "role": "role", "job title": "role",
	"connected on": "added", "added": "added",
	"tags": "tags", "note": "note", "notes": "note", "cadence": "cadence",
}

// headerSearchRows bounds how far down the file the header may be; LinkedIn's
// preamble is a few lines.
const headerSearchRows = 30

// dateLayouts are the forms of LinkedIn's "Connected On" (12 Mar 2024) and of
// kith's own "Added" column.
var dateLayouts = []string{"02 Jan 2006", "2 Jan 2006", "2006-01-02", time.RFC3339, "Jan 2, 2006", "2-Jan-06"}

// parseCSV reads a LinkedIn Connections.csv or a kith CSV export.
func parseCSV(data []byte, now time.Time) (parsed, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var header map[string]int
	for i := 0; header == nil; i++ {
		row, err := r.Read()
		if err != nil || i >= headerSearchRows {
			return parsed{}, errNotImportable()
		}
		header = findHeader(row)
	}
	var p parsed
	for {
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			return p, nil
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return parsed{}, reminders.Errorf(reminders.EINVALID,
				"line %d of that CSV file cannot be read; export it again and import the new file.", line)
		}
		if len(p.records) >= MaxImportContacts {
			p.records = append(p.records, record{}) // parse reports the limit
			return p, nil
		}
		if rec, ok := csvRecord(header, row, line, now); ok {
			p.records = append(p.records, rec)
		}
	}
}

// findHeader returns the column of each known field when row is a header: it
// names a contact (name, or first and last name) and one more known column.
func findHeader(row []string) map[string]int {
	h := map[string]int{}
	for i, name := range row {
		if f, ok := columns[strings.ToLower(clean(name))]; ok {
			if _, dup := h[f]; !dup {
				h[f] = i
			}
		}
	}
	_, name := h["name"]
	_, first := h["first"]
	_, last := h["last"]
	if (name || (first && last)) && len(h) >= 2 {
		return h
	}
	return nil
}

// csvRecord turns one row into a record; ok is false for a blank row.
func csvRecord(h map[string]int, row []string, line int, now time.Time) (record, bool) {
	get := func(f string) string {
		i, ok := h[f]
		if !ok || i >= len(row) {
			return ""
		}
		return unguard(strings.TrimSpace(row[i]))
	}
	if strings.TrimSpace(strings.Join(row, "")) == "" {
		return record{}, false
	}
	rec := record{where: fmt.Sprintf("row %d", line)}
	name := clean(get("name"))
	if name == "" {
		name = clean(get("first") + " " + get("last"))
	}
	c := reminders.Contact{
		Name:    name,
		Company: clean(get("company")),
		Role:    clean(get("role")),
		Email:   clean(get("email")),
		URL:     clean(get("url")),
		Note:    get("note"),
		Added:   parseDate(get("added"), now),
	}
	c.AddTags(strings.Fields(get("tags"))...)
	if s := get("cadence"); s != "" {
		cad, err := reminders.ParseCadence(s)
		if err != nil {
			rec.skip = reminders.ErrorMessage(err)
		}
		c.Cadence = cad
	}
	rec.contact = c
	return rec, true
}

// parseDate reads a date in one of dateLayouts, falling back to now for a
// blank, unreadable or future date: the contact then counts from today.
func parseDate(s string, now time.Time) time.Time {
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil && !t.After(now) {
			return t
		}
	}
	return now
}

// formulaStarts are the first characters that make spreadsheets run a cell
// as a formula; the CSV export guards such cells with a leading quote.
const formulaStarts = "=+-@\t\r"

// guard prefixes a cell that a spreadsheet would run as a formula with a
// quote, so an exported note like "=HYPERLINK(...)" stays text.
func guard(s string) string {
	if s != "" && strings.ContainsRune(formulaStarts, rune(s[0])) {
		return "'" + s
	}
	return s
}

// unguard removes the quote guard added, so a kith CSV imports back unchanged.
func unguard(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.ContainsRune(formulaStarts, rune(s[1])) {
		return s[1:]
	}
	return s
}
