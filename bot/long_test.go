package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// TestLongCommand checks that a command longer than lang.MaxCommand is
// refused with a sentence and changes nothing, even on first use.
func TestLongCommand(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	long := "gave Jane " + strings.Repeat("word ", lang.MaxCommand/5)
	m := h.do(ana, long)
	if !m.Error || m.Code != reminders.EINVALID || !strings.Contains(m.Text, "longer than 4000 characters") || m.Verb != "gave" {
		t.Fatalf("long command = %+v", m)
	}
	if owners, _ := h.store.Owners(context.Background()); len(owners) != 0 {
		t.Errorf("a refused command stored owners %v", owners)
	}
}

// racingStore runs a change of its own between a command's reading of the
// names and its write, as another device of the same owner might.
type racingStore struct {
	reminders.Store
	race func()
}

func (s *racingStore) Update(ctx context.Context, owner reminders.OwnerID, ch reminders.Change, fn func(reminders.OwnerTx) error) error {
	if s.race != nil && ch.Undo != "" {
		race := s.race
		s.race = nil
		race()
	}
	return s.Store.Update(ctx, owner, ch, fn)
}

// TestParsedOutsideTheWrite checks that a command read outside the write
// does not act on what changed in between: a contact removed, or a
// promise kept, meanwhile.
func TestParsedOutsideTheWrite(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe")
	h.ok(ana, "promise Jane send the deck")
	rs := &racingStore{Store: h.store}
	b := bot.New(rs, bot.Options{Now: h.clock})
	run := func(text, key string) bot.Message {
		return b.Command(context.Background(), bot.Request{Owner: ana, Text: text, Key: key})
	}

	rs.race = func() { h.ok(ana, "done Jane") }
	if m := run("done Jane", "r1"); !m.Error || m.Code != reminders.ECONFLICT {
		t.Errorf("done of a promise kept meanwhile = %+v", m)
	}
	before := h.snapshot(ana)
	rs.race = func() { h.ok(ana, "remove Jane") }
	if m := run("met Jane : coffee", "r2"); !m.Error || m.Code != reminders.ECONFLICT || !strings.Contains(m.Text, "Jane Doe changed") {
		t.Errorf("met of a contact removed meanwhile = %+v", m)
	}
	h.ok(ana, "undo") // brings Jane back as she was
	if after := h.snapshot(ana); after != before {
		t.Errorf("the refused met changed data:\n%s\n%s", before, after)
	}
}
