package bot

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// Home shows on the overview, each at most this many lines.
const (
	homeDue      = 10
	homeActivity = 10
)

// Home is the owner's overview: who is due, open promises and recent activity.
func (b *Bot) Home(ctx context.Context, owner reminders.Owner) Message {
	id, err := checkOwner(owner)
	if err != nil {
		return finish(b.failure(ctx, "home", err))
	}
	m, err := b.home(ctx, id, b.now())
	if err != nil {
		return finish(b.failure(ctx, "home", err))
	}
	m.Sections = append([]Section{modalButtons}, m.Sections...)
	return finish(m)
}

// recent is one interaction with its contact's name, for the activity list.
type recent struct {
	name string
	i    reminders.Interaction
}

func (b *Bot) home(ctx context.Context, owner reminders.OwnerID, now time.Time) (Message, error) {
	m := Message{Title: "kith: your network"}
	err := b.store.View(ctx, owner, func(tx reminders.OwnerTx) error {
		n, err := reminders.LoadNetwork(tx)
		if err != nil {
			return err
		}
		s, contacts, promises := n.Settings, n.Contacts, n.Promises
		if len(contacts) == 0 {
			m.Sections = []Section{{Text: "No contacts yet. Start with " + b.cmd + " add Jane Doe at Acme, then " + b.cmd + " met Jane yesterday : coffee."}}
			return nil
		}
		loc := s.Location()
		// Every entry, so that those brought only by a promise not yet late
		// can be left out of "Due now": they are not due, and Open promises
		// below lists them.
		n.Settings.Max = len(contacts)
		d := n.Digest(owner, now)
		var due []string
		more := 0
		for _, e := range d.Entries {
			switch {
			case e.Why == reminders.WhyPromise:
			case len(due) == homeDue:
				more++
			default:
				due = append(due, "• *"+title(e.Contact)+"* — "+lastText(e.Contact, now, loc))
			}
		}
		if more > 0 {
			// Not "list due": that lists only who is due by cadence, and this
			// section holds late promises and near dates too, as due does.
			due = append(due, "…and "+plural(more, "more contact")+"; "+b.cmd+" due lists them all.")
		}
		if len(due) == 0 {
			due = []string{"Nobody is due. " + nextUp(contacts, s, now)}
		}
		m.Sections = append(m.Sections, Section{Title: "Due now", Text: strings.Join(due, "\n")})
		names := map[uint64]string{}
		for _, c := range contacts {
			names[c.ID] = c.Name
		}
		var open []string
		for _, p := range promises {
			if p.Open() {
				open = append(open, "• "+names[p.ContactID]+": "+promiseText(p, now, loc))
			}
		}
		if len(open) > 0 {
			m.Sections = append(m.Sections, Section{Title: "Open promises", Text: strings.Join(open, "\n")})
		}
		var acts []recent
		for _, c := range contacts {
			if c.LastContact.IsZero() {
				continue
			}
			h, err := tx.History(c.ID, 3)
			if err != nil {
				return err
			}
			for _, i := range h {
				acts = append(acts, recent{c.Name, i})
			}
		}
		slices.SortFunc(acts, func(a, b recent) int { return cmp.Compare(b.i.At.UnixNano(), a.i.At.UnixNano()) })
		if len(acts) > homeActivity {
			acts = acts[:homeActivity]
		}
		if len(acts) > 0 {
			lines := make([]string, len(acts))
			for i, a := range acts {
				lines[i] = "• " + a.name + " · " + historyLine(a.i, now, loc)
			}
			m.Sections = append(m.Sections, Section{Title: "Recent activity", Text: strings.Join(lines, "\n")})
		}
		return nil
	})
	m.Footer = "Type " + b.cmd + " help for every command."
	return m, err
}
