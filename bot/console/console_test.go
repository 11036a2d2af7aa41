package console_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/bot/console"
	"github.com/kith-bot/kith/reminders"
)

// recorder is a bot.Handler that records what the console asks and answers
// with a canned message; the console is tested at its boundary with the bot.
type recorder struct {
	mu       sync.Mutex
	requests []bot.Request
	actions  []bot.Action
	reply    func(r bot.Request) bot.Message
	act      func(a bot.Action) bot.Message
	names    []string // what Complete offers
}

func (r *recorder) Command(_ context.Context, req bot.Request) bot.Message {
	r.mu.Lock()
	r.requests = append(r.requests, req)
	r.mu.Unlock()
	if r.reply != nil {
		return r.reply(req)
	}
	return bot.Message{Text: "ok: " + req.Text}
}

func (r *recorder) Act(_ context.Context, a bot.Action) bot.Message {
	r.mu.Lock()
	r.actions = append(r.actions, a)
	r.mu.Unlock()
	if r.act != nil {
		return r.act(a)
	}
	return bot.Message{Text: "did " + a.ID + " " + a.Value, Replace: true}
}

func (r *recorder) Complete(_ context.Context, _ reminders.Owner, typed string) []string {
	var out []string
	for _, n := range r.names {
		if strings.HasPrefix(strings.ToLower(n), strings.ToLower(typed)) {
			out = append(out, n)
		}
	}
	return out
}
func (r *recorder) Home(context.Context, reminders.Owner) bot.Message { return bot.Message{} }

// syncBuffer is an io.Writer safe to read while the console writes.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// run feeds input to a new console and returns what it printed.
func run(t *testing.T, h bot.Handler, input string, setup func(*console.Console)) string {
	t.Helper()
	var out syncBuffer
	c := console.New(h, strings.NewReader(input), &out, "ada", "/kith")
	if setup != nil {
		setup(c)
	}
	if err := c.Run(context.Background()); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out.String()
}

func TestCommandsReachTheHandler(t *testing.T) {
	tests := []struct {
		name  string
		line  string
		text  string // what the handler should see; "-" means it must not be called
		print string // what the output must contain
	}{
		{"bare command", "add Jane Doe at Acme", "add Jane Doe at Acme", "ok: add Jane Doe at Acme"},
		{"slash prefix", "/kith met Jane yesterday", "met Jane yesterday", "ok: met Jane yesterday"},
		{"prefix without slash", "kith due", "due", "ok: due"},
		{"prefix in capitals", "/KITH show Jane", "show Jane", "ok: show Jane"},
		{"command word alone", "/kith", "", "ok: "},
		{"surrounding space", "   list all  ", "list all", "ok: list all"},
		{"other slash command", "/remind me", "-", "/remind is not a command here"},
		{"blank line", "   ", "-", ""},
		{"number with nothing offered", "2", "-", "nothing to choose"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := &recorder{}
			out := run(t, h, tt.line+"\n", nil)
			if tt.text == "-" {
				if len(h.requests) != 0 {
					t.Fatalf("handler called with %q", h.requests[0].Text)
				}
			} else {
				if len(h.requests) != 1 {
					t.Fatalf("handler called %d times, want 1", len(h.requests))
				}
				r := h.requests[0]
				if r.Text != tt.text {
					t.Errorf("Text = %q, want %q", r.Text, tt.text)
				}
				want := reminders.Owner{Platform: reminders.PlatformConsole, User: "ada"}
				if r.Owner != want || r.Team != console.Team || !r.Admin || r.Key == "" || r.Name != "ada" {
					t.Errorf("request = %+v", r)
				}
			}
			if !strings.Contains(out, tt.print) {
				t.Errorf("output lacks %q:\n%s", tt.print, out)
			}
		})
	}
}

func TestWelcomeAndQuit(t *testing.T) {
	for _, word := range []string{"quit", "exit", "/kith quit", "QUIT"} {
		h := &recorder{}
		out := run(t, h, word+"\nadd Never Reached\n", func(c *console.Console) { c.Intro = "Data: test.db" })
		if len(h.requests) != 0 {
			t.Errorf("%q: lines after quit were run: %+v", word, h.requests)
		}
		for _, want := range []string{"signed in as ada", "help", "Data: test.db", "Bye"} {
			if !strings.Contains(out, want) {
				t.Errorf("%q: output lacks %q:\n%s", word, want, out)
			}
		}
	}
}

func TestKeysAreUniqueAcrossLinesAndSessions(t *testing.T) {
	h := &recorder{}
	run(t, h, "due\ndue\n", nil)
	run(t, h, "due\n", nil)
	seen := map[string]bool{}
	for _, r := range h.requests {
		if seen[r.Key] {
			t.Fatalf("key %q used twice; the store would drop the second command as a duplicate", r.Key)
		}
		seen[r.Key] = true
	}
}

