package discord_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/bot/discord"
	"github.com/kith-bot/kith/reminders"
)

// route is the interactions route of an adapter, served over HTTP.
type route struct {
	*env
	srv  *httptest.Server
	priv ed25519.PrivateKey
}

func newRoute(t *testing.T, h bot.Handler, mod func(*discord.Config)) *route {
	t.Helper()
	return newRouteWith(t, openStore(t), h, mod).route
}

func newRouteWith(t *testing.T, st reminders.Store, h bot.Handler, mod func(*discord.Config)) *env {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	e := setupWith(t, st, h, func(c *discord.Config) {
		c.PublicKey = hex.EncodeToString(pub)
		c.Gateway = false
		if mod != nil {
			mod(c)
		}
	})
	e.run(t)
	mux := http.NewServeMux()
	e.a.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	e.route = &route{env: e, srv: srv, priv: priv}
	return e
}

// post sends body signed with key at ts; a nil key sends no signature.
func (r *route) post(t *testing.T, body []byte, key ed25519.PrivateKey, ts time.Time) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, r.srv.URL+"/discord/interactions", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if key != nil {
		stamp := strconv.FormatInt(ts.Unix(), 10)
		req.Header.Set("X-Signature-Timestamp", stamp)
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(stamp), body...))))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestInteractionsRoute(t *testing.T) {
	t.Parallel()
	rec := newRecorder()
	r := newRoute(t, rec, nil)
	_, otherKey, _ := ed25519.GenerateKey(nil)
	ping := mustJSON(t, &discordgo.Interaction{ID: "1", AppID: "app-1", Type: discordgo.InteractionPing, Token: "t", Version: 1})
	tests := []struct {
		name string
		body []byte
		key  ed25519.PrivateKey
		ts   time.Time
		want int
	}{
		{"ping", ping, r.priv, now, http.StatusOK},
		{"four minutes old", ping, r.priv, now.Add(-4 * time.Minute), http.StatusOK},
		{"unsigned", ping, nil, now, http.StatusUnauthorized},
		{"signed by another key", ping, otherKey, now, http.StatusUnauthorized},
		{"stale", ping, r.priv, now.Add(-6 * time.Minute), http.StatusUnauthorized},
		{"from the future", ping, r.priv, now.Add(6 * time.Minute), http.StatusUnauthorized},
		{"malformed", []byte(`{"type":`), r.priv, now, http.StatusBadRequest},
		{"no type", []byte(`{"id":"5"}`), r.priv, now, http.StatusBadRequest},
		{"over 1 MiB", append(append([]byte(`{"type":1,"id":"1","pad":"`), bytes.Repeat([]byte("x"), 1<<20)...), `"}`...), r.priv, now, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		code, body := r.post(t, tt.body, tt.key, tt.ts)
		if code != tt.want {
			t.Errorf("%s: status %d (%s), want %d", tt.name, code, body, tt.want)
		}
		if tt.want == http.StatusOK && strings.TrimSpace(string(body)) != `{"type":1}` {
			t.Errorf("%s: body %s, want PONG", tt.name, body)
		}
	}

	// A tampered body under a valid signature of another body.
	stamp := strconv.FormatInt(now.Unix(), 10)
	req, _ := http.NewRequest(http.MethodPost, r.srv.URL+"/discord/interactions", strings.NewReader(`{"id":"2","type":1}`))
	req.Header.Set("X-Signature-Timestamp", stamp)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(r.priv, append([]byte(stamp), ping...))))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("tampered body: %d", resp.StatusCode)
	}

	// A command answers in the HTTP response; the same interaction twice carries the same key.
	cmd := mustJSON(t, inGuild(command("show", str("name", "Jane")), alice, 0))
	for range 2 {
		code, body := r.post(t, cmd, r.priv, now)
		var got response
		if err := json.Unmarshal(body, &got); err != nil || code != http.StatusOK {
			t.Fatalf("command: %d %s", code, body)
		}
		if got.Type != discordgo.InteractionResponseChannelMessageWithSource || got.Data.Content != `ok: show "Jane"` || got.Data.Flags != int(discordgo.MessageFlagsEphemeral) {
			t.Errorf("command response %+v", got)
		}
	}
	reqs := rec.Requests()
	if len(reqs) != 2 || reqs[0].Key == "" || reqs[0].Key != reqs[1].Key {
		t.Errorf("requests %+v", reqs)
	}
	if n := r.f.Count("POST", "interactions/"); n != 0 {
		t.Errorf("HTTP interactions answered over REST %d times", n)
	}
}

