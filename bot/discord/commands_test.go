package discord_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/bot/discord"
	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// specCommands are the commands of docs/spec.md §2, each a Discord sub-command.
var specCommands = []string{"help", "add", "met", "gave", "got", "note", "promise", "done", "show", "list", "due",
	"snooze", "every", "remember", "edit", "tag", "untag", "remove", "undo", "settings", "digest", "team",
	"who-knows", "import", "export", "forget-me"}

func TestRegistration(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, guild, path string
	}{
		{"global", "", "applications/app-1/commands"},
		{"guild", guildID, "applications/app-1/guilds/" + guildID + "/commands"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Only one case opens the gateway: each connection costs a second to close.
			e := setup(t, newRecorder(), func(c *discord.Config) { c.GuildID = tt.guild; c.Gateway = tt.guild == "" })
			ident := e.run(t)
			if e.cfg.Gateway && ident["token"] != "Bot test-token" {
				t.Errorf("IDENTIFY token %v", ident["token"])
			}
			var cmds []discordgo.ApplicationCommand
			e.f.Await(t, "PUT", tt.path).JSON(t, &cmds)
			if len(cmds) != 3 || cmds[0].Name != "kith" || cmds[0].Description == "" {
				t.Fatalf("registered %+v, want kith and the two context-menu commands", cmds)
			}
			checkTree(t, cmds[0].Options)
			// integration_types and contexts are for global commands only.
			for _, c := range cmds {
				if global := c.IntegrationTypes != nil && c.Contexts != nil; global != (tt.guild == "") {
					t.Errorf("%s: integration_types %v, contexts %v on a %s registration", c.Name, c.IntegrationTypes, c.Contexts, tt.name)
				}
			}
			// The gateway was looked up through DISCORD_API_URL and identified with the bot token.
			if e.cfg.Gateway && e.f.Count("GET", "gateway") == 0 {
				t.Errorf("gateway not looked up at the configured API URL: %v", e.f.Requests())
			}
		})
	}
}

func TestRegistrationLooksUpAppID(t *testing.T) {
	t.Parallel()
	// Also: an API URL without its trailing slash still reaches the same base.
	e := setup(t, newRecorder(), func(c *discord.Config) {
		c.AppID, c.Gateway = "", false
		c.APIURL = strings.TrimSuffix(c.APIURL, "/")
	})
	e.run(t)
	e.f.Await(t, "PUT", "applications/app-looked-up/commands")
}

