package slack_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
)

// movableClock is the real bot's clock, moved by the test between steps.
type movableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movableClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *movableClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

// newBotHarness runs the adapter with the real bot over a real bbolt store.
func newBotHarness(t *testing.T, bc *movableClock) (*harness, *bot.Bot) {
	store := openStore(t)
	b := bot.New(store, bot.Options{Now: bc.Now, Command: "/kith"})
	hs := start(t, store, b, nil)
	b.Route(reminders.PlatformSlack, hs.a)
	return hs, b
}

// buttonsOf returns action_id -> value of the buttons in a posted message's
// first actions block; a select's options are "action_id/option text".
func buttonsOf(t *testing.T, c call) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, b := range blocksOf(t, c) {
		if b["type"] != "actions" {
			continue
		}
		for _, e := range b["elements"].([]any) {
			el := e.(map[string]any)
			id := el["action_id"].(string)
			if el["type"] == "static_select" {
				for _, o := range el["options"].([]any) {
					opt := o.(map[string]any)
					out[id+"/"+opt["text"].(map[string]any)["text"].(string)] = opt["value"].(string)
				}
				out[id] = "menu"
				continue
			}
			out[id] = el["value"].(string)
		}
		return out
	}
	return out
}

func TestRealBotRoundTrip(t *testing.T) {
	bc := &movableClock{t: now.Add(-60 * 24 * time.Hour)}
	hs, b := newBotHarness(t, bc)
	hs.fake.addUser("U1", "Ada", "Europe/Berlin", true)
	ctx := context.Background()
	owner := slackOwner("U1")

	if _, m := hs.command("U1", "add Jane Doe at Acme #sailing : met at the regatta", "t-add"); m["text"] == nil || !strings.Contains(m["text"].(string), "Jane Doe") {
		t.Fatalf("add replied %v", m)
	}
	// The same delivery twice logs one meeting.
	body := commandBody("U1", "met Jane", "t-met", hs.fake.responseURL("met"))
	for range 2 {
		if code, _ := hs.send("/slack/commands", form, body, now, secret); code != http.StatusOK {
			t.Fatal(code)
		}
	}
	if n := len(history(t, hs.store, owner, "Jane Doe")); n != 1 {
		t.Fatalf("replayed met stored %d interactions", n)
	}
	// users.info gave the zone on first use.
	var set reminders.Settings
	_ = hs.store.View(ctx, owner.ID(), func(tx reminders.OwnerTx) error { var err error; set, err = tx.Settings(); return err })
	if set.TimeZone != "Europe/Berlin" || set.Name != "Ada" {
		t.Fatalf("settings %+v", set)
	}

	// Sixty days later Jane is due: the digest DM carries the four buttons.
	bc.Set(now)
	d, err := reminders.BuildDigest(ctx, hs.store, owner.ID(), now)
	if err != nil || d.Empty() {
		t.Fatalf("digest %+v %v", d, err)
	}
	if err := b.DeliverDigest(ctx, d); err != nil {
		t.Fatal(err)
	}
	var digest call
	for _, p := range hs.fake.callsOf("chat.postMessage") {
		if p.Form.Get("channel") == "DU1" {
			digest = p
		}
	}
	if digest.Form == nil || len(hs.fake.callsOf("conversations.open")) != 1 {
		t.Fatal("no digest DM")
	}
	buttons := buttonsOf(t, digest)
	for _, id := range []string{"met", "snooze", "less", "show"} {
		if buttons[id] == "" {
			t.Fatalf("digest buttons %v", buttons)
		}
	}

	// Clicking Met logs a meeting and replaces the digest message.
	click := interactionBody("U1", "met", buttons["met"], "1700000000.000002", "1700000500.1", hs.fake.responseURL("click"))
	hs.send("/slack/interactions", form, click, now, secret)
	r := hs.fake.wait("respond", 1)[0]
	if r.JSON["replace_original"] != true {
		t.Fatalf("click answer %v", r.JSON)
	}
	if n := len(history(t, hs.store, owner, "Jane Doe")); n != 2 {
		t.Fatalf("%d interactions after the click", n)
	}
	// A second click on the same button is a new request and changes nothing.
	again := interactionBody("U1", "met", buttons["met"], "1700000000.000002", "1700000600.2", hs.fake.responseURL("click2"))
	hs.send("/slack/interactions", form, again, now, secret)
	r2 := hs.fake.wait("respond", 2)[1]
	if !strings.Contains(strings.ToLower(r2.JSON["text"].(string)), "already") {
		t.Fatalf("second click answered %v", r2.JSON)
	}
	if n := len(history(t, hs.store, owner, "Jane Doe")); n != 2 {
		t.Fatalf("%d interactions after the second click", n)
	}

	// Snooze is a menu of 1 week, 2 weeks, 1 month and 3 months; a pick acts
	// once, and a second pick from the same menu changes nothing more.
	for _, o := range []string{"Snooze 1 week", "Snooze 2 weeks", "Snooze 1 month", "Snooze 3 months"} {
		if buttons["snooze/"+o] == "" {
			t.Fatalf("snooze menu %v lacks %s", buttons, o)
		}
	}
	pick := selectBody("U1", "snooze", buttons["snooze/Snooze 1 month"], "1700000000.000002", "1700000700.3", hs.fake.responseURL("pick"))
	hs.send("/slack/interactions", form, pick, now, secret)
	if r := hs.fake.wait("respond", 3)[2]; !strings.Contains(r.JSON["text"].(string), "snoozed Jane Doe for a month") {
		t.Fatalf("snooze pick answered %v", r.JSON)
	}
	snoozed := func() time.Time {
		var c reminders.Contact
		_ = hs.store.View(ctx, owner.ID(), func(tx reminders.OwnerTx) error { var err error; c, err = tx.ContactByName("Jane Doe"); return err })
		return c.Snoozed
	}
	if got, want := snoozed(), now.AddDate(0, 1, 0); !got.Equal(want) {
		t.Fatalf("snoozed until %v, want %v", got, want)
	}
	pick = selectBody("U1", "snooze", buttons["snooze/Snooze 3 months"], "1700000000.000002", "1700000800.4", hs.fake.responseURL("pick2"))
	hs.send("/slack/interactions", form, pick, now, secret)
	if r := hs.fake.wait("respond", 4)[3]; !strings.Contains(strings.ToLower(r.JSON["text"].(string)), "already") {
		t.Fatalf("second snooze pick answered %v", r.JSON)
	}
	if got, want := snoozed(), now.AddDate(0, 1, 0); !got.Equal(want) {
		t.Fatalf("second pick moved the snooze to %v", got)
	}

	// The team summary names no contact, company or note.
	bc.Set(now.Add(time.Hour))
	hs.command("U1", "gave Jane an intro to Bob", "t-gave")
	hs.command("U1", "settings share on", "t-share")
	if _, m := hs.command("U1", "team summary here", "t-here"); m["text"] == nil || !strings.Contains(m["text"].(string), "this channel") {
		t.Fatalf("team summary here: %v", m)
	}
	bc.Set(now.Add(2 * time.Hour))
	before := len(hs.fake.callsOf("chat.postMessage"))
	hs.command("U1", "team summary now", "t-now")
	posts := hs.fake.wait("chat.postMessage", before+1)
	sum := posts[len(posts)-1]
	if sum.Form.Get("channel") != "C1" {
		t.Fatalf("summary went to %q", sum.Form.Get("channel"))
	}
	all := sum.Form.Get("text") + sum.Form.Get("blocks")
	for _, secret := range []string{"Jane", "Doe", "Acme", "regatta", "sailing", "Bob"} {
		if strings.Contains(all, secret) {
			t.Fatalf("team summary shows %q: %s", secret, all)
		}
	}
	if !strings.Contains(all, "Ada") {
		t.Fatalf("givers list lacks the sharing member: %s", all)
	}
	if !strings.Contains(all, "Meetings logged: 1") || !strings.Contains(all, "Favours given: 1") {
		t.Fatalf("summary counts: %s", all)
	}
}

func TestRealBotHome(t *testing.T) {
	bc := &movableClock{t: now}
	hs, _ := newBotHarness(t, bc)
	hs.command("U1", "add Zelda Quux at Globex", "t-add")
	hs.send("/slack/events", "application/json", eventBody("EvH", map[string]any{"type": "app_home_opened", "user": "U1", "tab": "home"}), now, secret)
	eventually(t, func() bool {
		for _, v := range hs.fake.callsOf("views.publish") {
			if v.JSON["user_id"] == "U1" && strings.Contains(string(v.Body), "Zelda") {
				return true
			}
		}
		return false
	})
	// Another user's Home never shows U1's contacts.
	hs.send("/slack/events", "application/json", eventBody("EvH2", map[string]any{"type": "app_home_opened", "user": "U2", "tab": "home"}), now, secret)
	eventually(t, func() bool {
		for _, v := range hs.fake.callsOf("views.publish") {
			if v.JSON["user_id"] == "U2" {
				if strings.Contains(string(v.Body), "Zelda") || strings.Contains(string(v.Body), "Globex") {
					t.Fatalf("U2's home shows U1's contact: %s", v.Body)
				}
				return true
			}
		}
		return false
	})
}
