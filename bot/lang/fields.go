package lang

import (
	"time"

	"github.com/kith-bot/kith/reminders"
)

// The rules of single fields, for forms (modals) that take a command's parts
// one input at a time: the same rules the parser applies, so no field rule
// is written twice.

// MaxText bounds any free text: a note, a company, what was given.
const MaxText = maxText

// CheckText refuses free text longer than MaxText; what names it in the sentence ("note").
func CheckText(what, s string) error { return checkText(what, s) }

// Tag validates a tag ("#investor" or "investor") and returns it without '#', in lower case.
func Tag(s string) (string, error) { return checkTag(s) }

// PastDay reads when something happened (today, yesterday, last friday, on
// 2026-11-01): that day in loc at the current time of day, never in the future.
func PastDay(s string, now time.Time, loc *time.Location) (time.Time, error) {
	day, err := ParseDay(s, now, loc, Past)
	if err != nil {
		return time.Time{}, err
	}
	at := pastInstant(day, now, loc)
	if at.After(now) {
		return time.Time{}, reminders.Errorf(reminders.EINVALID, "%s is in the future; log what happened, and use promise for what you plan.", day.Format("Mon Jan 2, 2006"))
	}
	return at, nil
}

// ResolveExactly resolves a name as Resolve does but takes no close
// spelling: a change made through a form asks for the name as it is instead
// ("did you mean Jane Roe?"), as the spec asks of commands that write.
func ResolveExactly(contacts []reminders.Contact, name string) (reminders.Contact, error) {
	ix := newNameIndex(contacts)
	if cands := ix.candidates(name, matchPartial); len(cands) > 0 {
		return pickOne(name, cands)
	}
	if cands := ix.candidates(name, matchClose); len(cands) == 1 {
		return reminders.Contact{}, reminders.Errorf(reminders.ENOTFOUND, "you have no contact called %q; did you mean %s? Type the name as it is.", name, cands[0].Name)
	}
	return pickOne(name, nil)
}
