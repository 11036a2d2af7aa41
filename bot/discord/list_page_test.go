package discord_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kith-bot/kith/reminders"
)

// TestListMoreButton lists 60 contacts: the first page carries a More
// button, and clicking it shows the rest in place of the first page.
func TestListMoreButton(t *testing.T) {
	t.Parallel()
	e, _ := botEnv(t, false)
	err := e.store.Update(context.Background(), discordOwner(alice).ID(), reminders.Change{Now: now}, func(tx reminders.OwnerTx) error {
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
	resp := e.say(t, inDM(command("list", str("filter", "all")), alice))
	if !strings.Contains(resp.Data.text(), "page 1 of 2") || strings.Contains(resp.Data.text(), "Person 051") {
		t.Fatalf("list answered %q", resp.Data.text())
	}
	var more string
	for _, id := range resp.Data.buttons() {
		if strings.HasPrefix(id, "k1|page|") {
			more = id
		}
	}
	if more == "" {
		t.Fatalf("no More button in %+v", resp.Data)
	}
	resp = e.say(t, inDM(click(more), alice))
	if text := resp.Data.text(); !strings.Contains(text, "page 2 of 2") || !strings.Contains(text, "Person 060") {
		t.Errorf("More answered %q", text)
	}
}
