package bot_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

// harness is a Bot over a real bbolt file, with a clock the test moves and
// a Sender and Scheduling that record what they were given.
type harness struct {
	t     *testing.T
	store *bolt.Store
	bot   *bot.Bot
	mu    sync.Mutex
	now   time.Time
	sent  *sender
	sched *scheduling
	keys  int
	logs  *strings.Builder
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	store, err := bolt.Open(filepath.Join(t.TempDir(), "kith.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	h := &harness{t: t, store: store, now: wednesday(t), sent: &sender{}, sched: &scheduling{}, logs: &strings.Builder{}}
	h.bot = bot.New(store, bot.Options{
		Now:        h.clock,
		Logger:     slog.New(slog.NewTextHandler(io.Writer(&lockedWriter{w: h.logs}), nil)),
		Scheduling: h.sched,
	})
	h.bot.Route(reminders.PlatformSlack, h.sent)
	return h
}

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (h *harness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

// advance moves the clock.
func (h *harness) advance(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.now = h.now.Add(d)
}

// user is a Slack user of workspace T1.
func user(name string) reminders.Owner {
	return reminders.Owner{Platform: reminders.PlatformSlack, Team: "T1", User: name}
}

const team = reminders.TeamID("slack:T1")

// do runs a command as who, in New York's zone, with a fresh delivery key.
func (h *harness) do(who reminders.Owner, text string) bot.Message {
	h.t.Helper()
	h.keys++
	return h.bot.Command(context.Background(), bot.Request{Owner: who, Team: team, Text: text, Key: fmt.Sprintf("k%d", h.keys), TimeZone: "America/New_York", Name: strings.ToUpper(who.User[:1]) + who.User[1:], Channel: "C1"})
}

// ok runs a command that must succeed.
func (h *harness) ok(who reminders.Owner, text string) bot.Message {
	h.t.Helper()
	m := h.do(who, text)
	if m.Error {
		h.t.Fatalf("%s: %s", text, m.Text)
	}
	return m
}

// contact reads one of who's contacts by name.
func (h *harness) contact(who reminders.Owner, name string) (reminders.Contact, []reminders.Interaction) {
	h.t.Helper()
	var c reminders.Contact
	var hist []reminders.Interaction
	err := h.store.View(context.Background(), who.ID(), func(tx reminders.OwnerTx) error {
		var err error
		if c, err = tx.ContactByName(name); err != nil {
			return err
		}
		hist, err = tx.History(c.ID, 0)
		return err
	})
	if err != nil {
		h.t.Fatalf("contact %s: %v", name, err)
	}
	return c, hist
}

// snapshot is everything of an owner's, as the JSON export sees it, to check that nothing changed.
func (h *harness) snapshot(who reminders.Owner) string {
	h.t.Helper()
	var b strings.Builder
	err := h.store.View(context.Background(), who.ID(), func(tx reminders.OwnerTx) error {
		s, err := tx.Settings()
		if err != nil {
			return err
		}
		s.DM = "" // a cache the owner's own digests fill, not their data
		fmt.Fprintf(&b, "%+v\n", s)
		cs, err := tx.Contacts()
		if err != nil {
			return err
		}
		for _, c := range cs {
			hist, err := tx.History(c.ID, 0)
			if err != nil {
				return err
			}
			fmt.Fprintf(&b, "%+v %+v\n", c, hist)
		}
		ps, err := tx.Promises(0)
		fmt.Fprintf(&b, "%+v\n", ps)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return b.String()
}

// sender records what the bot sent.
type sender struct {
	mu    sync.Mutex
	dms   []sent
	posts []sent
}

type sent struct {
	to      string
	channel string
	msg     bot.Message
}

func (s *sender) SendDM(_ context.Context, to reminders.Owner, m bot.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dms = append(s.dms, sent{to: string(to.ID()), msg: m})
	return nil
}

func (s *sender) OpenDM(_ context.Context, to reminders.Owner) (string, error) {
	return "D-" + to.User, nil
}

func (s *sender) PostDM(ctx context.Context, to reminders.Owner, _ string, m bot.Message) error {
	return s.SendDM(ctx, to, m)
}

func (s *sender) Posted(context.Context, reminders.TeamID, string, bot.Mark) (bool, error) {
	return false, nil
}

func (s *sender) Post(_ context.Context, t reminders.TeamID, channel string, m bot.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.posts = append(s.posts, sent{to: string(t), channel: channel, msg: m})
	return nil
}

// scheduling records what the bot scheduled.
type scheduling struct {
	mu        sync.Mutex
	digests   []reminders.Settings
	summaries []reminders.Team
}

func (s *scheduling) ScheduleDigest(_ context.Context, _ reminders.OwnerID, set reminders.Settings) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.digests = append(s.digests, set)
	return nil
}

func (s *scheduling) ScheduleSummary(_ context.Context, t reminders.Team) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.summaries = append(s.summaries, t)
	return nil
}

// contains fails the test when the message text lacks any of the parts.
func contains(t *testing.T, m bot.Message, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(m.Text, p) {
			t.Errorf("message %q does not contain %q", m.Text, p)
		}
	}
}

// The scheduler the program wires in is what the bot schedules through.
var _ bot.Scheduling = (*reminders.Scheduler)(nil)

// newYork is the zone the bot's tests run in; US daylight saving time ends
// on 2026-11-01, inside the dates tested.
func newYork(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// wednesday is the tests' "now": Wed 2026-11-18 10:00 in New York.
func wednesday(t testing.TB) time.Time {
	return time.Date(2026, 11, 18, 10, 0, 0, 0, newYork(t))
}
