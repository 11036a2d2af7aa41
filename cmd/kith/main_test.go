package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/transfer"
)

// t0 is the tests' clock: a Tuesday morning, so "3 days ago" is a Saturday.
var t0 = time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)

// syncBuffer is an output that tests read while kith writes to it.
type syncBuffer struct {
	mu      sync.Mutex
	b       strings.Builder
	changed chan struct{} // closed and replaced at every write
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
	return s.b.Write(p)
}

// waitFor waits until the output contains want; the timeout only guards
// against a hung test.
func (s *syncBuffer) waitFor(t *testing.T, want string) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		s.mu.Lock()
		if strings.Contains(s.b.String(), want) {
			s.mu.Unlock()
			return
		}
		if s.changed == nil {
			s.changed = make(chan struct{})
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-timeout:
			t.Fatalf("output never contained %q:\n%s", want, s.String())
		}
	}
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// harness is one Main with its environment and outputs.
type harness struct {
	*Main
	stdout, stderr *syncBuffer
}

// newMain returns a Main that sees only env, reads stdin, runs on a fixed
// clock and gives up on a held database quickly.
func newMain(t *testing.T, env map[string]string, stdin io.Reader, now time.Time) *harness {
	t.Helper()
	h := &harness{Main: NewMain(), stdout: &syncBuffer{}, stderr: &syncBuffer{}}
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	h.Stdin, h.Stdout, h.Stderr = stdin, h.stdout, h.stderr
	h.LookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	h.IsTerminal = func() bool { return false }
	h.Now = func() time.Time { return now }
	h.OpenTimeout = 300 * time.Millisecond
	return h
}

// execute runs kith with args to the end and returns its exit status.
func (h *harness) execute(t *testing.T, args ...string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return h.Execute(ctx, args)
}

// console runs a scripted console session to its end and returns what it printed.
func consoleSession(t *testing.T, db string, now time.Time, lines ...string) string {
	t.Helper()
	h := newMain(t, map[string]string{"KITH_DB": db, "USER": "ada"}, strings.NewReader(strings.Join(lines, "\n")+"\n"), now)
	if code := h.execute(t, "console"); code != 0 {
		t.Fatalf("kith console exited %d: %s", code, h.stderr)
	}
	return h.stdout.String()
}

// export returns one owner's JSON export, read through kith export.
func export(t *testing.T, db, owner string) transfer.Document {
	t.Helper()
	h := newMain(t, map[string]string{"KITH_DB": db}, nil, t0)
	if code := h.execute(t, "export", "--owner", owner); code != 0 {
		t.Fatalf("kith export exited %d: %s", code, h.stderr)
	}
	var doc transfer.Document
	if err := json.Unmarshal([]byte(h.stdout.String()), &doc); err != nil {
		t.Fatalf("export is not a kith document: %v\n%s", err, h.stdout)
	}
	return doc
}

