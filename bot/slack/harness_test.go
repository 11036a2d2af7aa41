package slack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	kslack "github.com/kith-bot/kith/bot/slack"
	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

// now is the fixed clock of every test: signatures, the store and the handler.
var now = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

// logOut receives the adapter's logs; KITH_TEST_LOG=1 shows them.
var logOut = func() io.Writer {
	if os.Getenv("KITH_TEST_LOG") != "" {
		return os.Stderr
	}
	return io.Discard
}()

// harness is an adapter wired to a fake Slack, a real bbolt store and a
// handler, with its HTTP routes served by httptest.
type harness struct {
	t     testing.TB
	fake  *fakeSlack
	store reminders.Store
	h     *recHandler
	a     *kslack.Adapter
	srv   *httptest.Server
	stop  context.CancelFunc
	done  chan error
	once  sync.Once
}

// newHarness starts an adapter with the recording handler; edit may change its config.
func newHarness(t *testing.T, edit ...func(*kslack.Config)) *harness {
	t.Helper()
	store := openStore(t)
	h := &recHandler{store: store, release: make(chan struct{})}
	return start(t, store, h, h, edit...)
}

// openStore opens a real bbolt store in a temporary directory.
func openStore(t testing.TB) reminders.Store {
	t.Helper()
	store, err := bolt.Open(filepath.Join(t.TempDir(), "kith.db"), bolt.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

// start wires handler to a fake Slack and runs the adapter until the test ends.
func start(t testing.TB, store reminders.Store, handler bot.Handler, rec *recHandler, edit ...func(*kslack.Config)) *harness {
	t.Helper()
	fake := newFakeSlack(t)
	cfg := kslack.Config{
		BotToken:      botToken,
		SigningSecret: secret,
		APIURL:        fake.apiURL(),
		Command:       "/kith",
		Now:           clock,
		HTTPClient:    fake.srv.Client(),
		Logger:        slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, e := range edit {
		e(&cfg)
	}
	a, err := kslack.New(cfg, handler, store)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	if rec == nil {
		rec = &recHandler{release: make(chan struct{})}
	}
	hs := &harness{t: t, fake: fake, store: store, h: rec, a: a, srv: srv, stop: cancel, done: make(chan error, 1)}
	go func() { hs.done <- a.Run(ctx) }()
	t.Cleanup(hs.shutdown)
	eventually(t, a.Ready)
	return hs
}

// shutdown stops Run and waits for it, so in-flight work ends before the store closes.
func (hs *harness) shutdown() {
	hs.once.Do(func() {
		hs.h.unblock()
		hs.stop()
		select {
		case <-hs.done:
		case <-time.After(10 * time.Second):
			hs.t.Error("Run did not return")
		}
	})
}

// eventually waits for cond; the deadline only guards against a hung test.
func eventually(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met")
		}
		time.Sleep(time.Millisecond)
	}
}

// send posts body to a route, signed at time at (the zero time: unsigned).
func (hs *harness) send(path, contentType string, body []byte, at time.Time, key string) (int, string) {
	hs.t.Helper()
	req, err := http.NewRequest(http.MethodPost, hs.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		hs.t.Fatal(err)
	}
	if !at.IsZero() {
		for k, v := range kslack.Sign(key, at, body) {
			req.Header[k] = v
		}
	}
	req.Header.Set("Content-Type", contentType)
	res, err := hs.srv.Client().Do(req)
	if err != nil {
		hs.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

const form = "application/x-www-form-urlencoded"

// commandBody is a slash command as Slack posts it.
func commandBody(user, text, trigger, responseURL string) []byte {
	return []byte(url.Values{
		"team_id": {teamID}, "team_domain": {"acme"}, "channel_id": {"C1"}, "channel_name": {"general"},
		"user_id": {user}, "user_name": {strings.ToLower(user)}, "command": {"/kith"}, "text": {text},
		"response_url": {responseURL}, "trigger_id": {trigger}, "api_app_id": {"A1"},
	}.Encode())
}

// command sends a signed slash command and decodes the inline reply.
func (hs *harness) command(user, text, trigger string) (int, map[string]any) {
	hs.t.Helper()
	code, body := hs.send("/slack/commands", form, commandBody(user, text, trigger, hs.fake.responseURL(trigger)), now, secret)
	var m map[string]any
	if code == http.StatusOK && body != "" {
		if err := json.Unmarshal([]byte(body), &m); err != nil {
			hs.t.Fatalf("reply is not JSON: %q", body)
		}
	}
	return code, m
}

// interactionBody is a block_actions click as Slack posts it.
func interactionBody(user, actionID, value, messageTs, actionTs, responseURL string) []byte {
	p := map[string]any{
		"type": "block_actions", "team": map[string]any{"id": teamID, "domain": "acme"},
		"user":       map[string]any{"id": user, "team_id": teamID},
		"api_app_id": "A1", "trigger_id": "trig-" + actionTs, "response_url": responseURL,
		"container": map[string]any{"type": "message", "message_ts": messageTs, "channel_id": "D" + user, "is_ephemeral": false},
		"channel":   map[string]any{"id": "D" + user},
		"actions": []any{map[string]any{"type": "button", "action_id": actionID, "block_id": "a0", "value": value,
			"action_ts": actionTs, "text": map[string]any{"type": "plain_text", "text": "Met"}}},
	}
	b, _ := json.Marshal(p)
	return []byte(url.Values{"payload": {string(b)}}.Encode())
}

// selectBody is a block_actions payload of an option picked in a static select.
func selectBody(user, actionID, value, messageTs, actionTs, responseURL string) []byte {
	p := map[string]any{
		"type": "block_actions", "team": map[string]any{"id": teamID, "domain": "acme"},
		"user":       map[string]any{"id": user, "team_id": teamID},
		"api_app_id": "A1", "trigger_id": "trig-" + actionTs, "response_url": responseURL,
		"container": map[string]any{"type": "message", "message_ts": messageTs, "channel_id": "D" + user, "is_ephemeral": false},
		"channel":   map[string]any{"id": "D" + user},
		"actions": []any{map[string]any{"type": "static_select", "action_id": actionID, "block_id": "a0", "action_ts": actionTs,
			"selected_option": map[string]any{"value": value, "text": map[string]any{"type": "plain_text", "text": "Snooze"}}}},
	}
	b, _ := json.Marshal(p)
	return []byte(url.Values{"payload": {string(b)}}.Encode())
}

// eventBody is an Events API event_callback.
func eventBody(eventID string, inner map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": teamID, "api_app_id": "A1",
		"event_id": eventID, "event_time": now.Unix(), "event": inner})
	return b
}

// history returns the owner's interactions with the named contact.
func history(t *testing.T, store reminders.Store, owner reminders.Owner, name string) []reminders.Interaction {
	t.Helper()
	var out []reminders.Interaction
	err := store.View(context.Background(), owner.ID(), func(tx reminders.OwnerTx) error {
		c, err := tx.ContactByName(name)
		if reminders.ErrorCode(err) == reminders.ENOTFOUND {
			return nil
		}
		if err != nil {
			return err
		}
		out, err = tx.History(c.ID, 0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func slackOwner(user string) reminders.Owner {
	return reminders.Owner{Platform: reminders.PlatformSlack, Team: teamID, User: user}
}

// recHandler records what the adapter hands over and writes through the
// real store with the request key, so replays are visible as data.
type recHandler struct {
	store   reminders.Store
	release chan struct{}
	once    sync.Once

	mu   sync.Mutex
	reqs []bot.Request
	acts []bot.Action
}

func (h *recHandler) unblock() { h.once.Do(func() { close(h.release) }) }

func (h *recHandler) requests() []bot.Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]bot.Request(nil), h.reqs...)
}

func (h *recHandler) actions() []bot.Action {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]bot.Action(nil), h.acts...)
}

