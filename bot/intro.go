package bot

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// Intros with consent (spec §9). A who-knows reply carries Ask for an intro
// under each teammate; the teammate gets a DM with Offer an intro and Not
// now; Offer lets them choose, privately, one of their own contacts there.
// Each step reads only the clicker's own data: a button names an intro by
// an id that is looked up in the clicker's own settings, and a contact by
// an id looked up in the clicker's own contacts, so no value, however
// crafted, reaches another owner's contacts.

// Intro button actions.
const (
	ActIntroAsk     = "intro-ask"     // the asker, under a teammate in who-knows
	ActIntroOffer   = "intro-offer"   // the teammate, in the ask's DM
	ActIntroDecline = "intro-decline" // the teammate: Not now
	ActIntroChoose  = "intro-choose"  // the teammate picks one of their contacts
)

// maxIntroChoices bounds the contacts offered to choose from (Discord's select holds 25).
const maxIntroChoices = 25

// newIntroID is a random id shared by both sides' copies of an intro.
func newIntroID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return hex.EncodeToString(b)
}

// introValue is an intro button's value: the intro, the contact chosen (0
// before), and the clicker's tag.
type introValue struct {
	ID      string
	Contact uint64
	Owner   string
}

func (v introValue) String() string {
	if v.Contact != 0 {
		return v.ID + ":" + strconv.FormatUint(v.Contact, 10) + ":" + v.Owner
	}
	return v.ID + ":" + v.Owner
}

// ownIntroValue reads an intro button's value and refuses a click by anyone
// but the owner the message was for.
func ownIntroValue(a Action, owner reminders.OwnerID) (introValue, error) {
	bad := reminders.Errorf(reminders.EINVALID, "that button is not one of kith's; type help to see the commands.")
	parts := strings.Split(a.Value, ":")
	var v introValue
	switch {
	case len(a.Value) > 100:
		return v, bad
	case len(parts) == 2 && a.ID != ActIntroChoose:
		v = introValue{ID: parts[0], Owner: parts[1]}
	case len(parts) == 3 && a.ID == ActIntroChoose:
		id, err := strconv.ParseUint(parts[1], 10, 64)
		if err != nil || id == 0 {
			return v, bad
		}
		v = introValue{ID: parts[0], Contact: id, Owner: parts[2]}
	default:
		return v, bad
	}
	if v.ID == "" {
		return v, bad
	}
	if v.Owner != ownerTag(owner) {
		return v, reminders.Errorf(reminders.EINVALID, "that button belongs to someone else's message; kith only acts on your own contacts.")
	}
	return v, nil
}

// displayName is how an owner is named to teammates: their platform name, else their user id.
func displayName(s reminders.Settings, o reminders.OwnerID) string {
	if s.Name != "" {
		return s.Name
	}
	return o.Owner().User
}

// introWhat says what an intro asks about: "at Acme" or "tagged #investor".
func introWhat(query string) string {
	if strings.HasPrefix(query, "#") {
		return "tagged " + query
	}
	return "at " + query
}

// foundIntros records the teammates a who-knows reply lists, so that its Ask
// buttons name them by an id only the asker's own data resolves.
func (b *Bot) foundIntros(c *call, found []reminders.Intro) ([]reminders.Intro, error) {
	err := b.store.Update(c.ctx, c.owner, reminders.Change{Now: c.now}, func(tx reminders.OwnerTx) error {
		s, err := tx.Settings()
		if err != nil {
			return err
		}
		s.PruneIntros(c.now)
		for i := range found {
			found[i].ID = newIntroID()
			s.PutIntro(found[i])
		}
		return tx.PutSettings(s)
	})
	return found, err
}

