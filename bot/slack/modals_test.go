package slack_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kith-bot/kith/bot"
	kslack "github.com/kith-bot/kith/bot/slack"
	"github.com/kith-bot/kith/reminders"
)

// interactive is an interaction payload as Slack posts it to /slack/interactions.
func interactive(p map[string]any) []byte {
	b, _ := json.Marshal(p)
	return []byte(url.Values{"payload": {string(b)}}.Encode())
}

// openedView returns the view of the n-th views.open call (from 1).
func openedView(t *testing.T, hs *harness, n int) (trigger string, view map[string]any) {
	t.Helper()
	c := hs.fake.wait("views.open", n)[n-1]
	v, ok := c.JSON["view"].(map[string]any)
	if !ok {
		t.Fatalf("views.open without a view: %s", c.Body)
	}
	trigger, _ = c.JSON["trigger_id"].(string)
	return trigger, v
}

// inputs maps each input block of a view to its element.
func inputs(t *testing.T, view map[string]any) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, b := range view["blocks"].([]any) {
		blk := b.(map[string]any)
		if blk["type"] != "input" {
			t.Fatalf("a modal block that is not an input: %v", blk)
		}
		el := blk["element"].(map[string]any)
		if el["action_id"] != blk["block_id"] {
			t.Errorf("block %v and action %v differ", blk["block_id"], el["action_id"])
		}
		out[blk["block_id"].(string)] = el
	}
	return out
}

// submitView posts a view_submission and decodes the response.
func (hs *harness) submitView(user, viewID, callback, metadata string, values map[string]string) (int, map[string]any) {
	hs.t.Helper()
	state := map[string]any{}
	for id, v := range values {
		state[id] = map[string]any{id: map[string]any{"type": "plain_text_input", "value": v}}
	}
	body := interactive(map[string]any{
		"type": "view_submission", "team": map[string]any{"id": teamID}, "user": map[string]any{"id": user, "team_id": teamID},
		"trigger_id": "trig-sub-" + viewID,
		"view": map[string]any{"id": viewID, "type": "modal", "callback_id": callback, "private_metadata": metadata,
			"title":  map[string]any{"type": "plain_text", "text": "Log a meeting"},
			"blocks": []any{map[string]any{"type": "input", "block_id": "names", "label": map[string]any{"type": "plain_text", "text": "Who"}, "element": map[string]any{"type": "plain_text_input", "action_id": "names"}}},
			"state":  map[string]any{"values": state}},
	})
	code, resp := hs.send("/slack/interactions", form, body, now, secret)
	var m map[string]any
	if resp != "" {
		if err := json.Unmarshal([]byte(resp), &m); err != nil {
			hs.t.Fatalf("view_submission answer is not JSON: %q", resp)
		}
	}
	return code, m
}

func TestGlobalShortcutOpensAddContact(t *testing.T) {
	bc := &movableClock{t: now}
	hs, _ := newBotHarness(t, bc)
	code, _ := hs.send("/slack/interactions", form, interactive(map[string]any{
		"type": "shortcut", "callback_id": kslack.ShortcutAddContact, "trigger_id": "trig-add",
		"team": map[string]any{"id": teamID}, "user": map[string]any{"id": "U1", "team_id": teamID},
	}), now, secret)
	if code != http.StatusOK {
		t.Fatal(code)
	}
	trigger, view := openedView(t, hs, 1)
	if trigger != "trig-add" || view["type"] != "modal" || view["callback_id"] != kslack.ShortcutAddContact {
		t.Fatalf("views.open with trigger %q and view %v", trigger, view)
	}
	in := inputs(t, view)
	for _, id := range []string{"name", "company", "every", "tags", "note"} {
		if in[id] == nil {
			t.Errorf("no %s input in %v", id, view["blocks"])
		}
	}
	if in["note"]["multiline"] != true {
		t.Errorf("the note is not multiline: %v", in["note"])
	}

	// Wrong inputs: errors by block, nothing stored.
	code, resp := hs.submitView("U1", "V-add", kslack.ShortcutAddContact, "", map[string]string{"name": "Jane Doe", "every": "sometimes", "tags": "#a b!"})
	errs, _ := resp["errors"].(map[string]any)
	if code != http.StatusOK || resp["response_action"] != "errors" || errs["every"] == nil || errs["tags"] == nil || errs["name"] != nil {
		t.Fatalf("invalid submission answered %d %v", code, resp)
	}
	if n := len(contactsOf(t, hs, "U1")); n != 0 {
		t.Fatalf("an invalid submission stored %d contacts", n)
	}
	// Fixed, the same view is stored, and its modal becomes the reply.
	code, resp = hs.submitView("U1", "V-add", kslack.ShortcutAddContact, "", map[string]string{"name": "Jane Doe", "company": "Acme", "every": "2w"})
	if code != http.StatusOK || resp["response_action"] != "update" || !strings.Contains(viewText(resp), "Added *Jane Doe*") {
		t.Fatalf("valid submission answered %d %v", code, resp)
	}
	// Submitted again (a retry, a double click): stored once.
	_, resp = hs.submitView("U1", "V-add", kslack.ShortcutAddContact, "", map[string]string{"name": "Jane Doe", "company": "Acme", "every": "2w"})
	if !strings.Contains(viewText(resp), "Already done") {
		t.Fatalf("duplicate answered %v", resp)
	}
	if cs := contactsOf(t, hs, "U1"); len(cs) != 1 || cs[0].Company != "Acme" {
		t.Fatalf("contacts %+v", cs)
	}
}

