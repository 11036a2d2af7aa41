package slack_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	kslack "github.com/kith-bot/kith/bot/slack"
)

func TestCommandRepliesInline(t *testing.T) {
	hs := newHarness(t)
	hs.fake.addUser("U1", "Ada", "Europe/Berlin", false)
	code, m := hs.command("U1", "met Jane Doe", "trig-1")
	if code != http.StatusOK || m["text"] != "Logged a meeting with Jane Doe." || m["response_type"] != "ephemeral" {
		t.Fatalf("reply %d %v", code, m)
	}
	reqs := hs.h.requests()
	if len(reqs) != 1 {
		t.Fatalf("handler got %d requests", len(reqs))
	}
	r := reqs[0]
	if r.Owner.ID() != "slack:T1:U1" || r.Team != "slack:T1" || r.Channel != "C1" || r.Text != "met Jane Doe" ||
		r.TimeZone != "Europe/Berlin" || r.Name != "Ada" || r.Key == "" || r.Admin {
		t.Fatalf("request %+v", r)
	}
	if n := len(history(t, hs.store, slackOwner("U1"), "Jane Doe")); n != 1 {
		t.Fatalf("%d interactions stored", n)
	}
	// users.info is cached: a second command asks Slack nothing more.
	hs.command("U1", "help", "trig-2")
	if n := len(hs.fake.callsOf("users.info")); n != 1 {
		t.Fatalf("users.info called %d times", n)
	}
}

func TestCommandReplayChangesOnce(t *testing.T) {
	hs := newHarness(t)
	body := commandBody("U1", "met Jane", "trig-same", hs.fake.responseURL("r"))
	for i := range 2 {
		code, reply := hs.send("/slack/commands", form, body, now, secret)
		if code != http.StatusOK {
			t.Fatalf("delivery %d: %d", i, code)
		}
		if i == 1 && !strings.Contains(reply, "already done") {
			t.Fatalf("second delivery replied %s", reply)
		}
	}
	if n := len(history(t, hs.store, slackOwner("U1"), "Jane")); n != 1 {
		t.Fatalf("replayed command stored %d interactions", n)
	}
	reqs := hs.h.requests()
	if len(reqs) != 2 || reqs[0].Key != reqs[1].Key {
		t.Fatalf("keys differ across deliveries: %+v", reqs)
	}
}

func TestSlowCommandRepliesThroughResponseURL(t *testing.T) {
	hs := newHarness(t, func(c *kslack.Config) { c.ReplyWindow = 5 * time.Millisecond })
	code, m := hs.command("U1", "slow Jane", "trig-slow")
	if code != http.StatusOK || m != nil {
		t.Fatalf("ack %d %v; want an empty 200", code, m)
	}
	if len(hs.fake.callsOf("respond")) != 0 {
		t.Fatal("replied before the work was done")
	}
	hs.h.unblock()
	got := hs.fake.wait("respond", 1)[0]
	if got.Path != "/respond/trig-slow" || got.JSON["text"] != "Logged a meeting with Jane." || got.JSON["response_type"] != "ephemeral" {
		t.Fatalf("late reply %s %v", got.Path, got.JSON)
	}
}

func TestRunWaitsForInFlightWork(t *testing.T) {
	hs := newHarness(t, func(c *kslack.Config) { c.ReplyWindow = time.Millisecond })
	hs.command("U1", "slow Jane", "trig-inflight")
	hs.stop()
	select {
	case <-hs.done:
		t.Fatal("Run returned while a command was in flight")
	default:
	}
	hs.h.unblock()
	<-hs.done
	hs.done <- nil // for the cleanup
	if n := len(hs.fake.callsOf("respond")); n != 1 {
		t.Fatalf("after Run returned, %d late replies were posted", n)
	}
	if n := len(history(t, hs.store, slackOwner("U1"), "Jane")); n != 1 {
		t.Fatalf("%d interactions stored", n)
	}
}

func TestTeamCommandAsksForAdminRights(t *testing.T) {
	hs := newHarness(t)
	hs.fake.addUser("UADMIN", "Boss", "UTC", true)
	hs.fake.addUser("UPLAIN", "Pat", "UTC", false)
	_, m := hs.command("UADMIN", "team summary here", "trig-a")
	if m["response_type"] != "in_channel" {
		t.Fatalf("admin reply %v", m)
	}
	_, m = hs.command("UPLAIN", "team summary here", "trig-b")
	if m["response_type"] != "ephemeral" || !strings.Contains(m["text"].(string), "Only workspace admins") {
		t.Fatalf("non-admin reply %v", m)
	}
}

func TestSignatures(t *testing.T) {
	hs := newHarness(t)
	routes := []struct {
		path, ctype string
		body        []byte
	}{
		{"/slack/commands", form, commandBody("U1", "met Jane", "trig-sig", hs.fake.responseURL("sig"))},
		{"/slack/interactions", form, interactionBody("U1", "met", "Jane", "1700000000.000001", "1.1", hs.fake.responseURL("sig"))},
		{"/slack/events", "application/json", eventBody("Ev1", map[string]any{"type": "app_home_opened", "user": "U1", "tab": "home"})},
	}
	cases := []struct {
		name string
		at   time.Time
		key  string
	}{
		{"missing", time.Time{}, secret},
		{"wrong secret", now, "another-secret"},
		{"stale", now.Add(-5*time.Minute - time.Second), secret},
		{"from the future", now.Add(5*time.Minute + time.Second), secret},
	}
	for _, r := range routes {
		for _, c := range cases {
			if code, _ := hs.send(r.path, r.ctype, r.body, c.at, c.key); code != http.StatusUnauthorized {
				t.Errorf("%s %s: %d, want 401", r.path, c.name, code)
			}
		}
		// A tampered body fails too, even with a fresh signature of the original.
		req, _ := http.NewRequest(http.MethodPost, hs.srv.URL+r.path, bytes.NewReader(append(r.body, 'x')))
		for k, v := range kslack.Sign(secret, now, r.body) {
			req.Header[k] = v
		}
		if res, err := hs.srv.Client().Do(req); err != nil || res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s tampered: %v %v", r.path, res.StatusCode, err)
		}
	}
	if len(hs.h.requests()) != 0 || len(hs.h.actions()) != 0 {
		t.Fatal("an unsigned request reached the handler")
	}
	if n := len(history(t, hs.store, slackOwner("U1"), "Jane")); n != 0 {
		t.Fatalf("unsigned requests stored %d interactions", n)
	}
	// Just inside the window is accepted.
	if code, _ := hs.send(routes[0].path, form, routes[0].body, now.Add(-4*time.Minute), secret); code != http.StatusOK {
		t.Fatalf("fresh signature: %d", code)
	}
}

