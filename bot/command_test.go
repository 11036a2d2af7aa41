package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// TestTour runs the README's session: add contacts, log a coffee and an
// intro, keep a promise, and see who is due.
func TestTour(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	contains(t, h.ok(ana, "add Jane Doe at Acme as CTO #investor"), "Added *Jane Doe*", "CTO at Acme", "met \"Jane Doe\"")
	h.ok(ana, "add Bob Lee every 2w")
	h.ok(ana, `add "Zoë Ångström" at Lund University`)
	contains(t, h.ok(ana, "met Jane yesterday : coffee, talked about hiring"), "met *Jane Doe* yesterday", "coffee")
	contains(t, h.ok(ana, "gave Jane Doe intro to Bob"), "intro to Bob", "+1")
	contains(t, h.ok(ana, "got zoe feedback on my talk 3 days ago"), "Zoë Ångström")
	contains(t, h.ok(ana, "promise Bob the deck by friday"), "Fri Nov 20")

	jane, hist := h.contact(ana, "jane doe")
	if len(hist) != 2 || jane.Given != 1 || jane.LastKind != reminders.Gave || jane.Company != "Acme" || !jane.HasTag("investor") {
		t.Fatalf("jane = %+v, history %+v", jane, hist)
	}
	if got := hist[1].At.In(newYork(t)).Format("2006-01-02"); hist[1].Kind != reminders.Met || got != "2026-11-17" || hist[1].Text != "coffee, talked about hiring" {
		t.Errorf("meeting logged as %+v (%s)", hist[1], got)
	}

	h.advance(16 * 24 * time.Hour) // Bob (2w) and his overdue promise come due; Jane (30d) not yet
	due := h.ok(ana, "due")
	if len(due.Sections) != 1 || due.Sections[0].Title != "Bob Lee" {
		t.Fatalf("due = %+v", due)
	}
	contains(t, due, "the deck (was due", "Keep your promise")
	contains(t, h.ok(ana, "done Bob"), "Kept your promise", "the deck")
	card := h.ok(ana, "show bob")
	contains(t, card, "Bob Lee", "promise kept", "+1 (you gave 1, got 0)")
	contains(t, h.ok(ana, "list"), "Jane Doe (Acme)", "Bob Lee", "Zoë Ångström (Lund University)")
}

func TestFirstUse(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	// Slack gives a zone: no note, the zone is kept.
	m := h.bot.Command(ctx, bot.Request{Owner: user("ana"), Text: "help", TimeZone: "Europe/Berlin", Name: "Ana"})
	if strings.Contains(m.Text, "UTC") {
		t.Errorf("a user with a zone was told about UTC: %q", m.Text)
	}
	// Discord gives none: UTC, said once.
	dis := reminders.Owner{Platform: reminders.PlatformDiscord, User: "42"}
	first := h.bot.Command(ctx, bot.Request{Owner: dis, Text: "add Jane"})
	second := h.bot.Command(ctx, bot.Request{Owner: dis, Text: "show Jane"})
	if !strings.Contains(first.Text, "UTC") || strings.Contains(second.Text, "UTC") {
		t.Errorf("UTC note: first %q, second %q", first.Text, second.Text)
	}
	var s reminders.Settings
	_ = h.store.View(ctx, user("ana").ID(), func(tx reminders.OwnerTx) error { s, _ = tx.Settings(); return nil })
	if s.TimeZone != "Europe/Berlin" || s.Name != "Ana" || !s.Created.Equal(h.clock()) {
		t.Errorf("first use recorded %+v", s)
	}
	if len(h.sched.digests) != 2 {
		t.Errorf("default digest scheduled %d times for two new owners", len(h.sched.digests))
	}
	members, _ := h.store.Members(ctx, team)
	h.do(user("ana"), "help")
	if members2, _ := h.store.Members(ctx, team); len(members) != 0 || len(members2) != 1 {
		t.Errorf("members before %v, after %v", members, members2)
	}
}

func TestSameKeyTwice(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe")
	ctx := context.Background()
	r := bot.Request{Owner: ana, Team: team, Text: "met Jane : coffee", Key: "retry-1"}
	first := h.bot.Command(ctx, r)
	second := h.bot.Command(ctx, r)
	if first.Error || !strings.Contains(second.Text, "Already done") {
		t.Fatalf("first %q, second %q", first.Text, second.Text)
	}
	if _, hist := h.contact(ana, "Jane Doe"); len(hist) != 1 {
		t.Errorf("history has %d entries after a retried delivery", len(hist))
	}
	r.Text, r.Key = "add Bob", "retry-2"
	h.bot.Command(ctx, r)
	if m := h.bot.Command(ctx, r); !strings.Contains(m.Text, "Already done") {
		t.Errorf("second add said %q", m.Text)
	}
}