// actIntro runs the intro buttons.
func (b *Bot) actIntro(ctx context.Context, a Action, owner reminders.OwnerID, now time.Time) (Message, error) {
	v, err := ownIntroValue(a, owner)
	if err != nil {
		return Message{}, err
	}
	switch a.ID {
	case ActIntroAsk:
		return b.introAsk(ctx, owner, v, now)
	case ActIntroOffer:
		return b.introOffer(ctx, owner, v, now)
	case ActIntroDecline:
		return b.introDecline(ctx, owner, v, now)
	}
	return b.introChoose(ctx, owner, v, now)
}

// myIntro reads the owner's own copy of an intro.
func (b *Bot) myIntro(ctx context.Context, owner reminders.OwnerID, id string, asker bool) (reminders.Intro, reminders.Settings, error) {
	s, err := reminders.LoadSettings(ctx, b.store, owner)
	if err != nil {
		return reminders.Intro{}, s, err
	}
	in, _, ok := s.Intro(id)
	if !ok || in.Asker != asker {
		return in, s, reminders.Errorf(reminders.ENOTFOUND, "that intro is no longer known to kith; run who-knows again.")
	}
	return in, s, nil
}

// introAsk sends the teammate the ask, once a week per teammate and company.
func (b *Bot) introAsk(ctx context.Context, owner reminders.OwnerID, v introValue, now time.Time) (Message, error) {
	in, s, err := b.myIntro(ctx, owner, v.ID, true)
	if err != nil {
		return Message{}, err
	}
	switch {
	case in.State != reminders.IntroFound:
		return Message{}, reminders.ErrDuplicate
	case now.Sub(in.At) > reminders.IntroFoundTTL:
		return Message{}, reminders.Errorf(reminders.EINVALID, "that who-knows reply is more than a day old; run who-knows %s again.", in.Query)
	case s.AskedRecently(in.Peer, in.Query, now):
		return Message{}, reminders.Errorf(reminders.ECONFLICT, "you asked %s about someone %s less than a week ago; one ask a week, so give them time.", in.PeerName, introWhat(in.Query))
	}
	// The teammate may have stopped sharing, or no longer know anyone there;
	// either way kith says only that it cannot ask.
	var shares bool
	err = b.store.View(ctx, in.Peer, func(tx reminders.OwnerTx) error {
		ts, err := tx.Settings()
		if err != nil || !ts.Share {
			return err
		}
		cs, err := tx.Contacts()
		shares = slices.ContainsFunc(cs, in.Matches)
		return err
	})
	if err != nil {
		return Message{}, err
	}
	if !shares {
		return Message{}, reminders.Errorf(reminders.EINVALID, "kith cannot ask %s about that any more; run who-knows %s again.", in.PeerName, in.Query)
	}
	sender := b.sender(in.Peer.Owner().Platform)
	if sender == nil {
		return Message{}, reminders.Errorf(reminders.EUNAVAILABLE, "kith cannot reach %s right now; try again later.", in.PeerName)
	}
	asker := displayName(s, owner)
	theirs := reminders.Intro{ID: in.ID, Peer: owner, PeerName: asker, Team: in.Team, Query: in.Query, Why: in.Why, At: now, State: reminders.IntroAsked}
	// The asker's side first, checked inside its transaction, so that two
	// clicks at once send one ask.
	mark := func(state reminders.IntroState) error {
		return b.store.Update(ctx, owner, reminders.Change{Now: now}, func(tx reminders.OwnerTx) error {
			as, err := tx.Settings()
			if err != nil {
				return err
			}
			mine, _, ok := as.Intro(in.ID)
			if !ok || (state == reminders.IntroAsked && mine.State != reminders.IntroFound) {
				return reminders.ErrDuplicate
			}
			mine.State, mine.At = state, now
			as.PutIntro(mine)
			return tx.PutSettings(as)
		})
	}
	if err := mark(reminders.IntroAsked); err != nil {
		return Message{}, err
	}
	err = b.store.Update(ctx, in.Peer, reminders.Change{Key: "intro-asked:" + in.ID, Now: now}, func(tx reminders.OwnerTx) error {
		ts, err := tx.Settings()
		if err != nil {
			return err
		}
		ts.PruneIntros(now)
		ts.PutIntro(theirs)
		return tx.PutSettings(ts)
	})
	if err == nil || reminders.ErrorCode(err) == reminders.EDUPLICATE {
		err = sender.SendDM(ctx, in.Peer.Owner(), finish(askMessage(theirs, in.Peer)))
	}
	if err != nil {
		// Not asked after all: the button works again.
		b.log.ErrorContext(ctx, "intro: the ask did not reach the teammate", "err", err)
		if err := mark(reminders.IntroFound); err != nil {
			return Message{}, err
		}
		return Message{}, reminders.Errorf(reminders.EUNAVAILABLE, "kith could not reach %s just now; try the button again later.", in.PeerName)
	}
	return Message{Replace: true, Text: fmt.Sprintf("Asked %s for an intro to someone %s. kith tells you their answer; nothing of their contacts is shown unless they choose to introduce someone.", in.PeerName, introWhat(in.Query))}, nil
}