func (h *recHandler) Command(ctx context.Context, r bot.Request) bot.Message {
	h.mu.Lock()
	h.reqs = append(h.reqs, r)
	h.mu.Unlock()
	word, rest, _ := strings.Cut(r.Text, " ")
	switch word {
	case "slow":
		<-h.release
		fallthrough
	case "met":
		if err := h.met(ctx, r.Owner, rest, r.Key); err != nil {
			return bot.Message{Text: reminders.ErrorMessage(err), Error: true}
		}
		return bot.Message{Text: "Logged a meeting with " + rest + "."}
	case "export":
		return bot.Message{Text: "Your export is in your DMs.", Files: []bot.File{{Name: "kith.csv", Type: "text/csv", Data: []byte("name\nJane Doe\n")}}}
	case "team":
		if !r.Admin {
			return bot.Message{Text: "Only workspace admins can choose the team summary channel.", Error: true}
		}
		return bot.Message{Text: "The team summary will be posted in this channel.", Public: true}
	case "import":
		if r.File == nil {
			return bot.Message{Text: "Share a file with kith in a DM.", Error: true}
		}
		n := strings.Count(string(r.File.Data), "\n") - 1
		return bot.Message{Text: fmt.Sprintf("Imported %d contacts from %s.", n, r.File.Name)}
	case "big":
		return bot.Message{Text: strings.Repeat("x", 30000)}
	}
	return bot.Message{Text: "You said: " + r.Text}
}

// met logs a meeting, creating the contact when needed.
func (h *recHandler) met(ctx context.Context, owner reminders.Owner, name, key string) error {
	return h.store.Update(ctx, owner.ID(), reminders.Change{Key: key, Now: now}, func(tx reminders.OwnerTx) error {
		c, err := tx.ContactByName(name)
		if reminders.ErrorCode(err) == reminders.ENOTFOUND {
			c = reminders.Contact{Name: name, Added: now}
			err = tx.PutContact(&c)
		}
		if err != nil {
			return err
		}
		i, err := reminders.NewInteraction(c.ID, reminders.Met, now, now, "")
		if err != nil {
			return err
		}
		if err := tx.AddInteraction(&i); err != nil {
			return err
		}
		c.Record(i)
		return tx.PutContact(&c)
	})
}

func (h *recHandler) Act(ctx context.Context, a bot.Action) bot.Message {
	h.mu.Lock()
	h.acts = append(h.acts, a)
	h.mu.Unlock()
	err := h.met(ctx, a.Owner, a.Value, a.Key)
	if errors.Is(err, reminders.ErrDuplicate) {
		return bot.Message{Text: "That was already done.", Replace: true}
	}
	if err != nil {
		return bot.Message{Text: reminders.ErrorMessage(err), Error: true}
	}
	return bot.Message{Text: "Met " + a.Value + " today.", Replace: true}
}

func (h *recHandler) Complete(context.Context, reminders.Owner, string) []string { return nil }

func (h *recHandler) Home(_ context.Context, o reminders.Owner) bot.Message {
	return bot.Message{Title: "Your kith", Text: "Nothing due.", Sections: []bot.Section{{Title: "Due", Text: "Nobody is due, " + o.User + "."}}}
}
