package bot_test

import (
	"testing"
)

// A mention that names a contact added without one is stored with the
// contact, so the next bare mention finds them; a failed command stores nothing.
func TestMentionIsLearnedFromItsLabel(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe at Acme")
	h.ok(ana, "add Bob Lee")

	h.do(ana, "gave <@U7|jane> ") // says what was given: an error, so nothing is learned
	if c, _ := h.contact(ana, "Jane Doe"); c.Mention != "" {
		t.Fatalf("a failed command stored the mention %q", c.Mention)
	}

	h.ok(ana, "met <@U7|jane> yesterday : coffee")
	c, history := h.contact(ana, "Jane Doe")
	if c.Mention != "U7" || c.Company != "Acme" || len(history) != 1 {
		t.Fatalf("after met <@U7|jane>: mention %q, company %q, %d entries; want U7, Acme, 1", c.Mention, c.Company, len(history))
	}
	h.ok(ana, "met <@U7>")
	if _, history := h.contact(ana, "Jane Doe"); len(history) != 2 {
		t.Errorf("a bare <@U7> did not find Jane: %d entries", len(history))
	}
	if b, _ := h.contact(ana, "Bob Lee"); b.Mention != "" {
		t.Errorf("Bob got mention %q", b.Mention)
	}
}
