package slack_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// buttonsIn returns action_id -> value of the buttons in a command's reply.
func buttonsIn(m map[string]any) map[string]string {
	out := map[string]string{}
	blocks, _ := m["blocks"].([]any)
	for _, b := range blocks {
		block, _ := b.(map[string]any)
		elements, _ := block["elements"].([]any)
		for _, e := range elements {
			el, _ := e.(map[string]any)
			if id, ok := el["action_id"].(string); ok {
				out[id], _ = el["value"].(string)
			}
		}
	}
	return out
}

// TestForgetMeKeepSpendsDelete chooses "Keep my data" and then presses
// "Delete everything" on the same message: the second choice is spent,
// says so, and deletes nothing.
func TestForgetMeKeepSpendsDelete(t *testing.T) {
	bc := &movableClock{t: now}
	hs, _ := newBotHarness(t, bc)
	hs.fake.addUser("U1", "Ada", "Europe/Berlin", true)
	hs.command("U1", "add Jane Doe", "t-add")
	_, m := hs.command("U1", "forget-me", "t-forget")
	buttons := buttonsIn(m)
	if buttons["keep"] == "" || buttons["forget"] == "" {
		t.Fatalf("forget-me offered %v", buttons)
	}
	bc.Set(now.Add(time.Minute))
	keep := interactionBody("U1", "keep", buttons["keep"], "1700000000.000003", "1700000700.1", hs.fake.responseURL("keep"))
	if code, _ := hs.send("/slack/interactions", form, keep, now, secret); code != http.StatusOK {
		t.Fatal(code)
	}
	if r := hs.fake.wait("respond", 1)[0]; !strings.Contains(r.JSON["text"].(string), "Nothing was deleted") {
		t.Fatalf("Keep answered %v", r.JSON)
	}
	del := interactionBody("U1", "forget", buttons["forget"], "1700000000.000003", "1700000800.1", hs.fake.responseURL("delete"))
	hs.send("/slack/interactions", form, del, now, secret)
	r := hs.fake.wait("respond", 2)[1]
	if text, _ := r.JSON["text"].(string); !strings.Contains(text, "already answered") || r.JSON["replace_original"] != true {
		t.Fatalf("Delete after Keep answered %v", r.JSON)
	}
	err := hs.store.View(context.Background(), slackOwner("U1").ID(), func(tx reminders.OwnerTx) error {
		_, err := tx.ContactByName("Jane Doe")
		return err
	})
	if err != nil {
		t.Fatalf("Delete after Keep deleted Jane: %v", err)
	}
}