// checkTree checks the sub-commands against the spec and Discord's rules.
func checkTree(t *testing.T, opts []*discordgo.ApplicationCommandOption) {
	t.Helper()
	var names, top []string
	byName := map[string]*discordgo.ApplicationCommandOption{}
	for _, o := range opts {
		top = append(top, o.Name)
		checkOption(t, o.Name, o)
		if o.Name == "contact" {
			// The group of contact changes: its leaves are verbs.
			if o.Type != discordgo.ApplicationCommandOptionSubCommandGroup {
				t.Errorf("contact has type %v, want a group", o.Type)
			}
			for _, leaf := range o.Options {
				names = append(names, leaf.Name)
				byName[leaf.Name] = leaf
			}
			continue
		}
		names = append(names, o.Name)
		byName[o.Name] = o
	}
	// Every verb of the language is a sub-command, in the table's order, and
	// those are exactly the spec's commands.
	if !slices.Equal(names, lang.Names()) {
		t.Errorf("sub-commands %v, want the verb table's %v", names, lang.Names())
	}
	if sorted := slices.Sorted(slices.Values(names)); !slices.Equal(sorted, slices.Sorted(slices.Values(specCommands))) {
		t.Errorf("sub-commands %v, want the spec's %v", sorted, specCommands)
	}
	if len(opts) > 25 || len(opts) < 20 {
		t.Errorf("%d entries at the top; Discord allows 25: %v", len(opts), top)
	}
	if i := slices.Index(top, "contact"); i < 0 || top[i-1] != "remember" {
		t.Errorf("top level %v: want the contact group where edit was, after remember", top)
	}
	for name, o := range byName {
		want := discordgo.ApplicationCommandOptionSubCommand
		if name == "team" {
			want = discordgo.ApplicationCommandOptionSubCommandGroup
		}
		if o.Type != want {
			t.Errorf("%s has type %v, want %v", name, o.Type, want)
		}
	}
	// More verbs than Discord's 25 choices: help's command autocompletes them.
	if c := find(t, byName["help"], "command"); !c.Autocomplete || len(c.Choices) != 0 {
		t.Errorf("help command: autocomplete %v, %d choices", c.Autocomplete, len(c.Choices))
	}
	team := byName["team"]
	if len(team.Options) != 1 || team.Options[0].Name != "summary" {
		t.Fatalf("team group %+v, want summary", team.Options)
	}
	action := find(t, team.Options[0], "action")
	var choices []string
	for _, c := range action.Choices {
		choices = append(choices, c.Name)
	}
	if !slices.Equal(choices, []string{"here", "off", "now"}) || !action.Required {
		t.Errorf("team summary action choices %v required %v", choices, action.Required)
	}

	typed := []struct {
		sub, opt     string
		typ          discordgo.ApplicationCommandOptionType
		required     bool
		autocomplete bool
	}{
		{"met", "names", discordgo.ApplicationCommandOptionString, true, true},
		{"met", "when", discordgo.ApplicationCommandOptionString, false, false},
		{"add", "name", discordgo.ApplicationCommandOptionString, true, false},
		{"show", "name", discordgo.ApplicationCommandOptionString, true, true},
		{"gave", "what", discordgo.ApplicationCommandOptionString, true, false},
		{"snooze", "for", discordgo.ApplicationCommandOptionString, true, false},
		{"settings", "max", discordgo.ApplicationCommandOptionInteger, false, false},
		{"settings", "share", discordgo.ApplicationCommandOptionBoolean, false, false},
		{"import", "file", discordgo.ApplicationCommandOptionAttachment, true, false},
		{"edit", "field", discordgo.ApplicationCommandOptionString, true, false},
		{"edit", "name", discordgo.ApplicationCommandOptionString, true, true},
		{"remove", "name", discordgo.ApplicationCommandOptionString, true, true},
		{"remember", "name", discordgo.ApplicationCommandOptionString, true, true},
		{"remember", "label", discordgo.ApplicationCommandOptionString, true, false},
		{"remember", "off", discordgo.ApplicationCommandOptionBoolean, false, false},
		{"who-knows", "why", discordgo.ApplicationCommandOptionString, false, false},
	}
	for _, tt := range typed {
		o := find(t, byName[tt.sub], tt.opt)
		if o.Type != tt.typ || o.Required != tt.required || o.Autocomplete != tt.autocomplete {
			t.Errorf("%s %s: type %v required %v autocomplete %v; want %v %v %v", tt.sub, tt.opt,
				o.Type, o.Required, o.Autocomplete, tt.typ, tt.required, tt.autocomplete)
		}
	}
	if max := find(t, byName["settings"], "max"); max.MinValue == nil || *max.MinValue != 1 || max.MaxValue != reminders.MaxDigestEntries {
		t.Errorf("settings max bounds %v..%v", max.MinValue, max.MaxValue)
	}
	// Every contact-name option autocompletes, except add's new name.
	for _, o := range byName {
		for _, p := range o.Options {
			if p.Name == "name" && o.Name != "add" && !p.Autocomplete {
				t.Errorf("%s name does not autocomplete", o.Name)
			}
		}
	}
}

// checkOption applies Discord's rules: names, descriptions, required before optional.
func checkOption(t *testing.T, path string, o *discordgo.ApplicationCommandOption) {
	t.Helper()
	if len(o.Name) == 0 || len(o.Name) > 32 || o.Description == "" || len(o.Description) > 100 {
		t.Errorf("%s: bad name or description %q %q", path, o.Name, o.Description)
	}
	optional := false
	for _, p := range o.Options {
		checkOption(t, path+" "+p.Name, p)
		if p.Required && optional {
			t.Errorf("%s: required option %s after an optional one", path, p.Name)
		}
		optional = optional || !p.Required
	}
	if len(o.Choices) > 25 {
		t.Errorf("%s: %d choices", path, len(o.Choices))
	}
}

