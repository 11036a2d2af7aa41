package bot

import (
	"strings"
	"time"

	"github.com/kith-bot/kith/bot/lang"
)

// helpMessage is the reply to help or help <command>, composed from lang's
// verb table with its example dates counted from now in the owner's zone.
func helpMessage(command, topic string, now time.Time, loc *time.Location) Message {
	if topic != "" {
		h, _ := lang.Lookup(topic)
		h = h.On(now, loc)
		var b strings.Builder
		b.WriteString(h.Summary + ".\n")
		b.WriteString("Use: " + command + " " + h.Usage + "\n")
		b.WriteString("Examples:\n")
		for _, e := range h.Examples {
			b.WriteString("  " + command + " " + e + "\n")
		}
		if h.Notes != "" {
			b.WriteString(h.Notes + "\n")
		}
		return Message{Title: command + " " + h.Name, Text: strings.TrimSpace(b.String())}
	}
	m := Message{Title: "kith commands"}
	var b strings.Builder
	for _, h := range lang.Verbs() {
		h = h.On(now, loc)
		line := "*" + h.Usage + "* — " + h.Summary + ". e.g. " + command + " " + h.Examples[0]
		b.WriteString(line + "\n")
	}
	m.Text = strings.TrimSpace(b.String())
	m.Footer = "Names: exact, a unique start or word, or a close spelling; quotes group a name. Type " + command + " help <command> for more."
	return m
}
