package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
)

// digestFor delivers who's digest through the bot and returns what was sent.
func (h *harness) digestFor(who reminders.Owner) bot.Message {
	h.t.Helper()
	d, err := reminders.BuildDigest(context.Background(), h.store, who.ID(), h.clock())
	if err != nil {
		h.t.Fatal(err)
	}
	d.Slot = h.clock().Truncate(time.Hour)
	n := len(h.sent.dms)
	if err := h.bot.DeliverDigest(context.Background(), d); err != nil {
		h.t.Fatal(err)
	}
	if len(h.sent.dms) != n+1 {
		h.t.Fatalf("digest not sent (%d DMs)", len(h.sent.dms))
	}
	return h.sent.dms[n].msg
}

// button finds a button of the section titled title.
func button(t *testing.T, m bot.Message, title, action string) bot.Button {
	t.Helper()
	for _, s := range m.Sections {
		if s.Title != title {
			continue
		}
		for _, b := range s.Buttons {
			if b.Action == action {
				return b
			}
		}
	}
	t.Fatalf("no %s button for %s in %+v", action, title, m)
	return bot.Button{}
}

func (h *harness) click(who reminders.Owner, b bot.Button) bot.Message {
	h.keys++
	return h.bot.Act(context.Background(), bot.Action{Owner: who, Team: team, ID: b.Action, Value: b.Value, Key: fmt.Sprintf("click%d", h.keys)})
}

func TestButtonsActOnce(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe at Acme")
	h.ok(ana, "add Bob Lee")
	h.ok(ana, "add Ana Lima")
	h.advance(31 * 24 * time.Hour)
	digest := h.digestFor(ana)
	if len(digest.Sections) != 3 {
		t.Fatalf("digest %+v", digest)
	}
	for _, s := range digest.Sections {
		if len(s.Buttons) != 4 {
			t.Errorf("%s has buttons %+v", s.Title, s.Buttons)
		}
		for _, b := range s.Buttons {
			if len(b.Value) > 100 {
				t.Errorf("button value %q longer than 100 bytes", b.Value)
			}
		}
	}

	met := button(t, digest, "Jane Doe (Acme)", bot.ActMet)
	m := h.click(ana, met)
	if !m.Replace || m.Error || !strings.Contains(m.Text, "Done: met Jane Doe") {
		t.Fatalf("Met click replied %+v", m)
	}
	if strings.Contains(sectionTitles(m), "Jane Doe") || !strings.Contains(sectionTitles(m), "Bob Lee") {
		t.Errorf("after Met the digest shows %q", sectionTitles(m))
	}
	again := h.click(ana, met) // a second click, as a new request
	if !again.Replace || !strings.Contains(again.Text, "Already done") || !strings.Contains(again.Text, "(met Jane Doe)") {
		t.Errorf("second Met click replied %q", again.Text)
	}
	if m.Code != "" || again.Code != reminders.EDUPLICATE {
		t.Errorf("clicks coded %q then %q, want \"\" then %q for metrics", m.Code, again.Code, reminders.EDUPLICATE)
	}
	if _, hist := h.contact(ana, "Jane Doe"); len(hist) != 1 || hist[0].Kind != reminders.Met {
		t.Errorf("two Met clicks logged %+v", hist)
	}

	snooze := button(t, digest, "Bob Lee", bot.ActSnooze)
	h.click(ana, snooze)
	h.click(ana, snooze)
	if bob, _ := h.contact(ana, "Bob Lee"); !bob.Snoozed.Equal(h.clock().AddDate(0, 0, 7)) {
		t.Errorf("Bob snoozed until %s", bob.Snoozed)
	}

	less := button(t, digest, "Ana Lima", bot.ActLess)
	contains(t, h.click(ana, less), "Done: less often: Ana Lima", "every 60 days")
	contains(t, h.click(ana, less), "Already done")
	if c, _ := h.contact(ana, "Ana Lima"); c.Cadence != (reminders.Cadence{N: 60, Unit: reminders.Days}) {
		t.Errorf("Less often twice gave cadence %+v", c.Cadence)
	}

	show := h.click(ana, button(t, digest, "Ana Lima", bot.ActShow))
	if show.Replace || !strings.Contains(show.Text, "Ana Lima") || !strings.Contains(show.Text, "every 60 days") {
		t.Errorf("Show replied %+v", show)
	}

	// A new digest has new buttons, which act again.
	h.advance(40 * 24 * time.Hour)
	next := h.digestFor(ana)
	h.click(ana, button(t, next, "Jane Doe (Acme)", bot.ActMet))
	if _, hist := h.contact(ana, "Jane Doe"); len(hist) != 2 {
		t.Errorf("the next digest's Met logged nothing: %+v", hist)
	}
	// The click goes through undo like a typed command.
	contains(t, h.ok(ana, "undo"), "met Jane Doe")
}

