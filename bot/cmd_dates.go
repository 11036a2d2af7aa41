package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// rememberDate adds, replaces or (with remember … off) drops an important date.
func (b *Bot) rememberDate(tx reminders.OwnerTx, now time.Time, loc *time.Location, p *lang.Parsed) (Message, error) {
	c := p.Contacts[0]
	d := *p.Date
	if d.Month == 0 {
		if !c.DropDate(d.Label) {
			return Message{}, reminders.Errorf(reminders.ENOTFOUND, "%s has no date called %s; show %s lists their dates.", c.Name, d.Label, shortName(c))
		}
		if err := tx.PutContact(&c); err != nil {
			return Message{}, err
		}
		return Message{Text: fmt.Sprintf("Forgot %s's %s.", c.Name, d.Label)}, nil
	}
	c.SetDate(d)
	if err := tx.PutContact(&c); err != nil {
		return Message{}, err
	}
	return Message{Text: fmt.Sprintf("Remembered %s's %s: %s. %s", c.Name, d.Label, d.String(), dateComing(d, now, loc))}, nil
}

// dateComing says when a date next falls and when the digest brings it.
func dateComing(d reminders.Date, now time.Time, loc *time.Location) string {
	on, days, ok := d.Next(now, loc)
	switch {
	case !ok:
		return "That day has passed."
	case days == 0:
		return "That is today."
	case days <= reminders.DateWindow:
		return fmt.Sprintf("That is in %s; your digests bring it until the day.", plural(days, "day"))
	}
	return fmt.Sprintf("Next on %s; your digests bring it from %d days before.", dateText(on, now, loc), reminders.DateWindow)
}

// datesText lists a contact's dates for the card: "birthday May 3 (in 5 days)".
func datesText(c reminders.Contact, now time.Time, loc *time.Location) string {
	lines := make([]string, 0, len(c.Dates))
	for _, d := range c.Dates {
		s := d.Label + ": " + d.String()
		if _, days, ok := d.Next(now, loc); ok {
			switch days {
			case 0:
				s += " (today)"
			case 1:
				s += " (tomorrow)"
			default:
				s += " (in " + plural(days, "day") + ")"
			}
		}
		lines = append(lines, s)
	}
	return strings.Join(lines, "\n")
}

// tagCadence sets or drops the cadence of every contact with a tag.
func tagCadence(tx reminders.OwnerTx, s reminders.Settings, now time.Time, p *lang.Parsed) (Message, error) {
	tag := p.Tags[0]
	s.SetTagCadence(tag, p.Cadence)
	if err := tx.PutSettings(s); err != nil {
		return Message{}, err
	}
	contacts, err := tx.Contacts()
	if err != nil {
		return Message{}, err
	}
	tagged, own := 0, 0
	for _, c := range contacts {
		if c.HasTag(tag) {
			tagged++
			if !c.Cadence.IsZero() {
				own++
			}
		}
	}
	if p.Cadence.IsZero() {
		return Message{Text: fmt.Sprintf("#%s has no cadence of its own any more; its contacts follow your default (%s) unless they have their own.", tag, s.DefaultCadence())}, nil
	}
	text := fmt.Sprintf("#%s: %s, for the %s with the tag now and any you tag later.", tag, p.Cadence, plural(tagged, "contact"))
	if own > 0 {
		text += fmt.Sprintf(" %s of them keep the cadence set on them with every <name>.", plural(own, "contact"))
	}
	return Message{Text: text}, nil
}

// cadenceText says a contact's cadence and where it comes from, for the card.
func cadenceText(s reminders.Settings, c reminders.Contact) string {
	cad, source, tag := s.CadenceFor(c)
	switch source {
	case reminders.CadenceOwn:
		return cad.String() + " (set for them)"
	case reminders.CadenceTag:
		return cad.String() + " (from #" + tag + ")"
	}
	return cad.String() + " (your default)"
}
