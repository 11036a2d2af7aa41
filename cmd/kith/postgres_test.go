package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kith-bot/kith/storage/postgres/pgtest"
)

// TestPostgres runs the sub-commands against a throwaway Postgres server,
// each subtest on its own database.
func TestPostgres(t *testing.T) {
	srv := pgtest.Start(t)
	t.Run("Migrate", func(t *testing.T) { t.Parallel(); testMigrate(t, srv) })
	t.Run("StartErrors", func(t *testing.T) { t.Parallel(); testStartErrors(t, srv) })
	t.Run("TwoReplicas", func(t *testing.T) { t.Parallel(); testTwoReplicas(t, srv) })
}

// noPassword fails when a password shows in what kith printed.
func noPassword(t *testing.T, h *harness) {
	t.Helper()
	if out := h.stdout.String() + h.stderr.String(); strings.Contains(out, pgtest.Password) {
		t.Errorf("kith printed the password:\n%s", out)
	}
}

// testMigrate moves a file to Postgres, uses it there, backs it up and
// brings it back to a file: the way in and the way out.
func testMigrate(t *testing.T, srv *pgtest.Server) {
	dir := t.TempDir()
	file := filepath.Join(dir, "kith.db")
	url := srv.NewDB(t)
	importPeople(t, file, "Jane Doe", "Ravi Patel")

	h := newMain(t, nil, nil, t0)
	if code := h.execute(t, "migrate", "--from", file, "--to", url); code != 0 {
		t.Fatalf("migrate to Postgres exited %d: %s", code, h.stderr)
	}
	noPassword(t, h)
	if out := h.stdout.String(); !strings.Contains(out, "1 owner, 2 contacts") || !strings.Contains(out, "The counts match.") {
		t.Errorf("migrate printed %q", out)
	}
	if got := people(t, url); !got["Jane Doe"] || !got["Ravi Patel"] || len(got) != 2 {
		t.Errorf("people in Postgres = %v", got)
	}

	// A second copy into the now non-empty database is refused.
	h = newMain(t, nil, nil, t0)
	if code := h.execute(t, "migrate", "--from", file, "--to", url); code == 0 || !strings.Contains(h.stderr.String(), "already holds kith data") {
		t.Errorf("migrate into a non-empty database exited %d: %s", code, h.stderr)
	}
	noPassword(t, h)

	// More data lands in Postgres, then a backup of it comes back as a file.
	importPeople(t, url, "Grace Hopper")
	bak := filepath.Join(dir, "pg-backup.db")
	h = newMain(t, map[string]string{"KITH_DB": url}, nil, t0)
	if code := h.execute(t, "backup", bak); code != 0 {
		t.Fatalf("backup of Postgres exited %d: %s", code, h.stderr)
	}
	noPassword(t, h)
	if got := people(t, bak); len(got) != 3 || !got["Grace Hopper"] {
		t.Errorf("people in the Postgres backup = %v", got)
	}

	back := filepath.Join(dir, "back.db")
	h = newMain(t, nil, nil, t0)
	if code := h.execute(t, "migrate", "--from", url, "--to", back); code != 0 {
		t.Fatalf("migrate from Postgres exited %d: %s", code, h.stderr)
	}
	if got := people(t, back); len(got) != 3 {
		t.Errorf("people migrated back = %v", got)
	}
	// Restoring the backup into a fresh database is a migrate.
	fresh := srv.NewDB(t)
	if h := newMain(t, nil, nil, t0); h.execute(t, "migrate", "--from", bak, "--to", fresh) != 0 {
		t.Fatalf("restore by migrate failed: %s", h.stderr)
	}
	if got := people(t, fresh); len(got) != 3 {
		t.Errorf("people restored = %v", got)
	}
}

// testStartErrors checks that a wrong URL is one line that names what to
// fix and never shows the password.
func testStartErrors(t *testing.T, srv *pgtest.Server) {
	url := strings.Replace(srv.NewDB(t), pgtest.Password, "wrong-pass-123", 1)
	h := newMain(t, map[string]string{"KITH_DB": url, "KITH_HTTP_ADDR": ""}, nil, t0)
	code := h.execute(t, "serve")
	msg := h.stderr.String()
	if code == 0 || !strings.Contains(msg, "refused the login") || strings.Contains(msg, "wrong-pass-123") || strings.Count(strings.TrimSpace(msg), "\n") > 0 {
		t.Errorf("serve with a wrong password exited %d with %q", code, msg)
	}
}

// testTwoReplicas runs two `kith serve` processes on one Postgres database
// behind a fake Slack: a command on one is seen by `show` on the other,
// and one delivery sent to both changes data once.
func testTwoReplicas(t *testing.T, srv *pgtest.Server) {
	slack := newFakeSlackAPI(t)
	dir := t.TempDir()
	env := []string{
		"KITH_DB=" + srv.NewDB(t),
		"KITH_HTTP_ADDR=127.0.0.1:0",
		"KITH_LOG_LEVEL=info",
		"SLACK_BOT_TOKEN=" + testBotToken,
		"SLACK_SIGNING_SECRET=" + testSecret,
		"SLACK_API_URL=" + slack.srv.URL + "/api/",
		"HOME=" + dir,
		"PATH=" + os.Getenv("PATH"),
	}
	a, b := startKith(t, env), startKith(t, env)
	send := func(p *process, text, id string) string {
		t.Helper()
		reply, err := postCommand(p.addr, text, id, slack.srv.URL+"/respond/"+id)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		return string(reply)
	}
	send(a, "add Jane Doe at Acme", "add-1")
	if reply := send(b, "show Jane Doe", "show-1"); !strings.Contains(reply, "Jane Doe") || !strings.Contains(reply, "Acme") {
		t.Errorf("show on the other replica = %s", reply)
	}
	// Slack retries a delivery on another replica: the same trigger_id changes data once.
	send(a, "met Jane Doe", "met-1")
	if reply := send(b, "met Jane Doe", "met-1"); !strings.Contains(reply, "Already done") {
		t.Errorf("the retried delivery on the other replica = %s", reply)
	}
	for _, p := range []*process{a, b} {
		if strings.Contains(p.stderr.String(), pgtest.Password) {
			t.Errorf("a replica logged the database password:\n%s", p.stderr)
		}
	}
}
