package discord

import (
	"slices"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// opt is one typed option of a sub-command.
type opt struct {
	name, desc string
	typ        discordgo.ApplicationCommandOptionType
	required   bool
	complete   bool     // autocomplete from the owner's contact names
	zones      bool     // autocomplete from the IANA time zone names
	verbs      bool     // autocomplete from the command words (more than Discord's 25 choices)
	list       bool     // holds several names separated by commas
	choices    []string // fixed values
	min, max   float64  // integer bounds when max > 0
}

// sub is one sub-command of /kith and how its options become the text the bot parses.
type sub struct {
	name, desc string
	opts       []opt
	group      []sub // a sub-command group ("team") instead of options
	text       func(v values) string
}

// values are an interaction's options by name, as text.
type values map[string]string

// Option shapes shared by several sub-commands.
var (
	optName    = opt{name: "name", desc: "One of your contacts", typ: discordgo.ApplicationCommandOptionString, required: true, complete: true}
	optWhen    = opt{name: "when", desc: "today, yesterday, last friday, 3 days ago, on 2026-11-01 (default now)", typ: discordgo.ApplicationCommandOptionString}
	optCadence = opt{name: "cadence", desc: "2w, 30d, monthly, quarterly, 6 months or never", typ: discordgo.ApplicationCommandOptionString}
	optTags    = opt{name: "tags", desc: "Tags such as #investor #berlin", typ: discordgo.ApplicationCommandOptionString, required: true}
)

func required(o opt) opt { o.required = true; return o }

func named(o opt, name, desc string) opt {
	o.name, o.desc = name, desc
	return o
}

// subs are the typed options of each sub-command of /kith and how they
// become the text the bot parses. The tree's names, order and descriptions
// come from lang's verb table; a test checks every verb has its entry here.
// Discord allows at most 25 sub-commands at one level, so verbs with a
// Group in the table (edit, tag, untag, remove: "contact") sit in a
// sub-command group of that name; see Commands.
var subs = []sub{
	{name: "help", opts: []opt{
		{name: "command", desc: "The command to explain", typ: discordgo.ApplicationCommandOptionString, verbs: true},
	}, text: func(v values) string { return join("help", v["command"]) }},
	{name: "add", opts: []opt{
		{name: "name", desc: "Full name of the new contact", typ: discordgo.ApplicationCommandOptionString, required: true},
		named(optCadence, "every", "How often to keep in touch: 2w, monthly, quarterly, never"),
		{name: "company", desc: "Where they work", typ: discordgo.ApplicationCommandOptionString},
		{name: "role", desc: "What they do", typ: discordgo.ApplicationCommandOptionString},
		named(opt{typ: discordgo.ApplicationCommandOptionString}, "tags", "Tags such as #investor #berlin"),
		{name: "note", desc: "Anything worth remembering", typ: discordgo.ApplicationCommandOptionString},
	}, text: func(v values) string {
		return join("add", quote(v["name"]), pre("every", v["every"]), pre("at", v["company"]),
			pre("as", v["role"]), hashtags(v["tags"]), pre(":", v["note"]))
	}},
	{name: "met", opts: []opt{
		{name: "names", desc: "Contacts you met, separated by commas", typ: discordgo.ApplicationCommandOptionString, required: true, complete: true, list: true},
		optWhen,
		{name: "note", desc: "What you talked about", typ: discordgo.ApplicationCommandOptionString},
	}, text: func(v values) string { return join("met", quoteList(v["names"]), v["when"], pre(":", v["note"])) }},
	{name: "gave", opts: []opt{
		optName,
		{name: "what", desc: "The favour, e.g. intro to Bob", typ: discordgo.ApplicationCommandOptionString, required: true},
		optWhen,
	}, text: func(v values) string { return join("gave", quote(v["name"]), v["what"], v["when"]) }},
	{name: "got", opts: []opt{
		optName,
		{name: "what", desc: "The favour, e.g. a reference", typ: discordgo.ApplicationCommandOptionString, required: true},
		optWhen,
	}, text: func(v values) string { return join("got", quote(v["name"]), v["what"], v["when"]) }},
	{name: "note", opts: []opt{
		optName,
		{name: "text", desc: "The note", typ: discordgo.ApplicationCommandOptionString, required: true},
	}, text: func(v values) string { return join("note", quote(v["name"]), v["text"]) }},
	{name: "promise", opts: []opt{
		optName,
		{name: "what", desc: "What you promised, e.g. send the deck", typ: discordgo.ApplicationCommandOptionString, required: true},
		{name: "by", desc: "When it is due: friday, on 2026-11-01", typ: discordgo.ApplicationCommandOptionString},
	}, text: func(v values) string {
		return join("promise", quote(v["name"]), v["what"], pre("by", strings.TrimPrefix(v["by"], "by ")))
	}},
	{name: "done", opts: []opt{
		optName,
		{name: "what", desc: "Which promise, when there are several", typ: discordgo.ApplicationCommandOptionString},
	}, text: func(v values) string { return join("done", quote(v["name"]), v["what"]) }},
	{name: "show", opts: []opt{optName},
		text: func(v values) string { return join("show", quote(v["name"])) }},
	{name: "list", opts: []opt{
		{name: "tag", desc: "Only contacts with this tag", typ: discordgo.ApplicationCommandOptionString},
		{name: "filter", desc: "due, cold (overdue by a full cadence) or all", typ: discordgo.ApplicationCommandOptionString, choices: []string{"due", "cold", "all"}},
	}, text: func(v values) string { return join("list", hashtags(v["tag"]), v["filter"]) }},
	{name: "due",
		text: func(values) string { return "due" }},
	{name: "snooze", opts: []opt{
		optName,
		{name: "for", desc: "3d, 2w, 1 month, or until 2026-12-01", typ: discordgo.ApplicationCommandOptionString, required: true},
	}, text: func(v values) string { return join("snooze", quote(v["name"]), v["for"]) }},
	{name: "every", opts: []opt{
		named(optName, "name", "One of your contacts, or a #tag for every contact with it"), required(optCadence),
	}, text: func(v values) string { return join("every", nameOrTag(v["name"]), v["cadence"]) }},
	{name: "remember", opts: []opt{
		optName,
		{name: "label", desc: "birthday, work anniversary, or any label", typ: discordgo.ApplicationCommandOptionString, required: true},
		{name: "on", desc: "May 3, or 1990-05-03; yearly unless the year is still to come", typ: discordgo.ApplicationCommandOptionString},
		{name: "off", desc: "Forget this date", typ: discordgo.ApplicationCommandOptionBoolean},
	}, text: func(v values) string {
		if v["off"] == "on" {
			return join("remember", quote(v["name"]), v["label"], "off")
		}
		return join("remember", quote(v["name"]), v["label"], pre("on", strings.TrimPrefix(v["on"], "on ")))
	}},
	{name: "edit", opts: []opt{
		optName,
		{name: "field", desc: "What to change", typ: discordgo.ApplicationCommandOptionString, required: true,
			choices: []string{"name", "company", "role", "email", "url", "note"}},
		{name: "value", desc: "The new value", typ: discordgo.ApplicationCommandOptionString, required: true},
	}, text: func(v values) string { return join("edit", quote(v["name"]), v["field"], v["value"]) }},
	{name: "tag", opts: []opt{optName, optTags},
		text: func(v values) string { return join("tag", quote(v["name"]), hashtags(v["tags"])) }},
	{name: "untag", opts: []opt{optName, optTags},
		text: func(v values) string { return join("untag", quote(v["name"]), hashtags(v["tags"])) }},
	{name: "remove", opts: []opt{optName},
		text: func(v values) string { return join("remove", quote(v["name"])) }},
	{name: "undo",
		text: func(values) string { return "undo" }},
	{name: "settings", opts: []opt{
		{name: "tz", desc: "Your time zone, e.g. Europe/Berlin", typ: discordgo.ApplicationCommandOptionString, zones: true},
		{name: "digest", desc: "weekdays 09:00, mondays 08:30, a cron expression, or off", typ: discordgo.ApplicationCommandOptionString},
		named(optCadence, "cadence", "Default cadence for new contacts: 30d, monthly"),
		{name: "max", desc: "Most contacts in one digest", typ: discordgo.ApplicationCommandOptionInteger, min: 1, max: reminders.MaxDigestEntries},
		{name: "share", desc: "Appear in who-knows and the givers list", typ: discordgo.ApplicationCommandOptionBoolean},
	}, text: func(v values) string {
		return join("settings", pre("tz", v["tz"]), pre("digest", v["digest"]), pre("cadence", v["cadence"]),
			pre("max", v["max"]), pre("share", v["share"]))
	}},
	{name: "digest",
		text: func(values) string { return "digest" }},
	{name: "team", group: []sub{
		{name: "summary", desc: "Post the weekly team summary here, stop it, or post one now", opts: []opt{
			{name: "action", desc: "here, off or now", typ: discordgo.ApplicationCommandOptionString, required: true, choices: []string{"here", "off", "now"}},
			{name: "schedule", desc: "With here: mondays 09:00 or a cron expression", typ: discordgo.ApplicationCommandOptionString},
		}, text: func(v values) string { return join("team summary", v["action"], v["schedule"]) }},
	}},
	{name: "who-knows", opts: []opt{
		{name: "query", desc: "A company or a #tag", typ: discordgo.ApplicationCommandOptionString, required: true},
		{name: "why", desc: "Why you ask: teammates see it if you ask them for an intro", typ: discordgo.ApplicationCommandOptionString},
	}, text: func(v values) string { return join("who-knows", v["query"], pre(":", v["why"])) }},
	{name: "import", opts: []opt{
		{name: "file", desc: "The file to import", typ: discordgo.ApplicationCommandOptionAttachment, required: true},
	}, text: func(values) string { return "import" }},
	{name: "export",
		text: func(values) string { return "export" }},
	{name: "forget-me",
		text: func(values) string { return "forget-me" }},
}

// commandsLike lists the command words that start with typed, for help's autocomplete.
func commandsLike(typed string) []string {
	var out []string
	for _, n := range lang.Names() {
		if strings.HasPrefix(n, strings.ToLower(strings.TrimSpace(typed))) {
			out = append(out, n)
		}
	}
	return out
}

// maxDescription is Discord's limit on a description's length.
const maxDescription = 100

// describe is a verb's summary as a Discord description: a capital, at most 100 characters.
func describe(v lang.Verb) string {
	d := []rune(v.Summary)
	if len(d) > maxDescription {
		d = append(d[:maxDescription-1], '…')
	}
	return strings.ToUpper(string(d[:1])) + string(d[1:])
}

// Commands returns the application commands kith registers in one bulk
// overwrite: /kith (named name) and the context-menu commands, each
// installable to a guild or a user and usable anywhere. The tree of /kith
// follows lang's verb table: each verb is a sub-command in the table's
// order, except that verbs of one Group sit together in a sub-command group
// of that name, placed where the first of them is (/kith contact edit),
// since Discord allows 25 entries per level.
func Commands(name string) []*discordgo.ApplicationCommand {
	cmd := everywhere(&discordgo.ApplicationCommand{
		Name:        name,
		Type:        discordgo.ChatApplicationCommand,
		Description: "Keep your professional network warm",
	})
	groups := map[string]*discordgo.ApplicationCommandOption{}
	for _, v := range lang.Verbs() {
		i := slices.IndexFunc(subs, func(s sub) bool { return s.name == v.Name })
		if i < 0 {
			continue // a command typed only as text; a test keeps this from happening
		}
		o := subs[i].appOption()
		o.Description = describe(v)
		if v.Group == "" {
			cmd.Options = append(cmd.Options, o)
			continue
		}
		g := groups[v.Group]
		if g == nil {
			g = &discordgo.ApplicationCommandOption{Name: v.Group, Type: discordgo.ApplicationCommandOptionSubCommandGroup}
			groups[v.Group] = g
			cmd.Options = append(cmd.Options, g)
		}
		g.Options = append(g.Options, o)
	}
	for _, g := range groups {
		names := make([]string, len(g.Options))
		for i, o := range g.Options {
			names[i] = o.Name
		}
		g.Description = truncate("Change a "+g.Name+": "+strings.Join(names, ", "), maxDescription)
	}
	return append([]*discordgo.ApplicationCommand{cmd}, contextMenus()...)
}

// groupOf is the Group a verb sits in on Discord; "" for a top-level one.
func groupOf(verb string) string {
	v, _ := lang.Lookup(verb)
	return v.Group
}

func (s sub) appOption() *discordgo.ApplicationCommandOption {
	o := &discordgo.ApplicationCommandOption{Name: s.name, Description: s.desc, Type: discordgo.ApplicationCommandOptionSubCommand}
	if s.group != nil {
		o.Type = discordgo.ApplicationCommandOptionSubCommandGroup
		for _, g := range s.group {
			o.Options = append(o.Options, g.appOption())
		}
		return o
	}
	for _, p := range s.opts {
		o.Options = append(o.Options, p.appOption())
	}
	return o
}

func (p opt) appOption() *discordgo.ApplicationCommandOption {
	o := &discordgo.ApplicationCommandOption{
		Name: p.name, Description: p.desc, Type: p.typ, Required: p.required, Autocomplete: p.complete || p.zones || p.verbs,
	}
	for _, c := range p.choices {
		o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: c, Value: c})
	}
	if p.max > 0 {
		minimum := p.min
		o.MinValue, o.MaxValue = &minimum, p.max
	}
	return o
}