func sectionTitles(m bot.Message) string {
	var out []string
	for _, s := range m.Sections {
		out = append(out, s.Title)
	}
	return strings.Join(out, "|")
}

// TestIsolation checks that owner B cannot see or touch A's contacts through
// any command or button value.
func TestIsolation(t *testing.T) {
	h := newHarness(t)
	a, b := user("ana"), user("ben")
	h.ok(a, "add Quentin Quux at Zyxcorp #investor : secret note")
	h.ok(a, "met Quentin yesterday : private coffee")
	h.ok(a, "promise Quentin the deck")
	h.ok(b, "help")
	h.advance(31 * 24 * time.Hour)
	before := h.snapshot(a)

	for _, in := range []string{"show Quentin", "met Quentin", "gave Quentin a book", "remove Quentin Quux", "done Quentin", "snooze Quentin 2w",
		"every Quentin never", "edit Quentin company X", "tag Quentin #x", "note Quentin hi", "promise Quentin x", "met Quentin, Quux"} {
		if m := h.do(b, in); !m.Error || !strings.Contains(m.Text, "no contact") {
			t.Errorf("B's %q replied %q", in, m.Text)
		}
	}
	for _, in := range []string{"list", "due", "list all", "list #investor", "export", "undo"} {
		m := h.do(b, in)
		for _, f := range m.Files {
			m.Text += string(f.Data)
		}
		for _, secret := range []string{"Quentin", "Quux", "Zyxcorp", "secret", "private", "deck"} {
			if strings.Contains(m.Text, secret) {
				t.Errorf("B's %q shows %q: %q", in, secret, m.Text)
			}
		}
	}
	if names := h.bot.Complete(context.Background(), b, "qu"); len(names) != 0 {
		t.Errorf("B's completion shows %q", names)
	}
	if home := h.bot.Home(context.Background(), b); strings.Contains(home.Text, "Quentin") {
		t.Errorf("B's home shows Jane: %q", home.Text)
	}

	// A's buttons clicked by B are refused.
	digest := h.digestFor(a)
	for _, act := range []string{bot.ActMet, bot.ActSnooze, bot.ActLess, bot.ActShow} {
		m := h.click(b, button(t, digest, "Quentin Quux (Zyxcorp)", act))
		if !m.Error || strings.Contains(m.Text, "Quentin") || strings.Contains(m.Text, "secret") {
			t.Errorf("B clicking A's %s got %q", act, m.Text)
		}
	}
	// A value forged with B's own tag reaches only B's data, where that id is no one.
	bv := button(t, digest, "Quentin Quux (Zyxcorp)", bot.ActMet).Value
	parts := strings.Split(bv, ":")
	other := reminders.Owner{Platform: reminders.PlatformSlack, Team: "T1", User: "ben"}
	h.ok(b, "add Zed")
	h.advance(31 * 24 * time.Hour)
	bd := h.digestFor(other)
	btag := strings.Split(bd.Sections[0].Buttons[0].Value, ":")[2]
	forged := bot.Button{Action: bot.ActMet, Value: parts[0] + ":" + parts[1] + ":" + btag}
	m := h.click(b, forged)
	if strings.Contains(m.Text, "Quentin") {
		t.Errorf("forged value reached A's Quentin: %q", m.Text)
	}
	// Garbage values are refused cleanly.
	for _, v := range []string{"", "x", "1:2", "a:b:c", strings.Repeat("9", 200), "1:2:3:4"} {
		if m := h.bot.Act(context.Background(), bot.Action{Owner: b, ID: bot.ActMet, Value: v}); !m.Error || strings.Contains(m.Text, "internal") {
			t.Errorf("value %q replied %q", v, m.Text)
		}
	}
	if after := h.snapshot(a); after != before {
		t.Errorf("B changed A's data:\nbefore %s\nafter  %s", before, after)
	}
	// forget-me by B leaves A alone.
	fm := h.ok(b, "forget-me")
	if m := h.click(a, fm.Sections[0].Buttons[0]); !m.Error {
		t.Errorf("A confirmed B's forget-me: %q", m.Text)
	}
	contains(t, h.click(b, fm.Sections[0].Buttons[0]), "Deleted all your kith data")
	if after := h.snapshot(a); after != before {
		t.Errorf("B's forget-me changed A's data")
	}
}

