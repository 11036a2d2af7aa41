package discord_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/bot/discord"
	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

// now is the tests' fixed clock.
var now = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// recorder is a bot.Handler that records what reaches it.
type recorder struct {
	mu    sync.Mutex
	reqs  []bot.Request
	acts  []bot.Action
	typed []string
	names []string      // contact names Complete chooses from
	gate  chan struct{} // when set, Command and Act wait for it
	reply func(bot.Request) bot.Message
	got   chan struct{} // signalled on each Command or Act
}

func newRecorder() *recorder { return &recorder{got: make(chan struct{}, 64)} }

func (r *recorder) Command(ctx context.Context, q bot.Request) bot.Message {
	r.mu.Lock()
	r.reqs = append(r.reqs, q)
	gate, reply := r.gate, r.reply
	r.mu.Unlock()
	r.got <- struct{}{}
	if gate != nil {
		<-gate
	}
	if reply != nil {
		return reply(q)
	}
	return bot.Message{Text: "ok: " + q.Text}
}

func (r *recorder) Act(ctx context.Context, a bot.Action) bot.Message {
	r.mu.Lock()
	r.acts = append(r.acts, a)
	gate := r.gate
	r.mu.Unlock()
	r.got <- struct{}{}
	if gate != nil {
		<-gate
	}
	return bot.Message{Text: "done " + a.ID + " " + a.Value, Replace: true}
}

func (r *recorder) Complete(ctx context.Context, o reminders.Owner, typed string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.typed = append(r.typed, typed)
	var out []string
	for _, n := range r.names {
		if strings.HasPrefix(strings.ToLower(n), strings.ToLower(typed)) {
			out = append(out, n)
		}
	}
	return out
}

func (r *recorder) Home(ctx context.Context, o reminders.Owner) bot.Message { return bot.Message{} }

// reset forgets everything recorded, between subtests sharing one adapter.
func (r *recorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs, r.acts, r.typed, r.names, r.gate, r.reply = nil, nil, nil, nil, nil, nil
	for len(r.got) > 0 {
		<-r.got
	}
}

// Requests returns the commands received so far.
func (r *recorder) Requests() []bot.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Request(nil), r.reqs...)
}

// Actions returns the clicks received so far.
func (r *recorder) Actions() []bot.Action {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Action(nil), r.acts...)
}

// openStore opens a real bbolt store in a temp dir.
func openStore(t *testing.T) reminders.Store {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "kith.db"), bolt.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// env is one adapter wired to a fake Discord and a real store.
type env struct {
	a     *discord.Adapter
	f     *fake
	store reminders.Store
	cfg   discord.Config
	route *route // the signed HTTP route, when the test uses it
}

// setup builds an adapter; mod adjusts its config. It does not start it.
func setup(t *testing.T, h bot.Handler, mod func(*discord.Config)) *env {
	t.Helper()
	return setupWith(t, openStore(t), h, mod)
}

// setupWith builds an adapter over st; mod adjusts its config. It does not start it.
func setupWith(t *testing.T, st reminders.Store, h bot.Handler, mod func(*discord.Config)) *env {
	t.Helper()
	f := newFake(t)
	cfg := discord.Config{
		BotToken:   "test-token",
		AppID:      "app-1",
		APIURL:     f.APIURL(),
		Command:    "/kith",
		Gateway:    true,
		Now:        func() time.Time { return now },
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		DeferAfter: time.Minute, // replies are never deferred unless a test asks
	}
	if mod != nil {
		mod(&cfg)
	}
	a, err := discord.New(cfg, h, st)
	if err != nil {
		t.Fatal(err)
	}
	return &env{a: a, f: f, store: st, cfg: cfg}
}

// run starts the adapter and stops it when the test ends; with the gateway
// it waits for READY.
func (e *env) run(t *testing.T) map[string]any {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(waitFor):
			t.Error("Run did not return after cancel")
		}
	})
	var ident map[string]any
	if e.cfg.Gateway {
		ident = e.f.AwaitReady(t)
	}
	deadline := time.Now().Add(waitFor)
	for !e.a.Ready() {
		if time.Now().After(deadline) {
			t.Fatal("adapter not Ready")
		}
		time.Sleep(2 * time.Millisecond) // polls a condition; no schedule involved
	}
	return ident
}

// Interaction builders. Snowflakes are made-up numbers.

const (
	guildID = "900000000000000001"
	chanID  = "900000000000000002"
	alice   = "100000000000000001"
	bob     = "100000000000000002"
)

// inGuild places i in the test guild, sent by user with the given permissions.
func inGuild(i *discordgo.Interaction, user string, perms int64) *discordgo.Interaction {
	i.GuildID, i.ChannelID = guildID, chanID
	i.Member = &discordgo.Member{User: &discordgo.User{ID: user, Username: "user" + user[len(user)-1:], GlobalName: "User " + user[len(user)-1:]}, Permissions: perms, Nick: ""}
	return i
}

