package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// add creates a contact.
func (b *Bot) add(tx reminders.OwnerTx, now time.Time, loc *time.Location, p *lang.Parsed) (Message, error) {
	s, err := tx.Settings()
	if err != nil {
		return Message{}, err
	}
	c := reminders.Contact{Name: p.Name, Company: p.Company, Role: p.Role, Mention: p.Mention, Note: p.Note, Cadence: p.Cadence, Added: now}
	c.AddTags(p.Tags...)
	if err := tx.PutContact(&c); err != nil {
		return Message{}, err
	}
	var about []string
	switch {
	case c.Role != "" && c.Company != "":
		about = append(about, c.Role+" at "+c.Company)
	case c.Company != "":
		about = append(about, c.Company)
	case c.Role != "":
		about = append(about, c.Role)
	}
	about = append(about, c.Cadence.Or(s.DefaultFor(c)).String())
	if len(c.Tags) > 0 {
		about = append(about, tagsText(c.Tags))
	}
	text := fmt.Sprintf("Added *%s* (%s); %s. Log a meeting with: met %s", c.Name, strings.Join(about, ", "),
		dueText(c, now, s.DefaultFor(c), loc), shortName(c))
	return Message{Text: text}, nil
}

// shortName is the name as the user would type it back: quoted when it holds spaces.
func shortName(c reminders.Contact) string {
	if strings.ContainsAny(c.Name, " \t") {
		return `"` + c.Name + `"`
	}
	return c.Name
}

// snooze silences a contact until p.When.
func (b *Bot) snooze(tx reminders.OwnerTx, now time.Time, loc *time.Location, p *lang.Parsed) (Message, error) {
	c := p.Contacts[0]
	c.Snoozed = p.When
	c.Pushed()
	if err := tx.PutContact(&c); err != nil {
		return Message{}, err
	}
	return Message{Text: fmt.Sprintf("Snoozed *%s* until %s; no nudges about them before then.", c.Name, dateText(c.Snoozed, now, loc))}, nil
}

// every changes a contact's cadence.
func (b *Bot) every(tx reminders.OwnerTx, now time.Time, loc *time.Location, p *lang.Parsed) (Message, error) {
	s, err := tx.Settings()
	if err != nil {
		return Message{}, err
	}
	if len(p.Contacts) == 0 {
		return tagCadence(tx, s, now, p)
	}
	c := p.Contacts[0]
	c.Cadence = p.Cadence
	if err := tx.PutContact(&c); err != nil {
		return Message{}, err
	}
	if p.Cadence.Never {
		return Message{Text: fmt.Sprintf("kith keeps *%s* but will not nudge you about them; change it with every %s monthly.", c.Name, shortName(c))}, nil
	}
	return Message{Text: fmt.Sprintf("*%s*: %s from now on; %s.", c.Name, p.Cadence.String(), dueText(c, now, s.DefaultFor(c), loc))}, nil
}

// edit changes one field of a contact.
func (b *Bot) edit(tx reminders.OwnerTx, p *lang.Parsed) (Message, error) {
	c := p.Contacts[0]
	old := c.Name
	switch p.Field {
	case "name":
		c.Name = p.Text
	case "company":
		c.Company = p.Text
	case "role":
		c.Role = p.Text
	case "email":
		c.Email = p.Text
	case "url":
		c.URL = p.Text
	case "note":
		c.Note = p.Text
	}
	if err := tx.PutContact(&c); err != nil {
		return Message{}, err
	}
	if p.Text == "" {
		return Message{Text: fmt.Sprintf("Cleared the %s of *%s*.", p.Field, c.Name)}, nil
	}
	if p.Field == "name" {
		return Message{Text: fmt.Sprintf("Renamed *%s* to *%s*.", old, c.Name)}, nil
	}
	return Message{Text: fmt.Sprintf("The %s of *%s* is now %s.", p.Field, c.Name, p.Text)}, nil
}

// tags adds or removes tags.
func (b *Bot) tags(tx reminders.OwnerTx, p *lang.Parsed) (Message, error) {
	c := p.Contacts[0]
	if p.Verb == "tag" {
		c.AddTags(p.Tags...)
	} else {
		for _, t := range p.Tags {
			if !c.HasTag(t) {
				have := "no tags"
				if len(c.Tags) > 0 {
					have = "tags " + tagsText(c.Tags)
				}
				return Message{}, reminders.Errorf(reminders.ENOTFOUND, "%s has no tag #%s (they have %s); nothing was changed.", c.Name, t, have)
			}
		}
		c.RemoveTags(p.Tags...)
	}
	if err := tx.PutContact(&c); err != nil {
		return Message{}, err
	}
	now := "no tags"
	if len(c.Tags) > 0 {
		now = tagsText(c.Tags)
	}
	return Message{Text: fmt.Sprintf("*%s* now has %s.", c.Name, now)}, nil
}

// remove deletes a contact with its history; undo brings it back.
func (b *Bot) remove(tx reminders.OwnerTx, p *lang.Parsed) (Message, error) {
	c := p.Contacts[0]
	if err := tx.DeleteContact(c.ID); err != nil {
		return Message{}, err
	}
	return Message{Text: fmt.Sprintf("Removed *%s* and their history. Changed your mind? undo brings them back within %d minutes.", c.Name, int(reminders.UndoWindow.Minutes()))}, nil
}
