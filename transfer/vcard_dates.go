package transfer

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/emersion/go-vcard"
	"github.com/kith-bot/kith/reminders"
)

// Important dates in vCards: BDAY is the birthday and ANNIVERSARY (vCard 4,
// or Apple's X-ANNIVERSARY) the anniversary; any other label kith keeps
// travels as X-KITH-DATE with the label in X-LABEL, so a kith vCard export
// brings every date back.
const (
	labelBirthday    = "birthday"
	labelAnniversary = "anniversary"
	fieldKithDate    = "X-KITH-DATE"
	paramLabel       = "X-LABEL"
)

// appleNoYear is the year Apple Contacts writes for a date without one
// (with X-APPLE-OMIT-YEAR=1604).
const appleNoYear = 1604

// cardDates reads a card's important dates, leaving out values it cannot read.
func cardDates(card vcard.Card) []reminders.Date {
	var out []reminders.Date
	add := func(label string, f *vcard.Field) {
		if f == nil {
			return
		}
		d, ok := vcardDate(f.Value)
		if !ok {
			return
		}
		d.Label = label
		if reminders.CheckDate(d) == nil {
			out = append(out, d)
		}
	}
	add(labelBirthday, card.Get(vcard.FieldBirthday))
	if f := card.Get(vcard.FieldAnniversary); f != nil {
		add(labelAnniversary, f)
	} else {
		add(labelAnniversary, card.Get("X-ANNIVERSARY"))
	}
	for _, f := range card[fieldKithDate] {
		if label := clean(f.Params.Get(paramLabel)); label != "" {
			add(label, f)
		}
	}
	return out
}

// vcardDate reads the date forms vCards use: 1990-05-03, 19900503, --05-03,
// --0503, and a date-time whose date part is one of those.
func vcardDate(v string) (reminders.Date, bool) {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, 'T'); i > 0 {
		v = v[:i]
	}
	if md, ok := strings.CutPrefix(v, "--"); ok {
		md = strings.ReplaceAll(md, "-", "")
		if len(md) != 4 {
			return reminders.Date{}, false
		}
		m, e1 := strconv.Atoi(md[:2])
		d, e2 := strconv.Atoi(md[2:])
		return reminders.Date{Month: time.Month(m), Day: d}, e1 == nil && e2 == nil
	}
	v = strings.ReplaceAll(v, "-", "")
	if len(v) != 8 {
		return reminders.Date{}, false
	}
	y, e1 := strconv.Atoi(v[:4])
	m, e2 := strconv.Atoi(v[4:6])
	d, e3 := strconv.Atoi(v[6:])
	if e1 != nil || e2 != nil || e3 != nil {
		return reminders.Date{}, false
	}
	if y == appleNoYear {
		y = 0
	}
	return reminders.Date{Month: time.Month(m), Day: d, Year: y}, true
}

// putDates writes a contact's dates into a card.
func putDates(card vcard.Card, dates []reminders.Date) {
	for _, d := range dates {
		v := fmt.Sprintf("--%02d-%02d", int(d.Month), d.Day)
		if d.Year != 0 {
			v = fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
		}
		switch strings.ToLower(d.Label) {
		case labelBirthday:
			card.SetValue(vcard.FieldBirthday, v)
		case labelAnniversary:
			card.SetValue(vcard.FieldAnniversary, v)
		default:
			card.Add(fieldKithDate, &vcard.Field{Value: v, Params: vcard.Params{paramLabel: {d.Label}}})
		}
	}
}
