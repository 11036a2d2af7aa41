package bot

import (
	"fmt"

	"github.com/kith-bot/kith/reminders"
)

// buildDigest composes the owner's digest now and names who is next when nobody is due.
func (b *Bot) buildDigest(c *call) (reminders.Digest, string, error) {
	var d reminders.Digest
	var next string
	err := b.store.View(c.ctx, c.owner, func(tx reminders.OwnerTx) error {
		n, err := reminders.LoadNetwork(tx)
		if err != nil {
			return err
		}
		d = n.Digest(c.owner, c.now)
		if d.Empty() {
			next = nextUp(n.Contacts, n.Settings, c.now)
		}
		return nil
	})
	return d, next, err
}

// due replies with what the digest would say right now.
func (b *Bot) due(c *call) (Message, error) {
	d, next, err := b.buildDigest(c)
	if err != nil {
		return Message{}, err
	}
	if d.Empty() {
		return nothingDue(next), nil
	}
	return digestMessage(d, digestSlot(d), ""), nil
}

// digestNow sends the owner's digest to their DMs now. The request key is
// claimed first so a retried delivery sends it once.
func (b *Bot) digestNow(c *call) (Message, error) {
	d, next, err := b.buildDigest(c)
	if err != nil {
		return Message{}, err
	}
	if d.Empty() {
		return nothingDue(next), nil
	}
	msg := finish(digestMessage(d, digestSlot(d), ""))
	s := b.sender(c.req.Owner.Platform)
	if s == nil {
		return msg, nil // no DM route (a test or the console): the digest is the reply
	}
	if err := b.claim(c); err != nil {
		return Message{}, err
	}
	if err := b.sendDM(c.ctx, s, c.req.Owner, d.Settings.DM, msg, nil); err != nil {
		return Message{}, reminders.Internal(err)
	}
	return Message{Text: fmt.Sprintf("Sent your digest to your DMs: %s.", plural(len(d.Entries)+d.More, "contact"))}, nil
}

// claim records the request key of a command whose effect is outside the
// store (a message sent), so that a retried delivery does it once.
func (b *Bot) claim(c *call) error {
	if c.key() == "" {
		return nil
	}
	return b.store.Update(c.ctx, c.owner, reminders.Change{Key: c.key(), Now: c.now}, func(reminders.OwnerTx) error { return nil })
}