func TestMessageShortcutLogsAMeetingWithTheAuthor(t *testing.T) {
	bc := &movableClock{t: now}
	hs, _ := newBotHarness(t, bc)
	hs.fake.addUser("U2", "Jane Doe", "Europe/Berlin", false)
	code, _ := hs.send("/slack/interactions", form, interactive(map[string]any{
		"type": "message_action", "callback_id": kslack.ShortcutLogMeeting, "trigger_id": "trig-log",
		"team": map[string]any{"id": teamID}, "user": map[string]any{"id": "U1", "team_id": teamID},
		"channel": map[string]any{"id": "C1"}, "response_url": hs.fake.responseURL("log"),
		"message": map[string]any{"type": "message", "user": "U2", "ts": "1700000000.000100",
			"text": "Great coffee &amp; chat; slides at <https://example.com/deck|the deck>"},
	}), now, secret)
	if code != http.StatusOK {
		t.Fatal(code)
	}
	trigger, view := openedView(t, hs, 1)
	in := inputs(t, view)
	if trigger != "trig-log" || view["callback_id"] != kslack.ShortcutLogMeeting || in["names"]["initial_value"] != "Jane Doe" ||
		in["note"]["initial_value"] != "Great coffee & chat; slides at the deck" || view["private_metadata"] == "" {
		t.Fatalf("views.open %q %v", trigger, view)
	}
	meta := view["private_metadata"].(string)

	code, resp := hs.submitView("U1", "V-log", kslack.ShortcutLogMeeting, meta, map[string]string{"names": "Jane Doe", "when": "yesterday", "note": "coffee, edited"})
	if code != http.StatusOK || resp["response_action"] != "update" || !strings.Contains(viewText(resp), "met *Jane Doe* yesterday") {
		t.Fatalf("submission answered %d %v", code, resp)
	}
	cs := contactsOf(t, hs, "U1")
	hist := history(t, hs.store, slackOwner("U1"), "Jane Doe")
	if len(cs) != 1 || cs[0].Mention != "U2" || len(hist) != 1 || hist[0].Text != "coffee, edited" {
		t.Fatalf("contacts %+v, history %+v", cs, hist)
	}

	// The next shortcut on Jane's messages finds her by her mention.
	hs.send("/slack/interactions", form, interactive(map[string]any{
		"type": "message_action", "callback_id": kslack.ShortcutLogMeeting, "trigger_id": "trig-log2",
		"team": map[string]any{"id": teamID}, "user": map[string]any{"id": "U1", "team_id": teamID},
		"message": map[string]any{"type": "message", "user": "U2", "ts": "1700000000.000200", "text": "again"},
	}), now, secret)
	_, view = openedView(t, hs, 2)
	_, resp = hs.submitView("U1", "V-log2", kslack.ShortcutLogMeeting, view["private_metadata"].(string), map[string]string{"names": "Jane Doe"})
	if resp["response_action"] != "update" || strings.Contains(viewText(resp), "Added") {
		t.Fatalf("second meeting answered %v", resp)
	}
	if n := len(history(t, hs.store, slackOwner("U1"), "Jane Doe")); n != 2 || len(contactsOf(t, hs, "U1")) != 1 {
		t.Fatalf("%d meetings", n)
	}

	// An unknown name stays in the form with its sentence.
	_, resp = hs.submitView("U1", "V-log3", kslack.ShortcutLogMeeting, "", map[string]string{"names": "Nobody"})
	if errs, _ := resp["errors"].(map[string]any); resp["response_action"] != "errors" || errs["names"] == nil {
		t.Fatalf("unknown name answered %v", resp)
	}
}

