package lang_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// TestParseLong checks that a command over lang.MaxCommand is refused
// before it is read, and that the worst commands within it are read within
// the fuzz target's time budget.
func TestParseLong(t *testing.T) {
	now := time.Date(2026, 11, 18, 10, 0, 0, 0, time.UTC)
	env := lang.Env{Now: now, Loc: time.UTC, Contacts: manyContacts()}
	over := "gave Jane " + strings.Repeat("x", lang.MaxCommand)
	if _, err := lang.Parse(over, env); reminders.ErrorCode(err) != reminders.EINVALID || !strings.Contains(err.Error(), "longer than 4000 characters") {
		t.Errorf("Parse of %d bytes: %v", len(over), err)
	}
	for name, text := range worstCommands() {
		if len(text) > lang.MaxCommand {
			t.Fatalf("%s: %d bytes, over MaxCommand", name, len(text))
		}
		_, err := timedParse(t, text, env)
		switch reminders.ErrorCode(err) {
		case "", reminders.EINVALID, reminders.ENOTFOUND, reminders.ECONFLICT:
		default:
			t.Errorf("%s: %v", name, err)
		}
	}
}
