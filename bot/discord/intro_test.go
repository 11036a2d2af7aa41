package discord_test

import (
	"strings"
	"testing"

	"github.com/kith-bot/kith/reminders"
)

// customIDs lists a message's components' custom ids, and its select options' values by label.
func (m msg) customIDs() (ids []string, options map[string]string) {
	options = map[string]string{}
	for _, r := range m.Components {
		for _, c := range r.Components {
			ids = append(ids, c.CustomID)
			for _, o := range c.Options {
				options[o.Label] = o.Value
			}
		}
	}
	return ids, options
}

func withPrefix(ids []string, prefix string) string {
	for _, id := range ids {
		if strings.HasPrefix(id, prefix) {
			return id
		}
	}
	return ""
}

// The intro flow through the real Discord adapter and bot, with two users of one guild.
func TestIntroThroughDiscord(t *testing.T) {
	e, _ := botEnv(t, false)
	e.say(t, inGuild(command("add", str("name", "Jane Roe"), str("company", "Acme"), str("note", "likes sailing")), bob, 0))
	e.say(t, inGuild(command("add", str("name", "Gus Moe"), str("company", "Globex")), bob, 0))
	e.say(t, inGuild(command("settings", optv{"share", true, 5}), bob, 0))
	e.say(t, inGuild(command("add", str("name", "Zed")), alice, 0))

	wk := e.say(t, inGuild(command("who-knows", str("query", "Acme"), str("why", "hiring a CTO")), alice, 0))
	ids, _ := wk.Data.customIDs()
	ask := withPrefix(ids, "k1|intro-ask|"+alice+"|")
	if ask == "" || !strings.Contains(wk.Data.text(), "User 2") || strings.Contains(wk.Data.text(), "Jane") {
		t.Fatalf("who-knows reply %q %v", wk.Data.text(), ids)
	}
	// Bob cannot press alice's Ask.
	if r := e.say(t, inGuild(click(ask), bob, 0)); !strings.Contains(r.Data.text(), "someone else's") {
		t.Errorf("bob pressed alice's ask: %q", r.Data.text())
	}
	if r := e.say(t, inGuild(click(ask), alice, 0)); !strings.Contains(r.Data.text(), "Asked User 2 for an intro to someone at Acme") {
		t.Fatalf("ask answered %q", r.Data.text())
	}
	dm := message(t, e.f.Await(t, "POST", "channels/dm-"+bob+"/messages"))
	if !strings.Contains(dm.text(), "User 1 would like an intro to someone you know at Acme") || !strings.Contains(dm.text(), "hiring a CTO") {
		t.Fatalf("bob's DM %q", dm.text())
	}
	ids, _ = dm.customIDs()
	offer := withPrefix(ids, "k1|intro-offer|"+bob+"|")
	if offer == "" || withPrefix(ids, "k1|intro-decline|"+bob+"|") == "" {
		t.Fatalf("bob's DM buttons %v", ids)
	}
	// Alice crafts a choice with her own owner in it: refused, Jane unnamed.
	value := strings.SplitN(offer, "|", 4)[3]
	crafted := "k1|intro-choose|" + alice + "|" + strings.Split(value, ":")[0] + ":1:" + strings.Split(value, ":")[1]
	if r := e.say(t, inDM(click(crafted), alice)); strings.Contains(r.Data.text(), "Jane") {
		t.Errorf("a crafted choice revealed %q", r.Data.text())
	}
	// Bob offers, then chooses Jane in a select only he sees.
	r := e.say(t, inDM(click(offer), bob))
	ids, opts := r.Data.customIDs()
	menu := withPrefix(ids, "k1|intro-choose|"+bob+"|")
	if menu == "" || opts["Jane Roe (Acme)"] == "" || len(opts) != 1 {
		t.Fatalf("bob's choices %v %v", ids, opts)
	}
	if r := e.say(t, inDM(choose(menu, opts["Jane Roe (Acme)"]), bob)); !strings.Contains(r.Data.text(), "you offered User 1 an intro to Jane Roe (Acme)") {
		t.Fatalf("choice answered %q", r.Data.text())
	}
	told := message(t, e.f.Await(t, "POST", "channels/dm-"+alice+"/messages"))
	if !strings.Contains(told.text(), "User 2 offered you an intro to Jane Roe (Acme)") || strings.Contains(told.text(), "sailing") {
		t.Fatalf("alice's DM %q", told.text())
	}
	if h := history(t, e.store, bob, "User 1"); h[reminders.Gave] != 1 {
		t.Errorf("bob's ledger %v", h)
	}
	if h := history(t, e.store, alice, "User 2"); h[reminders.Got] != 1 {
		t.Errorf("alice's ledger %v", h)
	}

	// Not now: about Globex; alice hears kindly and nothing of Gus.
	wk = e.say(t, inGuild(command("who-knows", str("query", "Globex")), alice, 0))
	ids, _ = wk.Data.customIDs()
	e.say(t, inGuild(click(withPrefix(ids, "k1|intro-ask|")), alice, 0))
	dm = message(t, e.f.Await(t, "POST", "channels/dm-"+bob+"/messages"))
	ids, _ = dm.customIDs()
	e.say(t, inDM(click(withPrefix(ids, "k1|intro-decline|")), bob))
	told = message(t, e.f.Await(t, "POST", "channels/dm-"+alice+"/messages"))
	if !strings.Contains(told.text(), "User 2 can't make an intro at Globex right now") || strings.Contains(told.text(), "Gus") {
		t.Errorf("alice's not-now DM %q", told.text())
	}
	// One ask a week per teammate and company.
	wk = e.say(t, inGuild(command("who-knows", str("query", "Acme")), alice, 0))
	ids, _ = wk.Data.customIDs()
	if r := e.say(t, inGuild(click(withPrefix(ids, "k1|intro-ask|")), alice, 0)); !strings.Contains(r.Data.text(), "less than a week ago") {
		t.Errorf("second ask answered %q", r.Data.text())
	}
}
