package slack_test

import (
	"net/http"
	"testing"
)

func TestButtonClickReplacesMessage(t *testing.T) {
	hs := newHarness(t)
	body := interactionBody("U1", "met", "Jane", "1700000000.000001", "1700000100.1", hs.fake.responseURL("click"))
	if code, _ := hs.send("/slack/interactions", form, body, now, secret); code != http.StatusOK {
		t.Fatal(code)
	}
	r := hs.fake.wait("respond", 1)[0]
	if r.Path != "/respond/click" || r.JSON["replace_original"] != true || r.JSON["text"] != "Met Jane today." {
		t.Fatalf("response_url post %v", r.JSON)
	}
	acts := hs.h.actions()
	if len(acts) != 1 || acts[0].ID != "met" || acts[0].Value != "Jane" || acts[0].Owner.ID() != "slack:T1:U1" || acts[0].Team != "slack:T1" {
		t.Fatalf("actions %+v", acts)
	}
	// The same click delivered again, and a second click on the same button
	// (a new request with a new action_ts), change nothing more.
	hs.send("/slack/interactions", form, body, now, secret)
	again := interactionBody("U1", "met", "Jane", "1700000000.000001", "1700000200.9", hs.fake.responseURL("click2"))
	hs.send("/slack/interactions", form, again, now, secret)
	rs := hs.fake.wait("respond", 3)
	for _, r := range rs[1:] {
		if r.JSON["text"] != "That was already done." || r.JSON["replace_original"] != true {
			t.Fatalf("repeat answered %v", r.JSON)
		}
	}
	if n := len(history(t, hs.store, slackOwner("U1"), "Jane")); n != 1 {
		t.Fatalf("%d interactions after three deliveries", n)
	}
	// The same button on another message is another click.
	other := interactionBody("U1", "met", "Jane", "1700000999.000001", "1700000300.1", hs.fake.responseURL("click3"))
	hs.send("/slack/interactions", form, other, now, secret)
	hs.fake.wait("respond", 4)
	if n := len(history(t, hs.store, slackOwner("U1"), "Jane")); n != 2 {
		t.Fatalf("%d interactions after a click on a new message", n)
	}
}
