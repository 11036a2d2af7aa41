package lang

import (
	"strings"

	"github.com/kith-bot/kith/reminders"
)

// Complete suggests, from contacts, the names that match what was typed:
// those that start with it first, then those with a word that starts with
// it; at most limit of them. Accents and case do not count.
func Complete(contacts []reminders.Contact, typed string, limit int) []string {
	key := fold(reminders.NameKey(strings.Trim(typed, `"“”`)))
	var starts, words []string
	for _, c := range contacts {
		name := fold(reminders.NameKey(c.Name))
		switch {
		case strings.HasPrefix(name, key):
			starts = append(starts, c.Name)
		case strings.Contains(name, " "+key):
			words = append(words, c.Name)
		}
	}
	out := append(starts, words...)
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}