func TestNoPublicKeyNoRoute(t *testing.T) {
	t.Parallel()
	e := setup(t, newRecorder(), func(c *discord.Config) { c.Gateway = false })
	mux := http.NewServeMux()
	e.a.Register(mux)
	rr := httptest.NewRecorder()
	mux.ServeHTTP(rr, httptest.NewRequest(http.MethodPost, "/discord/interactions", strings.NewReader("{}")))
	if rr.Code != http.StatusNotFound {
		t.Errorf("status %d without a public key", rr.Code)
	}
}

func TestConfigErrors(t *testing.T) {
	t.Parallel()
	st := openStore(t)
	tests := []struct {
		name string
		cfg  discord.Config
	}{
		{"no token", discord.Config{}},
		{"bad key", discord.Config{BotToken: "test-token", PublicKey: "abcd"}},
		{"bad command", discord.Config{BotToken: "test-token", Command: "/Kith Now"}},
		{"bad url", discord.Config{BotToken: "test-token", APIURL: "ftp://example.invalid/"}},
	}
	for _, tt := range tests {
		if _, err := discord.New(tt.cfg, newRecorder(), st); err == nil {
			t.Errorf("%s: accepted", tt.name)
		}
	}
}

// Deferred replies: the handler is held until Discord got the deferral.
func TestDeferredReplies(t *testing.T) {
	t.Parallel()
	quick := func(c *discord.Config) { c.DeferAfter = time.Millisecond }

	t.Run("gateway", func(t *testing.T) {
		t.Parallel()
		rec := newRecorder()
		e := setup(t, rec, quick)
		e.run(t)
		t.Run("gateway command", func(t *testing.T) {
			rec.reset()
			rec.mu.Lock()
			rec.gate = make(chan struct{})
			rec.mu.Unlock()
			i := inGuild(command("due"), alice, 0)
			e.f.Dispatch(t, i)
			rec.wait(t)
			resp := callback(t, e.f.Await(t, "POST", "interactions/"+i.ID+"/"))
			if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || resp.Data.Flags != int(discordgo.MessageFlagsEphemeral) {
				t.Errorf("deferral %+v", resp)
			}
			close(rec.gate)
			edit := message(t, e.f.Await(t, "PATCH", "webhooks/app-1/"+i.Token+"/messages/@original"))
			if edit.Content != "ok: due" {
				t.Errorf("edit %+v", edit)
			}
		})

		t.Run("gateway click", func(t *testing.T) {
			rec.reset()
			rec.mu.Lock()
			rec.gate = make(chan struct{})
			rec.mu.Unlock()
			i := inDM(click("k1|snooze|"+alice+"|c9"), alice)
			e.f.Dispatch(t, i)
			rec.wait(t)
			resp := callback(t, e.f.Await(t, "POST", "interactions/"+i.ID+"/"))
			if resp.Type != discordgo.InteractionResponseDeferredMessageUpdate {
				t.Errorf("deferral %+v", resp)
			}
			close(rec.gate)
			edit := message(t, e.f.Await(t, "PATCH", "webhooks/app-1/"+i.Token+"/messages/@original"))
			if edit.Content != "done snooze c9" || edit.Components == nil {
				t.Errorf("edit %+v", edit)
			}
		})

	})

	t.Run("http command", func(t *testing.T) {
		t.Parallel()
		rec := newRecorder()
		rec.gate = make(chan struct{})
		r := newRoute(t, rec, quick)
		i := inDM(command("digest"), alice)
		code, body := r.post(t, mustJSON(t, i), r.priv, now)
		var resp response
		if err := json.Unmarshal(body, &resp); err != nil || code != http.StatusOK || resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
			t.Fatalf("deferral %d %s", code, body)
		}
		close(rec.gate)
		edit := message(t, r.f.Await(t, "PATCH", "webhooks/app-1/"+i.Token+"/messages/@original"))
		if edit.Content != "ok: digest" {
			t.Errorf("edit %+v", edit)
		}
	})

	t.Run("http files", func(t *testing.T) {
		t.Parallel()
		rec := newRecorder()
		rec.reply = func(bot.Request) bot.Message {
			return bot.Message{Text: "your data", Files: []bot.File{{Name: "kith.json", Type: "application/json", Data: []byte("{}")}}}
		}
		r := newRoute(t, rec, nil)
		i := inDM(command("export"), alice)
		code, body := r.post(t, mustJSON(t, i), r.priv, now)
		var resp response
		if err := json.Unmarshal(body, &resp); err != nil || code != http.StatusOK || resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
			t.Fatalf("deferral %d %s", code, body)
		}
		edit := r.f.Await(t, "PATCH", "webhooks/app-1/"+i.Token+"/messages/@original")
		if files := edit.Files(t); files["kith.json"] != "{}" {
			t.Errorf("files %v", files)
		}
	})
}
