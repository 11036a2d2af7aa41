package slack

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/kith-bot/kith/bot"
)

// Block Kit limits (https://api.slack.com/reference/block-kit/blocks); text
// past them is cut rather than letting Slack reject the whole message.
const (
	maxHeader      = 150
	maxSectionText = 3000
	maxField       = 2000
	maxFields      = 10
	maxButtonText  = 75
	maxButtonValue = 2000
	maxButtons     = 25
	maxMenuOptions = 100
	maxOptionValue = 150
	maxMessageBlk  = 50
	maxHomeBlk     = 100
	maxFallback    = 4000
)

// render turns a neutral message into Block Kit blocks and the plain
// fallback text. A message with only text gets no blocks: Slack shows the
// text itself, as mrkdwn, which shares *bold* and _italic_ with bot.Message.
func render(m bot.Message, limit int) (blocks []slack.Block, text string) {
	text = truncate(escape(fallback(m)), maxFallback)
	if m.Title == "" && len(m.Sections) == 0 && m.Footer == "" {
		return nil, text
	}
	if m.Title != "" {
		blocks = append(blocks, slack.NewHeaderBlock(plain(m.Title, maxHeader)))
	}
	if len(m.Sections) == 0 && m.Text != "" {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn(m.Text, maxSectionText), nil, nil))
	}
	for i, s := range m.Sections {
		blocks = append(blocks, section(i, s)...)
	}
	if m.Footer != "" {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn(m.Footer, maxSectionText)))
	}
	if len(blocks) > limit {
		// Keep the head of the message and say that something was left out.
		blocks = append(blocks[:limit-1], slack.NewContextBlock("", mrkdwn("(more than fits in one message)", 100)))
	}
	return blocks, text
}

// section renders one bot.Section: its text and fields in a section block,
// its buttons in an actions block.
func section(i int, s bot.Section) []slack.Block {
	var out []slack.Block
	body := s.Text
	if s.Title != "" {
		body = "*" + s.Title + "*"
		if s.Text != "" {
			body += "\n" + s.Text
		}
	}
	var fields []*slack.TextBlockObject
	for j, f := range s.Fields {
		if j == maxFields {
			break
		}
		fields = append(fields, mrkdwn("*"+f.Label+"*\n"+f.Value, maxField))
	}
	if body != "" || len(fields) > 0 {
		var txt *slack.TextBlockObject
		if body != "" {
			txt = mrkdwn(body, maxSectionText)
		}
		out = append(out, slack.NewSectionBlock(txt, fields, nil, slack.SectionBlockOptionBlockID("s"+strconv.Itoa(i))))
	}
	if len(s.Buttons) > 0 {
		var els []slack.BlockElement
		seen := map[string]int{}
		for _, b := range s.Buttons {
			if len(els) == maxButtons {
				break
			}
			if len(b.Choices) > 0 {
				els = append(els, menu(b, seen))
				continue
			}
			els = append(els, button(b, seen))
		}
		out = append(out, slack.NewActionBlock("a"+strconv.Itoa(i), els...))
	}
	return out
}

// button renders a bot.Button. Slack needs action ids unique within a block,
// so a repeated action gets a "#n" suffix that actionName strips again.
func button(b bot.Button, seen map[string]int) *slack.ButtonBlockElement {
	id := b.Action
	if n := seen[b.Action]; n > 0 {
		id += "#" + strconv.Itoa(n)
	}
	seen[b.Action]++
	el := slack.NewButtonBlockElement(id, truncate(b.Value, maxButtonValue), plain(b.Label, maxButtonText))
	switch b.Style {
	case "primary":
		el = el.WithStyle(slack.StylePrimary)
	case "danger":
		el = el.WithStyle(slack.StyleDanger)
	}
	return el
}

// menu renders a bot.Button with choices as a static select, labelled by
// its placeholder; the picked option's value comes back as the action's.
func menu(b bot.Button, seen map[string]int) *slack.SelectBlockElement {
	id := b.Action
	if n := seen[b.Action]; n > 0 {
		id += "#" + strconv.Itoa(n)
	}
	seen[b.Action]++
	var opts []*slack.OptionBlockObject
	for i, c := range b.Choices {
		if i == maxMenuOptions {
			break
		}
		opts = append(opts, slack.NewOptionBlockObject(truncate(c.Value, maxOptionValue), plain(c.Label, maxButtonText), nil))
	}
	return slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(b.Label, maxButtonText), id, opts...)
}

// actionName recovers Button.Action from a Slack action id.
func actionName(id string) string {
	if i := strings.LastIndexByte(id, '#'); i > 0 {
		if _, err := strconv.Atoi(id[i+1:]); err == nil {
			return id[:i]
		}
	}
	return id
}

// fallback is the notification text: Text, or the title when Text is empty.
func fallback(m bot.Message) string {
	if m.Text != "" {
		return m.Text
	}
	if m.Title != "" {
		return m.Title
	}
	if len(m.Sections) > 0 {
		return m.Sections[0].Title
	}
	return " "
}

func plain(s string, n int) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, truncate(s, n), false, false)
}

func mrkdwn(s string, n int) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, truncate(escape(s), n), false, false)
}

// mention matches Slack's own references (<@U123>, <#C123|name>), which
// must survive escaping so a contact stored as a mention still renders as one.
var mention = regexp.MustCompile(`<[@#!][A-Za-z0-9^|._-]+>`)

// escape protects user text from being read as Slack markup: &, < and > are
// Slack's control characters (https://api.slack.com/reference/surfaces/formatting#escaping).
func escape(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	var b strings.Builder
	last := 0
	for _, loc := range mention.FindAllStringIndex(s, -1) {
		b.WriteString(escapeRaw(s[last:loc[0]]))
		b.WriteString(s[loc[0]:loc[1]])
		last = loc[1]
	}
	b.WriteString(escapeRaw(s[last:]))
	return b.String()
}

var rawEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escapeRaw(s string) string { return rawEscaper.Replace(s) }

// truncate cuts s to at most n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// replyJSON is a message as Slack takes it in a slash command's HTTP
// response, a Socket Mode ack payload or a response_url post.
type replyJSON struct {
	ResponseType    string        `json:"response_type,omitempty"`
	Text            string        `json:"text"`
	Blocks          []slack.Block `json:"blocks,omitempty"`
	ReplaceOriginal bool          `json:"replace_original,omitempty"`
}

// reply renders a message for a response to the user who typed the command.
func reply(m bot.Message) replyJSON {
	blocks, text := render(m, maxMessageBlk)
	rt := slack.ResponseTypeEphemeral
	if m.Public {
		rt = slack.ResponseTypeInChannel
	}
	return replyJSON{ResponseType: rt, Text: text, Blocks: blocks}
}

// msgOptions renders a message for chat.postMessage and friends.
func msgOptions(m bot.Message) []slack.MsgOption {
	blocks, text := render(m, maxMessageBlk)
	opts := []slack.MsgOption{slack.MsgOptionText(text, false)}
	if len(blocks) > 0 {
		opts = append(opts, slack.MsgOptionBlocks(blocks...))
	}
	if m.Mark != nil {
		// spec §7: the slot travels with the message, so a restart can find it.
		opts = append(opts, slack.MsgOptionMetadata(slack.SlackMetadata{
			EventType:    m.Mark.Kind,
			EventPayload: map[string]any{"slot": m.Mark.SlotText()},
		}))
	}
	return opts
}