func TestBadBodies(t *testing.T) {
	hs := newHarness(t)
	big := bytes.Repeat([]byte("a"), kslack.MaxBody+1)
	cases := []struct {
		name, path, ctype string
		body              []byte
		want              int
	}{
		{"oversize command", "/slack/commands", form, big, http.StatusRequestEntityTooLarge},
		{"oversize interaction", "/slack/interactions", form, big, http.StatusRequestEntityTooLarge},
		{"oversize event", "/slack/events", "application/json", big, http.StatusRequestEntityTooLarge},
		{"bad form", "/slack/commands", form, []byte("team_id=%zz"), http.StatusBadRequest},
		{"no user", "/slack/commands", form, []byte("team_id=T1&text=met+Jane"), http.StatusBadRequest},
		{"no payload", "/slack/interactions", form, []byte("foo=bar"), http.StatusBadRequest},
		{"payload not JSON", "/slack/interactions", form, []byte("payload=%7Bnope"), http.StatusBadRequest},
		{"event not JSON", "/slack/events", "application/json", []byte("{nope"), http.StatusBadRequest},
		{"event without team", "/slack/events", "application/json", []byte(`{"type":"event_callback","event":{"type":"app_home_opened"}}`), http.StatusBadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if code, _ := hs.send(c.path, c.ctype, c.body, now, secret); code != c.want {
				t.Fatalf("%d, want %d", code, c.want)
			}
		})
	}
	res, err := hs.srv.Client().Get(hs.srv.URL + "/slack/commands")
	if err != nil || res.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET: %v %v", res.StatusCode, err)
	}
	if len(hs.h.requests()) != 0 {
		t.Fatal("a bad request reached the handler")
	}
}

func TestURLVerification(t *testing.T) {
	hs := newHarness(t)
	code, body := hs.send("/slack/events", "application/json", []byte(`{"token":"x","challenge":"c-123","type":"url_verification"}`), now, secret)
	var m map[string]string
	if code != http.StatusOK || json.Unmarshal([]byte(body), &m) != nil || m["challenge"] != "c-123" {
		t.Fatalf("%d %s", code, body)
	}
}

func TestAppHomeOpenedPublishesHome(t *testing.T) {
	hs := newHarness(t)
	code, _ := hs.send("/slack/events", "application/json", eventBody("Ev2", map[string]any{"type": "app_home_opened", "user": "U7", "channel": "D7", "tab": "home"}), now, secret)
	if code != http.StatusOK {
		t.Fatal(code)
	}
	v := hs.fake.wait("views.publish", 1)[0]
	view, _ := v.JSON["view"].(map[string]any)
	if v.JSON["user_id"] != "U7" || view["type"] != "home" || !strings.Contains(string(v.Body), "Nobody is due, U7.") || !strings.Contains(string(v.Body), `"header"`) {
		t.Fatalf("views.publish %s", v.Body)
	}
	// An event type kith does not use is acknowledged and ignored.
	code, _ = hs.send("/slack/events", "application/json", eventBody("Ev3", map[string]any{"type": "reaction_added", "user": "U7"}), now, secret)
	if code != http.StatusOK {
		t.Fatal(code)
	}
}

func TestHomeRedrawnAfterChangesOnlyForViewers(t *testing.T) {
	hs := newHarness(t)
	kslack.SetHomeInterval(hs.a, 10*time.Millisecond)
	homes := func(user string) int {
		n := 0
		for _, v := range hs.fake.callsOf("views.publish") {
			if v.JSON["user_id"] == user {
				n++
			}
		}
		return n
	}
	// U1 opens the tab: it is drawn at once, and again after each change.
	hs.send("/slack/events", "application/json", eventBody("EvV1", map[string]any{"type": "app_home_opened", "user": "U1", "tab": "home"}), now, secret)
	eventually(t, func() bool { return homes("U1") == 1 })
	hs.command("U1", "met Jane", "trig-v1")
	eventually(t, func() bool { return homes("U1") == 2 })
	// U2 never opened the tab: their changes cost no views.publish.
	hs.command("U2", "met Bob", "trig-v2")
	hs.command("U2", "met Ann", "trig-v3")
	hs.shutdown() // waits for background redraws
	if n := homes("U2"); n != 0 {
		t.Fatalf("%d views.publish for an owner who never opened Home", n)
	}
	if n := homes("U1"); n != 2 {
		t.Fatalf("%d views.publish for U1, want 2", n)
	}
}

func TestNoRoutesWithoutSigningSecret(t *testing.T) {
	hs := newHarness(t, func(c *kslack.Config) { c.SigningSecret = "" })
	code, _ := hs.send("/slack/commands", form, commandBody("U1", "help", "t", ""), now, secret)
	if code != http.StatusNotFound {
		t.Fatalf("%d, want 404", code)
	}
}
