package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
)

// submit submits a modal as who with the given key and values.
func (h *harness) submit(who reminders.Owner, kind, state, key string, values map[string]string) bot.Submitted {
	h.t.Helper()
	return h.bot.Submit(context.Background(), bot.Submission{Owner: who, Team: team, Kind: kind, State: state, Key: key, Values: values, TimeZone: "America/New_York"})
}

// input returns the modal's input of that id.
func input(t *testing.T, m bot.Modal, id string) bot.Input {
	t.Helper()
	for _, in := range m.Inputs {
		if in.ID == id {
			return in
		}
	}
	t.Fatalf("modal %s has no input %s: %+v", m.Kind, id, m.Inputs)
	return bot.Input{}
}

// Both modals fit every platform: Slack's title length, Discord's five
// inputs and label length.
func TestModalsFitEveryPlatform(t *testing.T) {
	h := newHarness(t)
	for _, kind := range []string{bot.ModalAddContact, bot.ModalLogMeeting} {
		m, err := h.bot.Modal(context.Background(), user("ana"), kind, bot.Prefill{Name: "Jane Doe", Mention: "U7", Note: strings.Repeat("é", 3000)})
		if err != nil {
			t.Fatal(err)
		}
		if m.Kind != kind || len(m.Title) > bot.MaxModalTitle || len(m.Inputs) > bot.MaxModalInputs || len(m.State) > bot.MaxModalState {
			t.Errorf("%s: kind %q, title %q, %d inputs, state %q", kind, m.Kind, m.Title, len(m.Inputs), m.State)
		}
		for _, in := range m.Inputs {
			if len(in.Label) > bot.MaxInputLabel || len(in.Placeholder) > 100 || (in.MaxLen > 0 && len(in.Value) > in.MaxLen) {
				t.Errorf("%s: input %s does not fit: label %q, placeholder %q, %d bytes of value", kind, in.ID, in.Label, in.Placeholder, len(in.Value))
			}
		}
	}
	if _, err := h.bot.Modal(context.Background(), user("ana"), "nope", bot.Prefill{}); reminders.ErrorCode(err) != reminders.EINVALID {
		t.Errorf("an unknown modal: %v", err)
	}
}

func TestAddContactModal(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	m, err := h.bot.Modal(context.Background(), ana, bot.ModalAddContact, bot.Prefill{})
	if err != nil {
		t.Fatal(err)
	}
	if in := input(t, m, bot.InputEvery); !strings.Contains(in.Placeholder, "30 days") {
		t.Errorf("the cadence input does not show the default: %q", in.Placeholder)
	}
	got := h.submit(ana, bot.ModalAddContact, m.State, "v1", map[string]string{
		bot.InputName: "  Jane   Doe ", bot.InputCompany: "Software as a Service Inc", bot.InputEvery: "2w",
		bot.InputTags: "#investor, berlin", bot.InputNote: "met at GopherCon",
	})
	if got.Errors != nil || got.Reply.Error || !strings.Contains(got.Reply.Text, "Added *Jane Doe*") {
		t.Fatalf("submit: %+v", got)
	}
	c, _ := h.contact(ana, "Jane Doe")
	if c.Company != "Software as a Service Inc" || c.Cadence.String() != "biweekly" || strings.Join(c.Tags, " ") != "investor berlin" || c.Note != "met at GopherCon" {
		t.Errorf("stored %+v", c)
	}
	if m := h.ok(ana, "undo"); !strings.Contains(m.Text, "add Jane Doe") {
		t.Errorf("undo after a modal: %q", m.Text)
	}
}