func TestForgetMe(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane")
	m := h.ok(ana, "forget-me")
	if len(m.Sections) != 1 || len(m.Sections[0].Buttons) != 2 || m.Sections[0].Buttons[0].Style != "danger" {
		t.Fatalf("forget-me replied %+v", m)
	}
	contains(t, h.click(ana, m.Sections[0].Buttons[1]), "Nothing was deleted")
	h.contact(ana, "Jane")
	h.advance(2 * time.Hour)
	if r := h.click(ana, m.Sections[0].Buttons[0]); !r.Error || !strings.Contains(r.Text, "expired") {
		t.Errorf("an old confirmation replied %q", r.Text)
	}
	m = h.ok(ana, "forget-me")
	r := h.click(ana, m.Sections[0].Buttons[0])
	if !r.Replace || !strings.Contains(r.Text, "Deleted") {
		t.Errorf("confirmation replied %+v", r)
	}
	owners, _ := h.store.Owners(context.Background())
	for _, o := range owners {
		if o == ana.ID() {
			t.Errorf("ana's data is still there")
		}
	}
}

func TestDigestOrderAndMax(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	for i := 1; i <= 7; i++ {
		h.ok(ana, fmt.Sprintf("add Person %d", i))
		h.advance(24 * time.Hour) // Person 1 is the most overdue
	}
	h.ok(ana, "promise Person 6 the deck by friday")
	h.ok(ana, "every Person 7 never")
	h.advance(40 * 24 * time.Hour)
	h.ok(ana, "add Notdue")
	m := h.digestFor(ana)
	want := "Person 6|Person 1|Person 2|Person 3|Person 4"
	if got := sectionTitles(m); got != want {
		t.Errorf("digest order %q, want %q", got, want)
	}
	contains(t, m, "Time to reach out: 6 people", "and 1 more;", "Keep your promise: the deck (was due", "Give first:", "Balance: no favours yet")
	if m.Footer == "" || m.Text == "" {
		t.Errorf("digest lacks footer or fallback text: %+v", m)
	}
	h.ok(ana, "settings max 2")
	if got := sectionTitles(h.ok(ana, "due")); got != "Person 6|Person 1" {
		t.Errorf("max 2 gives %q", got)
	}
	// The digest command sends the same to the DMs.
	n := len(h.sent.dms)
	contains(t, h.ok(ana, "digest"), "Sent your digest")
	if len(h.sent.dms) != n+1 || sectionTitles(h.sent.dms[n].msg) != "Person 6|Person 1" {
		t.Errorf("digest command sent %+v", h.sent.dms[n:])
	}
	// Nothing due: nothing sent, and the reply says so.
	zed := user("zed")
	h.ok(zed, "add Jane")
	contains(t, h.ok(zed, "digest"), "Nobody is due", "Jane")
	if len(h.sent.dms) != n+1 {
		t.Errorf("an empty digest was sent")
	}
	if err := h.bot.DeliverDigest(context.Background(), reminders.Digest{Owner: zed.ID()}); err != nil || len(h.sent.dms) != n+1 {
		t.Errorf("delivering an empty digest: %v", err)
	}
}

func TestDigestEntryContent(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe at Acme")
	h.ok(ana, "met Jane : coffee at the conference")
	h.ok(ana, "got Jane an intro to Globex")
	h.advance(45 * 24 * time.Hour)
	m := h.digestFor(ana)
	contains(t, m, "Jane Doe (Acme)", "they gave you 6 weeks ago", "an intro to Globex", "-1 (you gave 0, got 1)", "Give first: They gave you an intro to Globex")
}