// digest is a message like the bot's digest: two contacts with four buttons each.
func digest() bot.Message {
	buttons := func(id string) []bot.Button {
		return []bot.Button{
			{Label: "Met", Action: "met", Value: id},
			{Label: "Snooze…", Action: "snooze", Value: id, Choices: []bot.Choice{
				{Label: "Snooze 1 week", Value: id + ":1w"}, {Label: "Snooze 3 months", Value: id + ":3m"}}},
			{Label: "Less often", Action: "less", Value: id},
			{Label: "Show", Action: "show", Value: id},
		}
	}
	return bot.Message{
		Text:  "2 people are due",
		Title: "*2 people* are due",
		Sections: []bot.Section{
			{Title: "Jane Doe (Acme)", Text: "Last met _6 weeks ago_", Fields: []bot.Field{{Label: "Balance", Value: "+1"}}, Buttons: buttons("c1")},
			{Title: "Bob", Text: "Never met", Buttons: buttons("c2")},
		},
		Footer: "and 3 more",
	}
}

func TestButtonsAreNumberedChoices(t *testing.T) {
	h := &recorder{reply: func(r bot.Request) bot.Message {
		if r.Text == "due" {
			return digest()
		}
		return bot.Message{Text: "ok"}
	}}
	out := run(t, h, "due\n6\n3\n11\n0\n", nil)
	for _, want := range []string{
		"2 people are due",
		"Jane Doe (Acme)",
		"  Last met 6 weeks ago",
		"  Balance: +1",
		"[1] Met  [2] Snooze 1 week  [3] Snooze 3 months  [4] Less often  [5] Show",
		"[6] Met  [7] Snooze 1 week  [8] Snooze 3 months  [9] Less often  [10] Show",
		"and 3 more",
		"did met c2",
		"did snooze c1:3m",
		"There is no choice 11; pick a number from 1 to 10.",
		"There is no choice 0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "*") || strings.Contains(out, "_6") {
		t.Errorf("markup left in plain output:\n%s", out)
	}
	if len(h.actions) != 2 {
		t.Fatalf("actions = %+v, want 2", h.actions)
	}
	a := h.actions[0]
	if a.ID != "met" || a.Value != "c2" || a.Team != console.Team || a.Owner.User != "ada" || a.Key == "" {
		t.Errorf("first action = %+v", a)
	}
	if h.actions[0].Key == h.actions[1].Key {
		t.Error("two clicks share a key")
	}
}

func TestAnswerWithButtonsReplacesTheChoices(t *testing.T) {
	h := &recorder{
		reply: func(bot.Request) bot.Message { return digest() },
		act: func(a bot.Action) bot.Message {
			return bot.Message{Title: "Card", Sections: []bot.Section{{Title: "Jane", Buttons: []bot.Button{{Label: "Met", Action: "card-met", Value: "x"}}}}}
		},
	}
	out := run(t, h, "due\n4\n11\n1\n", nil)
	if len(h.actions) != 2 || h.actions[1].ID != "card-met" {
		t.Fatalf("actions = %+v; the second click should press the card's button", h.actions)
	}
	if !strings.Contains(out, "[11] Met") || !strings.Contains(out, "Button 1 was on an earlier message, which a newer one replaced; pick a number from 12 to 12.") {
		t.Errorf("the card's button is not numbered on from the digest's, or the digest's numbers still work:\n%s", out)
	}
}

