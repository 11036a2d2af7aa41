package bot_test

import (
	"slices"
	"testing"

	"github.com/kith-bot/kith/bot"
)

func TestCompleteZone(t *testing.T) {
	for _, tc := range []struct {
		typed string
		first string // the first suggestion
		has   string // a suggestion somewhere in the list
	}{
		{"", "UTC", "Europe/Berlin"},
		{"europe/be", "Europe/Belfast", "Europe/Berlin"},
		{"Europe/Berlin", "Europe/Berlin", ""},
		{"berlin", "Europe/Berlin", ""},
		{"new york", "America/New_York", ""},
		{"new_york", "America/New_York", ""},
		{"york", "America/New_York", ""},
		{"buenos", "America/Argentina/Buenos_Aires", "America/Buenos_Aires"},
		{"US/Eastern", "US/Eastern", ""}, // an alias typed in full is offered though not listed
		{"kolkata", "Asia/Kolkata", ""},
	} {
		got := bot.CompleteZone(tc.typed)
		if len(got) == 0 || got[0] != tc.first {
			t.Errorf("CompleteZone(%q) = %v, want %s first", tc.typed, got, tc.first)
		}
		if tc.has != "" && !slices.Contains(got, tc.has) {
			t.Errorf("CompleteZone(%q) = %v, want it to hold %s", tc.typed, got, tc.has)
		}
	}
	if got := bot.CompleteZone("a"); len(got) != bot.MaxCompletions {
		t.Errorf("CompleteZone(a) gave %d zones, want the cap %d", len(got), bot.MaxCompletions)
	}
	if got := bot.CompleteZone("Nowhere/Atlantis"); len(got) != 0 {
		t.Errorf("CompleteZone of no zone = %v, want none", got)
	}
	if got := bot.CompleteZone("Local"); slices.Contains(got, "Local") {
		t.Errorf("CompleteZone(Local) offers Local: %v", got)
	}
}
