package transfer

import (
	"bytes"
	"time"
	"unicode/utf8"

	"github.com/kith-bot/kith/reminders"
)

// record is one contact read from a file, before it is matched.
type record struct {
	where    string // "row 7", "card 3", "contact 2": where a reason points
	contact  reminders.Contact
	history  []reminders.Interaction // kith exports only; PromiseID is the file's id
	promises []reminders.Promise     // kith exports only; ID is the file's id
	skip     string                  // why the record cannot be imported, when it cannot
}

// parsed is what one file holds.
type parsed struct {
	records  []record
	settings *reminders.Settings // kith exports only
}

// parse detects the file's format by its content (names lie: Connections.csv
// is often renamed, vCards come as .vcf, .vcard or .txt) and reads it.
func parse(data []byte, now time.Time) (parsed, error) {
	if len(data) > MaxImportBytes {
		return parsed{}, TooLarge("")
	}
	data = toUTF8(bytes.TrimPrefix(data, []byte("\ufeff")))
	head := bytes.TrimSpace(data)
	if len(head) == 0 {
		return parsed{}, reminders.Errorf(reminders.EINVALID,
			"that file is empty; send a LinkedIn Connections.csv, a vCard or a kith export.")
	}
	var (
		p   parsed
		err error
	)
	switch {
	case head[0] == '{':
		p, err = parseJSON(head)
	case hasPrefixFold(head, "BEGIN:VCARD"):
		p, err = parseVCard(data, now)
	default:
		p, err = parseCSV(data, now)
	}
	if err != nil {
		return parsed{}, err
	}
	if len(p.records) > MaxImportContacts {
		return parsed{}, reminders.Errorf(reminders.EINVALID,
			"that file holds %d contacts, more than the %d kith imports at once; split it and import each part.",
			len(p.records), MaxImportContacts)
	}
	return p, nil
}

// hasPrefixFold reports whether b starts with prefix in any case.
func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && bytes.EqualFold(b[:len(prefix)], []byte(prefix))
}

// cp1252 maps the bytes 0x80-0x9F of Windows-1252 to their runes; the rest of
// the upper half is Latin-1.
var cp1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

// toUTF8 returns data unchanged when it is UTF-8 and otherwise reads it as
// Windows-1252, the encoding older Outlook and Excel write.
func toUTF8(data []byte) []byte {
	if utf8.Valid(data) {
		return data
	}
	out := make([]byte, 0, len(data)+len(data)/8)
	for _, b := range data {
		switch {
		case b < 0x80:
			out = append(out, b)
		case b < 0xA0:
			out = utf8.AppendRune(out, cp1252[b-0x80])
		default:
			out = utf8.AppendRune(out, rune(b))
		}
	}
	return out
}