// inDM places i in a DM with user.
func inDM(i *discordgo.Interaction, user string) *discordgo.Interaction {
	i.ChannelID = "dm-" + user
	i.User = &discordgo.User{ID: user, Username: "user" + user[len(user)-1:]}
	return i
}

var seq atomic.Int64

func nextID() string { return fmt.Sprintf("70000000000%07d", seq.Add(1)) }

// opt is an option value of a command interaction.
type optv struct {
	name  string
	value any
	typ   discordgo.ApplicationCommandOptionType
}

func str(name, v string) optv { return optv{name, v, discordgo.ApplicationCommandOptionString} }

// command builds an application command interaction for "/kith <path>" ("met", "team summary").
func command(path string, opts ...optv) *discordgo.Interaction {
	var leaf []*discordgo.ApplicationCommandInteractionDataOption
	for _, o := range opts {
		leaf = append(leaf, &discordgo.ApplicationCommandInteractionDataOption{Name: o.name, Type: o.typ, Value: o.value})
	}
	parts := strings.Fields(path)
	top := &discordgo.ApplicationCommandInteractionDataOption{Name: parts[0], Type: discordgo.ApplicationCommandOptionSubCommand, Options: leaf}
	if len(parts) == 2 {
		top.Type = discordgo.ApplicationCommandOptionSubCommandGroup
		top.Options = []*discordgo.ApplicationCommandInteractionDataOption{{Name: parts[1], Type: discordgo.ApplicationCommandOptionSubCommand, Options: leaf}}
	}
	return &discordgo.Interaction{
		ID: nextID(), AppID: "app-1", Type: discordgo.InteractionApplicationCommand, Token: "itoken-" + path, Version: 1,
		Data: discordgo.ApplicationCommandInteractionData{ID: "cmd-1", Name: "kith", CommandType: discordgo.ChatApplicationCommand,
			Options: []*discordgo.ApplicationCommandInteractionDataOption{top}},
	}
}

// click builds a button click on a message.
func click(customID string) *discordgo.Interaction {
	return &discordgo.Interaction{
		ID: nextID(), AppID: "app-1", Type: discordgo.InteractionMessageComponent, Token: "itoken-click", Version: 1,
		Message: &discordgo.Message{ID: "m-1", ChannelID: "c"},
		Data:    discordgo.MessageComponentInteractionData{CustomID: customID, ComponentType: discordgo.ButtonComponent},
	}
}

// choose builds a pick of value in a string select.
func choose(customID, value string) *discordgo.Interaction {
	i := click(customID)
	i.Data = discordgo.MessageComponentInteractionData{CustomID: customID, ComponentType: discordgo.SelectMenuComponent, Values: []string{value}}
	return i
}

// msg is a message as the fake sees it on the wire (discordgo's own types
// cannot decode components, which are interfaces).
type msg struct {
	Content    string                   `json:"content"`
	Flags      int                      `json:"flags"`
	Embeds     []discordgo.MessageEmbed `json:"embeds"`
	Components []struct {
		Type       int `json:"type"`
		Components []struct {
			Type     int    `json:"type"`
			Style    int    `json:"style"`
			Label    string `json:"label"`
			CustomID string `json:"custom_id"`
			// A string select's placeholder and options.
			Placeholder string `json:"placeholder"`
			Options     []struct {
				Label string `json:"label"`
				Value string `json:"value"`
			} `json:"options"`
		} `json:"components"`
	} `json:"components"`
	Choices []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"choices"`
	AllowedMentions *struct {
		Parse []string `json:"parse"`
	} `json:"allowed_mentions"`
}

// buttons lists the custom_ids of the message's buttons.
func (m msg) buttons() []string {
	var out []string
	for _, r := range m.Components {
		for _, b := range r.Components {
			out = append(out, b.CustomID)
		}
	}
	return out
}

// response is an interaction response as the fake sees it.
type response struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data msg                               `json:"data"`
}

func callback(t *testing.T, r recorded) response {
	t.Helper()
	var resp response
	r.JSON(t, &resp)
	return resp
}

func message(t *testing.T, r recorded) msg {
	t.Helper()
	var m msg
	r.JSON(t, &m)
	return m
}

// wait waits for the handler to be called once.
func (r *recorder) wait(t *testing.T) {
	t.Helper()
	select {
	case <-r.got:
	case <-time.After(waitFor):
		t.Fatal("the handler was not called")
	}
}

// TestGateway runs the gateway cases over one connection: discordgo's Close
// waits a second for the server, so each connection costs a second.
func TestGateway(t *testing.T) {
	t.Parallel()
	rec := newRecorder()
	e := setup(t, rec, nil)
	e.run(t)
	tests := []struct {
		name string
		fn   func(*testing.T, *env, *recorder)
	}{
		{"sub-commands reach the handler", subCommandsReachTheHandler},
		{"who is asking", whoIsAsking},
		{"autocomplete", autocomplete},
		{"import attachment", importAttachment},
		{"digest DM and button round trip", digestDMAndButtonRoundTrip},
		{"click from another user is refused", clickFromAnotherUserIsRefused},
	}
	for _, tt := range tests {
		rec.reset()
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, e, rec) })
	}
}
