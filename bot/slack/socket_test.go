package slack_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/kith-bot/kith/bot"
	kslack "github.com/kith-bot/kith/bot/slack"
	"github.com/kith-bot/kith/reminders"
)

// ack is what the client sends back for an envelope.
type ack struct {
	EnvelopeID string         `json:"envelope_id"`
	Payload    map[string]any `json:"payload"`
}

func (f *fakeSlack) nextAck(t *testing.T) ack {
	t.Helper()
	var a ack
	b := <-f.socketIn
	if err := json.Unmarshal(b, &a); err != nil {
		t.Fatalf("ack %s: %v", b, err)
	}
	return a
}

func TestSocketMode(t *testing.T) {
	hs := newHarness(t, func(c *kslack.Config) { c.AppToken = appToken; c.SigningSecret = "" })
	if opens := hs.fake.callsOf("apps.connections.open"); len(opens) != 1 {
		t.Fatalf("apps.connections.open called %d times", len(opens))
	}
	// A slash command comes in an envelope; the reply rides on the ack.
	cmd, _ := json.Marshal(map[string]any{
		"envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": true,
		"payload": map[string]any{"team_id": teamID, "user_id": "U1", "channel_id": "C1", "command": "/kith",
			"text": "met Jane", "trigger_id": "trig-sock", "response_url": hs.fake.responseURL("sock")},
	})
	hs.fake.socketOut <- cmd
	a := hs.fake.nextAck(t)
	if a.EnvelopeID != "env-1" || a.Payload["text"] != "Logged a meeting with Jane." || a.Payload["response_type"] != "ephemeral" {
		t.Fatalf("ack %+v", a)
	}
	// Slack redelivers an envelope it thinks was not acknowledged: one change.
	hs.fake.socketOut <- cmd
	if a := hs.fake.nextAck(t); a.Payload["text"] != "that was already done" {
		t.Fatalf("redelivery ack %+v", a)
	}
	if n := len(history(t, hs.store, slackOwner("U1"), "Jane")); n != 1 {
		t.Fatalf("%d interactions", n)
	}
	// A click is acknowledged bare and answered through response_url.
	click := map[string]any{
		"type": "block_actions", "team": map[string]any{"id": teamID}, "user": map[string]any{"id": "U1"},
		"response_url": hs.fake.responseURL("sock-click"), "trigger_id": "t5",
		"container": map[string]any{"type": "message", "message_ts": "1700000000.000005", "channel_id": "DU1"},
		"actions":   []any{map[string]any{"type": "button", "action_id": "met", "block_id": "a0", "value": "Bob", "action_ts": "1.5"}},
	}
	env, _ := json.Marshal(map[string]any{"envelope_id": "env-2", "type": "interactive", "payload": click})
	hs.fake.socketOut <- env
	if a := hs.fake.nextAck(t); a.EnvelopeID != "env-2" || a.Payload != nil {
		t.Fatalf("click ack %+v", a)
	}
	r := hs.fake.wait("respond", 1)[0]
	if r.Path != "/respond/sock-click" || r.JSON["replace_original"] != true {
		t.Fatalf("click answer %s %v", r.Path, r.JSON)
	}
	// Events are acknowledged, then handled; an unknown type is acknowledged too.
	home, _ := json.Marshal(map[string]any{"envelope_id": "env-3", "type": "events_api",
		"payload": json.RawMessage(eventBody("Ev9", map[string]any{"type": "app_home_opened", "user": "U3", "tab": "home"}))})
	hs.fake.socketOut <- home
	if a := hs.fake.nextAck(t); a.EnvelopeID != "env-3" {
		t.Fatalf("event ack %+v", a)
	}
	eventually(t, func() bool {
		for _, v := range hs.fake.callsOf("views.publish") {
			if v.JSON["user_id"] == "U3" {
				return true
			}
		}
		return false
	})
	odd, _ := json.Marshal(map[string]any{"envelope_id": "env-4", "type": "events_api",
		"payload": json.RawMessage(eventBody("Ev10", map[string]any{"type": "no_such_event_type"}))})
	hs.fake.socketOut <- odd
	if a := hs.fake.nextAck(t); a.EnvelopeID != "env-4" {
		t.Fatalf("unknown event ack %+v", a)
	}
	// The client answered the server's pings.
	hs.fake.wait("pong", 1)
	if !hs.a.Ready() {
		t.Fatal("not ready while connected")
	}
}

// tokens_revoked over Socket Mode for the SLACK_BOT_TOKEN workspace: it is
// acknowledged once recorded, nothing more is sent there, and a restart whose
// auth.test succeeds there again resumes it with its data.
func TestSocketModeRevokedBotToken(t *testing.T) {
	store := openStore(t)
	h := &recHandler{store: store, release: make(chan struct{})}
	socket := func(c *kslack.Config) { c.AppToken = appToken; c.SigningSecret = "" }
	hs := start(t, store, h, h, socket)
	ctx := context.Background()
	if err := h.met(ctx, slackOwner("U1"), "Jane", ""); err != nil {
		t.Fatal(err)
	}
	revoked, _ := json.Marshal(map[string]any{"envelope_id": "env-r", "type": "events_api",
		"payload": json.RawMessage(eventBody("EvR", map[string]any{"type": "tokens_revoked", "tokens": map[string]any{"bot": []string{botUser}}}))})
	hs.fake.socketOut <- revoked
	if a := hs.fake.nextAck(t); a.EnvelopeID != "env-r" {
		t.Fatalf("ack %+v", a)
	}
	in, err := store.Installation(ctx, "slack:"+teamID)
	if err != nil || in.Active() {
		t.Fatalf("installation after tokens_revoked = %+v, %v", in, err)
	}
	before := len(hs.fake.all())
	if err := hs.a.SendDM(ctx, slackOwner("U1"), bot.Message{Text: "digest"}); err != nil {
		t.Errorf("SendDM after tokens_revoked = %v", err)
	}
	if calls := hs.fake.all()[before:]; len(calls) != 0 {
		t.Errorf("calls after tokens_revoked: %+v", calls)
	}
	hs.shutdown()

	again := start(t, store, h, h, socket)
	eventually(t, func() bool {
		in, err := store.Installation(ctx, "slack:"+teamID)
		return err == nil && in.Active()
	})
	if _, err := store.Job(ctx, reminders.PurgeJob, "slack:"+teamID); reminders.ErrorCode(err) != reminders.ENOTFOUND {
		t.Errorf("purge job after the token works again: %v", err)
	}
	if err := again.a.SendDM(ctx, slackOwner("U1"), bot.Message{Text: "digest"}); err != nil {
		t.Errorf("SendDM after a restart = %v", err)
	}
	again.fake.wait("chat.postMessage", 1)
	if len(history(t, store, slackOwner("U1"), "Jane")) != 1 {
		t.Error("the workspace's data was lost")
	}
}
