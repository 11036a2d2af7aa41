package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// Act runs a button click and returns the message to put in place of the
// one clicked. A digest button goes through the same code as the typed
// command, keyed by the button's identity (action, contact, digest) so that
// it acts once however often it is clicked.
func (b *Bot) Act(ctx context.Context, a Action) Message {
	now := b.now()
	owner, err := checkOwner(a.Owner)
	if err != nil {
		return finish(b.failure(ctx, "button", err)).As(buttonVerb(a.ID))
	}
	var m Message
	switch a.ID {
	case ActMet, ActSnooze, ActLess, ActCadence, ActKeepCadence:
		m, err = b.actEntry(ctx, a, owner, now)
	case ActShow:
		m, err = b.actShow(ctx, a, owner, now)
	case ActForget, ActKeep:
		m, err = b.actForget(ctx, a, owner, now)
	case ActPage:
		m, err = b.actPage(ctx, a, owner, now)
	case ActConfirm, ActDecline:
		m, err = b.actConfirm(ctx, a, owner, now)
	case ActIntroAsk, ActIntroOffer, ActIntroDecline, ActIntroChoose:
		m, err = b.actIntro(ctx, a, owner, now)
	default:
		err = reminders.Errorf(reminders.EINVALID, "that button is not one of kith's; type help to see the commands.")
	}
	if err != nil {
		return finish(b.failure(ctx, "button "+a.ID, err)).As(buttonVerb(a.ID))
	}
	if m.Verb != "" { // an answer to "Did you mean …?" counts as its command
		return finish(m)
	}
	return finish(m).As(buttonVerb(a.ID))
}

// LessOften is the verb of the Less often button, which no typed command has.
const LessOften = "less-often"

// buttonVerb is the verb a click on button id counts as: the command it
// acts like, "" for a button that is not kith's.
func buttonVerb(id string) string {
	switch id {
	case ActMet, ActSnooze, ActShow:
		return id
	case ActLess:
		return LessOften
	case ActCadence, ActKeepCadence:
		return "every"
	case ActIntroAsk, ActIntroOffer, ActIntroDecline, ActIntroChoose:
		return "who-knows"
	case ActForget, ActKeep:
		return "forget-me"
	case ActPage:
		return "list"
	}
	return ""
}

// ownValue reads a button value and refuses a click by anyone but the owner of the message.
func ownValue(a Action, owner reminders.OwnerID) (buttonValue, error) {
	v, err := parseValue(a.Value)
	if err != nil {
		return v, err
	}
	if v.Owner != ownerTag(owner) {
		return v, reminders.Errorf(reminders.EINVALID, "that button belongs to someone else's message; kith only acts on your own contacts.")
	}
	return v, nil
}

// contactOf reads the clicked contact and the owner's settings through the clicker's own data.
func (b *Bot) contactOf(ctx context.Context, owner reminders.OwnerID, id uint64) (reminders.Contact, reminders.Settings, error) {
	var c reminders.Contact
	var s reminders.Settings
	err := b.store.View(ctx, owner, func(tx reminders.OwnerTx) error {
		var err error
		if s, err = tx.Settings(); err != nil {
			return err
		}
		c, err = tx.Contact(id)
		return err
	})
	if reminders.ErrorCode(err) == reminders.ENOTFOUND {
		return c, s, reminders.Errorf(reminders.ENOTFOUND, "that contact is no longer in your list; see list.")
	}
	return c, s, err
}

// actShow answers Show with the contact card, as a new message.
func (b *Bot) actShow(ctx context.Context, a Action, owner reminders.OwnerID, now time.Time) (Message, error) {
	v, err := ownValue(a, owner)
	if err != nil {
		return Message{}, err
	}
	if _, _, err := b.contactOf(ctx, owner, v.Contact); err != nil {
		return Message{}, err
	}
	var m Message
	err = b.store.View(ctx, owner, func(tx reminders.OwnerTx) error {
		c, err := tx.Contact(v.Contact)
		if err != nil {
			return err
		}
		m, err = card(tx, c, now, false)
		return err
	})
	return m, err
}

