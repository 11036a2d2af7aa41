package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// historyShown is how many recent interactions a contact card lists.
const historyShown = 5

// historyAll bounds "show Jane all", so the card fits in one chat message.
const historyAll = 200

// linesPerSection keeps a section's text under Slack's 3,000 characters.
const linesPerSection = 25

// show replies with the card of the contact named.
func (b *Bot) show(c *call, p *lang.Parsed) (Message, error) {
	var out Message
	err := b.store.View(c.ctx, c.owner, func(tx reminders.OwnerTx) error {
		named, err := tx.Contact(p.Contacts[0].ID)
		if err != nil {
			return err
		}
		out, err = card(tx, named, c.now, p.Filter == "all")
		return err
	})
	return out, err
}

// card is a contact's card: details, cadence, last contact, next due,
// balance, open promises and recent history (all of it, up to historyAll,
// when full is set).
func card(tx reminders.OwnerTx, c reminders.Contact, now time.Time, full bool) (Message, error) {
	s, err := tx.Settings()
	if err != nil {
		return Message{}, err
	}
	loc, def := s.Location(), s.DefaultFor(c)
	history, err := tx.History(c.ID, 0)
	if err != nil {
		return Message{}, err
	}
	total, shown := len(history), historyShown
	if full {
		shown = historyAll
	}
	history = history[:min(shown, total)]
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
		heading := "Recent history"
		if full {
			heading = fmt.Sprintf("History (%d)", total)
		}
		if more := total - len(history); more > 0 {
			hint := fmt.Sprintf("…and %s; type show %s all to see them.", entries(more), shortName(c))
			if full {
				hint = fmt.Sprintf("…and %s, the oldest; type export for everything.", entries(more))
			}
			lines = append(lines, hint)
		}
		m.Sections = append(m.Sections, chunked(heading, lines)...)
	}
	m.Footer = "added " + dateText(c.Added, now, loc)
	return m, nil
}

// entries counts earlier history entries: "1 earlier entry", "7 earlier entries".
func entries(n int) string {
	if n == 1 {
		return "1 earlier entry"
	}
	return fmt.Sprintf("%d earlier entries", n)
}

// chunked lays lines out as sections of at most linesPerSection lines, the
// first under title, so a long list is never cut by a platform's limit.
func chunked(title string, lines []string) []Section {
	var out []Section
	for len(lines) > 0 {
		n := min(linesPerSection, len(lines))
		out = append(out, Section{Title: title, Text: strings.Join(lines[:n], "\n")})
		lines, title = lines[n:], ""
	}
	return out
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