// askMessage is the teammate's DM: who asks, about what, and why.
func askMessage(in reminders.Intro, teammate reminders.OwnerID) Message {
	v := introValue{ID: in.ID, Owner: ownerTag(teammate)}.String()
	text := fmt.Sprintf("%s would like an intro to someone you know %s.", in.PeerName, introWhat(in.Query))
	if in.Why != "" {
		text += "\nWhy: " + quote(in.Why)
	}
	return Message{
		Title: "An intro request",
		Sections: []Section{{Text: text, Buttons: []Button{
			{Label: "Offer an intro", Action: ActIntroOffer, Value: v, Style: "primary"},
			{Label: "Not now", Action: ActIntroDecline, Value: v},
		}}},
		Footer: "Only you see your contacts. Offer lets you choose whom; " + in.PeerName + " learns the name only then. Not now tells them kindly and shows nothing.",
	}
}

// setIntro changes the owner's copy of an intro in one keyed write.
func (b *Bot) setIntro(ctx context.Context, owner reminders.OwnerID, id, key string, now time.Time, change func(*reminders.Intro)) error {
	err := b.store.Update(ctx, owner, reminders.Change{Key: key, Now: now}, func(tx reminders.OwnerTx) error {
		s, err := tx.Settings()
		if err != nil {
			return err
		}
		in, _, ok := s.Intro(id)
		if !ok {
			return reminders.Errorf(reminders.ENOTFOUND, "that intro is no longer known to kith.")
		}
		change(&in)
		s.PutIntro(in)
		return tx.PutSettings(s)
	})
	if reminders.ErrorCode(err) == reminders.EDUPLICATE {
		return nil // a retry of a step that went through
	}
	return err
}

// introOffer lets the teammate choose, privately, among their own contacts there.
func (b *Bot) introOffer(ctx context.Context, owner reminders.OwnerID, v introValue, now time.Time) (Message, error) {
	in, _, err := b.myIntro(ctx, owner, v.ID, false)
	if err != nil {
		return Message{}, err
	}
	if in.State != reminders.IntroAsked {
		return Message{}, reminders.ErrDuplicate
	}
	var matches []reminders.Contact
	err = b.store.View(ctx, owner, func(tx reminders.OwnerTx) error {
		cs, err := tx.Contacts()
		for _, c := range cs {
			if in.Matches(c) {
				matches = append(matches, c)
			}
		}
		return err
	})
	if err != nil {
		return Message{}, err
	}
	if len(matches) == 0 {
		return Message{}, reminders.Errorf(reminders.ENOTFOUND, "you have no contact %s any more; Not now tells %s kindly.", introWhat(in.Query), in.PeerName)
	}
	// The people most recently in touch first: the likeliest to welcome an intro.
	slices.SortStableFunc(matches, func(a, b reminders.Contact) int { return cmp.Compare(b.Since().Unix(), a.Since().Unix()) })
	menu := Button{Label: "Choose whom to introduce…", Action: ActIntroChoose}
	for i, c := range matches {
		if i == maxIntroChoices {
			break
		}
		menu.Choices = append(menu.Choices, Choice{Label: title(c), Value: introValue{ID: in.ID, Contact: c.ID, Owner: v.Owner}.String()})
	}
	return Message{
		Replace: true,
		Title:   "Whom would you introduce to " + in.PeerName + "?",
		Sections: []Section{{
			Text: fmt.Sprintf("Your contacts %s (only you see this list). %s learns the name and company of the one you choose.", introWhat(in.Query), in.PeerName),
			Buttons: []Button{menu,
				{Label: "Not now", Action: ActIntroDecline, Value: introValue{ID: in.ID, Owner: v.Owner}.String()}},
		}},
	}, nil
}

