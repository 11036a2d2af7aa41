package bot

import (
	"context"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// MaxCompletions is how many names Complete returns: Discord's limit for autocomplete.
const MaxCompletions = 25

// Complete suggests the owner's own contact names that match what was typed:
// names that start with it first, then names with a word that starts with it.
func (b *Bot) Complete(ctx context.Context, owner reminders.Owner, typed string) []string {
	id, err := checkOwner(owner)
	if err != nil {
		return nil
	}
	var contacts []reminders.Contact
	err = b.store.View(ctx, id, func(tx reminders.OwnerTx) error {
		var err error
		contacts, err = tx.Contacts()
		return err
	})
	if err != nil {
		b.log.ErrorContext(ctx, "complete", "err", err)
		return nil
	}
	return lang.Complete(contacts, typed, MaxCompletions)
}
