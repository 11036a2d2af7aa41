package bot

import (
	"strings"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// historyShown is how many recent interactions a contact card lists.
const historyShown = 5

// show replies with the card of the contact named.
func (b *Bot) show(c *call, p *lang.Parsed) (Message, error) {
	var out Message
	err := b.store.View(c.ctx, c.owner, func(tx reminders.OwnerTx) error {
		named, err := tx.Contact(p.Contacts[0].ID)
		if err != nil {
			return err
		}
		out, err = card(tx, named, c.now)
		return err
	})
	return out, err
}

// card is a contact's card: details, cadence, last contact, next due,
// balance, open promises and recent history.
func card(tx reminders.OwnerTx, c reminders.Contact, now time.Time) (Message, error) {
	s, err := tx.Settings()
	if err != nil {
		return Message{}, err
	}
	loc, def := s.Location(), s.DefaultFor(c)
	history, err := tx.History(c.ID, historyShown)
	if err != nil {
		return Message{}, err
	}
	promises, err := tx.Promises(c.ID)
	if err != nil {
		return Message{}, err
	}
	var details []Field
	for _, f := range []Field{{"Role", c.Role}, {"Company", c.Company}, {"Email", c.Email}, {"URL", c.URL}, {"Tags", tagsText(c.Tags)}, {"Note", c.Note}} {
		if f.Value != "" {
			details = append(details, f)
		}
	}
	if c.Mention != "" {
		details = append(details, Field{"Chat", "<@" + c.Mention + ">"})
	}
	if len(c.Dates) > 0 {
		details = append(details, Field{"Dates", datesText(c, now, loc)})
	}
	details = append(details,
		Field{"Cadence", cadenceText(s, c)},
		Field{"Last contact", lastText(c, now, loc)},
		Field{"Next", dueText(c, now, def, loc)},
		Field{"Balance", balanceText(c)},
	)
	m := Message{Title: title(c), Sections: []Section{{Fields: details}}}
	var open []string
	for _, p := range promises {
		if p.Open() {
			open = append(open, "• "+promiseText(p, now, loc))
		}
	}
	if len(open) > 0 {
		m.Sections = append(m.Sections, Section{Title: "Open promises", Text: strings.Join(open, "\n")})
	}
	if len(history) > 0 {
		lines := make([]string, len(history))
		for i, h := range history {
			lines[i] = "• " + historyLine(h, now, loc)
		}
		m.Sections = append(m.Sections, Section{Title: "Recent history", Text: strings.Join(lines, "\n")})
	}
	m.Footer = "added " + dateText(c.Added, now, loc)
	return m, nil
}

// historyLine is one interaction in a card: "Tue Nov 17 · met: “coffee”".
func historyLine(h reminders.Interaction, now time.Time, loc *time.Location) string {
	s := dateText(h.At, now, loc) + " · " + kindText(h.Kind)
	if h.Text != "" {
		s += ": " + quote(h.Text)
	}
	if h.PromiseID != 0 {
		s += " (promise kept)"
	}
	return s
}
