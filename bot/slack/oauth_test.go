package slack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
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

const (
	clientID     = "111.222"
	clientSecret = "test-client-secret"
	publicURL    = "https://kith.example.com"
	tokenOne     = "xoxb-test-installed-one"
	tokenTwo     = "xoxb-test-installed-two"
	revokedToken = "xoxb-test-revoked" // the fake answers token_revoked
)

// testKey is a KITH_SECRET_KEY for tests, plainly not a real one.
var testKey = mustKey("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")

func mustKey(s string) *kslack.Key {
	k, err := kslack.ParseKey(s)
	if err != nil {
		panic(err)
	}
	return &k
}

// settable is a clock a test moves by hand.
type settable struct {
	mu sync.Mutex
	t  time.Time
}

func (c *settable) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *settable) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// oauthHarness is an adapter with OAuth and no SLACK_BOT_TOKEN, on a store
// whose file the test can read.
func oauthHarness(t *testing.T, c *settable, edit ...func(*kslack.Config)) (*harness, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kith.db")
	store, err := bolt.Open(path, bolt.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	h := &recHandler{store: store, release: make(chan struct{})}
	edits := append([]func(*kslack.Config){func(cfg *kslack.Config) {
		cfg.BotToken = ""
		cfg.ClientID, cfg.ClientSecret, cfg.PublicURL, cfg.SecretKey = clientID, clientSecret, publicURL, testKey
		cfg.Now = c.Now
	}}, edit...)
	return start(t, store, h, h, edits...), path
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// beginInstall opens /slack/install and returns the state and the cookie it set.
func (hs *harness) beginInstall() (state string, cookie *http.Cookie) {
	hs.t.Helper()
	res, err := noRedirect.Get(hs.srv.URL + "/slack/install")
	if err != nil {
		hs.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusFound {
		hs.t.Fatalf("/slack/install = %d, want 302", res.StatusCode)
	}
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil || loc.Scheme+"://"+loc.Host+loc.Path != kslack.AuthorizeURL {
		hs.t.Fatalf("Location = %q, want Slack's authorize page", res.Header.Get("Location"))
	}
	q := loc.Query()
	if q.Get("client_id") != clientID || q.Get("redirect_uri") != publicURL+"/slack/oauth/callback" ||
		q.Get("scope") != strings.Join(kslack.BotScopes, ",") || q.Get("state") == "" {
		hs.t.Errorf("authorize query = %v", q)
	}
	for _, c := range res.Cookies() {
		if c.Name == "kith_slack_state" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || !cookie.Secure || cookie.SameSite != http.SameSiteLaxMode || cookie.Value != q.Get("state") {
		hs.t.Fatalf("state cookie = %+v, want HttpOnly, Secure, SameSite=Lax, holding the state", cookie)
	}
	return q.Get("state"), cookie
}

// callback opens the redirect URL as the browser would and returns the status and page.
func (hs *harness) callback(query url.Values, cookie *http.Cookie) (int, string) {
	hs.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, hs.srv.URL+"/slack/oauth/callback?"+query.Encode(), nil)
	if cookie != nil {
		req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		hs.t.Fatal(err)
	}
	defer res.Body.Close()
	var b bytes.Buffer
	_, _ = b.ReadFrom(res.Body)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		hs.t.Errorf("callback Content-Type = %q, want an HTML page", ct)
	}
	return res.StatusCode, b.String()
}

// grant makes the fake's oauth.v2.access answer code with a bot token for team.
func (f *fakeSlack) grant(code, team, token, botUser string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tokens[token] = team
	f.codes[code] = map[string]any{"ok": true, "access_token": token, "token_type": "bot", "scope": strings.Join(kslack.BotScopes, ","),
		"bot_user_id": botUser, "app_id": "A1", "team": map[string]any{"id": team, "name": "Team " + team},
		"enterprise": nil, "is_enterprise_install": false, "authed_user": map[string]any{"id": "UADMIN" + team}}
}

// install runs the whole flow for team.
func (hs *harness) install(team, token string) {
	hs.t.Helper()
	hs.fake.grant("code-"+team, team, token, "UBOT"+team)
	state, cookie := hs.beginInstall()
	code, page := hs.callback(url.Values{"code": {"code-" + team}, "state": {state}}, cookie)
	if code != http.StatusOK || !strings.Contains(page, "kith is installed") {
		hs.t.Fatalf("callback = %d %q", code, page)
	}
}

func installations(t *testing.T, s reminders.Store) []reminders.Installation {
	t.Helper()
	all, err := s.Installations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func TestInstall(t *testing.T) {
	c := &settable{t: now}
	hs, _ := oauthHarness(t, c)
	hs.install("T1", tokenOne)
	all := installations(t, hs.store)
	if len(all) != 1 {
		t.Fatalf("installations = %+v", all)
	}
	in := all[0]
	if in.Team != "slack:T1" || in.BotUser != "UBOTT1" || in.InstalledBy != "UADMINT1" || !in.InstalledAt.Equal(now) ||
		strings.Join(in.Scopes, ",") != strings.Join(kslack.BotScopes, ",") || !in.Active() {
		t.Errorf("installation = %+v", in)
	}
	if bytes.Contains(in.Token, []byte(tokenOne)) || len(in.Token) == 0 {
		t.Errorf("stored token = %q, want it sealed", in.Token)
	}
	ex := hs.fake.callsOf("oauth.v2.access")[0]
	if ex.Form.Get("redirect_uri") != publicURL+"/slack/oauth/callback" {
		t.Errorf("oauth.v2.access redirect_uri = %q", ex.Form.Get("redirect_uri"))
	}
	// The installed workspace works with its own token.
	if code, m := hs.commandIn("T1", "UONE", "hello", "trig-1"); code != http.StatusOK || m["text"] != "You said: hello" {
		t.Errorf("command = %d %v", code, m)
	}
	if u := hs.fake.callsOf("users.info"); len(u) != 1 || u[0].Token != tokenOne {
		t.Errorf("users.info calls = %+v", u)
	}
}

func TestInstallRefused(t *testing.T) {
	tests := []struct {
		name string
		run  func(hs *harness, c *settable) (int, string)
		want string
	}{
		{"bad state", func(hs *harness, c *settable) (int, string) {
			state, cookie := hs.beginInstall()
			bad := state[:len(state)-2] + "AA"
			cookie.Value = bad
			return hs.callback(url.Values{"code": {"code-T1"}, "state": {bad}}, cookie)
		}, "not valid"},
		{"state of another deployment", func(hs *harness, c *settable) (int, string) {
			other, _ := oauthHarness(hs.t.(*testing.T), c, func(cfg *kslack.Config) {
				cfg.SecretKey = mustKey(strings.Repeat("ab", 32))
			})
			state, cookie := other.beginInstall()
			return hs.callback(url.Values{"code": {"code-T1"}, "state": {state}}, cookie)
		}, "not valid"},
		{"replayed state", func(hs *harness, c *settable) (int, string) {
			state, cookie := hs.beginInstall()
			hs.fake.grant("code-T9", "T9", "xoxb-test-nine", "UBOT9")
			if code, _ := hs.callback(url.Values{"code": {"code-T9"}, "state": {state}}, cookie); code != http.StatusOK {
				hs.t.Fatalf("first use = %d", code)
			}
			return hs.callback(url.Values{"code": {"code-T1"}, "state": {state}}, cookie)
		}, "already used"},
		{"expired state", func(hs *harness, c *settable) (int, string) {
			state, cookie := hs.beginInstall()
			c.Set(now.Add(kslack.StateTTL))
			return hs.callback(url.Values{"code": {"code-T1"}, "state": {state}}, cookie)
		}, "expired"},
		{"missing cookie", func(hs *harness, c *settable) (int, string) {
			state, _ := hs.beginInstall()
			return hs.callback(url.Values{"code": {"code-T1"}, "state": {state}}, nil)
		}, "cookie"},
		{"another browser's cookie", func(hs *harness, c *settable) (int, string) {
			state, _ := hs.beginInstall()
			_, theirs := hs.beginInstall()
			return hs.callback(url.Values{"code": {"code-T1"}, "state": {state}}, theirs)
		}, "another browser"},
		{"oauth.v2.access says ok:false", func(hs *harness, c *settable) (int, string) {
			state, cookie := hs.beginInstall()
			return hs.callback(url.Values{"code": {"unknown-code"}, "state": {state}}, cookie)
		}, "invalid_code"},
		{"cancelled in Slack", func(hs *harness, c *settable) (int, string) {
			state, cookie := hs.beginInstall()
			return hs.callback(url.Values{"error": {"access_denied"}, "state": {state}}, cookie)
		}, "cancelled"},
		{"no code", func(hs *harness, c *settable) (int, string) {
			state, cookie := hs.beginInstall()
			return hs.callback(url.Values{"state": {state}}, cookie)
		}, "no authorization code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &settable{t: now}
			hs, _ := oauthHarness(t, c)
			hs.fake.grant("code-T1", "T1", tokenOne, "UBOTT1")
			code, page := tt.run(hs, c)
			if code != http.StatusBadRequest || !strings.Contains(page, tt.want) || !strings.Contains(page, "/slack/install") {
				t.Errorf("callback = %d %q; want 400 saying %q with the install link", code, page, tt.want)
			}
			for _, in := range installations(t, hs.store) {
				if in.Team == "slack:T1" {
					t.Errorf("a refused installation was stored: %+v", in)
				}
			}
			for _, call := range hs.fake.callsOf("oauth.v2.access") {
				if call.Form.Get("code") == "code-T1" {
					t.Errorf("the code was exchanged although the state was refused")
				}
			}
		})
	}
}

// commandIn sends a signed slash command from a user of team.
func (hs *harness) commandIn(team, user, text, trigger string) (int, map[string]any) {
	hs.t.Helper()
	body := []byte(strings.Replace(string(commandBody(user, text, trigger, hs.fake.responseURL(trigger))), "team_id="+teamID, "team_id="+team, 1))
	code, reply := hs.send("/slack/commands", form, body, now, secret)
	var m map[string]any
	if code == http.StatusOK && reply != "" {
		_ = json.Unmarshal([]byte(reply), &m)
	}
	return code, m
}

// eventIn sends a signed event of team.
func (hs *harness) eventIn(team, id string, inner map[string]any) int {
	hs.t.Helper()
	body := bytes.Replace(eventBody(id, inner), []byte(`"team_id":"`+teamID+`"`), []byte(`"team_id":"`+team+`"`), 1)
	code, _ := hs.send("/slack/events", "application/json", body, now, secret)
	return code
}

// Two workspaces installed: every Web API call carries the token of the
// workspace it acts for, never the other's.
func TestTwoWorkspacesNeverCrossTokens(t *testing.T) {
	c := &settable{t: now}
	hs, _ := oauthHarness(t, c)
	hs.install("T1", tokenOne)
	hs.install("T2", tokenTwo)
	ctx := context.Background()
	users := map[string]string{"T1": "UONE", "T2": "UTWO"}
	for team, user := range users {
		hs.fake.addUser(user, "User "+team, "Europe/Berlin", true)
		if code, _ := hs.commandIn(team, user, "met Jane", "trig-"+team); code != http.StatusOK {
			t.Fatalf("command in %s = %d", team, code)
		}
		owner := reminders.Owner{Platform: reminders.PlatformSlack, Team: team, User: user}
		if err := hs.a.SendDM(ctx, owner, bot.Message{Text: "digest", Files: []bot.File{{Name: "kith.csv", Data: []byte("x")}}}); err != nil {
			t.Fatalf("SendDM in %s: %v", team, err)
		}
		marker := strings.TrimPrefix(user, "U")
		if err := hs.a.Post(ctx, reminders.NewTeamID(reminders.PlatformSlack, team), "C"+marker, bot.Message{Text: "summary"}); err != nil {
			t.Fatalf("Post in %s: %v", team, err)
		}
		if code := hs.eventIn(team, "Ev"+team, map[string]any{"type": "app_home_opened", "user": user, "tab": "home"}); code != http.StatusOK {
			t.Fatalf("event = %d", code)
		}
		if code, _ := hs.send("/slack/interactions", form, interactive(map[string]any{
			"type": "shortcut", "callback_id": kslack.ShortcutAddContact, "trigger_id": "trig-" + marker,
			"team": map[string]any{"id": team}, "user": map[string]any{"id": user, "team_id": team},
		}), now, secret); code != http.StatusOK {
			t.Fatalf("shortcut = %d", code)
		}
	}
	hs.fake.wait("views.publish", 2)
	hs.fake.wait("views.open", 2)
	want := map[string]string{"ONE": tokenOne, "TWO": tokenTwo}
	checked := 0
	for _, call := range hs.fake.all() {
		for marker, token := range want {
			if bytes.Contains(call.Body, []byte(marker)) {
				checked++
				if call.Token != token {
					t.Errorf("%s about %s carried %q, want %q", call.Method, marker, call.Token, token)
				}
			}
		}
		if call.Method != "oauth.v2.access" && call.Method != "respond" && call.Token != tokenOne && call.Token != tokenTwo {
			t.Errorf("%s carried %q, the token of neither workspace", call.Method, call.Token)
		}
	}
	if checked < 10 {
		t.Errorf("only %d calls named a workspace's user or channel", checked)
	}
	// A workspace kith was never installed in gets nothing, and says why.
	err := hs.a.SendDM(ctx, reminders.Owner{Platform: reminders.PlatformSlack, Team: "T3", User: "UTHREE"}, bot.Message{Text: "x"})
	if err == nil || !strings.Contains(reminders.ErrorMessage(err), "not installed in Slack workspace T3") {
		t.Errorf("SendDM to a workspace without kith = %v", err)
	}
}

// The token is never in the database file, a backup or a log line.
func TestTokenAtRest(t *testing.T) {
	c := &settable{t: now}
	var logs bytes.Buffer
	var mu sync.Mutex
	hs, path := oauthHarness(t, c, func(cfg *kslack.Config) {
		cfg.Logger = slogTo(&lockedWriter{w: &logs, mu: &mu})
	})
	hs.install("T1", tokenOne)
	hs.install("T2", tokenTwo)
	hs.fake.addUser("UONE", "One", "UTC", false)
	if code, _ := hs.commandIn("T1", "UONE", "met Jane", "trig-1"); code != http.StatusOK {
		t.Fatalf("command = %d", code)
	}
	var backup bytes.Buffer
	if _, err := hs.store.Backup(context.Background(), &backup); err != nil {
		t.Fatal(err)
	}
	hs.shutdown()
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for name, b := range map[string][]byte{"database file": file, "backup": backup.Bytes(), "log": logs.Bytes()} {
		for _, tok := range []string{tokenOne, tokenTwo, "installed-one", "installed-two"} {
			if bytes.Contains(b, []byte(tok)) {
				t.Errorf("the %s holds the token %q", name, tok)
			}
		}
	}
	if !bytes.Contains(logs.Bytes(), []byte("installed")) {
		t.Errorf("the install was not logged:\n%s", logs.Bytes())
	}
}

// A token sealed with another key: a sentence naming the workspace, and
// the other workspace keeps working.
func TestTokenOfAnotherKey(t *testing.T) {
	c := &settable{t: now}
	path := filepath.Join(t.TempDir(), "kith.db")
	store, err := bolt.Open(path, bolt.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	h := &recHandler{store: store, release: make(chan struct{})}
	oauth := func(key *kslack.Key) func(cfg *kslack.Config) {
		return func(cfg *kslack.Config) {
			cfg.BotToken = ""
			cfg.ClientID, cfg.ClientSecret, cfg.PublicURL, cfg.SecretKey, cfg.Now = clientID, clientSecret, publicURL, key, c.Now
		}
	}
	old := start(t, store, h, h, oauth(mustKey(strings.Repeat("cd", 32))))
	old.install("T1", tokenOne)
	old.shutdown()

	hs := start(t, store, h, h, oauth(testKey))
	hs.install("T2", tokenTwo)
	ctx := context.Background()
	err = hs.a.SendDM(ctx, reminders.Owner{Platform: reminders.PlatformSlack, Team: "T1", User: "UONE"}, bot.Message{Text: "x"})
	if msg := reminders.ErrorMessage(err); !strings.Contains(msg, "workspace T1 cannot be decrypted") || !strings.Contains(msg, "KITH_SECRET_KEY") {
		t.Errorf("SendDM with a token of another key = %v", err)
	}
	if err := hs.a.SendDM(ctx, reminders.Owner{Platform: reminders.PlatformSlack, Team: "T2", User: "UTWO"}, bot.Message{Text: "x"}); err != nil {
		t.Errorf("the other workspace: %v", err)
	}
}

// app_uninstalled stops every call with the workspace's token at once; after
// the retention the scheduler deletes its data, and the other workspace's stays.
func TestUninstall(t *testing.T) {
	c := &settable{t: now}
	hs, _ := oauthHarness(t, c, func(cfg *kslack.Config) { cfg.Retention = time.Hour })
	hs.install("T1", tokenOne)
	hs.install("T2", tokenTwo)
	ctx := context.Background()
	for team, user := range map[string]string{"T1": "UONE", "T2": "UTWO"} {
		hs.fake.addUser(user, user, "UTC", false)
		if code, _ := hs.commandIn(team, user, "met Jane", "trig-"+team); code != http.StatusOK {
			t.Fatalf("command = %d", code)
		}
	}
	if code := hs.eventIn("T1", "EvGone", map[string]any{"type": "app_uninstalled"}); code != http.StatusOK {
		t.Fatalf("app_uninstalled = %d", code)
	}
	before := len(hs.fake.all())
	one := reminders.Owner{Platform: reminders.PlatformSlack, Team: "T1", User: "UONE"}
	if err := hs.a.SendDM(ctx, one, bot.Message{Text: "digest"}); err != nil {
		t.Errorf("a digest to an uninstalled workspace = %v, want it passed over", err)
	}
	if err := hs.a.Post(ctx, "slack:T1", "CONE", bot.Message{Text: "summary"}); err != nil {
		t.Errorf("a summary to an uninstalled workspace = %v", err)
	}
	hs.eventIn("T1", "EvHome", map[string]any{"type": "app_home_opened", "user": "UONE", "tab": "home"})
	two := reminders.Owner{Platform: reminders.PlatformSlack, Team: "T2", User: "UTWO"}
	if err := hs.a.SendDM(ctx, two, bot.Message{Text: "digest"}); err != nil {
		t.Errorf("the other workspace: %v", err)
	}
	hs.shutdown() // waits for the home refresh, which must not call Slack either
	for _, call := range hs.fake.all()[before:] {
		if call.Token == tokenOne {
			t.Errorf("%s used the uninstalled workspace's token", call.Method)
		}
	}
	in, err := hs.store.Installation(ctx, "slack:T1")
	if err != nil || in.Active() || len(in.Token) != 0 {
		t.Errorf("installation after app_uninstalled = %+v, %v; want inactive without a token", in, err)
	}

	// The scheduler deletes T1's owners once the retention passed.
	s := reminders.NewScheduler(hs.store, nopDeliverer{}, reminders.SchedulerOptions{Now: func() time.Time { return now.Add(time.Hour) }, Logger: slogTo(io.Discard)})
	if _, err := s.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	owners, _ := hs.store.Owners(ctx)
	if len(owners) != 1 || owners[0] != two.ID() {
		t.Errorf("owners after the retention = %q, want only %s", owners, two.ID())
	}
	if len(history(t, hs.store, two, "Jane")) != 1 {
		t.Errorf("the other workspace lost its data")
	}
}

type nopDeliverer struct{}

func (nopDeliverer) DeliverDigest(context.Context, reminders.Digest) error   { return nil }
func (nopDeliverer) DeliverSummary(context.Context, reminders.Summary) error { return nil }

// all returns every recorded call.
func (f *fakeSlack) all() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

func slogTo(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// lockedWriter lets the test read logs the adapter writes from its goroutines.
type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// A SLACK_BOT_TOKEN that Slack refuses does not hold up the installed
// workspaces: kith becomes ready, serves them, and never uses that token for
// a workspace without an installation.
func TestRefusedBotTokenBesideInstalls(t *testing.T) {
	c := &settable{t: now}
	hs, _ := oauthHarness(t, c, func(cfg *kslack.Config) { cfg.BotToken = revokedToken })
	hs.install("T2", tokenTwo)
	ctx := context.Background()
	if err := hs.a.SendDM(ctx, reminders.Owner{Platform: reminders.PlatformSlack, Team: "T2", User: "UTWO"}, bot.Message{Text: "x"}); err != nil {
		t.Errorf("the installed workspace: %v", err)
	}
	err := hs.a.SendDM(ctx, reminders.Owner{Platform: reminders.PlatformSlack, Team: "T1", User: "UONE"}, bot.Message{Text: "x"})
	if !strings.Contains(reminders.ErrorMessage(err), "not installed in Slack workspace T1") {
		t.Errorf("a workspace without an installation = %v", err)
	}
	for _, call := range hs.fake.all() {
		if call.Token == revokedToken && call.Method != "auth.test#revoked" {
			t.Errorf("%s used the refused token", call.Method)
		}
	}
}
