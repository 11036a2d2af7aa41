package bot

import (
	"context"

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
	// SendDM sends a direct message to the owner.
	SendDM(ctx context.Context, to reminders.Owner, m Message) error
	// Post sends a message to a channel of a team.
	Post(ctx context.Context, team reminders.TeamID, channel string, m Message) error
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
