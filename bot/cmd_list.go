package bot

import (
	"fmt"
	"strings"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// maxListLines bounds a list reply so it fits in one chat message.
const maxListLines = 50

// list replies with the owner's contacts, filtered by tag and state.
func (b *Bot) list(c *call, p *lang.Parsed) (Message, error) {
	var s reminders.Settings
	var contacts []reminders.Contact
	err := b.store.View(c.ctx, c.owner, func(tx reminders.OwnerTx) error {
		var err error
		if s, err = tx.Settings(); err != nil {
			return err
		}
		contacts, err = tx.Contacts()
		return err
	})
	if err != nil {
		return Message{}, err
	}
	def, loc := s.DefaultCadence(), s.Location()
	var lines []string
	var tagged []reminders.Contact // for "next up" when nobody is due
	shown := 0
	for _, ct := range contacts {
		if len(p.Tags) > 0 && !ct.HasTag(p.Tags[0]) {
			continue
		}
		tagged = append(tagged, ct)
		if (p.Filter == "due" && !ct.Due(c.now, def)) || (p.Filter == "cold" && !ct.Cold(c.now, def)) {
			continue
		}
		shown++
		if len(lines) < maxListLines {
			lines = append(lines, fmt.Sprintf("• *%s* — %s; %s", title(ct), lastText(ct, c.now, loc), dueText(ct, c.now, def, loc)))
		}
	}
	what := map[string]string{"all": "Your contacts", "due": "Due now", "cold": "Gone cold"}[p.Filter]
	if len(p.Tags) > 0 {
		what += " tagged #" + p.Tags[0]
	}
	if shown == 0 {
		switch {
		case len(contacts) == 0:
			return Message{Text: "You have no contacts yet; add one with add Jane Doe at Acme."}, nil
		case p.Filter == "due":
			// Next up comes from the same tag, so it never names a contact the list would not show.
			text := what + ": nobody."
			if next := nextUp(tagged, s, c.now); next != "" {
				text += " Next up: " + next + "."
			}
			return Message{Text: text}, nil
		}
		return Message{Text: what + ": nobody."}, nil
	}
	m := Message{Title: fmt.Sprintf("%s (%d)", what, shown), Sections: []Section{{Text: strings.Join(lines, "\n")}}}
	if shown > len(lines) {
		m.Footer = fmt.Sprintf("…and %d more; narrow it with list #tag or list due.", shown-len(lines))
	}
	return m, nil
}
