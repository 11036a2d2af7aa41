package bot

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kith-bot/kith/reminders"
)

// Sentences for the error codes that carry no sentence of their own.
const (
	alreadyDone  = "Already done: that was handled before, so nothing changed."
	internalText = "Sorry, something went wrong on kith's side (internal error); nothing was changed. Please try again later."
	busyText     = "kith's database is busy right now; please try again in a moment."
)

// errorText is the one place that turns a reminders.Error code into words for
// users. Internal errors are logged with their cause and shown without it.
func (b *Bot) errorText(ctx context.Context, op string, err error) string {
	switch reminders.ErrorCode(err) {
	case reminders.EDUPLICATE:
		return alreadyDone
	case reminders.EUNAVAILABLE:
		return busyText
	case reminders.EINVALID, reminders.ENOTFOUND, reminders.ECONFLICT:
		if msg := reminders.ErrorMessage(err); msg != "internal error" {
			return sentence(msg)
		}
	}
	b.log.ErrorContext(ctx, "internal error", "op", op, "err", err)
	return internalText
}

// failure is the reply for a command or click that failed.
func (b *Bot) failure(ctx context.Context, op string, err error) Message {
	return Message{Text: b.errorText(ctx, op, err), Error: true, Code: reminders.ErrorCode(err)}
}

// sentence starts a message with a capital letter. It adds no full stop:
// many messages end with a command to copy, which a stop would spoil.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}