func TestUndo(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe at Acme")
	h.ok(ana, "met Jane yesterday : coffee")
	before := h.snapshot(ana)
	contains(t, h.ok(ana, "remove Jane"), "Removed *Jane Doe*")
	if m := h.do(ana, "show Jane"); !m.Error {
		t.Fatalf("Jane still there: %q", m.Text)
	}
	contains(t, h.ok(ana, "undo"), "remove Jane")
	if after := h.snapshot(ana); after != before {
		t.Errorf("undo did not restore Jane:\nbefore %s\nafter  %s", before, after)
	}
	if m := h.do(ana, "undo"); !m.Error || !strings.Contains(m.Text, "nothing to undo") {
		t.Errorf("second undo said %q", m.Text)
	}
	h.ok(ana, "every Jane 2w")
	h.advance(16 * time.Minute)
	if m := h.do(ana, "undo"); !m.Error || !strings.Contains(m.Text, "15 minutes") {
		t.Errorf("late undo said %q", m.Text)
	}
}

// TestBadInputChangesNothing runs mistakes and checks each gets one clear
// sentence, no internal error, and no change.
func TestBadInputChangesNothing(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe")
	h.ok(ana, "add Jane Roe")
	h.ok(ana, "promise Jane Doe the deck")
	h.ok(ana, "promise Jane Doe a call")
	before := h.snapshot(ana)
	for _, in := range []string{
		"frobnicate", "add", "add Jane Doe", "met Jane", "met Smith yesterday", "met Jane Doe tomorrow",
		"met \"Jane Doe", "gave Jane Doe", "snooze Jane Doe", "snooze Jane Doe until yesterday",
		"every Jane Doe sometimes", "edit Jane Doe email nope", "edit Jane Doe name Jane Roe", "untag Jane Doe #nope",
		"settings max 99", "settings tz Mars/Base", "done Jane Doe", "remove", "list foo",
		"team summary here", "who-knows", "import", "export pdf", "help nope", "digest now", "add " + strings.Repeat("x", 300),
	} {
		m := h.do(ana, in)
		if !m.Error || m.Text == "" || strings.Contains(m.Text, "internal error") || strings.Count(m.Text, "\n") > 0 {
			t.Errorf("%q replied %q (error %v)", in, m.Text, m.Error)
		}
	}
	if after := h.snapshot(ana); after != before {
		t.Errorf("bad input changed data:\nbefore %s\nafter  %s", before, after)
	}
	if h.logs.Len() != 0 {
		t.Errorf("bad input logged internal errors: %s", h.logs)
	}
}

func TestDatesInOwnerZone(t *testing.T) {
	h := newHarness(t)
	h.now = time.Date(2026, 11, 18, 3, 0, 0, 0, time.UTC) // Tue Nov 17, 22:00 in New York
	ana := user("ana")                                    // New York, from the Slack profile
	h.ok(ana, "add Jane")
	h.ok(ana, "met Jane yesterday")
	h.ok(ana, "gave Jane a book monday")
	_, hist := h.contact(ana, "Jane")
	ny := newYork(t)
	if len(hist) != 2 || hist[1].At.In(ny).Format("2006-01-02") != "2026-11-16" || hist[0].At.In(ny).Format("2006-01-02") != "2026-11-16" {
		t.Errorf("history %+v; want both on Mon Nov 16 in New York", hist)
	}
	h.ok(ana, "settings tz Asia/Tokyo") // Wed Nov 18, 12:00 in Tokyo
	h.ok(ana, "met Jane yesterday")
	_, hist = h.contact(ana, "Jane")
	if got := hist[0].At.In(time.UTC).Format("2006-01-02"); got != "2026-11-17" {
		t.Errorf("yesterday in Tokyo logged on %s", got)
	}
}

func TestDoneLogsGave(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane")
	h.ok(ana, "promise Jane send the deck by friday")
	h.ok(ana, "done Jane")
	c, hist := h.contact(ana, "Jane")
	var ps []reminders.Promise
	_ = h.store.View(context.Background(), ana.ID(), func(tx reminders.OwnerTx) error { ps, _ = tx.Promises(0); return nil })
	if len(ps) != 1 || ps[0].Open() || len(hist) != 1 || hist[0].Kind != reminders.Gave || hist[0].PromiseID != ps[0].ID || c.Given != 1 {
		t.Errorf("promise %+v, history %+v, contact %+v", ps, hist, c)
	}
	if m := h.do(ana, "done Jane"); !m.Error || !strings.Contains(m.Text, "no open promise") {
		t.Errorf("second done said %q", m.Text)
	}
}

