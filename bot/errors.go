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

// ErrorText is the one place that turns an error into words for users, by
// its reminders.Error code; an internal error is shown without its cause,
// which the caller logs. Adapters use it (through Failure) for their own
// failures, so an internal error reads the same wherever it happened.
func ErrorText(err error) string {
	switch reminders.ErrorCode(err) {
	case reminders.EDUPLICATE:
		return alreadyDone
	case reminders.EUNAVAILABLE: // its own sentence when it has one ("could not open the form")
		if msg := reminders.ErrorMessage(err); msg != "" && msg != "internal error" {
			return sentence(msg)
		}
		return busyText
	case reminders.EINVALID, reminders.ENOTFOUND, reminders.ECONFLICT:
		if msg := reminders.ErrorMessage(err); msg != "internal error" {
			return sentence(msg)
		}
	}
	return internalText
}

// Failure is the reply that reports err, in ErrorText's words.
func Failure(err error) Message {
	return Message{Text: ErrorText(err), Error: true, Code: reminders.ErrorCode(err)}
}

// errorText is ErrorText, logging an internal error with its cause.
func (b *Bot) errorText(ctx context.Context, op string, err error) string {
	if reminders.ErrorCode(err) == reminders.EINTERNAL || ErrorText(err) == internalText {
		b.log.ErrorContext(ctx, "internal error", "op", op, "err", err)
	}
	return ErrorText(err)
}

// failure is the reply for a command or click that failed, logged when internal.
func (b *Bot) failure(ctx context.Context, op string, err error) Message {
	m := Failure(err)
	m.Text = b.errorText(ctx, op, err)
	return m
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
