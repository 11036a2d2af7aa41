package discord

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/kith-bot/kith/bot"
)

// Discord closes a modal once it is submitted, so a submission with mistakes
// would lose everything typed. Its reply carries a Try again button that
// reopens the form as it was submitted, from a draft kept in memory: a draft
// is a convenience, not data, so a restart or another replica answering the
// click only means the form opens empty again.
const (
	actRetry  = "retry"          // the Try again button
	draftTTL  = 15 * time.Minute // as long as the interaction's own token
	maxDrafts = 10000            // past it, the oldest are dropped first
)

// draft is a submission that came back with mistakes.
type draft struct {
	user, kind, state string
	values            map[string]string
	at                time.Time
}

// drafts holds drafts by the id of the submission's interaction.
type drafts struct {
	mu sync.Mutex
	m  map[string]draft
}

// keep stores a draft, dropping expired ones (and, when full, the oldest).
func (d *drafts) keep(id string, dr draft) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.m == nil {
		d.m = map[string]draft{}
	}
	if len(d.m) >= maxDrafts {
		oldest, at := "", dr.at
		for k, v := range d.m {
			if dr.at.Sub(v.at) > draftTTL {
				delete(d.m, k)
			} else if v.at.Before(at) {
				oldest, at = k, v.at
			}
		}
		if len(d.m) >= maxDrafts {
			delete(d.m, oldest)
		}
	}
	d.m[id] = dr
}

// get returns the user's draft of that id, unless it expired.
func (d *drafts) get(id, user string, now time.Time) (draft, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	dr, ok := d.m[id]
	if !ok || dr.user != user || now.Sub(dr.at) > draftTTL {
		return draft{}, false
	}
	return dr, true
}

// withRetry is the reply to a submission with mistakes, with a Try again
// button that reopens the form as submitted.
func (a *Adapter) withRetry(i *discordgo.Interaction, w who, s bot.Submission, reply bot.Message) bot.Message {
	a.drafts.keep(i.ID, draft{user: w.user, kind: s.Kind, state: s.State, values: s.Values, at: a.cfg.Now()})
	reply.Sections = []bot.Section{{Text: reply.Text, Buttons: []bot.Button{{Label: "Try again", Action: actRetry, Value: i.ID, Style: "primary"}}}}
	return reply
}

// retry reopens a form from its draft, as it was submitted.
func (a *Adapter) retry(i *discordgo.Interaction, respond responder, w who, id string) {
	dr, ok := a.drafts.get(id, w.user, a.cfg.Now())
	if !ok {
		a.answer(i, respond, w, mistake(fmt.Sprintf("That form has expired; open it again from the user or message, or use /%s.", a.name)), false)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), completeTimeout)
	defer cancel()
	m, err := a.h.Modal(ctx, owner(w), dr.kind, bot.Prefill{})
	if err != nil {
		a.answer(i, respond, w, a.errorMessage(err), false)
		return
	}
	for j := range m.Inputs {
		if v, ok := dr.values[m.Inputs[j].ID]; ok {
			m.Inputs[j].Value = v
		}
	}
	m.State = dr.state
	a.send(respond, modalResponse(m))
}