// introDecline tells the asker kindly, revealing nothing.
func (b *Bot) introDecline(ctx context.Context, owner reminders.OwnerID, v introValue, now time.Time) (Message, error) {
	in, _, err := b.myIntro(ctx, owner, v.ID, false)
	if err != nil {
		return Message{}, err
	}
	if in.State != reminders.IntroAsked {
		return Message{}, reminders.ErrDuplicate
	}
	if err := b.setIntro(ctx, owner, in.ID, "intro-decline:"+in.ID, now, func(x *reminders.Intro) {
		x.State, x.Answered = reminders.IntroDeclined, now
	}); err != nil {
		return Message{}, err
	}
	s, err := reminders.LoadSettings(ctx, b.store, owner)
	if err != nil {
		return Message{}, err
	}
	teammate := displayName(s, owner)
	if err := b.setIntro(ctx, in.Peer, in.ID, "intro-declined:"+in.ID, now, func(x *reminders.Intro) {
		x.State, x.Answered = reminders.IntroDeclined, now
	}); err != nil && reminders.ErrorCode(err) != reminders.ENOTFOUND {
		return Message{}, err
	}
	b.tell(ctx, in.Peer, Message{Text: fmt.Sprintf("%s can't make an intro %s right now. No harm in asking; who-knows %s may find someone else.", teammate, introWhat(in.Query), in.Query)})
	return Message{Replace: true, Text: fmt.Sprintf("Done: kith told %s kindly that not now, and nothing about your contacts.", in.PeerName)}, nil
}

