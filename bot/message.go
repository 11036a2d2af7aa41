package bot

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// Request is one command typed by a user, as every adapter hands it to the bot.
type Request struct {
	Owner reminders.Owner  // who typed it
	Team  reminders.TeamID // the workspace or guild it came from; "" in a DM outside any guild
	Text  string           // what followed the command word: "met Jane yesterday"
	Key   string           // the platform's delivery id, so a retried delivery changes data once
	// Channel is where the command was typed, for "team summary here".
	Channel string
	// Admin is the platform's word that the user may manage the team's summary.
	Admin bool
	// TimeZone is the platform's time zone for the user (Slack's profile), used on first use.
	TimeZone string
	// Name is the user's display name on the platform, for the givers list.
	Name string
	// File is an attached file, for import.
	File *File
}

// Action is a click on a button of a message the bot composed.
type Action struct {
	Owner reminders.Owner
	Team  reminders.TeamID
	ID    string // Button.Action
	Value string // Button.Value
	Key   string // the platform's delivery id
}

// As labels a reply with the verb it answers.
func (m Message) As(verb string) Message {
	m.Verb = verb
	return m
}

// File is a file going in (import) or out (export).
type File struct {
	Name string
	Type string // MIME type, e.g. "text/csv"
	Data []byte
}

// Message is a reply or a notification, composed once here and rendered by
// each adapter. Text is plain, with *bold* and _italic_ as the only markup,
// which every adapter can translate. When Sections is empty the whole
// message is in Text (Title and Footer are empty); otherwise Text is the
// plain fallback of Title, Sections and Footer, for notifications and
// adapters that cannot show sections.
type Message struct {
	Text     string    // the whole message as plain text; the fallback and notification text
	Title    string    // an optional heading
	Sections []Section // the body, one block per contact or topic
	Footer   string    // small print under the body
	Public   bool      // shown to the channel rather than only to the user
	Replace  bool      // a button's answer: update the message that holds the button
	Files    []File    // attachments (export)
	Error    bool      // the message reports a mistake
	Code     string    // with Error: the reminders error code, for metrics; EDUPLICATE also marks a repeat answered without error
	// Verb is the canonical command this answers (a name from lang's verb
	// table, or LessOften for that button), "" for a word that is no command;
	// metrics count by it, and adapters route by it.
	Verb string
	// Mark identifies a scheduled message (one digest or summary slot), so
	// the platform can tell a second send of it; nil for anything else.
	Mark *Mark
}

// Mark names one slot of scheduled delivery (spec §7). Slack carries it as
// message metadata (event type Kind, payload {"slot": RFC 3339}); Discord as
// the message nonce with enforce_nonce.
type Mark struct {
	Kind string    // MarkDigest or MarkSummary
	For  string    // the owner or team it is for
	Slot time.Time // the slot
}

// Kinds of Mark, the Slack metadata event types of spec §7.
const (
	MarkDigest  = "kith_digest"
	MarkSummary = "kith_summary"
)

// SlotText is the slot as the metadata payload carries it.
func (m Mark) SlotText() string { return m.Slot.UTC().Format(time.RFC3339) }

// Nonce is the mark in at most 25 characters (Discord's limit), the same for
// every send of one slot to one owner or team and different for any other:
// a hash, since ids and times together are longer.
func (m Mark) Nonce() string {
	sum := sha256.Sum256([]byte(m.Kind + "\x00" + m.For + "\x00" + m.SlotText()))
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:])[:25]
}

// Section is one block of a message: a contact in a digest, a card's part.
type Section struct {
	Title   string
	Text    string
	Fields  []Field
	Buttons []Button
}

// Field is one label and value, shown side by side where the platform can.
type Field struct {
	Label string
	Value string
}

// Button is one clickable action; its Action and Value come back in an
// Action. With Choices it is a menu instead (a select on Slack and Discord,
// numbered choices in the console): Label is its placeholder, and picking a
// choice sends Action with that choice's Value.
type Button struct {
	Label   string
	Action  string // "met", "snooze", "less", "show"
	Value   string // opaque to adapters; at most 100 bytes so every platform carries it
	Style   string // "primary", "danger" or ""
	Choices []Choice
}

// Choice is one entry of a menu button.
type Choice struct {
	Label string
	Value string // as Button.Value: opaque, at most 75 bytes (Slack's limit for an option)
}

// Sender delivers messages on one platform. Each adapter implements it; the
// bot routes digests and summaries to the sender of the owner's platform.
type Sender interface {
	// SendDM sends a direct message to the owner, opening the DM channel.
	SendDM(ctx context.Context, to reminders.Owner, m Message) error
	// Post sends a message to a channel of a team, carrying m.Mark when it has one.
	Post(ctx context.Context, team reminders.TeamID, channel string, m Message) error
	// OpenDM returns the id of the owner's direct-message channel with kith,
	// which the bot caches in the owner's settings.
	OpenDM(ctx context.Context, to reminders.Owner) (string, error)
	// PostDM sends a message to the owner's DM channel from OpenDM, carrying
	// m.Mark when it has one.
	PostDM(ctx context.Context, to reminders.Owner, channel string, m Message) error
	// Posted reports whether a message carrying mark is already in the
	// channel, for a slot whose earlier send may have gone out. A platform
	// that makes a repeated send harmless itself (Discord's enforced nonce)
	// may answer false.
	Posted(ctx context.Context, team reminders.TeamID, channel string, mark Mark) (bool, error)
}

// Handler is what every adapter calls; *Bot implements it.
type Handler interface {
	// Command runs one typed command and returns the reply.
	Command(ctx context.Context, r Request) Message
	// Act runs a button click and returns the message to put in place of the one clicked.
	Act(ctx context.Context, a Action) Message
	// Complete suggests the owner's own contact names that match what was typed so far.
	Complete(ctx context.Context, owner reminders.Owner, typed string) []string
	// Home is the owner's overview: due list, open promises, recent activity (Slack's App Home).
	Home(ctx context.Context, owner reminders.Owner) Message
	// Modal is a form of a kind (ModalAddContact, ModalLogMeeting), pre-filled
	// from the user or message it was opened on.
	Modal(ctx context.Context, owner reminders.Owner, kind string, p Prefill) (Modal, error)
	// Submit validates a submitted modal and stores it once.
	Submit(ctx context.Context, s Submission) Submitted
}