// contact finds a contact of an export by name.
func contact(t *testing.T, doc transfer.Document, name string) transfer.ContactRecord {
	t.Helper()
	for _, c := range doc.Contacts {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no contact %q in the export; have %d contacts", name, len(doc.Contacts))
	return transfer.ContactRecord{}
}

// kinds lists the kinds of a contact's history, oldest first.
func kinds(c transfer.ContactRecord) []reminders.Kind {
	var ks []reminders.Kind
	for _, i := range slices.Backward(c.History) {
		ks = append(ks, i.Kind)
	}
	return ks
}

func TestConsoleSessionSurvivesARestart(t *testing.T) {
	t.Setenv("TZ", "UTC") // the console hands the machine's zone to the bot
	db := filepath.Join(t.TempDir(), "kith.db")

	out := consoleSession(t, db, t0,
		"add Jane Doe at Acme as CTO #design",
		"/kith met Jane 3 days ago : coffee at GopherCon",
		"gave Jane intro to Bob",
		"got Jane feedback on my talk",
		"promise Jane send the deck by friday",
		"add Bob Smith every 2w",
		"done Jane",
		"due",
		"show Jane",
		"remove Bob Smith",
		"undo",
		"quit",
	)
	for _, want := range []string{"signed in as ada", "Jane Doe", "Acme", "Bye"} {
		if !strings.Contains(out, want) {
			t.Errorf("console output lacks %q:\n%s", want, out)
		}
	}

	// A second run on the same file sees everything the first acknowledged.
	doc := export(t, db, "console:ada")
	jane := contact(t, doc, "Jane Doe")
	if jane.Company != "Acme" || jane.Role != "CTO" || !slices.Contains(jane.Tags, "design") {
		t.Errorf("Jane's details = %+v", jane.Contact)
	}
	want := []reminders.Kind{reminders.Met, reminders.Gave, reminders.Got, reminders.Gave}
	if got := kinds(jane); !slices.Equal(got, want) {
		t.Errorf("Jane's history = %v, want %v", got, want)
	}
	for _, i := range jane.History {
		if i.Kind == reminders.Met {
			if day := i.At.Format(time.DateOnly); day != "2026-03-07" {
				t.Errorf("met was dated %s, want 2026-03-07 (3 days before %s)", day, t0.Format(time.DateOnly))
			}
			if !strings.Contains(i.Text, "GopherCon") {
				t.Errorf("met note = %q", i.Text)
			}
		}
	}
	if len(jane.Promises) != 1 || jane.Promises[0].Open() {
		t.Errorf("Jane's promise should be done: %+v", jane.Promises)
	}
	if jane.Balance() != 1 {
		t.Errorf("Jane's balance = %d, want +1 (two given, one received)", jane.Balance())
	}
	bob := contact(t, doc, "Bob Smith") // removed, then restored by undo
	if bob.Cadence.String() == "" || bob.Cadence.IsZero() {
		t.Errorf("Bob's cadence was lost: %+v", bob.Cadence)
	}

	// Forty days on, the digest missed while the console was closed is sent
	// once when it comes back, into the terminal, and its buttons work.
	later := t0.Add(40 * 24 * time.Hour)
	pr, pw := io.Pipe()
	h := newMain(t, map[string]string{"KITH_DB": db, "USER": "ada"}, pr, later)
	exited := make(chan int)
	go func() { exited <- h.execute(t, "console") }()
	h.stdout.waitFor(t, "[8]") // the scheduler's first tick runs on start
	out = h.stdout.String()
	for _, want := range []string{"from kith", "Jane Doe", "Bob Smith", "[1] Met", "[8]"} {
		if !strings.Contains(out, want) {
			t.Errorf("the missed digest lacks %q:\n%s", want, out)
		}
	}
	io.WriteString(pw, "1\nquit\n")
	if code := <-exited; code != 0 {
		t.Fatalf("console exited %d: %s", code, h.stderr)
	}
	pw.Close()
	doc = export(t, db, "console:ada")
	got := 0
	for _, c := range doc.Contacts {
		if len(c.History) > 0 && c.History[0].Kind == reminders.Met && c.History[0].At.Equal(later) {
			got++
		}
	}
	if got != 1 {
		t.Errorf("pressing [1] (Met) on the digest logged %d meetings now, want 1", got)
	}
}

func TestImportExportBackup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "kith.db")
	csv := filepath.Join(dir, "Connections.csv")
	data := "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" +
		"Jane,Doe,https://www.linkedin.com/in/janedoe,,Acme,CTO,12 Jan 2026\n" +
		"Bob,Smith,,,Initech,Engineer,03 Feb 2026\n"
	if err := os.WriteFile(csv, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"KITH_DB": db}

	h := newMain(t, env, nil, t0)
	if code := h.execute(t, "import", csv, "--owner", "console:ada"); code != 0 {
		t.Fatalf("import exited %d: %s", code, h.stderr)
	}
	if !strings.Contains(h.stdout.String(), "2 added") {
		t.Errorf("import report = %q", h.stdout)
	}

	doc := export(t, db, "console:ada")
	if len(doc.Contacts) != 2 || contact(t, doc, "Jane Doe").Company != "Acme" {
		t.Errorf("imported contacts = %+v", doc.Contacts)
	}

	// Everything as JSON into a file, written atomically.
	all := filepath.Join(dir, "all.json")
	h = newMain(t, env, nil, t0)
	if code := h.execute(t, "export", "-o", all); code != 0 {
		t.Fatalf("export -o exited %d: %s", code, h.stderr)
	}
	var archive transfer.Archive
	b, _ := os.ReadFile(all)
	if err := json.Unmarshal(b, &archive); err != nil || len(archive.Owners) != 1 {
		t.Fatalf("archive = %v, %s", err, b)
	}

	// CSV of one owner.
	h = newMain(t, env, nil, t0)
	if code := h.execute(t, "export", "--owner", "console:ada", "--format", "csv"); code != 0 {
		t.Fatalf("export csv exited %d: %s", code, h.stderr)
	}
	if !strings.Contains(h.stdout.String(), "Bob Smith") {
		t.Errorf("csv export = %q", h.stdout)
	}

	// A mistyped owner is an error, not an empty file.
	h = newMain(t, env, nil, t0)
	if code := h.execute(t, "export", "--owner", "console:nobody"); code == 0 || !strings.Contains(h.stderr.String(), "no data for owner console:nobody") {
		t.Errorf("export of an unknown owner exited %d with %q; want a failure naming the owner", code, h.stderr)
	}

	// A backup is a database kith can open.
	copyPath := filepath.Join(dir, "backup.db")
	h = newMain(t, env, nil, t0)
	if code := h.execute(t, "backup", copyPath); code != 0 {
		t.Fatalf("backup exited %d: %s", code, h.stderr)
	}
	if doc := export(t, copyPath, "console:ada"); len(doc.Contacts) != 2 {
		t.Errorf("backup holds %d contacts, want 2", len(doc.Contacts))
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*tmp*")); len(leftovers) != 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestSecondProcessFailsFast(t *testing.T) {
	db := filepath.Join(t.TempDir(), "kith.db")
	env := map[string]string{"KITH_DB": db, "KITH_HTTP_ADDR": "127.0.0.1:0"}
	first := newMain(t, env, nil, t0)
	ctx := context.Background()
	if err := first.ParseFlags(ctx, []string{"serve"}); err != nil {
		t.Fatal(err)
	}
	if err := first.Run(ctx); err != nil {
		t.Fatal(err)
	}
	defer first.Close()

	for _, args := range [][]string{{"export"}, {"serve"}, {"console"}, {"backup", filepath.Join(t.TempDir(), "b.db")}} {
		second := newMain(t, map[string]string{"KITH_DB": db, "KITH_HTTP_ADDR": ""}, nil, t0)
		start := time.Now()
		code := second.execute(t, args...)
		if code == 0 {
			t.Fatalf("kith %s on a held database succeeded", args[0])
		}
		if !strings.Contains(second.stderr.String(), "database is in use by another kith process") {
			t.Errorf("kith %s said %q", args[0], second.stderr)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("kith %s took %s to give up", args[0], d)
		}
	}
}