// Each wrong input gets its own sentence and nothing is stored; a retried
// submission is stored once.
func TestAddContactModalErrorsAndDuplicates(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe")
	before := h.snapshot(ana)
	got := h.submit(ana, bot.ModalAddContact, "", "v1", map[string]string{
		bot.InputName: "Bob", bot.InputEvery: "sometimes", bot.InputTags: "#in vest!or", bot.InputNote: strings.Repeat("x", 2001),
	})
	for _, id := range []string{bot.InputEvery, bot.InputTags, bot.InputNote} {
		if got.Errors[id] == "" {
			t.Errorf("no error for %s: %+v", id, got.Errors)
		}
	}
	if got.Errors[bot.InputName] != "" || len(got.Errors) != 3 {
		t.Errorf("errors %+v, want exactly every, tags and note", got.Errors)
	}
	if !strings.Contains(got.Errors[bot.InputEvery], `"sometimes" is not a cadence`) {
		t.Errorf("cadence error: %q", got.Errors[bot.InputEvery])
	}
	if !got.Reply.Error || !strings.Contains(got.Reply.Text, "Nothing was saved") || !strings.Contains(got.Reply.Text, "*How often to keep in touch*: \"sometimes\" is not a cadence") {
		t.Errorf("the reply for a platform without field errors: %q", got.Reply.Text)
	}
	if h.snapshot(ana) != before {
		t.Error("an invalid submission changed data")
	}

	got = h.submit(ana, bot.ModalAddContact, "", "v2", map[string]string{bot.InputName: "jane doe"})
	if !strings.Contains(got.Errors[bot.InputName], "already have a contact") {
		t.Errorf("a taken name: %+v", got)
	}
	got = h.submit(ana, bot.ModalAddContact, "", "v3", map[string]string{bot.InputName: " "})
	if got.Errors[bot.InputName] == "" {
		t.Errorf("an empty name: %+v", got)
	}
	if h.snapshot(ana) != before {
		t.Error("an invalid submission changed data")
	}

	// The same view fixed and submitted again is accepted; submitted once more, it is not applied twice.
	ok := h.submit(ana, bot.ModalAddContact, "", "v1", map[string]string{bot.InputName: "Bob Lee"})
	if ok.Errors != nil || ok.Reply.Error {
		t.Fatalf("fixed submission: %+v", ok)
	}
	after := h.snapshot(ana)
	dup := h.submit(ana, bot.ModalAddContact, "", "v1", map[string]string{bot.InputName: "Bob Lee"})
	if dup.Errors != nil || !strings.Contains(dup.Reply.Text, "Already done") {
		t.Errorf("duplicate: %+v", dup)
	}
	if h.snapshot(ana) != after {
		t.Error("a duplicate submission changed data")
	}
}

// Log a meeting opened on a message: its author becomes a contact with
// their mention, or is found by it; the message's text is the note.
func TestLogMeetingModalFromMessage(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	m, err := h.bot.Modal(context.Background(), ana, bot.ModalLogMeeting, bot.Prefill{Name: "Jane Doe", Mention: "U7", Note: "great chat about hiring"})
	if err != nil {
		t.Fatal(err)
	}
	if input(t, m, bot.InputNames).Value != "Jane Doe" || input(t, m, bot.InputNote).Value != "great chat about hiring" {
		t.Fatalf("prefill: %+v", m.Inputs)
	}
	got := h.submit(ana, bot.ModalLogMeeting, m.State, "v1", map[string]string{bot.InputNames: "Jane Doe", bot.InputNote: "great chat about hiring, edited"})
	if got.Errors != nil || got.Reply.Error || !strings.Contains(got.Reply.Text, "Added *Jane Doe*") || !strings.Contains(got.Reply.Text, "met *Jane Doe*") {
		t.Fatalf("submit: %+v", got)
	}
	c, hist := h.contact(ana, "Jane Doe")
	if c.Mention != "U7" || len(hist) != 1 || hist[0].Kind != reminders.Met || hist[0].Text != "great chat about hiring, edited" {
		t.Fatalf("stored %+v %+v", c, hist)
	}

	// Renamed since, Jane is still found by her mention, and the form says so.
	h.ok(ana, `edit "Jane Doe" name Jane Roe`)
	m, _ = h.bot.Modal(context.Background(), ana, bot.ModalLogMeeting, bot.Prefill{Name: "Jane Doe", Mention: "U7"})
	if v := input(t, m, bot.InputNames).Value; v != "Jane Roe" {
		t.Fatalf("prefill of a known mention: %q", v)
	}
	got = h.submit(ana, bot.ModalLogMeeting, m.State, "v2", map[string]string{bot.InputNames: "Jane Roe", bot.InputWhen: "yesterday"})
	if got.Errors != nil || strings.Contains(got.Reply.Text, "Added") {
		t.Fatalf("second meeting: %+v", got)
	}
	if _, hist := h.contact(ana, "Jane Roe"); len(hist) != 2 || !hist[1].At.Before(hist[0].At.Add(-20*time.Hour)) {
		t.Errorf("history after yesterday's meeting: %+v", hist)
	}

	// A contact of that name without a mention learns it.
	h.ok(ana, "add Bob Lee")
	m, _ = h.bot.Modal(context.Background(), ana, bot.ModalLogMeeting, bot.Prefill{Name: "Bob Lee", Mention: "U8"})
	if got := h.submit(ana, bot.ModalLogMeeting, m.State, "v3", map[string]string{bot.InputNames: "Bob Lee"}); got.Errors != nil {
		t.Fatalf("Bob: %+v", got)
	}
	if b, _ := h.contact(ana, "Bob Lee"); b.Mention != "U8" {
		t.Errorf("Bob's mention %q, want U8", b.Mention)
	}

	// The author's name replaced by someone else's: the mention is not given to them.
	h.ok(ana, "add Carla Diaz")
	m, _ = h.bot.Modal(context.Background(), ana, bot.ModalLogMeeting, bot.Prefill{Name: "Dan Eve", Mention: "U9"})
	if got := h.submit(ana, bot.ModalLogMeeting, m.State, "v4", map[string]string{bot.InputNames: "Carla"}); got.Errors != nil {
		t.Fatalf("Carla: %+v", got)
	}
	if c, hist := h.contact(ana, "Carla Diaz"); c.Mention != "" || len(hist) != 1 {
		t.Errorf("Carla got mention %q, %d meetings", c.Mention, len(hist))
	}
}

