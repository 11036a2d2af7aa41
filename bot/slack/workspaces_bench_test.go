package slack_test

import (
	"context"
	"fmt"
	"testing"

	kslack "github.com/kith-bot/kith/bot/slack"
	"github.com/kith-bot/kith/reminders"
)

// BenchmarkWorkspaceClient measures what choosing a workspace's token costs
// a Web API call: a cached client, and one rebuilt from the store (a read,
// AES-256-GCM open and a new slack-go client), which happens once per
// workspace every 30 seconds.
func BenchmarkWorkspaceClient(b *testing.B) {
	store := openStore(b)
	ctx := context.Background()
	for i := range 100 {
		team := fmt.Sprintf("T%03d", i)
		in := reminders.Installation{Team: reminders.NewTeamID(reminders.PlatformSlack, team), BotUser: "UBOT",
			Token: kslack.Seal(testKey, "xoxb-test-bench", team), InstalledAt: now}
		if err := store.PutInstallation(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	h := &recHandler{store: store, release: make(chan struct{})}
	a, err := kslack.New(kslack.Config{ClientID: clientID, ClientSecret: clientSecret, PublicURL: publicURL, SecretKey: testKey}, h, store)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("cached", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if err := kslack.ClientFor(a, fmt.Sprintf("T%03d", i%100)); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("from-store", func(b *testing.B) {
		i := 0
		for b.Loop() {
			team := fmt.Sprintf("T%03d", i%100)
			kslack.Forget(a, team)
			if err := kslack.ClientFor(a, team); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
