package lang

import (
	"testing"

	"github.com/kith-bot/kith/reminders"
)

// FuzzNameKey checks the parser's quick forms of reminders.NameKey: the key
// of a name, and whether a name has a given key.
func FuzzNameKey(f *testing.F) {
	for _, s := range []string{
		"Jane Doe", "jane doe", "JANE", " Jane", "Jane ", "Jane  Doe", "Jane\tDoe", "Jane\nDoe",
		"Zoë Ångström", "Jane\u00a0Doe", "Jane\u0085Doe", "A\x7fB", "x\x01y", "O'Brien-Smith", "İstanbul", "K\u212a", "", " ", "\xff\xfe",
	} {
		f.Add(s, reminders.NameKey(s))
		f.Add(s, "jane doe")
		f.Add(s, "\u212aate") // the Kelvin sign folds to k
	}
	f.Fuzz(func(t *testing.T, name, key string) {
		want := reminders.NameKey(name)
		if got := nameKey(name); got != want {
			t.Errorf("nameKey(%q) = %q, reminders.NameKey gives %q", name, got, want)
		}
		ix := newNameIndex([]reminders.Contact{{Name: name}})
		if got := ix.hasKey(0, key); got != (want == key) {
			t.Errorf("hasKey(%q, %q) = %v; NameKey is %q", name, key, got, want)
		}
	})
}