func find(t *testing.T, o *discordgo.ApplicationCommandOption, name string) *discordgo.ApplicationCommandOption {
	t.Helper()
	for _, p := range o.Options {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("%s has no option %s", o.Name, name)
	return nil
}

func subCommandsReachTheHandler(t *testing.T, e *env, rec *recorder) {
	num := func(name string, v float64) optv { return optv{name, v, discordgo.ApplicationCommandOptionInteger} }
	boolean := func(name string, v bool) optv { return optv{name, v, discordgo.ApplicationCommandOptionBoolean} }
	tests := []struct {
		path string
		opts []optv
		want string
	}{
		{"help", nil, "help"},
		{"help", []optv{str("command", "met")}, "help met"},
		{"add", []optv{str("name", "Jane Doe"), str("every", "2w"), str("company", "Acme Corp"), str("role", "CTO"),
			str("tags", "investor, #berlin"), str("note", "met at GopherCon")},
			`add "Jane Doe" every 2w at Acme Corp as CTO #investor #berlin : met at GopherCon`},
		{"add", []optv{str("name", "Bob")}, `add "Bob"`},
		{"met", []optv{str("names", "Jane Doe, Bob"), str("when", "yesterday"), str("note", "coffee")}, `met "Jane Doe", "Bob" yesterday : coffee`},
		{"met", []optv{str("names", "Jane")}, `met "Jane"`},
		{"gave", []optv{str("name", "Jane"), str("what", "intro to Bob"), str("when", "last friday")}, `gave "Jane" intro to Bob last friday`},
		{"got", []optv{str("name", "Jane"), str("what", "a reference")}, `got "Jane" a reference`},
		{"note", []optv{str("name", "Jane"), str("text", "likes climbing")}, `note "Jane" likes climbing`},
		{"promise", []optv{str("name", "Jane"), str("what", "send the deck"), str("by", "by friday")}, `promise "Jane" send the deck by friday`},
		{"promise", []optv{str("name", "Jane"), str("what", "send the deck"), str("by", "friday")}, `promise "Jane" send the deck by friday`},
		{"done", []optv{str("name", "Jane")}, `done "Jane"`},
		{"done", []optv{str("name", "Jane"), str("what", "deck")}, `done "Jane" deck`},
		{"show", []optv{str("name", "Jane Doe")}, `show "Jane Doe"`},
		{"list", nil, "list"},
		{"list", []optv{str("tag", "investor"), str("filter", "cold")}, "list #investor cold"},
		{"due", nil, "due"},
		{"snooze", []optv{str("name", "Jane"), str("for", "until 2026-12-01")}, `snooze "Jane" until 2026-12-01`},
		{"every", []optv{str("name", "Jane"), str("cadence", "quarterly")}, `every "Jane" quarterly`},
		{"every", []optv{str("name", "#investor"), str("cadence", "monthly")}, `every #investor monthly`},
		{"remember", []optv{str("name", "Jane"), str("label", "birthday"), str("on", "May 3")}, `remember "Jane" birthday on May 3`},
		{"remember", []optv{str("name", "Jane"), str("label", "birthday"), boolean("off", true)}, `remember "Jane" birthday off`},
		{"contact edit", []optv{str("name", "Jane"), str("field", "company"), str("value", "Globex Inc")}, `edit "Jane" company Globex Inc`},
		{"contact tag", []optv{str("name", "Jane"), str("tags", "#vc angel")}, `tag "Jane" #vc #angel`},
		{"contact untag", []optv{str("name", "Jane"), str("tags", "vc")}, `untag "Jane" #vc`},
		{"contact remove", []optv{str("name", "Jane")}, `remove "Jane"`},
		{"undo", nil, "undo"},
		{"settings", nil, "settings"},
		{"settings", []optv{str("tz", "Europe/Berlin"), str("digest", "mondays 08:30"), str("cadence", "2w"), num("max", 7), boolean("share", true)},
			"settings tz Europe/Berlin digest mondays 08:30 cadence 2w max 7 share on"},
		{"settings", []optv{boolean("share", false)}, "settings share off"},
		{"digest", nil, "digest"},
		{"team summary", []optv{str("action", "here"), str("schedule", "mondays 09:00")}, "team summary here mondays 09:00"},
		{"team summary", []optv{str("action", "off")}, "team summary off"},
		{"team summary", []optv{str("action", "now")}, "team summary now"},
		{"who-knows", []optv{str("query", "#investor")}, "who-knows #investor"},
		{"who-knows", []optv{str("query", "Acme"), str("why", "hiring a CTO")}, "who-knows Acme : hiring a CTO"},
		{"export", nil, "export"},
		{"forget-me", nil, "forget-me"},
		{"met", []optv{str("names", `Jane "JJ" Doe`)}, `met Jane "JJ" Doe`},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		seen[tt.path] = true
		i := inGuild(command(tt.path, tt.opts...), alice, discordgo.PermissionManageGuild)
		e.f.Dispatch(t, i)
		rec.wait(t)
		reqs := rec.Requests()
		got := reqs[len(reqs)-1]
		want := bot.Request{
			Owner: reminders.Owner{Platform: "discord", User: alice}, Team: reminders.TeamID("discord:" + guildID),
			Text: tt.want, Key: i.ID, Channel: chanID, Admin: true, Name: "User 1",
		}
		if got.Text != want.Text || got.Owner != want.Owner || got.Team != want.Team || got.Key != want.Key ||
			got.Channel != want.Channel || got.Admin != want.Admin || got.Name != want.Name || got.File != nil {
			t.Errorf("/kith %s %v:\n got %+v\nwant %+v", tt.path, tt.opts, got, want)
		}
		resp := callback(t, e.f.Await(t, "POST", "interactions/"+i.ID+"/"))
		if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data.Flags != int(discordgo.MessageFlagsEphemeral) ||
			resp.Data.Content != "ok: "+tt.want {
			t.Errorf("/kith %s: response %+v, want an ephemeral reply", tt.path, resp)
		}
	}
	for _, c := range specCommands {
		if !seen[c] && !seen[c+" summary"] && !seen["contact "+c] && c != "import" { // import has its own test
			t.Errorf("no case for %s", c)
		}
	}
}

func whoIsAsking(t *testing.T, e *env, rec *recorder) {
	nick := func(i *discordgo.Interaction) *discordgo.Interaction { i.Member.Nick = "Ally"; return i }
	tests := []struct {
		name  string
		i     *discordgo.Interaction
		owner string
		team  reminders.TeamID
		admin bool
		dname string
	}{
		{"member", inGuild(command("due"), bob, discordgo.PermissionSendMessages), bob, "discord:" + guildID, false, "User 2"},
		{"administrator", inGuild(command("due"), alice, discordgo.PermissionAdministrator), alice, "discord:" + guildID, true, "User 1"},
		{"nick", nick(inGuild(command("due"), alice, 0)), alice, "discord:" + guildID, false, "Ally"},
		{"dm", inDM(command("due"), bob), bob, "", false, "user2"},
	}
	for _, tt := range tests {
		e.f.Dispatch(t, tt.i)
		rec.wait(t)
		reqs := rec.Requests()
		got := reqs[len(reqs)-1]
		if got.Owner.ID() != reminders.OwnerID("discord:"+tt.owner) || got.Team != tt.team || got.Admin != tt.admin || got.Name != tt.dname {
			t.Errorf("%s: got owner %s team %q admin %v name %q", tt.name, got.Owner.ID(), got.Team, got.Admin, got.Name)
		}
		e.f.Await(t, "POST", "interactions/"+tt.i.ID+"/")
	}
}

func autocomplete(t *testing.T, e *env, rec *recorder) {
	rec.names = []string{"Jane Doe", "Janet Roe", "Bob Smith"}
	focused := func(path string, opts ...optv) *discordgo.Interaction {
		i := command(path, opts...)
		i.Type = discordgo.InteractionApplicationCommandAutocomplete
		data := i.Data.(discordgo.ApplicationCommandInteractionData)
		leaf := data.Options[0].Options
		if data.Options[0].Type == discordgo.ApplicationCommandOptionSubCommandGroup {
			leaf = leaf[0].Options
		}
		leaf[len(leaf)-1].Focused = true
		return inGuild(i, alice, 0)
	}
	tests := []struct {
		name  string
		i     *discordgo.Interaction
		typed string
		want  []string
	}{
		{"show", focused("show", str("name", "ja")), "ja", []string{"Jane Doe", "Janet Roe"}},
		{"last of several", focused("met", str("names", "Bob Smith, jane")), "jane", []string{"Bob Smith, Jane Doe", "Bob Smith, Janet Roe"}},
		{"not a name", focused("met", str("names", "Jane"), str("when", "yes")), "", nil},
		{"in a group", focused("contact remove", str("name", "bo")), "bo", []string{"Bob Smith"}},
		{"help", focused("help", str("command", "re")), "", []string{"remember", "remove"}},
	}
	for _, tt := range tests {
		e.f.Dispatch(t, tt.i)
		resp := callback(t, e.f.Await(t, "POST", "interactions/"+tt.i.ID+"/"))
		if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
			t.Fatalf("%s: response type %v", tt.name, resp.Type)
		}
		var got []string
		for _, c := range resp.Data.Choices {
			if c.Name != c.Value {
				t.Errorf("%s: choice name %q value %q", tt.name, c.Name, c.Value)
			}
			got = append(got, c.Value)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: choices %v, want %v", tt.name, got, tt.want)
		}
	}
	rec.mu.Lock()
	typed := rec.typed
	rec.mu.Unlock()
	if !slices.Equal(typed, []string{"ja", "jane", "bo"}) {
		t.Errorf("Complete saw %q", typed)
	}
	if len(rec.Requests()) != 0 {
		t.Error("autocomplete ran a command")
	}
}