// invocation is a parsed application command: the sub-command path, its option values and the focused option.
type invocation struct {
	sub     *sub
	path    string // "met", "team summary"
	values  values
	focused string // the option being typed, for autocomplete
	attach  string // the attachment id of an attachment option
}

// parseInvocation finds the sub-command of data and collects its options as text.
func parseInvocation(data discordgo.ApplicationCommandInteractionData) (invocation, bool) {
	if len(data.Options) != 1 {
		return invocation{}, false
	}
	top := data.Options[0]
	if len(top.Options) == 1 && top.Options[0].Type == discordgo.ApplicationCommandOptionSubCommand {
		leaf := top.Options[0]
		for i := range subs {
			if s := &subs[i]; s.name == leaf.Name && groupOf(s.name) == top.Name {
				return collect(s, top.Name+" "+s.name, leaf.Options), true
			}
		}
	}
	for i := range subs {
		s := &subs[i]
		if s.name != top.Name || groupOf(s.name) != "" {
			continue
		}
		if s.group == nil {
			return collect(s, s.name, top.Options), true
		}
		if len(top.Options) != 1 {
			return invocation{}, false
		}
		for j := range s.group {
			g := &s.group[j]
			if g.name == top.Options[0].Name {
				return collect(g, s.name+" "+g.name, top.Options[0].Options), true
			}
		}
	}
	return invocation{}, false
}

