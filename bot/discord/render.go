package discord

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/kith-bot/kith/bot"
)

// Discord's limits on one message (https://discord.com/developers/docs/resources/message).
const (
	maxContent     = 2000
	maxEmbeds      = 10
	maxRows        = 5
	maxRowButtons  = 5
	maxEmbedTotal  = 6000
	maxEmbedTitle  = 256
	maxEmbedText   = 4096
	maxFields      = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
	maxCustomID    = 100
	maxButtonLabel = 80
	maxChoices     = 25
	maxChoiceLen   = 100
	maxSelectHint  = 150
)

// Embed colours: kith's green, and red for a mistake.
const (
	colourNormal = 0x3BA55C
	colourError  = 0xED4245
)

// payload is one Discord message rendered from (part of) a bot.Message.
type payload struct {
	content    string
	embeds     []*discordgo.MessageEmbed
	components []discordgo.MessageComponent
	files      []*discordgo.File
}

// boldRE finds the bot's *bold*; Discord reads single stars as italics. The
// star must hug a word on both sides, so a cron "* * 1-5" is left alone.
var boldRE = regexp.MustCompile(`\*([^*\s](?:[^*\n]*[^*\s])?)\*`)

// markup translates the bot's plain-text markup to Discord markdown.
func markup(s string) string { return boldRE.ReplaceAllString(s, "**$1**") }

// render turns a bot message into one or more Discord messages. Buttons
// carry owner, the Discord user the message is for, so a click by anyone
// else is refused; private marks a message only its owner can see (a DM or an
// ephemeral reply), where a button may leave the owner out when it would not
// fit in a custom_id.
func render(m bot.Message, owner string, private bool) []payload {
	var out []payload
	if len(m.Sections) == 0 {
		text := m.Text
		if text == "" {
			text = m.Title
		}
		if m.Footer != "" {
			text += "\n-# " + m.Footer
		}
		for _, part := range splitText(strings.TrimSpace(markup(text)), maxContent) {
			out = append(out, payload{content: part})
		}
	} else {
		cur := payload{}
		if m.Title != "" {
			cur.content = truncate("**"+markup(m.Title)+"**", maxContent)
		}
		total := 0
		for _, s := range m.Sections {
			e := embed(s, m.Error)
			rows := buttonRows(s.Buttons, owner, private)
			size := embedSize(e)
			if len(cur.embeds) == maxEmbeds || len(cur.components)+len(rows) > maxRows || total+size > maxEmbedTotal {
				out = append(out, cur)
				cur, total = payload{}, 0
			}
			if e != nil {
				cur.embeds = append(cur.embeds, e)
				total += size
			}
			for _, r := range rows {
				cur.components = append(cur.components, r)
			}
		}
		if m.Footer != "" {
			if n := len(cur.embeds); n > 0 && total+len(m.Footer) <= maxEmbedTotal {
				cur.embeds[n-1].Footer = &discordgo.MessageEmbedFooter{Text: truncate(m.Footer, maxFooter)}
			} else {
				cur.content = join(cur.content, "\n-# "+truncate(m.Footer, maxContent-len(cur.content)-4))
			}
		}
		out = append(out, cur)
	}
	if len(out) == 0 {
		out = []payload{{}}
	}
	for _, f := range m.Files {
		out[0].files = append(out[0].files, &discordgo.File{Name: f.Name, ContentType: f.Type, Reader: bytes.NewReader(f.Data)})
	}
	return out
}

// embed renders one section; nil when it has nothing to show but buttons.
func embed(s bot.Section, isErr bool) *discordgo.MessageEmbed {
	if s.Title == "" && s.Text == "" && len(s.Fields) == 0 {
		return nil
	}
	e := &discordgo.MessageEmbed{
		Type:        discordgo.EmbedTypeRich,
		Title:       truncate(markup(s.Title), maxEmbedTitle),
		Description: truncate(markup(s.Text), maxEmbedText),
		Color:       colourNormal,
	}
	if isErr {
		e.Color = colourError
	}
	for i, f := range s.Fields {
		if i == maxFields {
			break
		}
		v := f.Value
		if strings.TrimSpace(v) == "" {
			v = "-" // Discord refuses empty field values
		}
		name := f.Label
		if strings.TrimSpace(name) == "" {
			name = "\u200b"
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{
			Name:   truncate(name, maxFieldName),
			Value:  truncate(markup(v), maxFieldValue),
			Inline: len(v) <= 40,
		})
	}
	return e
}

func embedSize(e *discordgo.MessageEmbed) int {
	if e == nil {
		return 0
	}
	n := len(e.Title) + len(e.Description)
	for _, f := range e.Fields {
		n += len(f.Name) + len(f.Value)
	}
	return n
}

// buttonRows renders a section's buttons as one action row, and each menu
// as a row of its own (Discord gives a select a whole row); none without
// buttons.
func buttonRows(bs []bot.Button, owner string, private bool) []discordgo.ActionsRow {
	var rows []discordgo.ActionsRow
	var plain []bot.Button
	for _, b := range bs {
		if len(b.Choices) == 0 {
			plain = append(plain, b)
			continue
		}
		if sel, ok := selectMenu(b, owner, private); ok {
			rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{sel}})
		}
	}
	if row := buttonRow(plain, owner, private); row != nil {
		rows = append([]discordgo.ActionsRow{*row}, rows...)
	}
	return rows
}

