package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// digestSlot identifies a digest in its buttons: its schedule slot, or when
// it was composed for a digest asked for by hand.
func digestSlot(d reminders.Digest) int64 {
	if !d.Slot.IsZero() {
		return d.Slot.Unix()
	}
	return d.At.Unix()
}

// digestMessage lays out a digest: one section per contact with what is
// known, the give-first suggestion and the buttons, most urgent first.
func digestMessage(d reminders.Digest, slot int64, heading string) Message {
	loc, now := d.Settings.Location(), d.At
	if heading == "" {
		heading = "Time to reach out: 1 person"
		if n := len(d.Entries) + d.More; n != 1 {
			heading = fmt.Sprintf("Time to reach out: %d people", n)
		}
	}
	m := Message{Title: heading}
	for _, e := range d.Entries {
		c := e.Contact
		lines := []string{
			"Last: " + lastText(c, now, loc) + " · " + dueText(c, now, d.Settings.DefaultFor(c), loc),
			"Balance: " + balanceText(c),
		}
		for _, u := range e.Dates {
			lines = append(lines, "Date: "+u.Date.Label+" "+u.When()+" ("+u.On.Format("Jan 2")+")")
		}
		for _, p := range e.Promises {
			lines = append(lines, "Promise: "+promiseText(p, now, loc))
		}
		lines = append(lines, "Give first: "+e.Suggestion.Text)
		if o := e.Offer; o != nil {
			why := fmt.Sprintf("you put %s off %d times in a row", c.Name, reminders.LearnAfter)
			if !o.Longer {
				why = fmt.Sprintf("you met %s sooner than due %d times in a row", c.Name, reminders.LearnAfter)
			}
			lines = append(lines, "Cadence: "+why+"; "+o.Cadence.String()+" instead?")
		}
		m.Sections = append(m.Sections, Section{
			Title:   title(c),
			Text:    strings.Join(lines, "\n"),
			Buttons: entryButtons(d.Owner, c.ID, slot, e.Offer),
		})
	}
	if d.More > 0 {
		// The rest may be there for a date or a promise, not for being due.
		m.Footer = fmt.Sprintf("…and %d more; settings max <n> lists more at once, and list due shows everyone due. ", d.More)
	}
	m.Footer += "Each button acts once; you can also type met <name>, snooze <name> 1w."
	return m
}

// nothingDue is the reply when no contact is due.
func nothingDue(next string) Message {
	if next == "" {
		return Message{Text: "Nobody is due right now. Add contacts with add <name>."}
	}
	return Message{Text: "Nobody is due right now. Next up: " + next + "."}
}

// nextUp names the contact that falls due soonest, for a "nothing due" reply.
func nextUp(contacts []reminders.Contact, s reminders.Settings, now time.Time) string {
	var best reminders.Contact
	var bestAt time.Time
	for _, c := range contacts {
		at := c.NextDue(s.DefaultFor(c))
		if at.IsZero() {
			continue
		}
		if bestAt.IsZero() || at.Before(bestAt) {
			best, bestAt = c, at
		}
	}
	if bestAt.IsZero() {
		return ""
	}
	return best.Name + ", " + dueText(best, now, s.DefaultFor(best), s.Location())
}
