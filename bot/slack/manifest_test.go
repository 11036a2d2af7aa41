package slack_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	kslack "github.com/kith-bot/kith/bot/slack"
)

// The manifest in deploy/ asks for exactly the scopes /slack/install asks
// for, names the OAuth redirect and subscribes to the uninstall events.
func TestManifestMatchesInstall(t *testing.T) {
	b, err := os.ReadFile("../../deploy/slack-app-manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	list := func(header string) []string {
		var out []string
		in := false
		for _, line := range strings.Split(string(b), "\n") {
			trimmed := strings.TrimSpace(line)
			switch {
			case trimmed == header:
				in = true
			case in && strings.HasPrefix(trimmed, "- "):
				out = append(out, strings.TrimPrefix(trimmed, "- "))
			case in:
				return out
			}
		}
		return out
	}
	if got := list("bot:"); !slices.Equal(got, kslack.BotScopes) {
		t.Errorf("manifest bot scopes = %q, want %q (bot/slack/scopes.go)", got, kslack.BotScopes)
	}
	if got := list("redirect_urls:"); !slices.Contains(got, "https://kith.example.com"+kslack.CallbackPath) {
		t.Errorf("manifest redirect_urls = %q", got)
	}
	events := list("bot_events:")
	for _, e := range []string{"app_uninstalled", "tokens_revoked", "app_home_opened", "message.im"} {
		if !slices.Contains(events, e) {
			t.Errorf("manifest bot_events %q lack %s", events, e)
		}
	}
}
