package bot

import (
	"fmt"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// logInteraction stores an interaction on a contact and updates the contact's derived fields.
func logInteraction(tx reminders.OwnerTx, c *reminders.Contact, kind reminders.Kind, at, now time.Time, text string, promise uint64) error {
	i, err := reminders.NewInteraction(c.ID, kind, at, now, text)
	if err != nil {
		return err
	}
	i.PromiseID = promise
	if err := tx.AddInteraction(&i); err != nil {
		return err
	}
	c.Record(i)
	return tx.PutContact(c)
}

// met logs a meeting with each contact named.
func (b *Bot) met(tx reminders.OwnerTx, now time.Time, loc *time.Location, p *lang.Parsed) (Message, error) {
	s, err := tx.Settings()
	if err != nil {
		return Message{}, err
	}
	at := p.When
	if at.IsZero() {
		at = now
	}
	names := make([]string, 0, len(p.Contacts))
	var last reminders.Contact
	for _, c := range p.Contacts {
		if !at.Before(c.Since()) { // a meeting logged late says nothing of the rhythm
			c.Met(at, c.Cadence.Or(s.DefaultFor(c)))
		}
		if err := logInteraction(tx, &c, reminders.Met, at, now, p.Note, 0); err != nil {
			return Message{}, err
		}
		names = append(names, "*"+c.Name+"*")
		last = c
	}
	text := fmt.Sprintf("Logged: met %s %s", andList(names), whenText(at, now, loc))
	if p.Note != "" {
		text += ": " + quote(p.Note)
	}
	text += "."
	if len(p.Contacts) == 1 {
		text += " Next check-in: " + dueText(last, now, s.DefaultFor(last), loc) + "."
	}
	return Message{Text: text}, nil
}

// favour logs a favour given or received.
func (b *Bot) favour(tx reminders.OwnerTx, now time.Time, loc *time.Location, p *lang.Parsed) (Message, error) {
	c := p.Contacts[0]
	kind := reminders.Gave
	if p.Verb == "got" {
		kind = reminders.Got
	}
	at := p.When
	if at.IsZero() {
		at = now
	}
	if err := logInteraction(tx, &c, kind, at, now, p.Text, 0); err != nil {
		return Message{}, err
	}
	verb := "you gave *" + c.Name + "*"
	if kind == reminders.Got {
		verb = "*" + c.Name + "* gave you"
	}
	return Message{Text: fmt.Sprintf("Logged: %s %s %s. Balance: %s.", verb, quote(p.Text), whenText(at, now, loc), balanceText(c))}, nil
}

// note adds a note, which does not reset the contact's clock.
func (b *Bot) note(tx reminders.OwnerTx, now time.Time, p *lang.Parsed) (Message, error) {
	c := p.Contacts[0]
	if err := logInteraction(tx, &c, reminders.Note, now, now, p.Text, 0); err != nil {
		return Message{}, err
	}
	return Message{Text: fmt.Sprintf("Noted on *%s*: %s", c.Name, quote(p.Text))}, nil
}

// promise records something the owner owes a contact.
func (b *Bot) promise(tx reminders.OwnerTx, now time.Time, loc *time.Location, p *lang.Parsed) (Message, error) {
	c := p.Contacts[0]
	pr := reminders.Promise{ContactID: c.ID, What: p.Text, Due: p.When, Created: now}
	if err := tx.PutPromise(&pr); err != nil {
		return Message{}, err
	}
	by := ""
	if !pr.Due.IsZero() {
		by = " by " + dayText(pr.DueDay(loc), now, loc)
	}
	return Message{Text: fmt.Sprintf("Promised *%s*: %s%s. It shows in your digests until you type done %s.", c.Name, quote(pr.What), by, shortName(c))}, nil
}

// done completes an open promise and logs it as a favour given.
func (b *Bot) done(tx reminders.OwnerTx, now time.Time, p *lang.Parsed) (Message, error) {
	c := p.Contacts[0]
	pr := p.Promise
	pr.Done = now
	if err := tx.PutPromise(&pr); err != nil {
		return Message{}, err
	}
	if err := logInteraction(tx, &c, reminders.Gave, now, now, pr.What, pr.ID); err != nil {
		return Message{}, err
	}
	return Message{Text: fmt.Sprintf("Kept your promise to *%s*: %s. Logged it as given; balance: %s.", c.Name, quote(pr.What), balanceText(c))}, nil
}
