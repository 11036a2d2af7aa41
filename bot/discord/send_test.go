package discord_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/bot/discord"
	"github.com/kith-bot/kith/reminders"
)

func discordOwner(user string) reminders.Owner {
	return reminders.Owner{Platform: reminders.PlatformDiscord, User: user}
}

// digest is a digest as the bot composes it: a section per contact with buttons.
func digest(names ...string) bot.Message {
	m := bot.Message{Title: "3 people to get back to", Text: "fallback", Footer: "Reply /kith due to see this again."}
	for i, n := range names {
		m.Sections = append(m.Sections, bot.Section{
			Title:  n + " (Acme)",
			Text:   "*Last met* 45 days ago: coffee. _Give first:_ send the deck",
			Fields: []bot.Field{{Label: "Balance", Value: "-1"}, {Label: "Cadence", Value: "monthly"}},
			Buttons: []bot.Button{
				{Label: "Met", Action: "met", Value: "c" + string(rune('1'+i)), Style: "primary"},
				{Label: "Snooze 1w", Action: "snooze", Value: "c" + string(rune('1'+i))},
				{Label: "Less often", Action: "less", Value: "c" + string(rune('1'+i))},
				{Label: "Show", Action: "show", Value: "c" + string(rune('1'+i))},
			},
		})
	}
	return m
}