// TestNumbersStayWithTheirButtons presses a digest's Met twice by its
// number. The answer reprints the digest without the contact met, as the
// bot does, but every number keeps the button it was printed beside: the
// second press reaches the same button (which the bot answers as already
// done), never the one that moved into its place. A new digest numbers on,
// so a number from the old one says it is gone rather than press another.
func TestNumbersStayWithTheirButtons(t *testing.T) {
	without := func(m bot.Message, id string) bot.Message {
		var kept []bot.Section
		for _, s := range m.Sections {
			if s.Buttons[0].Value != id {
				kept = append(kept, s)
			}
		}
		m.Sections = kept
		return m
	}
	h := &recorder{
		reply: func(bot.Request) bot.Message { return digest() },
		act: func(a bot.Action) bot.Message {
			m := without(digest(), a.Value)
			m.Title, m.Replace = "did "+a.ID+" "+a.Value, true
			return m
		},
	}
	out := run(t, h, "due\n1\n1\n6\ndue\n1\n11\n", nil)
	var pressed []string
	for _, a := range h.actions {
		pressed = append(pressed, a.ID+" "+a.Value)
	}
	if got, want := strings.Join(pressed, ", "), "met c1, met c1, met c2, met c1"; got != want {
		t.Errorf("pressed %s, want %s:\n%s", got, want, out)
	}
	_, reprint, _ := strings.Cut(out, "did met c1")
	for _, want := range []string{
		"Bob\n  Never met\n  [6] Met  [7] Snooze 1 week  [8] Snooze 3 months  [9] Less often  [10] Show",
		"[11] Met  [12] Snooze 1 week",
		"[16] Met  [17] Snooze 1 week",
		"Button 1 was on an earlier message, which a newer one replaced; pick a number from 11 to 20.",
	} {
		if !strings.Contains(reprint, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestSendDMPrintsWhileReading(t *testing.T) {
	h := &recorder{}
	pr, pw := io.Pipe()
	var out syncBuffer
	c := console.New(h, pr, &out, "ada", "/kith")
	c.Prompt = "kith> "
	done := make(chan error)
	go func() { done <- c.Run(context.Background()) }()

	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.SendDM(context.Background(), c.Owner(), digest()); err != nil {
				t.Error(err)
			}
		}()
	}
	if _, err := io.WriteString(pw, "due\n"); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	// Each digest numbers on from the one before: the last printed holds 31 to 40.
	if _, err := io.WriteString(pw, "31\n"); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if n := strings.Count(s, "Jane Doe (Acme)"); n != 4 {
		t.Errorf("digest printed %d times, want 4:\n%s", n, s)
	}
	if len(h.actions) != 1 || h.actions[0].ID != "met" {
		t.Errorf("a digest's button could not be pressed: %+v", h.actions)
	}
	if err := c.SendDM(context.Background(), reminders.Owner{Platform: "slack", Team: "T1", User: "U1"}, digest()); reminders.ErrorCode(err) != reminders.EINVALID {
		t.Errorf("SendDM to a Slack owner = %v, want EINVALID", err)
	}
}

func TestPostPrintsSummary(t *testing.T) {
	var out syncBuffer
	c := console.New(&recorder{}, strings.NewReader(""), &out, "ada", "/kith")
	if err := c.Post(context.Background(), console.Team, console.Channel, bot.Message{Text: "Team met 3 people", Public: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Team met 3 people") || !strings.Contains(out.String(), "#"+console.Channel) {
		t.Errorf("summary not printed:\n%s", out.String())
	}
	if err := c.Post(context.Background(), "slack:T1", "C1", bot.Message{Text: "x"}); reminders.ErrorCode(err) != reminders.EINVALID {
		t.Errorf("Post to a Slack team = %v, want EINVALID", err)
	}
}

func TestFilesAreSavedWithoutOverwriting(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "kith-ada.json"), []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	h := &recorder{reply: func(bot.Request) bot.Message {
		return bot.Message{Text: "Your kith-ada.json is attached.", Files: []bot.File{
			{Name: "kith-ada.json", Data: []byte(`{"contacts":[]}`)},
			{Name: "../../escape.csv", Data: []byte("name\n")},
		}}
	}}
	out := run(t, h, "export\n", func(c *console.Console) { c.Dir = dir })
	if b, _ := os.ReadFile(filepath.Join(dir, "kith-ada.json")); string(b) != "keep me" {
		t.Errorf("existing file overwritten: %q", b)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "kith-ada-1.json")); string(b) != `{"contacts":[]}` {
		t.Errorf("export not saved beside it: %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "escape.csv")); err != nil {
		t.Errorf("a file name with directories was not kept inside Dir: %v", err)
	}
	if !strings.Contains(out, "Saved "+filepath.Join(dir, "kith-ada-1.json")) {
		t.Errorf("path not printed:\n%s", out)
	}
	if !strings.Contains(out, "Your kith-ada-1.json is attached.") || strings.Contains(out, "kith-ada.json") {
		t.Errorf("the reply names a file other than the one written:\n%s", out)
	}
}

func TestStyledOutput(t *testing.T) {
	h := &recorder{reply: func(bot.Request) bot.Message {
		return bot.Message{Text: "*Jane* is due, see snake_case and 5*3", Error: false}
	}}
	plain := run(t, h, "due\n", nil)
	if !strings.Contains(plain, "Jane is due, see snake_case and 5*3") {
		t.Errorf("plain output = %q", plain)
	}
	styled := run(t, h, "due\n", func(c *console.Console) { c.Styled = true })
	if !strings.Contains(styled, "\x1b[1mJane\x1b[0m is due, see snake_case and 5*3") {
		t.Errorf("styled output = %q", styled)
	}
}

func TestRunStopsWithContext(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	c := console.New(&recorder{}, pr, io.Discard, "ada", "/kith")
	done := make(chan error)
	go func() { done <- c.Run(ctx) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}

func TestLocalTimeZone(t *testing.T) {
	tests := []struct{ tz, want string }{
		{"Europe/Berlin", "Europe/Berlin"},
		{":America/New_York", "America/New_York"},
		{"Not/AZone", ""},
		{"Local", ""},
	}
	for _, tt := range tests {
		t.Setenv("TZ", tt.tz)
		if got := console.LocalTimeZone(); got != tt.want {
			t.Errorf("TZ=%q: LocalTimeZone() = %q, want %q", tt.tz, got, tt.want)
		}
	}
}

func TestLongAndUnterminatedLines(t *testing.T) {
	h := &recorder{}
	long := "note Jane " + strings.Repeat("x", 70<<10)
	out := run(t, h, "due\n"+long+"\r\nlist\nshow Jane", nil)
	var texts []string
	for _, r := range h.requests {
		texts = append(texts, r.Text)
	}
	if strings.Join(texts, "|") != "due|list|show Jane" {
		t.Errorf("handler saw %q; the long line must be refused whole and the last line without a newline run", texts)
	}
	if !strings.Contains(out, "That line is longer than 64 KiB") {
		t.Errorf("no word about the long line:\n%s", out)
	}
}
