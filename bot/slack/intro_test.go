package slack_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/kith-bot/kith/reminders"
)

// elements lists the interactive elements of blocks (as decoded JSON):
// action_id -> value for buttons, action_id/option text -> value for selects.
func elements(blocks any) map[string]string {
	out := map[string]string{}
	bs, _ := blocks.([]any)
	for _, b := range bs {
		block, _ := b.(map[string]any)
		if block["type"] != "actions" {
			continue
		}
		for _, e := range block["elements"].([]any) {
			el := e.(map[string]any)
			id := el["action_id"].(string)
			if opts, ok := el["options"].([]any); ok {
				for _, o := range opts {
					opt := o.(map[string]any)
					out[id+"/"+opt["text"].(map[string]any)["text"].(string)] = opt["value"].(string)
				}
				continue
			}
			out[id] = fmt.Sprint(el["value"])
		}
	}
	return out
}

// dmTo returns the last chat.postMessage to user's DM after the first n.
func (hs *harness) dmTo(t *testing.T, user string, n int) call {
	t.Helper()
	posts := hs.fake.callsOf("chat.postMessage")
	for i := len(posts) - 1; i >= n; i-- {
		if posts[i].Form.Get("channel") == "D"+user {
			return posts[i]
		}
	}
	t.Fatalf("no DM to %s in %d posts", user, len(posts))
	return call{}
}

