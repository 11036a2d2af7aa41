package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// maxListLines bounds a list reply so it fits in one chat message; a
// longer list comes in pages of this many.
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
	loc := s.Location()
	var lines []string
	var tagged []reminders.Contact // for "next up" when nobody is due
	shown := 0
	page := max(p.Page, 1)
	first := (page - 1) * maxListLines
	for _, ct := range contacts {
		if len(p.Tags) > 0 && !ct.HasTag(p.Tags[0]) {
			continue
		}
		tagged = append(tagged, ct)
		def := s.DefaultFor(ct)
		if (p.Filter == "due" && !ct.Due(c.now, def)) || (p.Filter == "cold" && !ct.Cold(c.now, def)) {
			continue
		}
		shown++
		if shown > first && len(lines) < maxListLines {
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
	pages := (shown + maxListLines - 1) / maxListLines
	if page > pages {
		return Message{}, reminders.Errorf(reminders.EINVALID, "%s has %s; type %s.", strings.ToLower(what[:1])+what[1:], plural(pages, "page"), listCommand(p, 1))
	}
	m := Message{Title: fmt.Sprintf("%s (%d)", what, shown), Sections: chunked("", lines)}
	if pages > 1 {
		m.Title = fmt.Sprintf("%s (%d) · page %d of %d", what, shown, page, pages)
		m.Footer = fmt.Sprintf("Showing %d–%d.", first+1, first+len(lines))
		if page < pages {
			m.Footer += fmt.Sprintf(" Type %s for the next %d.", listCommand(p, page+1), min(maxListLines, shown-first-len(lines)))
		}
		m.Sections[len(m.Sections)-1].Buttons = pageButtons(c.owner, p, page, pages)
	}
	return m, nil
}

// listCommand is the typed form of a page of this list: "list #investor due 2".
func listCommand(p *lang.Parsed, page int) string {
	parts := []string{"list"}
	if len(p.Tags) > 0 {
		parts = append(parts, "#"+p.Tags[0])
	}
	parts = append(parts, p.Filter)
	if page > 1 {
		parts = append(parts, strconv.Itoa(page))
	}
	return strings.Join(parts, " ")
}

// maxPageValue bounds a page button's value, so that with the action and the
// owner it fits Discord's 100-character custom id; a list by a tag longer
// than that pages by typing only.
const maxPageValue = 60

// pageButtons are Back and More under one page of a list: each carries the
// list's filter, tag and the page it shows.
func pageButtons(owner reminders.OwnerID, p *lang.Parsed, page, pages int) []Button {
	var out []Button
	add := func(label string, to int) {
		tag := ""
		if len(p.Tags) > 0 {
			tag = p.Tags[0]
		}
		v := fmt.Sprintf("%d:%s:%s:%s", to, p.Filter, tag, ownerTag(owner))
		if len(v) <= maxPageValue {
			out = append(out, Button{Label: label, Action: ActPage, Value: v})
		}
	}
	if page > 1 {
		add("Back", page-1)
	}
	if page < pages {
		add("More", page+1)
	}
	return out
}

// actPage answers Back or More with that page of the list, in place.
func (b *Bot) actPage(ctx context.Context, a Action, owner reminders.OwnerID, now time.Time) (Message, error) {
	parts := strings.SplitN(a.Value, ":", 4)
	bad := reminders.Errorf(reminders.EINVALID, "that button is not one of kith's; type help to see the commands.")
	if len(parts) != 4 {
		return Message{}, bad
	}
	if parts[3] != ownerTag(owner) {
		return Message{}, reminders.Errorf(reminders.EINVALID, "that button belongs to someone else's message; kith only acts on your own contacts.")
	}
	page, err := strconv.Atoi(parts[0])
	if err != nil || page < 1 || (parts[1] != "all" && parts[1] != "due" && parts[1] != "cold") {
		return Message{}, bad
	}
	p := &lang.Parsed{Verb: "list", Filter: parts[1], Page: page}
	if parts[2] != "" {
		p.Tags = []string{parts[2]}
	}
	s, err := reminders.LoadSettings(ctx, b.store, owner)
	if err != nil {
		return Message{}, err
	}
	m, err := b.list(&call{ctx: ctx, owner: owner, now: now, set: s, loc: s.Location()}, p)
	if err != nil {
		return Message{}, err
	}
	m.Replace = true
	return m, nil
}
