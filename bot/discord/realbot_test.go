package discord_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// botEnv is the adapter in front of the real bot and a real bbolt store,
// receiving over the gateway or, with http, over the signed route.
func botEnv(t *testing.T, http bool) (*env, *clock) {
	t.Helper()
	clk := &clock{t: now}
	st := openStore(t)
	b := bot.New(st, bot.Options{Now: clk.Now, Command: "/kith"})
	var e *env
	if http {
		e = newRouteWith(t, st, b, nil)
	} else {
		e = setupWith(t, st, b, nil)
		e.run(t)
	}
	b.Route(reminders.PlatformDiscord, e.a)
	return e, clk
}

// say sends i to kith and returns its first response.
func (e *env) say(t *testing.T, i *discordgo.Interaction) response {
	t.Helper()
	if e.route != nil {
		code, body := e.route.post(t, mustJSON(t, i), e.route.priv, now)
		var resp response
		if err := json.Unmarshal(body, &resp); err != nil || code != 200 {
			t.Fatalf("POST /discord/interactions: %d %s", code, body)
		}
		return resp
	}
	e.f.Dispatch(t, i)
	return callback(t, e.f.Await(t, "POST", "interactions/"+i.ID+"/"))
}

// text is everything a response shows, for matching.
func (m msg) text() string {
	var b strings.Builder
	b.WriteString(m.Content)
	for _, e := range m.Embeds {
		b.WriteString("\n" + e.Title + "\n" + e.Description)
		for _, f := range e.Fields {
			b.WriteString("\n" + f.Name + ": " + f.Value)
		}
	}
	return b.String()
}