// The Home tab has both buttons; clicking one opens its modal with the click's trigger.
func TestHomeButtonsOpenModals(t *testing.T) {
	bc := &movableClock{t: now}
	hs, _ := newBotHarness(t, bc)
	hs.send("/slack/events", "application/json", eventBody("EvM", map[string]any{"type": "app_home_opened", "user": "U1", "tab": "home"}), now, secret)
	pub := hs.fake.wait("views.publish", 1)[0]
	var ids []string
	var labels []string
	for _, b := range pub.JSON["view"].(map[string]any)["blocks"].([]any) {
		blk := b.(map[string]any)
		if blk["type"] != "actions" {
			continue
		}
		for _, e := range blk["elements"].([]any) {
			el := e.(map[string]any)
			ids = append(ids, el["action_id"].(string)+"="+el["value"].(string))
			labels = append(labels, el["text"].(map[string]any)["text"].(string))
		}
		break
	}
	if strings.Join(labels, ",") != "Add a contact,Log a meeting" {
		t.Fatalf("home buttons %v %v", labels, ids)
	}
	click := map[string]any{
		"type": "block_actions", "team": map[string]any{"id": teamID}, "user": map[string]any{"id": "U1", "team_id": teamID},
		"trigger_id": "trig-home", "container": map[string]any{"type": "view", "view_id": "VH"},
		"view":    map[string]any{"id": "VH", "type": "home"},
		"actions": []any{map[string]any{"type": "button", "action_id": "modal#1", "block_id": "a0", "value": "log_meeting", "action_ts": "1.1"}},
	}
	hs.send("/slack/interactions", form, interactive(click), now, secret)
	trigger, view := openedView(t, hs, 1)
	if trigger != "trig-home" || view["callback_id"] != kslack.ShortcutLogMeeting {
		t.Fatalf("home click opened %q %v", trigger, view)
	}
}

// Over Socket Mode the submission's answer rides on the ack.
func TestSocketModeSubmission(t *testing.T) {
	bc := &movableClock{t: now}
	store := openStore(t)
	hs := start(t, store, bot.New(store, bot.Options{Now: bc.Now}), nil, func(c *kslack.Config) { c.AppToken = appToken; c.SigningSecret = "" })
	sub := map[string]any{
		"type": "view_submission", "team": map[string]any{"id": teamID}, "user": map[string]any{"id": "U1"},
		"view": map[string]any{"id": "V-s", "callback_id": kslack.ShortcutAddContact,
			"state": map[string]any{"values": map[string]any{"name": map[string]any{"name": map[string]any{"type": "plain_text_input", "value": "Ana Ruiz"}},
				"every": map[string]any{"every": map[string]any{"type": "plain_text_input", "value": "often"}}}}},
	}
	env, _ := json.Marshal(map[string]any{"envelope_id": "env-v", "type": "interactive", "payload": sub})
	hs.fake.socketOut <- env
	if a := hs.fake.nextAck(t); a.EnvelopeID != "env-v" || a.Payload["response_action"] != "errors" {
		t.Fatalf("ack %+v", a)
	}
	sub["view"].(map[string]any)["state"].(map[string]any)["values"].(map[string]any)["every"] = map[string]any{"every": map[string]any{"type": "plain_text_input", "value": "monthly"}}
	env, _ = json.Marshal(map[string]any{"envelope_id": "env-v2", "type": "interactive", "payload": sub})
	hs.fake.socketOut <- env
	if a := hs.fake.nextAck(t); a.Payload["response_action"] != "update" {
		t.Fatalf("ack %+v", a)
	}
	if cs := contactsOf(t, hs, "U1"); len(cs) != 1 || cs[0].Name != "Ana Ruiz" {
		t.Fatalf("contacts %+v", cs)
	}
}

// viewText is the text of the view an update answer shows.
func viewText(resp map[string]any) string {
	b, _ := json.Marshal(resp["view"])
	return string(b)
}

// contactsOf reads a Slack user's contacts.
func contactsOf(t *testing.T, hs *harness, user string) []reminders.Contact {
	t.Helper()
	var cs []reminders.Contact
	err := hs.store.View(t.Context(), slackOwner(user).ID(), func(tx reminders.OwnerTx) error {
		var err error
		cs, err = tx.Contacts()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// A form that Slack will not open (here: rate limited past every retry) is
// not a silent click: the user hears why in their DM.
func TestAShortcutThatCannotOpenSaysSo(t *testing.T) {
	bc := &movableClock{t: now}
	hs, _ := newBotHarness(t, bc)
	hs.fake.rateLimit("views.open", 100)
	hs.send("/slack/interactions", form, interactive(map[string]any{
		"type": "shortcut", "callback_id": kslack.ShortcutAddContact, "trigger_id": "trig-late",
		"team": map[string]any{"id": teamID}, "user": map[string]any{"id": "U1", "team_id": teamID},
	}), now, secret)
	post := hs.fake.wait("chat.postMessage", 1)[0]
	if post.Form.Get("channel") != "DU1" || !strings.Contains(post.Form.Get("text"), "could not open the form") {
		t.Fatalf("told %v", post.Form)
	}
}

// The manifest declares each shortcut kith answers, under the same callback id.
func TestManifestDeclaresTheShortcuts(t *testing.T) {
	manifest, err := os.ReadFile(filepath.Join("..", "..", "deploy", "slack-app-manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for kind, id := range map[string]string{"global": kslack.ShortcutAddContact, "message": kslack.ShortcutLogMeeting} {
		if !strings.Contains(string(manifest), "type: "+kind+"\n      callback_id: "+id+"\n") {
			t.Errorf("the manifest does not declare the %s shortcut %s", kind, id)
		}
	}
}
