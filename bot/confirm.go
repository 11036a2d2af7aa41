package bot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// confirmWindow is how long "Did you mean …?" can be answered; after it the
// command is typed again, so an old message cannot log a stale meeting.
const confirmWindow = 15 * time.Minute

// askFirst keeps a command that named contacts by a close spelling and asks
// whether they were meant, changing nothing else (docs/spec.md §2, names).
func (b *Bot) askFirst(c *call, p lang.Parsed) (Message, error) {
	names := make([]string, 0, len(p.Close))
	for _, named := range p.Contacts {
		if slices.Contains(p.Close, named.ID) {
			names = append(names, named.Name)
		}
	}
	pending := &reminders.Pending{Question: questionID(), Text: c.text, Contacts: p.Close, Asked: c.now}
	err := b.store.Update(c.ctx, c.owner, reminders.Change{Now: c.now}, func(tx reminders.OwnerTx) error {
		s, err := tx.Settings()
		if err != nil {
			return err
		}
		s.Pending = pending
		return tx.PutSettings(s)
	})
	if err != nil {
		return Message{}, err
	}
	v := buttonValue{Contact: pending.Question, Slot: c.now.Unix(), Owner: ownerTag(c.owner)}.String()
	who := joinNames(names)
	return Message{
		Title: "Did you mean " + who + "?",
		Sections: []Section{{
			Text: fmt.Sprintf("Nothing is changed until you say so: %s.", c.text),
			Buttons: []Button{
				{Label: "Yes, " + p.Verb + " " + who, Action: ActConfirm, Value: v, Style: "primary"},
				{Label: "No", Action: ActDecline, Value: v},
			},
		}},
		Footer: "Type a name as it is, or a unique part of it, and kith will not ask.",
	}, nil
}

// joinNames lists names as a sentence does: "A", "A and B", "A, B and C".
func joinNames(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// actConfirm answers "Did you mean …?": Yes runs the kept command as typed,
// provided its names still read as the same contacts; No forgets it. Either
// answer acts once, and a newer question replaces an older one.
func (b *Bot) actConfirm(ctx context.Context, a Action, owner reminders.OwnerID, now time.Time) (Message, error) {
	v, err := ownValue(a, owner)
	if err != nil {
		return Message{}, err
	}
	spent, err := b.takeChoice(ctx, owner, now, fmt.Sprintf("confirm:%d", v.Contact))
	if err != nil {
		return Message{}, err
	}
	if spent {
		return spentMessage("type the command again"), nil
	}
	s, err := reminders.LoadSettings(ctx, b.store, owner)
	if err != nil {
		return Message{}, err
	}
	pd := s.Pending
	switch {
	case pd == nil || pd.Question != v.Contact:
		return Message{}, reminders.Errorf(reminders.EINVALID, "that question was replaced by a newer one, so nothing was changed; type the command again.")
	case now.Sub(pd.Asked) > confirmWindow:
		return Message{}, reminders.Errorf(reminders.EINVALID, "that question has expired, so nothing was changed; type the command again.")
	}
	c := &call{ctx: ctx, req: Request{Key: fmt.Sprintf("confirm:%d", pd.Question)}, owner: owner, now: now, set: s,
		loc: s.Location(), text: pd.Text, verb: lang.VerbOf(pd.Text), answers: pd.Question}
	if a.ID == ActDecline {
		if err := b.store.Update(ctx, owner, reminders.Change{Now: now}, func(tx reminders.OwnerTx) error {
			return dropPending(tx, pd.Question)
		}); err != nil {
			return Message{}, err
		}
		return Message{Text: "Nothing was changed.", Replace: true}.As(c.verb), nil
	}
	p, err := b.parse(c)
	if err != nil {
		return Message{}, err
	}
	if !slices.Equal(p.Close, pd.Contacts) {
		return Message{}, reminders.Errorf(reminders.ECONFLICT, "your contacts changed since kith asked, so nothing was changed; type the command again.")
	}
	m, err := b.write(c, p)
	if err != nil {
		return Message{}, err
	}
	m.Replace = true
	return m.As(c.verb), nil
}

// dropPending forgets the kept command once its question is answered.
func dropPending(tx reminders.OwnerTx, question uint64) error {
	s, err := tx.Settings()
	if err != nil || s.Pending == nil || s.Pending.Question != question {
		return err
	}
	s.Pending = nil
	return tx.PutSettings(s)
}
