package bot_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
)

// lastDM returns the latest DM the bot sent to who, failing when there is none after n.
func (h *harness) lastDM(who reminders.Owner, after int) bot.Message {
	h.t.Helper()
	h.sent.mu.Lock()
	defer h.sent.mu.Unlock()
	for i := len(h.sent.dms) - 1; i >= after; i-- {
		if h.sent.dms[i].to == string(who.ID()) {
			return h.sent.dms[i].msg
		}
	}
	h.t.Fatalf("no DM to %s", who.ID())
	return bot.Message{}
}

func (h *harness) dmCount() int {
	h.sent.mu.Lock()
	defer h.sent.mu.Unlock()
	return len(h.sent.dms)
}

// introSetup: ana asks; bob shares and knows two people at Acme; cy knows
// someone there but does not share.
func introSetup(t *testing.T) (*harness, reminders.Owner, reminders.Owner, reminders.Owner) {
	h := newHarness(t)
	ana, bob, cy := user("ana"), user("bob"), user("cy")
	h.ok(ana, "add Zed at Other")
	h.ok(bob, "add Jane Roe at Acme Corp as CTO : likes sailing")
	h.ok(bob, "add Sam Poe at Acme Corp")
	h.ok(bob, "add Ana Lima at Globex") // bob's own contact of the asker's name
	h.ok(bob, "settings share on")
	h.ok(cy, "add Cy Secret at Acme")
	return h, ana, bob, cy
}

func TestIntroOfferedAndChosen(t *testing.T) {
	h, ana, bob, cy := introSetup(t)
	m := h.ok(ana, "who-knows Acme : hiring a CTO")
	if len(m.Sections) != 1 || m.Sections[0].Title != "Bob" {
		t.Fatalf("who-knows sections %+v; want only Bob (cy does not share)", m.Sections)
	}
	for _, secret := range []string{"Jane", "Sam", "Cy"} {
		if strings.Contains(m.Text, secret) {
			t.Errorf("who-knows reveals %q: %s", secret, m.Text)
		}
	}
	ask := button(t, m, "Bob", bot.ActIntroAsk)
	n := h.dmCount()
	reply := h.click(ana, ask)
	contains(t, reply, "Asked Bob for an intro to someone at Acme")
	dm := h.lastDM(bob, n)
	contains(t, dm, "Ana would like an intro to someone you know at Acme.", "Why: “hiring a CTO”")
	for _, secret := range []string{"Jane", "Sam"} {
		if strings.Contains(dm.Text, secret) || strings.Contains(reply.Text, secret) {
			t.Errorf("the ask reveals %q", secret)
		}
	}
	// Ana cannot press Bob's buttons, nor craft a choice in her own name.
	offer := button(t, dm, "", bot.ActIntroOffer)
	if m := h.click(ana, offer); !m.Error {
		t.Errorf("ana pressed bob's Offer: %s", m.Text)
	}
	bobJane := func() uint64 { c, _ := h.contact(bob, "Jane Roe"); return c.ID }()
	id := strings.Split(offer.Value, ":")[0]
	for _, v := range []string{id + ":" + itoa(bobJane) + ":" + strings.Split(offer.Value, ":")[1], id + ":" + itoa(bobJane) + ":" + strings.Split(ask.Value, ":")[1]} {
		if m := h.click(ana, bot.Button{Action: bot.ActIntroChoose, Value: v}); !m.Error || strings.Contains(m.Text, "Jane") {
			t.Errorf("crafted choice %s answered %q", v, m.Text)
		}
	}
	// Bob offers: he sees only his own contacts at Acme, privately.
	choose := h.click(bob, offer)
	menu := button(t, choose, "", bot.ActIntroChoose)
	var labels []string
	for _, c := range menu.Choices {
		labels = append(labels, c.Label)
	}
	if strings.Join(labels, "|") != "Jane Roe (Acme Corp)|Sam Poe (Acme Corp)" && strings.Join(labels, "|") != "Sam Poe (Acme Corp)|Jane Roe (Acme Corp)" {
		t.Fatalf("choices %v", labels)
	}
	// A crafted choice of a contact elsewhere is refused, even by bob.
	globex, _ := h.contact(bob, "Ana Lima")
	if m := h.click(bob, bot.Button{Action: bot.ActIntroChoose, Value: id + ":" + itoa(globex.ID) + ":" + strings.Split(offer.Value, ":")[1]}); !m.Error {
		t.Errorf("a contact at Globex was accepted: %s", m.Text)
	}
	var jane bot.Button
	for _, c := range menu.Choices {
		if strings.HasPrefix(c.Label, "Jane") {
			jane = bot.Button{Action: menu.Action, Value: c.Value}
		}
	}
	n = h.dmCount()
	done := h.click(bob, jane)
	contains(t, done, "you offered Ana an intro to Jane Roe (Acme Corp)")
	told := h.lastDM(ana, n)
	contains(t, told, "Bob offered you an intro to Jane Roe (Acme Corp).", `add "Jane Roe" at Acme Corp`)
	if strings.Contains(told.Text, "sailing") || strings.Contains(told.Text, "CTO") {
		t.Errorf("the asker learns more than name and company: %s", told.Text)
	}
	// Both ledgers: bob gave Ana (a new contact, the name taken, with her mention), ana got Bob.
	bobsAna, hist := h.contact(bob, "Ana")
	if bobsAna.Mention != "ana" || len(hist) != 1 || hist[0].Kind != reminders.Gave || hist[0].Text != "intro to Jane Roe (Acme Corp)" {
		t.Errorf("bob's ledger: %+v %+v", bobsAna, hist)
	}
	anasBob, hist := h.contact(ana, "Bob")
	if anasBob.Mention != "bob" || len(hist) != 1 || hist[0].Kind != reminders.Got || anasBob.Received != 1 {
		t.Errorf("ana's ledger: %+v %+v", anasBob, hist)
	}
	// Once: a second pick, or Not now afterwards, changes nothing.
	if m := h.click(bob, jane); !strings.Contains(strings.ToLower(m.Text), "already") {
		t.Errorf("second pick: %s", m.Text)
	}
	if m := h.click(bob, button(t, dm, "", bot.ActIntroDecline)); !strings.Contains(strings.ToLower(m.Text), "already") {
		t.Errorf("not now after the offer: %s", m.Text)
	}
	if _, hist := h.contact(ana, "Bob"); len(hist) != 1 {
		t.Errorf("ana's ledger after repeats: %+v", hist)
	}
	// The week's limit: the same ask again is refused; another company is fine.
	again := h.ok(ana, "who-knows acme")
	if m := h.click(ana, button(t, again, "Bob", bot.ActIntroAsk)); !m.Error || !strings.Contains(m.Text, "less than a week ago") {
		t.Errorf("second ask within the week: %s", m.Text)
	}
	h.advance(8 * 24 * time.Hour)
	again = h.ok(ana, "who-knows acme")
	if m := h.click(ana, button(t, again, "Bob", bot.ActIntroAsk)); m.Error {
		t.Errorf("an ask a week later: %s", m.Text)
	}
	// The team summary counts the intro made (a number), in the week it was made.
	sum, err := reminders.BuildSummary(t0ctx, h.store, reminders.Team{ID: team}, h.clock().Add(-10*24*time.Hour), h.clock())
	if err != nil || sum.Totals.Intros != 1 {
		t.Errorf("summary counts %+v (%v); want 1 intro", sum.Totals, err)
	}
	_ = cy
}

