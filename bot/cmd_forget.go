package bot

import (
	"context"
	"fmt"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// forgetConfirmWindow is how long a forget-me confirmation button stays
// valid, so an old message cannot delete everything by a stray click.
const forgetConfirmWindow = time.Hour

// forgetMe asks for confirmation before deleting everything.
func (b *Bot) forgetMe(c *call) (Message, error) {
	v := buttonValue{Contact: questionID(), Slot: c.now.Unix(), Owner: ownerTag(c.owner)}.String()
	return Message{
		Title: "Delete all your kith data?",
		Sections: []Section{{
			Text: "This deletes all your contacts, their history, your promises and your settings, for good; undo cannot bring them back. Consider export first.",
			Buttons: []Button{
				{Label: "Delete everything", Action: ActForget, Value: v, Style: "danger"},
				{Label: "Keep my data", Action: ActKeep, Value: v},
			},
		}},
	}, nil
}

// actForget deletes all of the clicker's data on confirmation, or keeps it.
func (b *Bot) actForget(ctx context.Context, a Action, owner reminders.OwnerID, now time.Time) (Message, error) {
	v, err := ownValue(a, owner)
	if err != nil {
		return Message{}, err
	}
	if a.ID == ActForget && now.Sub(time.Unix(v.Slot, 0)) > forgetConfirmWindow {
		return Message{}, reminders.Errorf(reminders.EINVALID, "that confirmation has expired; type forget-me again to delete your data.")
	}
	// The confirmation acts once: after it, the data is gone, and anything
	// the owner starts afresh is newer than the question and must survive a
	// second click of the same old button.
	var s reminders.Settings
	if err := b.store.View(ctx, owner, func(tx reminders.OwnerTx) error {
		var err error
		s, err = tx.Settings()
		return err
	}); err != nil {
		return Message{}, err
	}
	if s.Created.IsZero() || s.Created.Unix() > v.Slot {
		return Message{Text: "Already done: your kith data was deleted; nothing more was changed.", Replace: true, Code: reminders.EDUPLICATE}, nil
	}
	// Keep and Delete answer one question: once either is taken, the other
	// is spent, so "Keep my data" then "Delete everything" deletes nothing.
	spent, err := b.takeChoice(ctx, owner, now, fmt.Sprintf("forget:%d:%d", v.Slot, v.Contact))
	if err != nil {
		return Message{}, err
	}
	if spent {
		return spentMessage("type forget-me"), nil
	}
	if a.ID == ActKeep {
		return Message{Text: "Nothing was deleted.", Replace: true}, nil
	}
	if err := b.store.DeleteOwner(ctx, owner); err != nil {
		return Message{}, err
	}
	return Message{Text: "Deleted all your kith data. If you use kith again, it starts afresh.", Replace: true}, nil
}
