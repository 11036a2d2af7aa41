package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kith-bot/kith/reminders"
)

// TestDoneCanNameEveryPromise checks that every open promise can be
// completed by typing it: one whose words are exactly typed beats a longer
// one, and of promises that read the same the one due first is kept.
func TestDoneCanNameEveryPromise(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe")
	h.ok(ana, "promise Jane send deck v2 by 2026-12-20")
	h.ok(ana, "promise Jane send deck by 2026-12-10")
	h.ok(ana, "promise Jane intro by 2026-12-24")
	h.ok(ana, "promise Jane intro by 2026-12-01")
	h.ok(ana, "promise Jane intro")
	steps := []struct {
		cmd, want string // want: the due date of the promise kept
	}{
		{"done Jane send deck", "2026-12-10"},
		{"done Jane intro", "2026-12-01"},
		{"done Jane intro", "2026-12-24"},
		{"done Jane intro", "none"},
		{"done Jane", "2026-12-20"},
	}
	for _, s := range steps {
		before := openPromises(t, h, ana)
		m := h.do(ana, s.cmd)
		if m.Error {
			t.Fatalf("%s: %s", s.cmd, m.Text)
		}
		after := openPromises(t, h, ana)
		var kept []string
		for k := range before {
			if !after[k] {
				kept = append(kept, k)
			}
		}
		if len(kept) != 1 || !strings.HasSuffix(kept[0], "@"+s.want) {
			t.Errorf("%s kept %v, want the one due %s", s.cmd, kept, s.want)
		}
	}
}

// openPromises lists the open promises as "what@due".
func openPromises(t *testing.T, h *harness, who reminders.Owner) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := h.store.View(context.Background(), who.ID(), func(tx reminders.OwnerTx) error {
		ps, err := tx.Promises(0)
		for _, p := range ps {
			if p.Open() {
				due := "none"
				if !p.Due.IsZero() {
					due = p.Due.Format("2006-01-02")
				}
				out[p.What+"@"+due] = true
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
