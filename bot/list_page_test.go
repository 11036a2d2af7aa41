package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kith-bot/kith/bot"
)

// importPeople imports n contacts named Person 001 … in one LinkedIn file.
func (h *harness) importPeople(who bot.Request, n int) {
	h.t.Helper()
	var b strings.Builder
	b.WriteString("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "Person,%03d,,,Acme,Engineer,01 Mar 2024\n", i)
	}
	who.Text, who.Key = "import", "import-people"
	who.File = &bot.File{Name: "Connections.csv", Data: []byte(b.String())}
	if m := h.bot.Command(context.Background(), who); m.Error {
		h.t.Fatalf("import: %s", m.Text)
	}
}

// moreButton returns the list's More button, or false.
func moreButton(m bot.Message) (bot.Button, bool) {
	for _, s := range m.Sections {
		for _, b := range s.Buttons {
			if b.Label == "More" {
				return b, true
			}
		}
	}
	return bot.Button{}, false
}

// TestListPages lists 120 contacts: every one is reachable, 50 at a time,
// by typing the page and by the More button.
func TestListPages(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "help")
	h.importPeople(bot.Request{Owner: ana, Team: team}, 120)

	seen := map[string]bool{}
	collect := func(m bot.Message) {
		for _, l := range strings.Split(m.Text, "\n") {
			if i := strings.Index(l, "Person "); i >= 0 {
				seen[l[i:i+len("Person 000")]] = true
			}
		}
	}
	m := h.ok(ana, "list all")
	contains(t, m, "page 1 of 3", "Type list all 2 for the next 50")
	collect(m)
	for page := 2; page <= 3; page++ {
		more, ok := moreButton(m)
		if !ok {
			t.Fatalf("page %d has no More button: %q", page-1, m.Text)
		}
		m = h.click(ana, more)
		if m.Error || !m.Replace || !strings.Contains(m.Text, fmt.Sprintf("page %d of 3", page)) {
			t.Fatalf("More to page %d replied %+v", page, m)
		}
		collect(m)
	}
	if _, ok := moreButton(m); ok || strings.Contains(m.Text, "for the next") {
		t.Errorf("the last page offers more: %q", m.Text)
	}
	if len(seen) != 120 {
		t.Errorf("the pages showed %d of 120 contacts", len(seen))
	}
	typed := h.ok(ana, "list all 3")
	contains(t, typed, "page 3 of 3", "Showing 101–120", "Person 120")
	contains(t, h.ok(ana, "list page 2"), "page 2 of 3", "Person 051")
	if m := h.do(ana, "list all 4"); !m.Error || !strings.Contains(m.Text, "3 pages") {
		t.Errorf("list all 4 replied %q", m.Text)
	}
	// A short list has no pages.
	h.ok(ana, "tag Person 007 #vip")
	if m := h.ok(ana, "list #vip"); strings.Contains(m.Text, "page") || !strings.Contains(m.Text, "Person 007") {
		t.Errorf("a one-page list mentions pages: %q", m.Text)
	}
}