func collect(s *sub, path string, opts []*discordgo.ApplicationCommandInteractionDataOption) invocation {
	inv := invocation{sub: s, path: path, values: values{}}
	for _, o := range opts {
		var v string
		switch x := o.Value.(type) {
		case string:
			v = strings.TrimSpace(x)
		case float64:
			v = strconv.FormatFloat(x, 'f', -1, 64)
		case bool:
			v = "off"
			if x {
				v = "on"
			}
		}
		if o.Type == discordgo.ApplicationCommandOptionAttachment {
			inv.attach = v
		}
		if o.Focused {
			inv.focused = o.Name
		}
		inv.values[o.Name] = v
	}
	return inv
}

// option returns the sub-command's option called name.
func (s *sub) option(name string) (opt, bool) {
	for _, o := range s.opts {
		if o.name == name {
			return o, true
		}
	}
	return opt{}, false
}

// join joins the non-empty parts with single spaces.
func join(parts ...string) string {
	kept := parts[:0:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " ")
}

// pre puts a keyword before a value that is present ("every 2w"), nothing otherwise.
func pre(word, v string) string {
	if strings.TrimSpace(v) == "" {
		return ""
	}
	return word + " " + strings.TrimSpace(v)
}

// quote groups a name for the parser. A name that holds a quote mark is left
// bare; the parser then finds it as the longest run of words naming a contact.
func quote(name string) string {
	name = strings.TrimSpace(name)
	if name == "" || strings.Contains(name, `"`) {
		return name
	}
	return `"` + name + `"`
}

// nameOrTag quotes a contact's name but leaves a #tag bare, so every can
// take either in one option.
func nameOrTag(s string) string {
	if s = strings.TrimSpace(s); strings.HasPrefix(s, "#") && !strings.ContainsAny(s, " \t") {
		return s
	}
	return quote(s)
}

// quoteList quotes each of several comma-separated names.
func quoteList(names string) string {
	var out []string
	for _, n := range strings.Split(names, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, quote(n))
		}
	}
	return strings.Join(out, ", ")
}

// hashtags makes each word of s a #tag, so "investor, #berlin" gives "#investor #berlin".
func hashtags(s string) string {
	fields := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
	for i, f := range fields {
		if !strings.HasPrefix(f, "#") {
			fields[i] = "#" + f
		}
	}
	return strings.Join(fields, " ")
}