func importAttachment(t *testing.T, e *env, rec *recorder) {
	csv := []byte("First Name,Last Name,Company\nJane,Doe,Acme\n")
	url := e.f.File("Connections.csv", csv)
	i := inDM(command("import", optv{"file", "att-1", discordgo.ApplicationCommandOptionAttachment}), alice)
	data := i.Data.(discordgo.ApplicationCommandInteractionData)
	data.Resolved = &discordgo.ApplicationCommandInteractionDataResolved{Attachments: map[string]*discordgo.MessageAttachment{
		"att-1": {ID: "att-1", Filename: "Connections.csv", ContentType: "text/csv", URL: url, Size: len(csv)},
	}}
	i.Data = data
	e.f.Dispatch(t, i)
	rec.wait(t)
	got := rec.Requests()[0]
	if got.Text != "import" || got.File == nil || got.File.Name != "Connections.csv" || string(got.File.Data) != string(csv) || got.File.Type != "text/csv" {
		t.Fatalf("request %+v", got)
	}
	e.f.Await(t, "POST", "interactions/"+i.ID+"/")

	// Too large: refused before downloading, and the handler never sees it.
	big := inDM(command("import", optv{"file", "att-2", discordgo.ApplicationCommandOptionAttachment}), alice)
	data = big.Data.(discordgo.ApplicationCommandInteractionData)
	data.Resolved = &discordgo.ApplicationCommandInteractionDataResolved{Attachments: map[string]*discordgo.MessageAttachment{
		"att-2": {ID: "att-2", Filename: "huge.csv", URL: url, Size: 50 << 20},
	}}
	big.Data = data
	e.f.Dispatch(t, big)
	resp := callback(t, e.f.Await(t, "POST", "interactions/"+big.ID+"/"))
	if resp.Data.Content != `That file (huge.csv) is larger than 10 MiB; split it into smaller files and import each.` || resp.Data.Flags != int(discordgo.MessageFlagsEphemeral) {
		t.Errorf("too large: %+v", resp.Data)
	}
	if n := len(rec.Requests()); n != 1 {
		t.Errorf("handler saw %d requests", n)
	}
}
