package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// Modal kinds: the forms kith opens outside the slash command (spec §8).
const (
	ModalAddContact = "add_contact"
	ModalLogMeeting = "log_meeting"
)

// Input ids of the modals; they come back as the keys of Submission.Values.
const (
	InputName    = "name"    // add: the new contact's name
	InputCompany = "company" // add
	InputEvery   = "every"   // add: the cadence
	InputTags    = "tags"    // add
	InputNote    = "note"    // add: the contact's note; log: the meeting's note
	InputNames   = "names"   // log: who was met, separated by commas
	InputWhen    = "when"    // log: when it happened
)

// Limits every platform can carry: Slack titles hold 24 characters, Discord
// modals 5 inputs, labels 45 characters and custom ids 100, of which the
// adapter's own prefix takes some.
const (
	MaxModalTitle  = 24
	MaxModalInputs = 5
	MaxInputLabel  = 45
	MaxModalState  = 60
)

// ActOpenModal is the Action of a button that opens a modal; its Value is the
// modal's kind. The adapter opens the modal (it holds the trigger) instead of
// handing the click to Act.
const ActOpenModal = "modal"

// modalButtons head the overview: the forms, one click away.
var modalButtons = Section{Buttons: []Button{
	{Label: "Add a contact", Action: ActOpenModal, Value: ModalAddContact, Style: "primary"},
	{Label: "Log a meeting", Action: ActOpenModal, Value: ModalLogMeeting},
}}

// Modal is a form, composed once here and rendered by each adapter: a Slack
// view, a Discord modal. Every field rule lives in Submit, never in the adapters.
type Modal struct {
	Kind   string  // ModalAddContact or ModalLogMeeting; comes back as Submission.Kind
	Title  string  // at most MaxModalTitle characters
	Submit string  // the submit button's label
	Inputs []Input // at most MaxModalInputs
	// State is opaque to adapters, at most MaxModalState bytes of [0-9A-Za-z:]:
	// they hand it back as Submission.State.
	State string
}

// Input is one text field of a modal.
type Input struct {
	ID          string // the key of its value in Submission.Values
	Label       string // at most MaxInputLabel characters
	Placeholder string // grey text shown while it is empty, at most 100 characters
	Value       string // pre-filled text, which the user may change
	Long        bool   // several lines
	Required    bool
	MaxLen      int // 0: none beyond the platform's own
}

// Prefill is what an adapter knows of the person or message a modal was opened on.
type Prefill struct {
	Name    string // the person's display name on the platform
	Mention string // their chat user id, stored with the contact
	Note    string // the message's text
}

// Submission is a submitted modal, as every adapter hands it to the bot.
type Submission struct {
	Owner  reminders.Owner
	Team   reminders.TeamID // "" outside any workspace or guild
	Kind   string           // Modal.Kind
	State  string           // Modal.State, as it was opened
	Values map[string]string
	// Key is the platform's identity of this submission (Slack's view id,
	// Discord's interaction id): submitted twice, it changes data once.
	Key string
	// TimeZone and Name are the platform's, as in Request, for a first use.
	TimeZone, Name string
}

// Submitted answers a submission. With Errors set nothing was stored: the
// modal should stay open showing each sentence under its input, and Reply
// says the same for a platform that cannot (each mistake under its input's
// label). Otherwise Reply says what was done, or (with Reply.Error) why
// nothing could be.
type Submitted struct {
	Errors map[string]string // by Input.ID
	Reply  Message
}

// Modal returns the form of a kind, pre-filled from the user or message it
// was opened on. A meeting with someone who is already a contact under that
// mention is pre-filled with the contact's name, so it is logged on them;
// adding them again is refused (ECONFLICT) before the form opens.
func (b *Bot) Modal(ctx context.Context, owner reminders.Owner, kind string, p Prefill) (Modal, error) {
	id, err := checkOwner(owner)
	if err != nil {
		return Modal{}, err
	}
	p.Name = clip(strings.Join(strings.Fields(p.Name), " "), 200)
	if !validMention(p.Mention) {
		p.Mention = ""
	}
	set, contacts, err := b.modalData(ctx, id, p.Mention != "")
	if err != nil {
		// The form is still worth opening: what it lacks is a default shown
		// as a hint and a name looked up, which Submit does again anyway.
		b.log.WarnContext(ctx, "reading data for a modal", "owner", string(id), "err", err)
	}
	switch kind {
	case ModalAddContact:
		for _, c := range contacts {
			if p.Mention != "" && c.Mention == p.Mention {
				// Say so now rather than after the form is filled in.
				return Modal{}, alreadyContact(c)
			}
		}
		return addModal(p, set), nil
	case ModalLogMeeting:
		for _, c := range contacts {
			if p.Mention != "" && c.Mention == p.Mention {
				p.Name = c.Name
			}
		}
		return meetModal(p), nil
	}
	return Modal{}, reminders.Errorf(reminders.EINVALID, "that form is not one of kith's; type help to see the commands.")
}

