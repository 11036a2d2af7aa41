package bot_test

import (
	"strings"
	"testing"
)

// TestListDueNobody checks the reply of an empty list due: one plain
// sentence, and a "next up" drawn only from the contacts the list covers.
func TestListDueNobody(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe every 2w")
	h.ok(ana, "add Bob Lee every 4w #investor")
	tests := []struct {
		cmd, want, not string
	}{
		{"list due", "Due now: nobody. Next up: Jane Doe, due in 2 weeks", "Nobody is due"},
		{"list #investor due", "Due now tagged #investor: nobody. Next up: Bob Lee, due in 4 weeks", "Jane"},
		{"list #friend due", "Due now tagged #friend: nobody.", "Next up"},
	}
	for _, tt := range tests {
		m := h.ok(ana, tt.cmd)
		if !strings.Contains(m.Text, tt.want) || strings.Contains(m.Text, tt.not) {
			t.Errorf("%s replied %q; want %q without %q", tt.cmd, m.Text, tt.want, tt.not)
		}
	}
}