// history counts Jane's interactions by kind, read straight from the store.
func history(t *testing.T, st reminders.Store, user, name string) map[reminders.Kind]int {
	t.Helper()
	out := map[reminders.Kind]int{}
	err := st.View(context.Background(), discordOwner(user).ID(), func(tx reminders.OwnerTx) error {
		c, err := tx.ContactByName(name)
		if err != nil {
			return err
		}
		hs, err := tx.History(c.ID, 0)
		for _, h := range hs {
			out[h.Kind]++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// contactOf reads one of user's contacts.
func contactOf(t *testing.T, st reminders.Store, user, name string) reminders.Contact {
	t.Helper()
	var c reminders.Contact
	err := st.View(context.Background(), discordOwner(user).ID(), func(tx reminders.OwnerTx) error {
		var err error
		c, err = tx.ContactByName(name)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRealBotRoundTrip(t *testing.T) {
	t.Parallel()
	e, clk := botEnv(t, false)

	resp := e.say(t, inGuild(command("add", str("name", "Jane Doe"), str("company", "Acme")), alice, 0))
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data.Flags != int(discordgo.MessageFlagsEphemeral) ||
		!strings.Contains(resp.Data.text(), "Jane Doe") {
		t.Fatalf("add: %+v", resp)
	}

	// The same interaction delivered twice changes data once.
	gave := inGuild(command("gave", str("name", "jane"), str("what", "intro to Bob")), alice, 0)
	e.say(t, gave)
	e.say(t, gave)
	if h := history(t, e.store, alice, "Jane Doe"); h[reminders.Gave] != 1 {
		t.Fatalf("history after a double delivery: %v", h)
	}

	// Autocomplete offers alice's contacts, and nobody else's.
	ac := command("show", str("name", "ja"))
	ac.Type = discordgo.InteractionApplicationCommandAutocomplete
	ac.Data.(discordgo.ApplicationCommandInteractionData).Options[0].Options[0].Focused = true
	if got := e.say(t, inGuild(ac, alice, 0)); len(got.Data.Choices) != 1 || got.Data.Choices[0].Value != "Jane Doe" {
		t.Errorf("alice's completions %+v", got.Data.Choices)
	}
	ac2 := command("show", str("name", "ja"))
	ac2.Type = discordgo.InteractionApplicationCommandAutocomplete
	ac2.Data.(discordgo.ApplicationCommandInteractionData).Options[0].Options[0].Focused = true
	if got := e.say(t, inGuild(ac2, bob, 0)); len(got.Data.Choices) != 0 {
		t.Errorf("bob sees alice's contacts: %+v", got.Data.Choices)
	}

	// Seven weeks on, Jane is due; /kith digest sends the digest to alice's DMs.
	clk.Add(49 * 24 * time.Hour)
	resp = e.say(t, inGuild(command("digest"), alice, 0))
	if resp.Data.Flags != int(discordgo.MessageFlagsEphemeral) {
		t.Errorf("digest reply %+v", resp)
	}
	dm := message(t, e.f.Await(t, "POST", "channels/dm-"+alice+"/messages"))
	if !strings.Contains(dm.text(), "Jane Doe") {
		t.Fatalf("digest DM %q", dm.text())
	}
	var met string
	for _, id := range dm.buttons() {
		if strings.HasPrefix(id, "k1|met|"+alice+"|") {
			met = id
		}
	}
	if met == "" {
		t.Fatalf("no Met button for alice in %v", dm.buttons())
	}

	// Bob cannot click alice's button.
	refused := e.say(t, inDM(click(met), bob))
	if refused.Type != discordgo.InteractionResponseChannelMessageWithSource || refused.Data.Flags != int(discordgo.MessageFlagsEphemeral) {
		t.Errorf("bob's click: %+v", refused)
	}

	// Alice clicks Met: logged once, the message updated in place; a second click does nothing more.
	first := e.say(t, inDM(click(met), alice))
	if first.Type != discordgo.InteractionResponseUpdateMessage || !strings.Contains(first.Data.text(), "met Jane Doe") {
		t.Errorf("first click: %+v", first)
	}
	second := e.say(t, inDM(click(met), alice))
	if second.Type != discordgo.InteractionResponseUpdateMessage || !strings.Contains(second.Data.text(), "Already done") {
		t.Errorf("second click: %q", second.Data.text())
	}
	if h := history(t, e.store, alice, "Jane Doe"); h[reminders.Met] != 1 {
		t.Errorf("history after two clicks (and bob's): %v", h)
	}
	// Snooze is a select of 1 week, 2 weeks, 1 month and 3 months, in a row
	// of its own; a pick acts once.
	var menu, twoWeeks, threeMonths string
	for _, r := range dm.Components {
		for _, c := range r.Components {
			if c.Type != int(discordgo.SelectMenuComponent) || !strings.HasPrefix(c.CustomID, "k1|snooze|"+alice+"|") {
				continue
			}
			if len(r.Components) != 1 || c.Placeholder != "Snooze…" || len(c.Options) != 4 {
				t.Fatalf("snooze select %+v", r)
			}
			menu, twoWeeks, threeMonths = c.CustomID, c.Options[1].Value, c.Options[3].Value
		}
	}
	if menu == "" {
		t.Fatalf("no snooze select in %+v", dm.Components)
	}
	if p := e.say(t, inDM(choose(menu, twoWeeks), alice)); !strings.Contains(p.Data.text(), "snoozed Jane Doe for 2 weeks") {
		t.Errorf("snooze pick: %q", p.Data.text())
	}
	if p := e.say(t, inDM(choose(menu, threeMonths), alice)); !strings.Contains(p.Data.text(), "Already done") {
		t.Errorf("second snooze pick: %q", p.Data.text())
	}
	if c := contactOf(t, e.store, alice, "Jane Doe"); !c.Snoozed.Equal(clk.Now().AddDate(0, 0, 14)) {
		t.Errorf("snoozed until %v", c.Snoozed)
	}
	if got := settingsDM(t, e.store, alice); got != "dm-"+alice {
		t.Errorf("DM channel cached as %q", got)
	}
}

// Every sub-command's text parses in the real bot: none is answered with
// "unknown command" or an internal error.
func TestRealBotParsesEverySubCommand(t *testing.T) {
	t.Parallel()
	e, _ := botEnv(t, true)
	e.say(t, inGuild(command("add", str("name", "Jane Doe"), str("every", "2w"), str("company", "Acme Corp"),
		str("role", "CTO"), str("tags", "investor"), str("note", "met at GopherCon")), alice, 0))
	e.say(t, inGuild(command("add", str("name", "Bob Smith")), alice, 0))
	tests := []struct {
		path string
		opts []optv
	}{
		{"help", []optv{str("command", "met")}},
		{"met", []optv{str("names", "Jane Doe, Bob Smith"), str("when", "yesterday"), str("note", "coffee")}},
		{"gave", []optv{str("name", "Jane Doe"), str("what", "intro to Carol"), str("when", "3 days ago")}},
		{"got", []optv{str("name", "Jane Doe"), str("what", "a reference")}},
		{"note", []optv{str("name", "Jane Doe"), str("text", "likes climbing")}},
		{"promise", []optv{str("name", "Jane Doe"), str("what", "send the deck"), str("by", "friday")}},
		{"done", []optv{str("name", "Jane Doe")}},
		{"show", []optv{str("name", "Jane Doe")}},
		{"list", []optv{str("tag", "investor"), str("filter", "all")}},
		{"due", nil},
		{"snooze", []optv{str("name", "Bob Smith"), str("for", "2w")}},
		{"every", []optv{str("name", "Bob Smith"), str("cadence", "quarterly")}},
		{"edit", []optv{str("name", "Bob Smith"), str("field", "company"), str("value", "Globex")}},
		{"tag", []optv{str("name", "Bob Smith"), str("tags", "berlin")}},
		{"untag", []optv{str("name", "Bob Smith"), str("tags", "berlin")}},
		{"settings", []optv{str("tz", "Europe/Berlin"), str("digest", "mondays 08:30"), str("cadence", "2w"),
			{"max", float64(7), discordgo.ApplicationCommandOptionInteger}, {"share", true, discordgo.ApplicationCommandOptionBoolean}}},
		{"who-knows", []optv{str("query", "Acme Corp")}},
		{"team summary", []optv{str("action", "here"), str("schedule", "mondays 09:00")}},
		{"remove", []optv{str("name", "Bob Smith")}},
		{"undo", nil},
	}
	for _, tt := range tests {
		resp := e.say(t, inGuild(command(tt.path, tt.opts...), alice, discordgo.PermissionManageGuild))
		text := resp.Data.text()
		t.Logf("%s => %q", tt.path, text)
		lower := strings.ToLower(text)
		if text == "" || strings.Contains(lower, "internal error") || strings.Contains(lower, "unknown command") ||
			strings.Contains(lower, "not a command") || strings.Contains(lower, "use "+tt.path) {
			t.Errorf("/kith %s %v: %q", tt.path, tt.opts, text)
		}
	}
	// An admin's "team summary now" posts in the channel.
	e.say(t, inGuild(command("team summary", str("action", "now")), alice, discordgo.PermissionManageGuild))
	post := message(t, e.f.Await(t, "POST", "channels/"+chanID+"/messages"))
	if !strings.Contains(post.text(), "1") || strings.Contains(post.text(), "Jane") {
		t.Errorf("summary %q", post.text())
	}
	t.Logf("summary => %q", post.text())
}

// import takes the attached file, export lands in the DMs as files, and
// forget-me asks first and then deletes everything.
func TestRealBotFiles(t *testing.T) {
	t.Parallel()
	e, _ := botEnv(t, false)
	csv := "First Name,Last Name,URL,Email Address,Company,Position,Connected On\nCarol,Jones,,carol@example.com,Initech,CTO,01 Feb 2026\n"
	url := e.f.File("Connections.csv", []byte(csv))
	imp := inDM(command("import", optv{"file", "att-1", discordgo.ApplicationCommandOptionAttachment}), alice)
	data := imp.Data.(discordgo.ApplicationCommandInteractionData)
	data.Resolved = &discordgo.ApplicationCommandInteractionDataResolved{Attachments: map[string]*discordgo.MessageAttachment{
		"att-1": {ID: "att-1", Filename: "Connections.csv", ContentType: "text/csv", URL: url, Size: len(csv)},
	}}
	imp.Data = data
	resp := e.say(t, imp)
	t.Logf("import => %q", resp.Data.text())
	if h := history(t, e.store, alice, "Carol Jones"); h == nil {
		t.Fatal("Carol not imported")
	}

	// In a DM the export is the reply; in a guild it goes to the DMs.
	exp := inDM(command("export"), alice)
	e.f.Dispatch(t, exp)
	r := e.f.Await(t, "POST", "interactions/"+exp.ID+"/")
	checkExport(t, r.Files(t))
	exp = inGuild(command("export"), alice, 0)
	e.f.Dispatch(t, exp)
	r = e.f.Await(t, "POST", "interactions/"+exp.ID+"/")
	if len(r.Files(t)) != 0 || callback(t, r).Data.Content != "Sent to your DMs." {
		t.Errorf("export in a guild answered %q with files %v", callback(t, r).Data.Content, r.Files(t))
	}
	checkExport(t, e.f.Await(t, "POST", "channels/dm-"+alice+"/messages").Files(t))

	resp = e.say(t, inDM(command("forget-me"), alice))
	t.Logf("forget-me => %q", resp.Data.text())
	var confirm, keep string
	for _, id := range resp.Data.buttons() {
		if strings.HasPrefix(id, "k1|forget|") {
			confirm = id
		}
		if strings.HasPrefix(id, "k1|keep|") {
			keep = id
		}
	}
	if confirm == "" || keep == "" {
		t.Fatalf("no confirmation buttons in %+v", resp.Data)
	}
	// Keep, then Delete on the same message: the question is answered, so
	// Delete is spent, says so and deletes nothing.
	e.say(t, inDM(click(keep), alice))
	resp = e.say(t, inDM(click(confirm), alice))
	if !strings.Contains(resp.Data.text(), "already answered") {
		t.Errorf("Delete after Keep answered %q", resp.Data.text())
	}
	if h := history(t, e.store, alice, "Carol Jones"); h == nil {
		t.Fatal("Delete after Keep deleted Carol")
	}
	resp = e.say(t, inDM(command("forget-me"), alice))
	for _, id := range resp.Data.buttons() {
		if strings.HasPrefix(id, "k1|forget|") {
			confirm = id
		}
	}
	resp = e.say(t, inDM(click(confirm), alice))
	t.Logf("confirm => %q", resp.Data.text())
	owners, err := e.store.Owners(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range owners {
		if o == discordOwner(alice).ID() {
			t.Error("alice's data survived forget-me")
		}
	}
}

func checkExport(t *testing.T, files map[string]string) {
	t.Helper()
	found := false
	for name, body := range files {
		if strings.Contains(body, "Carol") {
			found = true
		}
		t.Logf("export file %s (%d bytes)", name, len(body))
	}
	if !found {
		t.Errorf("export files %v do not hold Carol", files)
	}
}