// introChoose records the intro in both ledgers and tells the asker whom.
func (b *Bot) introChoose(ctx context.Context, owner reminders.OwnerID, v introValue, now time.Time) (Message, error) {
	in, s, err := b.myIntro(ctx, owner, v.ID, false)
	if err != nil {
		return Message{}, err
	}
	if in.State == reminders.IntroDeclined {
		return Message{}, reminders.ErrDuplicate
	}
	var chosen reminders.Contact
	err = b.store.Update(ctx, owner, reminders.Change{Key: "intro-offer:" + in.ID, Now: now}, func(tx reminders.OwnerTx) error {
		chosen = reminders.Contact{}
		ts, err := tx.Settings()
		if err != nil {
			return err
		}
		cur, _, ok := ts.Intro(in.ID)
		if !ok || cur.State != reminders.IntroAsked {
			return reminders.ErrDuplicate
		}
		// Only one of the owner's own contacts that the ask is about.
		if chosen, err = tx.Contact(v.Contact); err != nil || !cur.Matches(chosen) {
			return reminders.Errorf(reminders.EINVALID, "choose one of your contacts %s from the list.", introWhat(in.Query))
		}
		cur.State, cur.Answered, cur.Name, cur.Company = reminders.IntroOffered, now, chosen.Name, chosen.Company
		ts.PutIntro(cur)
		if err := tx.PutSettings(ts); err != nil {
			return err
		}
		return ledger(tx, in.Peer, cur.PeerName, reminders.Gave, introText(chosen.Name, chosen.Company), now)
	})
	if reminders.ErrorCode(err) == reminders.EDUPLICATE {
		// Offered before: finish the asker's side if that is what failed.
		if again, _, _ := b.myIntro(ctx, owner, v.ID, false); again.State == reminders.IntroOffered {
			chosen, err = reminders.Contact{Name: again.Name, Company: again.Company}, nil
		}
	}
	if err != nil {
		return Message{}, err
	}
	teammate := displayName(s, owner)
	// The asker's side: idempotent by its own key, so a retried click finishes it.
	err = b.store.Update(ctx, in.Peer, reminders.Change{Key: "intro-got:" + in.ID, Now: now}, func(tx reminders.OwnerTx) error {
		as, err := tx.Settings()
		if err != nil {
			return err
		}
		if mine, _, ok := as.Intro(in.ID); ok {
			mine.State, mine.Answered, mine.Name, mine.Company = reminders.IntroOffered, now, chosen.Name, chosen.Company
			as.PutIntro(mine)
			if err := tx.PutSettings(as); err != nil {
				return err
			}
		}
		return ledger(tx, owner, teammate, reminders.Got, introText(chosen.Name, chosen.Company), now)
	})
	if err != nil {
		return Message{}, err // EDUPLICATE: both sides were done before
	}
	add := "add " + quoteName(chosen.Name)
	if chosen.Company != "" {
		add += " at " + chosen.Company
	}
	b.tell(ctx, in.Peer, Message{Text: fmt.Sprintf("%s offered you an intro to %s. Logged as a favour received from %s; give back when you can. Keep them with: %s",
		teammate, title(chosen), teammate, add)})
	return Message{Replace: true, Text: fmt.Sprintf("Done: you offered %s an intro to %s, and kith told them. Logged as a favour you gave %s; now make the intro.", in.PeerName, title(chosen), in.PeerName)}, nil
}

// introText is what an intro is logged as in both ledgers.
func introText(name, company string) string {
	if company != "" {
		return "intro to " + name + " (" + company + ")"
	}
	return "intro to " + name
}

// quoteName quotes a name with spaces, as the user would type it.
func quoteName(n string) string {
	return shortName(reminders.Contact{Name: n})
}

// ledger logs a favour with a teammate, making them a contact first when
// they are not one: found by their chat user (the mention), else by name
// (storing the mention), else added.
func ledger(tx reminders.OwnerTx, peer reminders.OwnerID, name string, kind reminders.Kind, what string, now time.Time) error {
	user := peer.Owner().User
	cs, err := tx.Names(nil)
	if err != nil {
		return err
	}
	var c reminders.Contact
	if i := slices.IndexFunc(cs, func(x reminders.Contact) bool { return x.Mention == user }); i >= 0 {
		if c, err = tx.Contact(cs[i].ID); err != nil {
			return err
		}
	} else if c, err = tx.ContactByName(name); err == nil && (c.Mention == "" || c.Mention == user) {
		c.Mention = user
	} else if reminders.ErrorCode(err) == reminders.ENOTFOUND || err == nil {
		if err == nil { // the name is someone else's: keep both apart
			name += " (" + user + ")"
		}
		c = reminders.Contact{Name: name, Mention: user, Added: now}
		if err := tx.PutContact(&c); err != nil {
			return err
		}
	} else {
		return err
	}
	return logInteraction(tx, &c, kind, now, now, what, 0)
}

// tell sends a DM to an owner, logging rather than failing when it cannot:
// the ledgers already hold what happened.
func (b *Bot) tell(ctx context.Context, to reminders.OwnerID, m Message) {
	s := b.sender(to.Owner().Platform)
	if s == nil {
		return
	}
	if err := s.SendDM(ctx, to.Owner(), finish(m)); err != nil {
		b.log.ErrorContext(ctx, "intro: DM failed", "err", err)
	}
}
