package transfer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-vcard"
	"github.com/kith-bot/kith/reminders"
)

// Export formats.
const (
	JSON  = "json"  // everything: settings, contacts, history, promises; imports back whole
	CSV   = "csv"   // one row per contact, for spreadsheets
	VCard = "vcard" // one vCard 3.0 per contact, for address books
)

// Export returns one owner's data in a format: JSON, CSV or VCard.
func Export(ctx context.Context, store reminders.Store, owner reminders.OwnerID, format string) ([]byte, error) {
	f := strings.ToLower(strings.TrimSpace(format))
	if f == "vcf" {
		f = VCard
	}
	if f != JSON && f != CSV && f != VCard {
		return nil, reminders.Errorf(reminders.EINVALID, "%q is not an export format; use json, csv or vcard.", format)
	}
	doc, err := readDocument(ctx, store, owner)
	if err != nil {
		return nil, err
	}
	switch f {
	case CSV:
		return writeCSV(doc)
	case VCard:
		return writeVCard(doc)
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	return append(b, '\n'), reminders.Internal(err)
}

// ExportAll writes every owner's data as one JSON Archive, reading one owner
// at a time so that memory follows the largest owner, not the whole database.
// Each owner is one line of compact JSON: indenting a whole database costs
// more than reading it (re-scanning every byte), and no one reads 100 MB of
// JSON by eye; a single owner's export (Export) stays indented.
func ExportAll(ctx context.Context, store reminders.Store, w io.Writer) error {
	owners, err := store.Owners(ctx)
	if err != nil {
		return reminders.Internal(err)
	}
	out := bufio.NewWriterSize(w, 256<<10)
	out.WriteString(`{"format":"` + FormatName + `","version":` + strconv.Itoa(FormatVersion) + `,"owners":[`)
	var line bytes.Buffer
	enc := json.NewEncoder(&line) // reuses its buffer, unlike json.Marshal per owner
	for n, owner := range owners {
		doc, err := readDocument(ctx, store, owner)
		if err != nil {
			return err
		}
		line.Reset()
		if n > 0 {
			line.WriteByte(',')
		}
		line.WriteByte('\n')
		if err := enc.Encode(doc); err != nil {
			return reminders.Internal(err)
		}
		if _, err := out.Write(bytes.TrimSuffix(line.Bytes(), []byte("\n"))); err != nil {
			return reminders.Internal(err)
		}
	}
	out.WriteString("\n]}\n")
	return reminders.Internal(out.Flush())
}

// readDocument reads everything of one owner in one transaction, so the
// export is a consistent picture.
func readDocument(ctx context.Context, store reminders.Store, owner reminders.OwnerID) (Document, error) {
	doc := Document{Format: FormatName, Version: FormatVersion, Owner: owner, Contacts: []ContactRecord{}}
	err := store.View(ctx, owner, func(tx reminders.OwnerTx) error {
		var err error
		if doc.Settings, err = tx.Settings(); err != nil {
			return err
		}
		// A "Did you mean…?" awaiting its answer is a moment's state, not data
		// the owner keeps; its command text would only confuse a reader.
		doc.Settings.Pending = nil
		contacts, err := tx.Contacts()
		if err != nil {
			return err
		}
		all, err := tx.Promises(0)
		if err != nil {
			return err
		}
		promises := map[uint64][]reminders.Promise{}
		for _, p := range all {
			promises[p.ContactID] = append(promises[p.ContactID], p)
		}
		for _, c := range contacts {
			hist, err := tx.History(c.ID, 0)
			if err != nil {
				return err
			}
			doc.Contacts = append(doc.Contacts, ContactRecord{Contact: c, History: hist, Promises: promises[c.ID]})
		}
		return nil
	})
	return doc, reminders.Internal(err)
}

// csvHeader is the CSV export's first row. Name to Added import back; the
// rest is derived and read by people.
var csvHeader = []string{"Name", "Company", "Role", "Email", "URL", "Tags", "Note", "Cadence", "Added",
	"Last contact", "Last kind", "Given", "Received", "Balance", "Next due", "Snoozed until", "Open promises"}

// writeCSV writes one row per contact, dates in the owner's time zone.
func writeCSV(doc Document) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	loc := doc.Settings.Location()
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format("2006-01-02")
	}
	_ = w.Write(csvHeader)
	for _, r := range doc.Contacts {
		c := r.Contact
		tags := make([]string, len(c.Tags))
		for i, t := range c.Tags {
			tags[i] = "#" + t
		}
		var open []string
		for _, p := range r.Promises {
			if p.Open() {
				s := p.What
				if !p.Due.IsZero() {
					s += " (by " + p.DueDay(loc).Format("2006-01-02") + ")"
				}
				open = append(open, s)
			}
		}
		row := []string{c.Name, c.Company, c.Role, c.Email, c.URL, strings.Join(tags, " "), c.Note,
			c.Cadence.Short(), day(c.Added), day(c.LastContact), string(c.LastKind),
			strconv.Itoa(c.Given), strconv.Itoa(c.Received), strconv.Itoa(c.Balance()),
			day(c.NextDue(doc.Settings.DefaultFor(c))), day(c.Snoozed), strings.Join(open, "; ")}
		for i := range row {
			row[i] = guard(row[i])
		}
		_ = w.Write(row)
	}
	w.Flush()
	return buf.Bytes(), reminders.Internal(w.Error())
}

// writeVCard writes one vCard 3.0 per contact: the version Apple, Google and
// Outlook all read.
func writeVCard(doc Document) ([]byte, error) {
	var buf bytes.Buffer
	enc := vcard.NewEncoder(&buf)
	for _, r := range doc.Contacts {
		c := r.Contact
		card := vcard.Card{}
		card.SetValue(vcard.FieldVersion, "3.0")
		card.SetValue(vcard.FieldProductID, "-//kith//kith//EN")
		card.SetValue(vcard.FieldFormattedName, c.Name)
		given, family := c.Name, ""
		if i := strings.LastIndex(c.Name, " "); i > 0 {
			given, family = c.Name[:i], c.Name[i+1:]
		}
		card.SetName(&vcard.Name{GivenName: given, FamilyName: family})
		if c.Email != "" {
			card.Set(vcard.FieldEmail, &vcard.Field{Value: c.Email, Params: vcard.Params{vcard.ParamType: {"INTERNET"}}})
		}
		for field, v := range map[string]string{vcard.FieldOrganization: c.Company, vcard.FieldTitle: c.Role,
			vcard.FieldURL: c.URL, vcard.FieldNote: c.Note} {
			if v != "" {
				card.SetValue(field, v)
			}
		}
		for _, t := range c.Tags {
			card.AddValue(vcard.FieldCategories, t)
		}
		putDates(card, c.Dates)
		if err := enc.Encode(card); err != nil {
			return nil, reminders.Internal(err)
		}
	}
	return buf.Bytes(), nil
}
