package slack_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
)

// digestMessage is a digest as the bot composes one: a title and one
// section per contact with the four buttons.
func digestMessage() bot.Message {
	buttons := func(v string) []bot.Button {
		return []bot.Button{
			{Label: "Met", Action: "met", Value: v, Style: "primary"},
			{Label: "Snooze 1w", Action: "snooze", Value: v},
			{Label: "Less often", Action: "less", Value: v},
			{Label: "Show", Action: "show", Value: v},
		}
	}
	return bot.Message{
		Text:  "2 people to get in touch with",
		Title: "Time to reach out",
		Sections: []bot.Section{
			{Title: "Jane Doe (Acme)", Text: "Last met 40 days ago: coffee <3 & cake", Fields: []bot.Field{{Label: "Balance", Value: "-1"}}, Buttons: buttons("c1")},
			{Title: "<@U42>", Text: "Send a short hello.", Buttons: buttons("c2")},
		},
		Footer: "Buttons act once.",
	}
}

// blocksOf decodes the blocks field of a chat.postMessage call.
func blocksOf(t *testing.T, c call) []map[string]any {
	t.Helper()
	var blocks []map[string]any
	if err := json.Unmarshal([]byte(c.Form.Get("blocks")), &blocks); err != nil {
		t.Fatalf("blocks: %v in %q", err, c.Form.Get("blocks"))
	}
	return blocks
}

func TestSendDMDigest(t *testing.T) {
	hs := newHarness(t)
	owner := slackOwner("U1")
	ctx := context.Background()
	if err := hs.a.SendDM(ctx, owner, digestMessage()); err != nil {
		t.Fatal(err)
	}
	opens := hs.fake.callsOf("conversations.open")
	if len(opens) != 1 || opens[0].Form.Get("users") != "U1" {
		t.Fatalf("conversations.open %+v", opens)
	}
	posts := hs.fake.callsOf("chat.postMessage")
	if len(posts) != 1 || posts[0].Form.Get("channel") != "DU1" || posts[0].Form.Get("text") != "2 people to get in touch with" {
		t.Fatalf("posts %+v", posts)
	}
	blocks := blocksOf(t, posts[0])
	var types []string
	var buttons []string
	for _, b := range blocks {
		types = append(types, b["type"].(string))
		if b["type"] == "actions" {
			for _, e := range b["elements"].([]any) {
				el := e.(map[string]any)
				buttons = append(buttons, el["action_id"].(string)+"="+el["value"].(string))
			}
		}
	}
	if got := strings.Join(types, ","); got != "header,section,actions,section,actions,context" {
		t.Fatalf("block types %s", got)
	}
	if got := strings.Join(buttons, " "); got != "met=c1 snooze=c1 less=c1 show=c1 met=c2 snooze=c2 less=c2 show=c2" {
		t.Fatalf("buttons %s", got)
	}
	text := func(b map[string]any) string { return b["text"].(map[string]any)["text"].(string) }
	if got := text(blocks[1]); got != "*Jane Doe (Acme)*\nLast met 40 days ago: coffee &lt;3 &amp; cake" {
		t.Fatalf("user text not escaped: %q", got)
	}
	if got := text(blocks[3]); got != "*<@U42>*\nSend a short hello." {
		t.Fatalf("mention lost: %q", got)
	}
}

func TestRateLimitedPostIsRetriedOnce(t *testing.T) {
	hs := newHarness(t)
	hs.fake.rateLimit("chat.postMessage", 2)
	if err := hs.a.SendDM(context.Background(), slackOwner("U1"), digestMessage()); err != nil {
		t.Fatal(err)
	}
	if n := len(hs.fake.callsOf("chat.postMessage#429")); n != 2 {
		t.Fatalf("%d rate-limited answers", n)
	}
	if n := len(hs.fake.callsOf("chat.postMessage")); n != 1 {
		t.Fatalf("%d messages posted, want exactly 1", n)
	}
}