// actEntry runs Met, Snooze 1w or Less often on a digest entry and answers
// with the digest as it stands now, headed by what was done.
func (b *Bot) actEntry(ctx context.Context, a Action, owner reminders.OwnerID, now time.Time) (Message, error) {
	v, err := ownValue(a, owner)
	if err != nil {
		return Message{}, err
	}
	c, s, err := b.contactOf(ctx, owner, v.Contact)
	if err != nil {
		return Message{}, err
	}
	loc := s.Location()
	var label string
	snoozeFor, words, ok := snoozeChoice(v.Choice)
	if v.Choice != "" && (!ok || a.ID != ActSnooze) {
		return Message{}, reminders.Errorf(reminders.EINVALID, "that button is not one of kith's; type help to see the commands.")
	}
	switch a.ID {
	case ActMet:
		label = "met " + c.Name
	case ActSnooze:
		label = "snoozed " + c.Name + " for " + words
	case ActLess:
		label = "less often: " + c.Name
	case ActCadence:
		label = "new cadence for " + c.Name
	case ActKeepCadence:
		label = "kept " + c.Name + "'s cadence"
	}
	question := a.ID
	if a.ID == ActCadence || a.ID == ActKeepCadence {
		question = "offer" // take or keep: one answer to one suggestion
	}
	key := fmt.Sprintf("btn:%s:%d:%d", question, v.Contact, v.Slot)
	var done Message
	err = b.store.Update(ctx, owner, reminders.Change{Key: key, Undo: label, Now: now, Contacts: []uint64{v.Contact}}, func(tx reminders.OwnerTx) error {
		cur, err := tx.Contact(v.Contact)
		if err != nil {
			return err
		}
		p := lang.Parsed{Verb: a.ID, Contacts: []reminders.Contact{cur}}
		switch a.ID {
		case ActSnooze:
			p.When = snoozeFor.After(now)
		case ActCadence, ActKeepCadence:
			return b.settleOffer(tx, now, loc, a.ID == ActCadence, cur, &done)
		case ActLess:
			set, err := tx.Settings()
			if err != nil {
				return err
			}
			p.Verb, p.Cadence = "every", cur.Cadence.Or(set.DefaultFor(cur)).Double()
			cur.Pushed()
			p.Contacts[0] = cur
		}
		done, err = b.apply(tx, now, loc, &p)
		return err
	})
	heading := "Done: " + label
	code := reminders.ErrorCode(err)
	switch code {
	case "":
	case reminders.EDUPLICATE: // a second click: say so, and show the digest as it stands
		heading, done = b.errorText(ctx, "button "+a.ID, err)+" ("+label+")", Message{}
		switch {
		case v.Choice != "":
			// The choices of a menu answer one question: the one taken
			// first may not be the one clicked now, so name none.
			heading = "Already done: a snooze was chosen for " + c.Name + " on this message before, so nothing changed."
		case question == "offer":
			heading = "Already done: the cadence suggestion for " + c.Name + " was answered on this message before, so nothing changed."
		}
	default:
		return Message{}, err
	}
	m, err := b.refreshed(ctx, owner, now, v.Slot, heading)
	if err != nil {
		return Message{}, err
	}
	if done.Text != "" {
		m.Sections = append([]Section{{Text: done.Text}}, m.Sections...)
	}
	m.Replace = true
	if code == reminders.EDUPLICATE {
		m.Code = code
	}
	return m, nil
}

// settleOffer takes or dismisses the cadence a digest entry offers, as it
// stands now: an offer that has gone (taken already, or the rhythm changed)
// is refused.
func (b *Bot) settleOffer(tx reminders.OwnerTx, now time.Time, loc *time.Location, take bool, c reminders.Contact, done *Message) error {
	set, err := tx.Settings()
	if err != nil {
		return err
	}
	o, ok := c.Offer(c.Cadence.Or(set.DefaultFor(c)), now)
	if !ok {
		return reminders.Errorf(reminders.EINVALID, "kith has no new cadence to suggest for %s now; set one with every %s <cadence>.", c.Name, shortName(c))
	}
	c.Settle(o, take, now)
	if take {
		p := lang.Parsed{Verb: "every", Contacts: []reminders.Contact{c}, Cadence: o.Cadence}
		*done, err = b.apply(tx, now, loc, &p)
		return err
	}
	*done = Message{Text: fmt.Sprintf("Keeping %s's cadence as it is; kith will not suggest a change for %d days.", c.Name, int(reminders.LearnQuiet.Hours()/24))}
	return tx.PutContact(&c)
}

// refreshed is the digest as it stands now under a heading, keeping the
// original slot in its buttons so each of them still acts once.
func (b *Bot) refreshed(ctx context.Context, owner reminders.OwnerID, now time.Time, slot int64, heading string) (Message, error) {
	d, err := reminders.BuildDigest(ctx, b.store, owner, now)
	if err != nil {
		return Message{}, err
	}
	if d.Empty() {
		return Message{Title: heading, Sections: []Section{}, Footer: "Nobody else is due right now."}, nil
	}
	return digestMessage(d, slot, heading), nil
}
