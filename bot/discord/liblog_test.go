package discord_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/kith-bot/kith/bot/discord"
)

// discordgo's own error lines become structured records without URLs,
// which may carry interaction tokens.
func TestLibraryLogsAreStructuredAndRedacted(t *testing.T) {
	var out bytes.Buffer
	discord.RouteLibraryLogs(slog.New(slog.NewJSONHandler(&out, nil)))

	discordgo.Logger(discordgo.LogError, 0, "error sending to %s: %v",
		"https://discord.com/api/v10/webhooks/123/aW50ZXJhY3Rpb24tdG9rZW4/messages/@original", "EOF")
	got := out.String()
	if strings.Contains(got, "aW50ZXJhY3Rpb24tdG9rZW4") || strings.Contains(got, "https://") {
		t.Errorf("log line keeps the URL: %s", got)
	}
	if !strings.Contains(got, `"level":"ERROR"`) || !strings.Contains(got, "discordgo: error sending to <url> EOF") {
		t.Errorf("log line = %s; want an ERROR record of the message with the URL replaced", got)
	}
}