func TestContactCommands(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add <@U9|jane> Jane Doe")
	h.ok(ana, "tag <@U9> #investor #berlin")
	h.ok(ana, "untag Jane #berlin")
	h.ok(ana, "edit Jane company Globex Corp")
	h.ok(ana, "edit Jane email jane@example.com")
	h.ok(ana, "every Jane quarterly")
	h.ok(ana, "snooze Jane until 2026-12-01")
	h.ok(ana, "note Jane moving to Berlin")
	contains(t, h.ok(ana, "edit Jane name Jane Smith"), "Renamed *Jane Doe* to *Jane Smith*")
	c, hist := h.contact(ana, "jane smith")
	if c.Mention != "U9" || c.Company != "Globex Corp" || c.Email != "jane@example.com" || len(c.Tags) != 1 || c.Cadence.N != 3 ||
		c.Snoozed.In(newYork(t)).Format("2006-01-02 15:04") != "2026-12-01 00:00" || len(hist) != 1 || hist[0].Kind != reminders.Note || !c.LastContact.IsZero() {
		t.Errorf("contact %+v history %+v", c, hist)
	}
	contains(t, h.ok(ana, "show Smith"), "Globex Corp", "#investor", "quarterly", "due in 3 months", "moving to Berlin", "<@U9>")
	h.ok(ana, "add Bob")
	h.advance(31 * 24 * time.Hour)
	h.ok(ana, "snooze Bob 1w")
	contains(t, h.ok(ana, "show Bob"), "snoozed until")
	contains(t, h.ok(ana, "due"), "Nobody is due")
	contains(t, h.ok(ana, "list #investor"), "Jane Smith")
	contains(t, h.ok(ana, "list #nobody"), "nobody")
	h.ok(ana, "every Jane never")
	contains(t, h.ok(ana, "show Jane"), "never nudged")
}

func TestSettings(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	contains(t, h.ok(ana, "settings"), "America/New_York", "weekdays 09:00", "30 days", "Max per digest: 5", "Share: off")
	n := len(h.sched.digests)
	contains(t, h.ok(ana, "settings digest mondays 08:30 max 10 share on cadence 6w"), "mondays 08:30", "every 6 weeks", "Max per digest: 10", "Share: on")
	if len(h.sched.digests) != n+1 || h.sched.digests[n].Digest != "mondays 08:30" {
		t.Errorf("digest not rescheduled: %+v", h.sched.digests)
	}
	h.ok(ana, "settings max 3")
	if len(h.sched.digests) != n+1 {
		t.Errorf("a change that does not touch the digest's schedule rescheduled it")
	}
	h.ok(ana, "settings digest off")
	if !h.sched.digests[len(h.sched.digests)-1].DigestOff {
		t.Errorf("digest off not scheduled")
	}
	h.ok(ana, "undo")
	if h.sched.digests[len(h.sched.digests)-1].DigestOff {
		t.Errorf("undoing digest off did not reschedule")
	}
}

func TestHelp(t *testing.T) {
	h := newHarness(t)
	all := h.ok(user("ana"), "help")
	for _, hp := range lang.Verbs() {
		hp = hp.On(h.clock(), newYork(t))
		if len(hp.Examples) == 0 {
			t.Errorf("%s has no example", hp.Name)
		}
		contains(t, all, hp.Usage)
		one := h.ok(user("ana"), "help "+hp.Name)
		for _, e := range hp.Examples {
			contains(t, one, "/kith "+e)
		}
	}
	for _, verb := range []string{"help", "add", "met", "gave", "got", "note", "promise", "done", "show", "list", "due", "snooze", "every",
		"edit", "tag", "untag", "remove", "undo", "settings", "digest", "team", "who-knows", "import", "export", "forget-me"} {
		if m := h.do(user("ana"), "help "+verb); m.Error {
			t.Errorf("help %s: %s", verb, m.Text)
		}
	}
}

// TestEveryVerbRuns runs every example of the verb table: each verb has a
// handler, so none of them ends in an internal error.
func TestEveryVerbRuns(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	for _, add := range []string{"add Jane Doe", "add Bob Lee", "add Ana Lima", "promise Jane send the deck by friday",
		"promise Bob an intro to Ana by Dec 1", "promise Jane deck v2"} {
		h.ok(ana, add)
	}
	for _, v := range lang.Verbs() {
		for _, e := range v.On(h.clock(), newYork(t)).Examples {
			if m := h.do(ana, e); m.Code == reminders.EINTERNAL || m.Verb != v.Name {
				t.Errorf("%s: verb %q, code %q: %s", e, m.Verb, m.Code, m.Text)
			}
		}
	}
}
