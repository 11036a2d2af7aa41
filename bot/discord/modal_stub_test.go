package discord_test

import (
	"context"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
)

// The recording handler opens no modals; the modal tests run the real bot.

func (r *recorder) Modal(context.Context, reminders.Owner, string, bot.Prefill) (bot.Modal, error) {
	return bot.Modal{}, reminders.Errorf(reminders.EINVALID, "no modals here")
}

func (r *recorder) Submit(context.Context, bot.Submission) bot.Submitted { return bot.Submitted{} }