func TestTeamSummary(t *testing.T) {
	h := newHarness(t)
	a, b, c := user("ana"), user("ben"), user("cy")
	h.ok(a, "add Jane Doe at Acme : secret note")
	h.ok(a, "gave Jane Doe intro to Globex")
	h.ok(a, "settings share on")
	h.ok(b, "add Bob Lee at Initech")
	h.ok(b, "met Bob : lunch")
	h.ok(b, "promise Bob the deck")
	h.ok(b, "done Bob")
	h.ok(c, "help")

	if m := h.do(a, "team summary here"); !m.Error || !strings.Contains(m.Text, "admin") {
		t.Errorf("a non-admin's team summary here replied %q", m.Text)
	}
	ctx := context.Background()
	admin := bot.Request{Owner: c, Team: team, Channel: "C42", Admin: true, Text: "team summary here fridays 16:00", Key: "t1"}
	contains(t, h.bot.Command(ctx, admin), "this channel on fridays at 16:00")
	st, err := h.store.Team(ctx, team)
	if err != nil || st.Channel != "C42" || st.Schedule != "fridays 16:00" || len(h.sched.summaries) != 1 || h.sched.summaries[0].Channel != "C42" {
		t.Fatalf("team stored %+v (%v), scheduled %+v", st, err, h.sched.summaries)
	}
	admin.Text, admin.Key = "team summary now", "t2"
	contains(t, h.bot.Command(ctx, admin), "Posted")
	if len(h.sent.posts) != 1 || h.sent.posts[0].channel != "C42" {
		t.Fatalf("posts %+v", h.sent.posts)
	}
	post := h.sent.posts[0].msg
	if !post.Public {
		t.Errorf("summary is not public")
	}
	contains(t, post, "Meetings logged: 1", "Favours given: 2", "Promises kept: 1", "Active members: 2 of 3", "1. Ana (1 favour)")
	for _, secret := range []string{"Jane", "Bob", "Acme", "Initech", "Globex", "secret", "lunch", "deck", "Ben"} {
		if strings.Contains(post.Text, secret) {
			t.Errorf("summary names %q: %q", secret, post.Text)
		}
	}
	if again := h.bot.Command(ctx, admin); !strings.Contains(again.Text, "Already done") || len(h.sent.posts) != 1 {
		t.Errorf("a retried team summary now posted again: %q", again.Text)
	}
	admin.Text, admin.Key = "team summary off", "t3"
	h.bot.Command(ctx, admin)
	if st, _ := h.store.Team(ctx, team); st.Channel != "" || h.sched.summaries[len(h.sched.summaries)-1].Channel != "" {
		t.Errorf("summary still on: %+v", st)
	}
	// The scheduler's path composes the same message.
	sum, err := reminders.BuildSummary(ctx, h.store, reminders.Team{ID: team, Channel: "C42"}, h.clock().Add(-time.Hour), h.clock().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.bot.DeliverSummary(ctx, sum); err != nil || len(h.sent.posts) != 2 || strings.Contains(h.sent.posts[1].msg.Text, "Jane") {
		t.Errorf("DeliverSummary: %v, %+v", err, h.sent.posts)
	}
}

func TestWhoKnows(t *testing.T) {
	h := newHarness(t)
	a, b, c := user("ana"), user("ben"), user("cy")
	h.ok(a, "add Jane Doe at Acme Corp #investor")
	h.ok(a, "settings share on")
	h.ok(b, "add Bob at Acme")
	h.ok(c, "add Cy Friend at Acme #investor")
	h.ok(c, "settings share on")

	m := h.ok(c, "who-knows acme")
	contains(t, m, "Ana")
	for _, no := range []string{"Ben", "Cy", "Jane", "Bob"} { // ben does not share, cy asked
		if strings.Contains(m.Text, no) {
			t.Errorf("who-knows names %q: %q", no, m.Text)
		}
	}
	contains(t, h.ok(b, "who-knows #investor"), "Ana and Cy")
	contains(t, h.ok(a, "who-knows Globex"), "None of your teammates")
	dm := h.bot.Command(context.Background(), bot.Request{Owner: a, Text: "who-knows Acme"})
	if !dm.Error {
		t.Errorf("who-knows outside a team replied %q", dm.Text)
	}
}

func TestImportExport(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe at Acme")
	csv := "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" +
		"Jane,Doe,https://www.linkedin.com/in/janedoe,,Acme,CTO,01 Mar 2024\n" +
		"Bob,Lee,https://www.linkedin.com/in/boblee,,Initech,Engineer,15 Jan 2025\n"
	ctx := context.Background()
	r := bot.Request{Owner: ana, Text: "import", Key: "i1", File: &bot.File{Name: "Connections.csv", Type: "text/csv", Data: []byte(csv)}}
	contains(t, h.bot.Command(ctx, r), "1 added", "1 merged", "0 skipped")
	h.contact(ana, "Bob Lee")
	contains(t, h.bot.Command(ctx, r), "Already done") // the same delivery again
	r.Key = "i2"
	// The same file, sent again on purpose: nothing is counted as merged.
	contains(t, h.bot.Command(ctx, r), "0 added, 0 merged, 0 skipped; 2 were already up to date.")
	r.Key, r.File = "i3", &bot.File{Name: "Connections.csv", Data: []byte(csv[:strings.Index(csv, "Bob")])}
	contains(t, h.bot.Command(ctx, r), "0 added, 0 merged, 0 skipped; 1 was already up to date.")
	r.File = &bot.File{Name: "x.png", Data: []byte("\x89PNG not a csv")}
	if m := h.bot.Command(ctx, r); !m.Error || strings.Contains(m.Text, "internal") {
		t.Errorf("bad import replied %q", m.Text)
	}
	exp := h.ok(ana, "export")
	if len(exp.Files) != 2 || !strings.Contains(string(exp.Files[0].Data), "Bob") || !strings.HasSuffix(exp.Files[1].Name, ".json") {
		t.Errorf("export gave %+v", exp.Files)
	}
	if v := h.ok(ana, "export vcard"); len(v.Files) != 1 || !strings.Contains(string(v.Files[0].Data), "BEGIN:VCARD") {
		t.Errorf("export vcard gave %+v", v.Files)
	}
}

func TestComplete(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	for _, n := range []string{"Jane Doe", "Jane Roe", "Bob Janeway", "Zoë Ångström"} {
		h.ok(ana, "add "+n)
	}
	for i := 0; i < 30; i++ {
		h.ok(ana, fmt.Sprintf("add Many %02d", i))
	}
	ctx := context.Background()
	tests := []struct {
		typed string
		want  string
	}{
		{"ja", "Jane Doe|Jane Roe|Bob Janeway"},
		{"JANE R", "Jane Roe"},
		{"zoe", "Zoë Ångström"},
		{"ång", "Zoë Ångström"},
		{"x", ""},
	}
	for _, tt := range tests {
		if got := strings.Join(h.bot.Complete(ctx, ana, tt.typed), "|"); got != tt.want {
			t.Errorf("Complete(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
	if n := len(h.bot.Complete(ctx, ana, "")); n != bot.MaxCompletions {
		t.Errorf("Complete(\"\") gave %d names", n)
	}
}

func TestHome(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	ctx := context.Background()
	contains(t, h.bot.Home(ctx, ana), "No contacts yet")
	h.ok(ana, "add Jane Doe")
	h.ok(ana, "add Bob")
	h.ok(ana, "met Jane : coffee")
	h.ok(ana, "promise Bob the deck by friday")
	h.advance(31 * 24 * time.Hour)
	m := h.bot.Home(ctx, ana)
	if sectionTitles(m) != "|Due now|Open promises|Recent activity" {
		t.Errorf("home sections %q", sectionTitles(m))
	}
	if bs := m.Sections[0].Buttons; len(bs) != 2 || bs[0].Action != bot.ActOpenModal || bs[0].Value != bot.ModalAddContact || bs[1].Value != bot.ModalLogMeeting {
		t.Errorf("home buttons %+v, want the two modals", bs)
	}
	contains(t, m, "Bob", "the deck (was due", "Jane Doe · ", "coffee")

	// Past ten, Due now points to due, which lists every one of them; list
	// due would leave out the late promise and any near date.
	for _, name := range []string{"Cy", "Di", "Ed", "Flo", "Gus", "Hal", "Ida", "Jo", "Kai", "Lu"} {
		h.ok(ana, "add "+name)
	}
	h.advance(31 * 24 * time.Hour)
	contains(t, h.bot.Home(ctx, ana), "…and 2 more contacts; /kith due lists them all.")
}