func TestLogMeetingModalErrors(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe")
	h.ok(ana, "add Jane Roe")
	h.ok(ana, "add Robert Lee")
	before := h.snapshot(ana)
	for _, tc := range []struct {
		values map[string]string
		input  string
		says   string
	}{
		{map[string]string{bot.InputNames: "Jane"}, bot.InputNames, "could be Jane Doe or Jane Roe"},
		{map[string]string{bot.InputNames: "Nobody Here"}, bot.InputNames, "no contact called"},
		{map[string]string{bot.InputNames: "Robret Lee"}, bot.InputNames, "did you mean Robert Lee?"},
		{map[string]string{bot.InputNames: " , "}, bot.InputNames, "Say who you met"},
		{map[string]string{bot.InputNames: "Robert", bot.InputWhen: "tomorrow"}, bot.InputWhen, "is in the future"},
		{map[string]string{bot.InputNames: "Robert", bot.InputWhen: "soonish"}, bot.InputWhen, "soonish"},
	} {
		got := h.submit(ana, bot.ModalLogMeeting, "", "bad", tc.values)
		if !strings.Contains(got.Errors[tc.input], tc.says) {
			t.Errorf("%v: errors %+v, want %s to say %q", tc.values, got.Errors, tc.input, tc.says)
		}
	}
	if h.snapshot(ana) != before {
		t.Error("an invalid submission changed data")
	}
	got := h.submit(ana, bot.ModalLogMeeting, "", "good", map[string]string{bot.InputNames: "Jane Doe, Robert, jane doe", bot.InputWhen: "2 days ago", bot.InputNote: "lunch"})
	if got.Errors != nil || !strings.Contains(got.Reply.Text, "met *Jane Doe* and *Robert Lee* 2 days ago") {
		t.Fatalf("two at once: %+v", got)
	}
	again := h.submit(ana, bot.ModalLogMeeting, "", "good", map[string]string{bot.InputNames: "Jane Doe, Robert", bot.InputNote: "lunch"})
	if _, hist := h.contact(ana, "Robert Lee"); len(hist) != 1 || !strings.Contains(again.Reply.Text, "Already done") {
		t.Errorf("duplicate: %d meetings, reply %q", len(hist), again.Reply.Text)
	}
}

// Adding someone under a mention they already have as a contact is refused
// when the form opens and, should it have opened before, when it is submitted.
func TestAddContactModalWithAMentionInUse(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	m, err := h.bot.Modal(context.Background(), ana, bot.ModalAddContact, bot.Prefill{Name: "Jane Doe", Mention: "U7"})
	if err != nil || input(t, m, bot.InputName).Value != "Jane Doe" {
		t.Fatalf("modal %+v, %v", m, err)
	}
	if got := h.submit(ana, bot.ModalAddContact, m.State, "v1", map[string]string{bot.InputName: "Jane Doe"}); got.Errors != nil || got.Reply.Error {
		t.Fatalf("first add: %+v", got)
	}
	if c, _ := h.contact(ana, "Jane Doe"); c.Mention != "U7" {
		t.Fatalf("mention %q, want U7", c.Mention)
	}
	if _, err := h.bot.Modal(context.Background(), ana, bot.ModalAddContact, bot.Prefill{Name: "Jane", Mention: "U7"}); reminders.ErrorCode(err) != reminders.ECONFLICT || !strings.Contains(err.Error(), "Jane Doe is already your contact") {
		t.Errorf("second form opened: %v", err)
	}
	before := h.snapshot(ana)
	if got := h.submit(ana, bot.ModalAddContact, m.State, "v2", map[string]string{bot.InputName: "Jane Doe"}); !strings.Contains(got.Errors[bot.InputName], "already your contact") {
		t.Errorf("second submission: %+v", got)
	}
	if h.snapshot(ana) != before {
		t.Error("a refused submission changed data")
	}
}
