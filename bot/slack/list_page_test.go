package slack_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kith-bot/kith/reminders"
)

// TestListMoreButton lists 60 contacts: the first page carries a More
// button, and clicking it replaces the first page with the rest.
func TestListMoreButton(t *testing.T) {
	bc := &movableClock{t: now}
	hs, _ := newBotHarness(t, bc)
	hs.fake.addUser("U1", "Ada", "Europe/Berlin", true)
	err := hs.store.Update(context.Background(), slackOwner("U1").ID(), reminders.Change{Now: now}, func(tx reminders.OwnerTx) error {
		for i := 1; i <= 60; i++ {
			c := reminders.Contact{Name: fmt.Sprintf("Person %03d", i), Added: now}
			if err := tx.PutContact(&c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_, m := hs.command("U1", "list all", "t-list")
	more := buttonsIn(m)["page"]
	if text, _ := m["text"].(string); more == "" || !strings.Contains(text, "page 1 of 2") {
		t.Fatalf("list answered %v", m)
	}
	click := interactionBody("U1", "page", more, "1700000000.000004", "1700000900.1", hs.fake.responseURL("more"))
	hs.send("/slack/interactions", form, click, now, secret)
	r := hs.fake.wait("respond", 1)[0]
	all := fmt.Sprint(r.JSON["text"], r.JSON["blocks"])
	if r.JSON["replace_original"] != true || !strings.Contains(all, "page 2 of 2") || !strings.Contains(all, "Person 060") {
		t.Errorf("More answered %v", r.JSON)
	}
}