// The intro flow through the real Slack adapter and bot, with two users
// of one workspace and a third who does not share.
func TestIntroThroughSlack(t *testing.T) {
	bc := &movableClock{t: now}
	hs, _ := newBotHarness(t, bc)
	hs.fake.addUser("U1", "Ada", "Europe/Berlin", false)
	hs.fake.addUser("U2", "Ben", "Europe/Berlin", false)
	hs.fake.addUser("U3", "Cy", "Europe/Berlin", false)
	hs.command("U2", "add Jane Roe at Acme as CTO : likes sailing", "t1")
	hs.command("U2", "add Gus Moe at Globex", "t2")
	hs.command("U2", "settings share on", "t3")
	hs.command("U3", "add Cy Secret at Acme", "t4")
	hs.command("U1", "add Zed", "t5")

	_, wk := hs.command("U1", "who-knows Acme : hiring a CTO", "t6")
	all := fmt.Sprint(wk)
	if !strings.Contains(all, "Ben") || strings.Contains(all, "Cy") || strings.Contains(all, "Jane") {
		t.Fatalf("who-knows reply %v", wk)
	}
	ask := elements(wk["blocks"])["intro-ask"]
	if ask == "" {
		t.Fatalf("no Ask for an intro in %v", wk["blocks"])
	}
	// Ada asks: Ben gets a DM with Offer an intro and Not now.
	n := len(hs.fake.callsOf("chat.postMessage"))
	hs.send("/slack/interactions", form, interactionBody("U1", "intro-ask", ask, "1700000001.000001", "1700000100.1", hs.fake.responseURL("ask")), now, secret)
	if r := hs.fake.wait("respond", 1)[0]; !strings.Contains(r.JSON["text"].(string), "Asked Ben for an intro to someone at Acme") {
		t.Fatalf("ask answered %v", r.JSON)
	}
	dm := hs.dmTo(t, "U2", n)
	text := dm.Form.Get("text") + dm.Form.Get("blocks")
	if !strings.Contains(text, "Ada would like an intro to someone you know at Acme") || !strings.Contains(text, "hiring a CTO") {
		t.Fatalf("Ben's DM %s", text)
	}
	btns := elements(decode(t, dm.Form.Get("blocks")))
	if btns["intro-offer"] == "" || btns["intro-decline"] == "" {
		t.Fatalf("Ben's DM buttons %v", btns)
	}
	// Ada crafts a choice from Ben's offer value: refused, nothing revealed.
	parts := strings.Split(btns["intro-offer"], ":")
	hs.send("/slack/interactions", form, selectBody("U1", "intro-choose", parts[0]+":1:"+parts[1], "1700000002.000001", "1700000100.2", hs.fake.responseURL("craft")), now, secret)
	if r := hs.fake.wait("respond", 2)[1]; strings.Contains(fmt.Sprint(r.JSON), "Jane") || !strings.Contains(r.JSON["text"].(string), "someone else's") {
		t.Fatalf("crafted choice answered %v", r.JSON)
	}
	// Ben offers and chooses Jane from his own contacts at Acme.
	hs.send("/slack/interactions", form, interactionBody("U2", "intro-offer", btns["intro-offer"], "1700000003.000001", "1700000100.3", hs.fake.responseURL("offer")), now, secret)
	r := hs.fake.wait("respond", 3)[2]
	menu := elements(r.JSON["blocks"])
	pick := menu["intro-choose/Jane Roe (Acme)"]
	if pick == "" || len(menu) != 2 {
		t.Fatalf("Ben's choices %v", menu)
	}
	n = len(hs.fake.callsOf("chat.postMessage"))
	hs.send("/slack/interactions", form, selectBody("U2", "intro-choose", pick, "1700000003.000001", "1700000100.4", hs.fake.responseURL("pick")), now, secret)
	if r := hs.fake.wait("respond", 4)[3]; !strings.Contains(r.JSON["text"].(string), "you offered Ada an intro to Jane Roe (Acme)") {
		t.Fatalf("pick answered %v", r.JSON)
	}
	told := hs.dmTo(t, "U1", n)
	if s := told.Form.Get("text"); !strings.Contains(s, "Ben offered you an intro to Jane Roe (Acme)") || strings.Contains(s, "sailing") {
		t.Fatalf("Ada's DM %q", s)
	}
	if h := history(t, hs.store, slackOwner("U2"), "Ada"); len(h) != 1 || h[0].Kind != reminders.Gave {
		t.Errorf("Ben's ledger %+v", h)
	}
	if h := history(t, hs.store, slackOwner("U1"), "Ben"); len(h) != 1 || h[0].Kind != reminders.Got {
		t.Errorf("Ada's ledger %+v", h)
	}

	// Not now: Ada asks about Globex; Ben declines; Ada learns nothing of Gus.
	_, wk = hs.command("U1", "who-knows globex", "t7")
	n = len(hs.fake.callsOf("chat.postMessage"))
	hs.send("/slack/interactions", form, interactionBody("U1", "intro-ask", elements(wk["blocks"])["intro-ask"], "1700000004.000001", "1700000100.5", hs.fake.responseURL("ask2")), now, secret)
	hs.fake.wait("respond", 5)
	btns = elements(decode(t, hs.dmTo(t, "U2", n).Form.Get("blocks")))
	n = len(hs.fake.callsOf("chat.postMessage"))
	hs.send("/slack/interactions", form, interactionBody("U2", "intro-decline", btns["intro-decline"], "1700000005.000001", "1700000100.6", hs.fake.responseURL("no")), now, secret)
	hs.fake.wait("respond", 6)
	if s := hs.dmTo(t, "U1", n).Form.Get("text"); !strings.Contains(s, "Ben can't make an intro at globex right now") || strings.Contains(s, "Gus") {
		t.Errorf("Ada's not-now DM %q", s)
	}
	// The week's limit on the same teammate and company.
	_, wk = hs.command("U1", "who-knows Acme", "t8")
	hs.send("/slack/interactions", form, interactionBody("U1", "intro-ask", elements(wk["blocks"])["intro-ask"], "1700000006.000001", "1700000100.7", hs.fake.responseURL("ask3")), now, secret)
	if r := hs.fake.wait("respond", 7)[6]; !strings.Contains(r.JSON["text"].(string), "less than a week ago") {
		t.Errorf("second ask in a week answered %v", r.JSON)
	}
}

// decode reads blocks as posted in a form field.
func decode(t *testing.T, blocks string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(blocks), &v); err != nil {
		t.Fatalf("blocks %q: %v", blocks, err)
	}
	return v
}
