package slack_test

import (
	"context"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
)

// The recording handler opens one bare form, enough to see which token
// views.open carries; the modal tests run the real bot.

func (r *recHandler) Modal(_ context.Context, _ reminders.Owner, kind string, _ bot.Prefill) (bot.Modal, error) {
	return bot.Modal{Kind: kind, Title: "Add a contact", Submit: "Add", Inputs: []bot.Input{{ID: "name", Label: "Name"}}}, nil
}

func (r *recHandler) Submit(context.Context, bot.Submission) bot.Submitted { return bot.Submitted{} }
