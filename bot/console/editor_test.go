package console_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/kith-bot/kith/bot/console"
)

// typeKeys runs a console with the line editor over a pipe, as over a raw
// terminal, types keys into it and returns the lines the bot received and
// what was printed.
func typeKeys(t *testing.T, h *recorder, keys ...string) ([]string, string) {
	t.Helper()
	in, typing := io.Pipe()
	var out syncBuffer
	c := console.New(h, nil, &out, "ada", "/kith")
	c.EditLines(struct {
		io.Reader
		io.Writer
	}{in, &out}, 0)
	done := make(chan error, 1)
	go func() { done <- c.Run(context.Background()) }()
	for _, k := range keys {
		if _, err := io.WriteString(typing, k); err != nil {
			t.Fatalf("typing %q: %v", k, err)
		}
	}
	typing.Close()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	var got []string
	for _, r := range h.requests {
		got = append(got, r.Text)
	}
	return got, out.String()
}

// TestLineEditing types what a terminal sends: the Up arrow brings back the
// last line, Ctrl-R finds an older one, Tab completes a command word and a
// contact name, and Ctrl-D leaves.
func TestLineEditing(t *testing.T) {
	h := &recorder{names: []string{"Jane Doe", "Bob Lee", "Bob Marley"}}
	got, out := typeKeys(t, h,
		"add Jane Doe\r",
		"due\r",
		"\x1b[A\x1b[A\r", // Up twice: add Jane Doe
		"due\r",
		"ad\x12\r", // Ctrl-R: the latest line holding "ad", past "due"
		"me\tJa\t: coffee\r",
		"show Bo\t\tM\t\r", // two Bobs: Tab fills "Bob ", lists them; then Marley
		"\x04",
	)
	want := []string{"add Jane Doe", "due", "add Jane Doe", "due", "add Jane Doe", "met Jane Doe : coffee", "show Bob Marley"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("the bot got\n %q\nwant\n %q", got, want)
	}
	if strings.Contains(out, "is not a command") {
		t.Errorf("an editing key reached the bot:\n%s", out)
	}
	if !strings.Contains(out, "Bob Lee   Bob Marley") {
		t.Errorf("Tab on two names did not list them:\n%q", out)
	}
	if strings.Contains(out, "\n") && !strings.Contains(out, "\r\n") {
		t.Error("output to a raw terminal lacks carriage returns")
	}
}

// TestPlainLinesWithoutATerminal checks that piped input is read as lines,
// escape bytes and all, with no editor in the way.
func TestPlainLinesWithoutATerminal(t *testing.T) {
	h := &recorder{}
	run(t, h, "add Jane\n\x1b[A\n", nil)
	if len(h.requests) != 2 || h.requests[1].Text != "\x1b[A" {
		t.Errorf("requests %+v", h.requests)
	}
}