// selectMenu renders a menu button as a string select. Its custom_id holds
// the button's own value, so several menus in one message stay distinct;
// the option picked comes back in the interaction's values.
func selectMenu(b bot.Button, owner string, private bool) (discordgo.SelectMenu, bool) {
	id, ok := encodeCustomID(b.Action, owner, b.Value, private)
	if !ok {
		return discordgo.SelectMenu{}, false
	}
	sel := discordgo.SelectMenu{MenuType: discordgo.StringSelectMenu, CustomID: id, Placeholder: truncate(b.Label, maxSelectHint)}
	for i, c := range b.Choices {
		if i == maxChoices || len(c.Value) > maxCustomID {
			break
		}
		sel.Options = append(sel.Options, discordgo.SelectMenuOption{Label: truncate(c.Label, maxChoiceLen), Value: c.Value})
	}
	return sel, len(sel.Options) > 0
}

// buttonRow renders plain buttons as one action row; nil without buttons.
func buttonRow(bs []bot.Button, owner string, private bool) *discordgo.ActionsRow {
	var row discordgo.ActionsRow
	for _, b := range bs {
		if len(row.Components) == maxRowButtons {
			break
		}
		id, ok := encodeCustomID(b.Action, owner, b.Value, private)
		if !ok {
			continue // cannot be carried; the bot keeps values short, so this is a bug upstream
		}
		style := discordgo.SecondaryButton
		switch b.Style {
		case "primary":
			style = discordgo.PrimaryButton
		case "danger":
			style = discordgo.DangerButton
		}
		row.Components = append(row.Components, discordgo.Button{
			Label: truncate(b.Label, maxButtonLabel), Style: style, CustomID: id,
		})
	}
	if len(row.Components) == 0 {
		return nil
	}
	return &row
}

// customIDPrefix marks kith's buttons, so a foreign or older custom_id is told apart.
const customIDPrefix = "k1"

// encodeCustomID packs a button as "k1|action|owner|value". Without room for
// the owner, a private message leaves it out: only its owner can see it, so
// only its owner can click.
func encodeCustomID(action, owner, value string, private bool) (string, bool) {
	if strings.Contains(action, "|") {
		return "", false
	}
	id := customIDPrefix + "|" + action + "|" + owner + "|" + value
	if len(id) <= maxCustomID {
		return id, true
	}
	if !private {
		return "", false
	}
	id = customIDPrefix + "|" + action + "||" + value
	return id, len(id) <= maxCustomID
}

// decodeCustomID takes apart a custom_id made by encodeCustomID.
func decodeCustomID(id string) (action, owner, value string, ok bool) {
	parts := strings.SplitN(id, "|", 4)
	if len(parts) != 4 || parts[0] != customIDPrefix || parts[1] == "" {
		return "", "", "", false
	}
	return parts[1], parts[2], parts[3], true
}

// splitText cuts s into pieces of at most n bytes, at line ends where it can.
func splitText(s string, n int) []string {
	var out []string
	for len(s) > n {
		cut := strings.LastIndexByte(s[:n], '\n')
		if cut <= 0 {
			cut = runeBoundary(s, n)
		}
		out = append(out, s[:cut])
		s = strings.TrimPrefix(s[cut:], "\n")
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// truncate shortens s to at most n bytes, ending with an ellipsis when cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n < 4 {
		return s[:runeBoundary(s, n)]
	}
	return s[:runeBoundary(s, n-3)] + "…"
}

// runeBoundary returns the largest index <= n that does not split a UTF-8 rune.
func runeBoundary(s string, n int) int {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return n
}

// messageSend is the payload as a new channel message.
func (p payload) messageSend() *discordgo.MessageSend {
	return &discordgo.MessageSend{
		Content:         p.content,
		Embeds:          p.embeds,
		Components:      p.components,
		Files:           p.files,
		AllowedMentions: noMentions(),
	}
}

// responseData is the payload as an interaction response.
func (p payload) responseData(ephemeral bool) *discordgo.InteractionResponseData {
	d := &discordgo.InteractionResponseData{
		Content:         p.content,
		Embeds:          nonNilEmbeds(p.embeds),
		Components:      nonNilComponents(p.components),
		Files:           p.files,
		AllowedMentions: noMentions(),
	}
	if ephemeral {
		d.Flags = discordgo.MessageFlagsEphemeral
	}
	return d
}

// webhookEdit is the payload as an edit of an interaction's message.
func (p payload) webhookEdit() *discordgo.WebhookEdit {
	content, embeds, components := p.content, nonNilEmbeds(p.embeds), nonNilComponents(p.components)
	return &discordgo.WebhookEdit{
		Content: &content, Embeds: &embeds, Components: &components, Files: p.files,
		AllowedMentions: noMentions(),
	}
}

// followup is the payload as a follow-up message of an interaction.
func (p payload) followup(ephemeral bool) *discordgo.WebhookParams {
	w := &discordgo.WebhookParams{
		Content: p.content, Embeds: p.embeds, Components: nonNilComponents(p.components), Files: p.files,
		AllowedMentions: noMentions(),
	}
	if ephemeral {
		w.Flags = discordgo.MessageFlagsEphemeral
	}
	return w
}

// noMentions keeps a contact's name that happens to read "@everyone" from pinging anyone.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// Discord reads a null list as "leave as is" when updating; an empty list clears it.
func nonNilEmbeds(e []*discordgo.MessageEmbed) []*discordgo.MessageEmbed {
	if e == nil {
		return []*discordgo.MessageEmbed{}
	}
	return e
}

func nonNilComponents(c []discordgo.MessageComponent) []discordgo.MessageComponent {
	if c == nil {
		return []discordgo.MessageComponent{}
	}
	return c
}
