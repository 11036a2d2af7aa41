package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/backup"

	"github.com/kith-bot/kith/transfer"
)

// get fetches a URL and returns the status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeRoutes(t *testing.T) {
	// Slack's auth.test is held until the test lets it through, so /readyz
	// can be seen answering 503 before the platform is connected.
	release := make(chan struct{})
	slackAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/auth.test" {
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
			io.WriteString(w, `{"ok":true,"team_id":"T1","user_id":"UBOT"}`)
			return
		}
		io.WriteString(w, `{"ok":true}`)
	}))
	defer slackAPI.Close()

	db := filepath.Join(t.TempDir(), "kith.db")
	h := newMain(t, map[string]string{
		"KITH_DB":              db,
		"KITH_HTTP_ADDR":       "127.0.0.1:0",
		"SLACK_BOT_TOKEN":      testBotToken,
		"SLACK_SIGNING_SECRET": testSecret,
		"SLACK_API_URL":        slackAPI.URL + "/api/",
	}, nil, time.Now())
	h.Now = time.Now // signatures are checked against the real clock
	ctx := context.Background()
	if err := h.ParseFlags(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if h.Command() != "serve" {
		t.Fatalf("bare kith with Slack chose %q", h.Command())
	}
	if err := h.Run(ctx); err != nil {
		t.Fatal(err)
	}
	closed := false
	defer func() {
		if !closed {
			close(release)
			h.Close()
		}
	}()
	base := "http://" + h.HTTPAddr()
	if !strings.HasPrefix(h.HTTPAddr(), "127.0.0.1:") || strings.HasSuffix(h.HTTPAddr(), ":0") {
		t.Fatalf("HTTPAddr = %q, want the bound port", h.HTTPAddr())
	}

	if code, _ := get(t, base+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz = %d, want 200", code)
	}
	if code, body := get(t, base+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "slack") {
		t.Errorf("/readyz before Slack answered = %d %q, want 503 naming slack", code, body)
	}
	close(release)
	ready := false
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if code, _ := get(t, base+"/readyz"); code == http.StatusOK {
			ready = true
			break
		}
	}
	if !ready {
		t.Fatal("/readyz never answered 200 after Slack connected")
	}

	// A signed command through the Slack route reaches the bot and the database.
	acked, err := signedCommand(h.HTTPAddr(), "add Jane Doe at Acme", "trigger-1", slackAPI.URL+"/respond/1")
	if err != nil || !acked {
		t.Fatalf("signed command: acked=%v err=%v", acked, err)
	}
	resp, err := http.Post(base+"/slack/commands", "application/x-www-form-urlencoded", strings.NewReader("text=add+Mallory"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned command = %d, want 401", resp.StatusCode)
	}

	// A mistake is counted under its error code, and an alias (saw, ls)
	// under its command.
	if acked, err := signedCommand(h.HTTPAddr(), "saw Nobody Known", "trigger-2", slackAPI.URL+"/respond/2"); err != nil || !acked {
		t.Fatalf("signed command: acked=%v err=%v", acked, err)
	}
	if acked, err := signedCommand(h.HTTPAddr(), "ls", "trigger-3", slackAPI.URL+"/respond/3"); err != nil || !acked {
		t.Fatalf("signed command: acked=%v err=%v", acked, err)
	}

	code, body := get(t, base+"/metrics")
	if code != http.StatusOK || !strings.Contains(body, `kith_commands_total{command="add",outcome="ok"} 1`) ||
		!strings.Contains(body, `kith_commands_total{command="met",outcome="not_found"} 1`) ||
		!strings.Contains(body, `kith_commands_total{command="list",outcome="ok"} 1`) {
		t.Errorf("/metrics = %d, without the add, the failed saw and the ls counted:\n%s", code, body)
	}
	if code, _ := get(t, base+"/nope"); code != http.StatusNotFound {
		t.Errorf("/nope = %d, want 404", code)
	}
	// Requests by route and status, the store's commits: what an operator watches.
	_, body = get(t, base+"/metrics")
	for _, want := range []string{
		`kith_http_requests_total{code="200",route="/slack/commands"} 3`,
		`kith_http_requests_total{code="401",route="/slack/commands"} 1`,
		`kith_http_requests_total{code="404",route="other"} 1`,
		`kith_http_request_duration_seconds_count{route="/slack/commands"} 4`,
		`kith_store_commit_seconds_count{op="update"}`,
		`kith_backup_last_success_timestamp_seconds 0`,
		`kith_delivery_attempts_total{kind="dm",outcome="failed",platform="slack"} 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s:\n%s", want, body)
		}
	}

	closed = true
	start := time.Now()
	if err := h.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if d := time.Since(start); d > ShutdownTimeout {
		t.Errorf("Close took %s", d)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("the HTTP server still answers after Close")
	}
	if strings.Contains(h.stderr.String(), testBotToken) || strings.Contains(h.stderr.String(), testSecret) {
		t.Errorf("a secret was logged:\n%s", h.stderr)
	}
	if !strings.Contains(h.stderr.String(), "platforms=[slack]") {
		t.Errorf("the log does not say which platforms are enabled:\n%s", h.stderr)
	}

	doc := export(t, db, "slack:T1:U1")
	if len(doc.Contacts) != 1 || doc.Contacts[0].Name != "Jane Doe" {
		t.Errorf("after restart the Slack owner has %+v", doc.Contacts)
	}
}

func TestServeWithoutHTTPMakesBackups(t *testing.T) {
	dir := t.TempDir()
	backups := filepath.Join(dir, "backups")
	h := newMain(t, map[string]string{"KITH_DB": filepath.Join(dir, "kith.db"), "KITH_HTTP_ADDR": "", "KITH_BACKUP_DIR": backups}, nil, t0)
	ctx := context.Background()
	if err := h.ParseFlags(ctx, []string{"serve"}); err != nil {
		t.Fatal(err)
	}
	if err := h.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if h.HTTPAddr() != "" {
		t.Errorf("HTTPAddr = %q with KITH_HTTP_ADDR empty", h.HTTPAddr())
	}
	// With no backup yet, the first is written at start.
	var files []string
	for deadline := time.Now().Add(10 * time.Second); len(files) == 0 && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		files, _ = backup.List(backups)
	}
	if len(files) != 1 {
		t.Fatalf("backups after start: %v", files)
	}
	bh := newMain(t, map[string]string{"KITH_DB": files[0]}, nil, t0)
	if code := bh.execute(t, "export"); code != 0 {
		t.Fatalf("kith export of the backup exited %d: %s", code, bh.stderr)
	}
	var archive transfer.Archive
	if err := json.Unmarshal([]byte(bh.stdout.String()), &archive); err != nil || len(archive.Owners) != 0 {
		t.Errorf("backup of an empty database = %v, %s; want an archive of no owners", err, bh.stdout)
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestServeBadAddress(t *testing.T) {
	h := newMain(t, map[string]string{"KITH_DB": filepath.Join(t.TempDir(), "kith.db"), "KITH_HTTP_ADDR": "256.0.0.1:1"}, nil, t0)
	if code := h.execute(t, "serve"); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
	if !strings.Contains(h.stderr.String(), "cannot listen on KITH_HTTP_ADDR=256.0.0.1:1") {
		t.Errorf("stderr = %q", h.stderr)
	}
}
