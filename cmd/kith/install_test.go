package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// installedToken is the bot token the fake Slack grants; it must never
// reach the database file, a backup, an export or the log.
const installedToken = "xoxb-test-installed-token"

// kith serve with OAuth only: an admin installs kith through the browser
// flow, a command in that workspace uses the installed token, and the token
// is in no file kith writes.
func TestInstallEndToEnd(t *testing.T) {
	var mu sync.Mutex
	var seen []string // Authorization of every Web API call
	slackAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = r.ParseForm()
		if r.URL.Path == "/api/oauth.v2.access" {
			if r.Form.Get("code") != "good-code" || r.Form.Get("client_secret") != "test-client-secret" {
				io.WriteString(w, `{"ok":false,"error":"invalid_code"}`)
				return
			}
			io.WriteString(w, `{"ok":true,"access_token":"`+installedToken+`","token_type":"bot","scope":"commands,chat:write","bot_user_id":"UBOT","team":{"id":"T1","name":"Acme"},"authed_user":{"id":"UADMIN"}}`)
			return
		}
		mu.Lock()
		seen = append(seen, r.URL.Path+" "+r.Header.Get("Authorization")+r.Form.Get("token"))
		mu.Unlock()
		io.WriteString(w, `{"ok":true,"user":{"id":"U1","tz":"UTC","profile":{"display_name":"Ada"}}}`)
	}))
	defer slackAPI.Close()

	dir := t.TempDir()
	db := filepath.Join(dir, "kith.db")
	h := newMain(t, map[string]string{
		"KITH_DB":              db,
		"KITH_HTTP_ADDR":       "127.0.0.1:0",
		"SLACK_CLIENT_ID":      "111.222",
		"SLACK_CLIENT_SECRET":  "test-client-secret",
		"KITH_PUBLIC_URL":      "https://kith.example.com",
		"KITH_SECRET_KEY":      testKey,
		"SLACK_SIGNING_SECRET": testSecret,
		"SLACK_API_URL":        slackAPI.URL + "/api/",
	}, nil, time.Now())
	h.Now = time.Now // signatures are checked against the real clock
	ctx := context.Background()
	if err := h.ParseFlags(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if h.Command() != "serve" {
		t.Fatalf("bare kith with SLACK_CLIENT_ID chose %q", h.Command())
	}
	if err := h.Run(ctx); err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	base := "http://" + h.HTTPAddr()

	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.Get(base + "/slack/install")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc, _ := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || !strings.HasPrefix(loc.String(), "https://slack.com/oauth/v2/authorize?") ||
		loc.Query().Get("redirect_uri") != "https://kith.example.com/slack/oauth/callback" || !strings.Contains(loc.Query().Get("scope"), "chat:write") {
		t.Fatalf("/slack/install = %d %s", res.StatusCode, loc)
	}
	state := loc.Query().Get("state")
	var cookie *http.Cookie
	for _, c := range res.Cookies() {
		cookie = c
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/slack/oauth/callback?"+url.Values{"code": {"good-code"}, "state": {state}}.Encode(), nil)
	req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
	res, err = noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !bytes.Contains(page, []byte("kith is installed")) {
		t.Fatalf("callback = %d %s", res.StatusCode, page)
	}

	if acked, err := signedCommand(h.HTTPAddr(), "add Jane Doe at Acme", "trigger-1", slackAPI.URL+"/respond/1"); err != nil || !acked {
		t.Fatalf("signed command: acked=%v err=%v", acked, err)
	}
	mu.Lock()
	calls := append([]string(nil), seen...)
	mu.Unlock()
	if len(calls) == 0 {
		t.Fatal("the command made no Web API call")
	}
	for _, c := range calls {
		if !strings.HasSuffix(c, installedToken) {
			t.Errorf("Web API call %q does not carry the installed token", c)
		}
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}

	backup := filepath.Join(dir, "backup.db")
	if b := newMain(t, map[string]string{"KITH_DB": db}, nil, t0); b.execute(t, "backup", backup) != 0 {
		t.Fatalf("kith backup: %s", b.stderr)
	}
	ex := newMain(t, map[string]string{"KITH_DB": db}, nil, t0)
	if ex.execute(t, "export") != 0 {
		t.Fatalf("kith export: %s", ex.stderr)
	}
	if !strings.Contains(ex.stdout.String(), "Jane Doe") {
		t.Errorf("the export lacks the owner's data:\n%s", ex.stdout)
	}
	files := map[string][]byte{"export": []byte(ex.stdout.String()), "log": []byte(h.stderr.String())}
	for _, p := range []string{db, backup} {
		if files[p], err = os.ReadFile(p); err != nil {
			t.Fatal(err)
		}
	}
	for name, b := range files {
		if bytes.Contains(b, []byte(installedToken)) || bytes.Contains(b, []byte("installed-token")) {
			t.Errorf("%s holds the bot token", name)
		}
	}
}