// modalData reads the owner's settings and, when asked, their names.
func (b *Bot) modalData(ctx context.Context, owner reminders.OwnerID, names bool) (reminders.Settings, []reminders.Contact, error) {
	var s reminders.Settings
	var cs []reminders.Contact
	err := b.store.View(ctx, owner, func(tx reminders.OwnerTx) error {
		var err error
		if s, err = tx.Settings(); err != nil || !names {
			return err
		}
		cs, err = tx.Names(nil)
		return err
	})
	return s, cs, err
}

// addModal is the form that adds a contact. A role, email and url are left
// to edit: Discord takes five inputs, and these are the five that matter
// when meeting someone.
func addModal(p Prefill, s reminders.Settings) Modal {
	return Modal{
		Kind: ModalAddContact, Title: "Add a contact", Submit: "Add", State: prefillState(p),
		Inputs: []Input{
			{ID: InputName, Label: "Name", Placeholder: "Jane Doe", Value: p.Name, Required: true},
			{ID: InputCompany, Label: "Company", Placeholder: "Acme", MaxLen: lang.MaxText},
			{ID: InputEvery, Label: "How often to keep in touch", MaxLen: 50,
				Placeholder: "2w, monthly, quarterly or never; default " + s.DefaultCadence().String()},
			{ID: InputTags, Label: "Tags", Placeholder: "#investor #berlin", MaxLen: lang.MaxText},
			{ID: InputNote, Label: "Note", Placeholder: "Met at GopherCon; into sailing", Long: true, MaxLen: lang.MaxText},
		},
	}
}

// meetModal is the form that logs a meeting.
func meetModal(p Prefill) Modal {
	return Modal{
		Kind: ModalLogMeeting, Title: "Log a meeting", Submit: "Log", State: prefillState(p),
		Inputs: []Input{
			{ID: InputNames, Label: "Who you met", Placeholder: "Jane Doe, Bob Lee", Value: p.Name, Required: true},
			{ID: InputWhen, Label: "When", Placeholder: "today, yesterday, last friday, on 2026-11-01", MaxLen: 50},
			{ID: InputNote, Label: "Note", Placeholder: "What you talked about", Value: clip(p.Note, lang.MaxText), Long: true, MaxLen: lang.MaxText},
		},
	}
}

// prefillState carries a mention through the platform, with a hash of the
// name it was pre-filled beside: the mention belongs to that name only, not
// to whatever the user types in its place.
func prefillState(p Prefill) string {
	if p.Mention == "" || p.Name == "" {
		return ""
	}
	return p.Mention + ":" + nameHash(p.Name)
}

// mentionFor returns the mention a state carries for name: the one the form
// was pre-filled with, when name is still that name.
func mentionFor(state, name string) string {
	m, h, ok := strings.Cut(state, ":")
	if !ok || !validMention(m) || h != nameHash(name) {
		return ""
	}
	return m
}

// nameHash is a short hash of a name's key, so "jane  doe" is still "Jane Doe".
func nameHash(name string) string {
	sum := sha256.Sum256([]byte(reminders.NameKey(name)))
	return hex.EncodeToString(sum[:6])
}

// validMention accepts the chat user ids of Slack (U0123ABC) and Discord (digits).
func validMention(m string) bool {
	if m == "" || len(m) > 32 {
		return false
	}
	for _, r := range m {
		if !('0' <= r && r <= '9' || 'A' <= r && r <= 'Z' || 'a' <= r && r <= 'z') {
			return false
		}
	}
	return true
}

// clip cuts s to at most n bytes, on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