func TestRateLimitGivesUp(t *testing.T) {
	hs := newHarness(t)
	hs.fake.rateLimit("chat.postMessage", 100)
	err := hs.a.Post(context.Background(), "slack:T1", "C1", bot.Message{Text: "hi"})
	if reminders.ErrorCode(err) != reminders.EINTERNAL {
		t.Fatalf("err %v", err)
	}
	if n := len(hs.fake.callsOf("chat.postMessage#429")); n != 5 {
		t.Fatalf("%d attempts, want 5", n)
	}
	// A cancelled context stops at once.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := hs.a.Post(ctx, "slack:T1", "C1", bot.Message{Text: "hi"}); err == nil {
		t.Fatal("posted with a cancelled context")
	}
}

func TestPostTeamSummary(t *testing.T) {
	hs := newHarness(t)
	m := bot.Message{Text: "Last week: 12 meetings, 4 favours given", Title: "Team summary", Public: true,
		Sections: []bot.Section{{Title: "Givers", Fields: []bot.Field{{Label: "Ada", Value: "3"}}}}}
	if err := hs.a.Post(context.Background(), "slack:T1", "C9", m); err != nil {
		t.Fatal(err)
	}
	posts := hs.fake.callsOf("chat.postMessage")
	if len(posts) != 1 || posts[0].Form.Get("channel") != "C9" || !strings.Contains(posts[0].Form.Get("blocks"), "Givers") {
		t.Fatalf("posts %+v", posts)
	}
	if err := hs.a.Post(context.Background(), "discord:G1", "C9", m); reminders.ErrorCode(err) != reminders.EINVALID {
		t.Fatalf("posting to a Discord team: %v", err)
	}
}

func TestFilesAreUploaded(t *testing.T) {
	hs := newHarness(t)
	m := bot.Message{Text: "Your export", Files: []bot.File{{Name: "kith.json", Type: "application/json", Data: []byte(`{"contacts":[]}`)}}}
	if err := hs.a.SendDM(context.Background(), slackOwner("U1"), m); err != nil {
		t.Fatal(err)
	}
	get := hs.fake.callsOf("files.getUploadURLExternal")
	up := hs.fake.callsOf("upload")
	done := hs.fake.callsOf("files.completeUploadExternal")
	if len(get) != 1 || get[0].Form.Get("filename") != "kith.json" || get[0].Form.Get("length") != "15" {
		t.Fatalf("getUploadURLExternal %+v", get)
	}
	if len(up) != 1 || string(up[0].Body) != `{"contacts":[]}` {
		t.Fatalf("upload %+v", up)
	}
	if len(done) != 1 || done[0].Form.Get("channel_id") != "DU1" {
		t.Fatalf("completeUploadExternal %+v", done)
	}
}

func TestExportCommandSendsFileToDM(t *testing.T) {
	hs := newHarness(t)
	_, m := hs.command("U1", "export", "trig-exp")
	if m["text"] != "Your export is in your DMs. The files are on their way to your DMs with kith." {
		t.Fatalf("reply %v", m)
	}
	up := hs.fake.wait("upload", 1)
	if string(up[0].Body) != "name\nJane Doe\n" {
		t.Fatalf("uploaded %q", up[0].Body)
	}
	if done := hs.fake.wait("files.completeUploadExternal", 1); done[0].Form.Get("channel_id") != "DU1" {
		t.Fatalf("shared in %q", done[0].Form.Get("channel_id"))
	}
}

func TestExportThatCannotBeSentIsReported(t *testing.T) {
	hs := newHarness(t)
	hs.fake.rateLimit("files.getUploadURLExternal", 100) // Slack keeps refusing the upload
	_, m := hs.command("U1", "export", "trig-exp-fail")
	if !strings.Contains(fmt.Sprint(m["text"]), "on their way to your DMs") {
		t.Fatalf("reply %v", m)
	}
	follow := hs.fake.wait("respond", 1)
	if !strings.Contains(string(follow[0].Body), "could not send the files to your DMs") {
		t.Fatalf("follow-up %s; want it to say the files could not be sent", follow[0].Body)
	}
	if up := hs.fake.callsOf("upload"); len(up) != 0 {
		t.Fatalf("uploaded %d files although Slack refused", len(up))
	}
}