func TestIntroNotNowRevealsNothing(t *testing.T) {
	h, ana, bob, cy := introSetup(t)
	m := h.ok(ana, "who-knows acme")
	n := h.dmCount()
	h.click(ana, button(t, m, "Bob", bot.ActIntroAsk))
	dm := h.lastDM(bob, n)
	before := h.snapshot(ana)
	n = h.dmCount()
	done := h.click(bob, button(t, dm, "", bot.ActIntroDecline))
	contains(t, done, "kith told Ana kindly")
	told := h.lastDM(ana, n)
	contains(t, told, "Bob can't make an intro at acme right now.")
	for _, secret := range []string{"Jane", "Sam", "Acme Corp"} {
		if strings.Contains(told.Text, secret) {
			t.Errorf("not now reveals %q: %s", secret, told.Text)
		}
	}
	// Nothing in ana's contacts or history; only her ask's state changed.
	if _, err := findContact(h, ana, "Bob"); err == nil {
		t.Error("not now made bob ana's contact")
	}
	if after := h.snapshot(ana); strings.Count(after, "Jane") != strings.Count(before, "Jane") {
		t.Error("ana's data mentions Jane after not now")
	}
	// After not now, Offer does nothing.
	if m := h.click(bob, button(t, dm, "", bot.ActIntroOffer)); !strings.Contains(strings.ToLower(m.Text), "already") {
		t.Errorf("offer after not now: %s", m.Text)
	}
	// A teammate who does not share never appears, and cannot be asked: bob stops sharing.
	h.ok(bob, "settings share off")
	if m := h.ok(ana, "who-knows acme"); len(m.Sections) != 0 || strings.Contains(m.Text, "Bob") || strings.Contains(m.Text, "Cy") {
		t.Errorf("who-knows with nobody sharing: %s", m.Text)
	}
	h.ok(bob, "settings share on")
	h.advance(8 * 24 * time.Hour)
	m = h.ok(ana, "who-knows acme")
	ask := button(t, m, "Bob", bot.ActIntroAsk)
	h.ok(bob, "settings share off")
	n = h.dmCount()
	if r := h.click(ana, ask); !r.Error || h.dmCount() != n {
		t.Errorf("asked a teammate who stopped sharing: %s", r.Text)
	}
	_ = cy
}

func findContact(h *harness, who reminders.Owner, name string) (reminders.Contact, error) {
	var c reminders.Contact
	err := h.store.View(t0ctx, who.ID(), func(tx reminders.OwnerTx) error {
		var err error
		c, err = tx.ContactByName(name)
		return err
	})
	return c, err
}

var t0ctx = context.Background()

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