func settingsDM(t *testing.T, st reminders.Store, user string) string {
	t.Helper()
	var dm string
	err := st.View(context.Background(), discordOwner(user).ID(), func(tx reminders.OwnerTx) error {
		s, err := tx.Settings()
		dm = s.DM
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return dm
}

func digestDMAndButtonRoundTrip(t *testing.T, e *env, rec *recorder) {
	ctx := context.Background()
	if err := e.a.SendDM(ctx, discordOwner(alice), digest("Jane Doe", "Bob Smith")); err != nil {
		t.Fatal(err)
	}
	var open struct {
		RecipientID string `json:"recipient_id"`
	}
	e.f.Await(t, "POST", "users/@me/channels").JSON(t, &open)
	if open.RecipientID != alice {
		t.Errorf("opened a DM with %q", open.RecipientID)
	}
	m := message(t, e.f.Await(t, "POST", "channels/dm-"+alice+"/messages"))
	if m.Content != "**3 people to get back to**" || len(m.Embeds) != 2 || m.Embeds[0].Title != "Jane Doe (Acme)" ||
		m.Embeds[0].Description != "**Last met** 45 days ago: coffee. _Give first:_ send the deck" ||
		len(m.Embeds[0].Fields) != 2 || m.Embeds[1].Footer == nil {
		t.Errorf("digest message %+v", m)
	}
	if m.AllowedMentions == nil || len(m.AllowedMentions.Parse) != 0 {
		t.Errorf("mentions not suppressed: %+v", m.AllowedMentions)
	}
	ids := m.buttons()
	if len(m.Components) != 2 || len(ids) != 8 {
		t.Fatalf("components %+v", m.Components)
	}
	for _, id := range ids {
		if len(id) > 100 || !strings.Contains(id, alice) {
			t.Errorf("custom_id %q does not carry the owner within 100 chars", id)
		}
	}
	// A digest to a channel the bot cached goes straight there.
	if err := e.a.PostDM(ctx, discordOwner(alice), "dm-"+alice, bot.Message{Text: "again"}); err != nil {
		t.Fatal(err)
	}
	e.f.Await(t, "POST", "channels/dm-"+alice+"/messages")
	if n := e.f.Count("POST", "users/@me/channels"); n != 1 {
		t.Errorf("opened the DM %d times", n)
	}

	// Alice clicks Met on Jane: the bot gets the action, the message is updated in place.
	i := inDM(click(ids[0]), alice)
	e.f.Dispatch(t, i)
	rec.wait(t)
	act := rec.Actions()[0]
	want := bot.Action{Owner: discordOwner(alice), ID: "met", Value: "c1", Key: i.ID}
	if act != want {
		t.Errorf("action %+v, want %+v", act, want)
	}
	resp := callback(t, e.f.Await(t, "POST", "interactions/"+i.ID+"/"))
	if resp.Type != discordgo.InteractionResponseUpdateMessage || resp.Data.Content != "done met c1" || resp.Data.Components == nil || len(resp.Data.Components) != 0 {
		t.Errorf("click response %+v, want an in-place update", resp)
	}
}

func clickFromAnotherUserIsRefused(t *testing.T, e *env, rec *recorder) {
	tests := []struct {
		name string
		i    *discordgo.Interaction
	}{
		{"someone else's button in a guild", inGuild(click("k1|met|"+alice+"|c1"), bob, discordgo.PermissionAdministrator)},
		{"someone else's button in a DM", inDM(click("k1|met|"+alice+"|c1"), bob)},
		{"ownerless button in a guild", inGuild(click("k1|met||c1"), bob, 0)},
		{"foreign custom_id", inDM(click("something-else"), bob)},
	}
	for _, tt := range tests {
		e.f.Dispatch(t, tt.i)
		resp := callback(t, e.f.Await(t, "POST", "interactions/"+tt.i.ID+"/"))
		if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data.Flags != int(discordgo.MessageFlagsEphemeral) || resp.Data.Content == "" {
			t.Errorf("%s: response %+v, want an ephemeral refusal", tt.name, resp)
		}
	}
	if acts := rec.Actions(); len(acts) != 0 {
		t.Errorf("refused clicks reached the bot: %+v", acts)
	}
}

func TestRateLimitedSendIsRetriedOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, newRecorder(), func(c *discord.Config) { c.Gateway = false })
	path := apiPrefix + "channels/dm-" + alice + "/messages"
	e.f.RateLimit(path, 1)
	if err := e.a.SendDM(context.Background(), discordOwner(alice), bot.Message{Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	if n := e.f.Count("POST", "channels/dm-"+alice+"/messages"); n != 2 {
		t.Fatalf("%d POSTs, want a 429 and one retry", n)
	}
	first := message(t, e.f.Await(t, "POST", "channels/dm-"+alice+"/messages"))
	second := message(t, e.f.Await(t, "POST", "channels/dm-"+alice+"/messages"))
	if first.Content != "hello" || second.Content != "hello" {
		t.Errorf("bodies %q %q", first.Content, second.Content)
	}
}

// The retry waits for retry_after (50ms): checked from below only, so it cannot flake.
func TestRateLimitRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	e := setup(t, newRecorder(), func(c *discord.Config) { c.Gateway = false })
	e.f.RateLimit(apiPrefix+"channels/dm-"+bob+"/messages", 1)
	if err := e.a.SendDM(context.Background(), discordOwner(bob), bot.Message{Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	first := e.f.Await(t, "POST", "channels/dm-"+bob+"/messages")
	second := e.f.Await(t, "POST", "channels/dm-"+bob+"/messages")
	if gap := second.At.Sub(first.At); gap < 50*time.Millisecond {
		t.Errorf("retried after %v, before retry_after", gap)
	}
}

func TestSlowOwnerDoesNotHoldOthers(t *testing.T) {
	t.Parallel()
	e := setup(t, newRecorder(), func(c *discord.Config) { c.Gateway = false })
	release := e.f.Hold(apiPrefix + "channels/dm-" + alice + "/messages")
	defer release()
	slow := make(chan error, 1)
	go func() { slow <- e.a.SendDM(context.Background(), discordOwner(alice), bot.Message{Text: "for alice"}) }()
	e.f.Await(t, "POST", "channels/dm-"+alice+"/messages") // alice's send is in flight and stuck
	fast := make(chan error, 1)
	go func() { fast <- e.a.SendDM(context.Background(), discordOwner(bob), bot.Message{Text: "for bob"}) }()
	select {
	case err := <-fast:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(waitFor):
		t.Fatal("bob's DM waited for alice's")
	}
	release()
	if err := <-slow; err != nil {
		t.Fatal(err)
	}
}

// TestGoneChannelIsUnreachable: Discord's "unknown channel" is a failure
// that will not mend by retrying; the bot reopens a cached channel once
// and otherwise pauses the owner.
func TestGoneChannelIsUnreachable(t *testing.T) {
	t.Parallel()
	e := setup(t, newRecorder(), func(c *discord.Config) { c.Gateway = false })
	err := e.a.PostDM(context.Background(), discordOwner(alice), "gone-1", bot.Message{Text: "hi"})
	if reminders.ErrorCode(err) != reminders.EUNREACHABLE {
		t.Fatalf("posting to a gone channel: %v, want EUNREACHABLE", err)
	}
}

func TestSendErrors(t *testing.T) {
	t.Parallel()
	e := setup(t, newRecorder(), func(c *discord.Config) { c.Gateway = false })
	ctx := context.Background()
	if err := e.a.SendDM(ctx, reminders.Owner{Platform: "slack", Team: "T1", User: "U1"}, bot.Message{Text: "x"}); reminders.ErrorCode(err) != reminders.EINVALID {
		t.Errorf("DM to a Slack owner: %v", err)
	}
	if err := e.a.Post(ctx, "slack:T1", "C1", bot.Message{Text: "x"}); reminders.ErrorCode(err) != reminders.EINVALID {
		t.Errorf("post to a Slack team: %v", err)
	}
	if err := e.a.Post(ctx, reminders.NewTeamID("discord", guildID), "gone-2", bot.Message{Text: "x"}); err == nil {
		t.Error("post to a missing channel succeeded")
	}
}

func TestRendering(t *testing.T) {
	t.Parallel()
	e := setup(t, newRecorder(), func(c *discord.Config) { c.Gateway = false })
	ctx := context.Background()
	team := reminders.NewTeamID("discord", guildID)
	long := strings.Repeat("a line of the list\n", 150) // about 2,850 bytes
	tests := []struct {
		name string
		m    bot.Message
		want []string // content of each Discord message
	}{
		{"bold", bot.Message{Text: "*Team summary*: 3 meetings, _2 favours_"}, []string{"**Team summary**: 3 meetings, _2 favours_"}},
		{"cron stars left alone", bot.Message{Text: "digest 0 9 * * 1-5"}, []string{"digest 0 9 * * 1-5"}},
		{"footer", bot.Message{Text: "hi", Footer: "small"}, []string{"hi\n-# small"}},
		{"split at 2000", bot.Message{Text: long}, []string{strings.Repeat("a line of the list\n", 105)[:105*19-1], strings.Repeat("a line of the list\n", 45)[:45*19-1]}},
	}
	for _, tt := range tests {
		if err := e.a.Post(ctx, team, "chan-"+tt.name[:4], tt.m); err != nil {
			t.Fatal(err)
		}
		for k, want := range tt.want {
			got := message(t, e.f.Await(t, "POST", "channels/chan-"+tt.name[:4]+"/messages"))
			if got.Content != want {
				t.Errorf("%s: message %d = %q, want %q", tt.name, k, got.Content, want)
			}
		}
	}

	// Eight contacts with buttons: Discord allows five rows a message, so two messages.
	if err := e.a.SendDM(ctx, discordOwner(bob), digest("A", "B", "C", "D", "E", "F", "G", "H")); err != nil {
		t.Fatal(err)
	}
	first := message(t, e.f.Await(t, "POST", "channels/dm-"+bob+"/messages"))
	second := message(t, e.f.Await(t, "POST", "channels/dm-"+bob+"/messages"))
	if len(first.Embeds) != 5 || len(first.Components) != 5 || len(second.Embeds) != 3 || len(second.Components) != 3 {
		t.Errorf("split %d+%d embeds, %d+%d rows", len(first.Embeds), len(second.Embeds), len(first.Components), len(second.Components))
	}
	if first.Content == "" || second.Content != "" || second.Embeds[2].Footer == nil {
		t.Errorf("title %q / %q, footer on last", first.Content, second.Content)
	}

	// Files (an export) go as attachments.
	err := e.a.SendDM(ctx, discordOwner(bob), bot.Message{Text: "your data", Files: []bot.File{
		{Name: "kith.csv", Type: "text/csv", Data: []byte("name\nJane\n")},
		{Name: "kith.json", Type: "application/json", Data: []byte(`{"contacts":[]}`)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	r := e.f.Await(t, "POST", "channels/dm-"+bob+"/messages")
	files := r.Files(t)
	if files["kith.csv"] != "name\nJane\n" || files["kith.json"] != `{"contacts":[]}` || message(t, r).Content != "your data" {
		t.Errorf("files %v", files)
	}
}
