package discord

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/kith-bot/kith/bot"
)

// The context-menu commands (right-click a user or a message → Apps), each
// opening the same modal as its Slack shortcut.
const (
	UserCommandAddContact    = "Add to kith"
	MessageCommandLogMeeting = "Log meeting"
)

// Discord's limits on a modal beyond bot.Modal's own.
const (
	maxModalTitle   = 45
	maxInputValue   = 4000
	maxPlaceholder  = 100
	modalCustomPart = customIDPrefix + "|modal|"
)

// everywhere makes a command installable to a guild and to a user, and usable
// in guilds, in the bot's DM and in other private channels, so a person can
// use kith without owning a server.
func everywhere(c *discordgo.ApplicationCommand) *discordgo.ApplicationCommand {
	types := []discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall, discordgo.ApplicationIntegrationUserInstall}
	contexts := []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM, discordgo.InteractionContextPrivateChannel}
	c.IntegrationTypes, c.Contexts = &types, &contexts
	return c
}

// scoped drops what Discord allows only on global commands when the commands
// are registered to one guild (DISCORD_GUILD_ID): integration_types and
// contexts are "only for globally-scoped commands", and a guild command is
// used in that guild only anyway.
func scoped(cmds []*discordgo.ApplicationCommand, guildID string) []*discordgo.ApplicationCommand {
	if guildID != "" {
		for _, c := range cmds {
			c.IntegrationTypes, c.Contexts = nil, nil
		}
	}
	return cmds
}

// contextMenus are the User and Message commands kith registers beside /kith.
func contextMenus() []*discordgo.ApplicationCommand {
	return []*discordgo.ApplicationCommand{
		everywhere(&discordgo.ApplicationCommand{Name: UserCommandAddContact, Type: discordgo.UserApplicationCommand}),
		everywhere(&discordgo.ApplicationCommand{Name: MessageCommandLogMeeting, Type: discordgo.MessageApplicationCommand}),
	}
}

// contextMenu answers a User or Message command with its modal: response
// type 9, which must be the first response (a modal cannot be deferred).
func (a *Adapter) contextMenu(i *discordgo.Interaction, respond responder, w who) {
	data := i.ApplicationCommandData()
	var kind string
	var p bot.Prefill
	switch {
	case data.CommandType == discordgo.UserApplicationCommand && data.Name == UserCommandAddContact:
		kind = bot.ModalAddContact
		if data.Resolved != nil {
			p = person(data.Resolved.Users[data.TargetID], data.Resolved.Members[data.TargetID])
		}
	case data.CommandType == discordgo.MessageApplicationCommand && data.Name == MessageCommandLogMeeting:
		kind = bot.ModalLogMeeting
		if data.Resolved != nil {
			if m := data.Resolved.Messages[data.TargetID]; m != nil {
				p = person(m.Author, nil)
				p.Note = strings.TrimSpace(m.Content)
				if m.Author != nil && m.Author.ID == w.user {
					// One's own message is rarely a meeting with oneself.
					p.Name, p.Mention = "", ""
				}
			}
		}
	default:
		a.answer(i, respond, w, mistake(fmt.Sprintf("That is not a kith command; try /%s help.", a.name)), false)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), completeTimeout)
	defer cancel()
	m, err := a.h.Modal(ctx, owner(w), kind, p)
	if err != nil {
		a.answer(i, respond, w, a.errorMessage(err), false)
		return
	}
	a.send(respond, modalResponse(m))
}

// person is what a modal is pre-filled with for a Discord user: the name the
// guild shows (nick, global name, user name) and their id as the mention.
// A bot gives its name but no mention: it is no one to keep in touch with.
func person(u *discordgo.User, m *discordgo.Member) bot.Prefill {
	if u == nil {
		return bot.Prefill{}
	}
	p := bot.Prefill{Name: displayName(u), Mention: u.ID}
	if m != nil && m.Nick != "" {
		p.Name = m.Nick
	}
	if u.Bot {
		p.Mention = ""
	}
	return p
}

// modalResponse renders a bot.Modal as Discord's modal: one action row per
// input. The custom id carries the modal's kind and state back on submit.
func modalResponse(m bot.Modal) *discordgo.InteractionResponse {
	rows := make([]discordgo.MessageComponent, 0, len(m.Inputs))
	for _, in := range m.Inputs {
		style := discordgo.TextInputShort
		if in.Long {
			style = discordgo.TextInputParagraph
		}
		ti := discordgo.TextInput{
			CustomID: in.ID, Label: clip(in.Label, bot.MaxInputLabel), Style: style,
			Placeholder: clip(in.Placeholder, maxPlaceholder), Value: clip(in.Value, maxInputValue), Required: in.Required,
		}
		if in.MaxLen > 0 {
			ti.MaxLength = min(in.MaxLen, maxInputValue)
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{ti}})
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseModal,
		Data: &discordgo.InteractionResponseData{
			CustomID:   modalCustomPart + m.Kind + "|" + m.State,
			Title:      clip(m.Title, maxModalTitle),
			Components: rows,
		},
	}
}

// modalSubmit stores a submitted modal through the bot and answers privately
// with what was done or, since Discord closed the modal, with each mistake
// under its input's label. The interaction id is the change's key.
func (a *Adapter) modalSubmit(i *discordgo.Interaction, respond responder, w who) {
	data := i.ModalSubmitData()
	kind, state, ok := strings.Cut(strings.TrimPrefix(data.CustomID, modalCustomPart), "|")
	if !ok || !strings.HasPrefix(data.CustomID, modalCustomPart) {
		a.answer(i, respond, w, mistake(fmt.Sprintf("This form is not one of kith's; try /%s help.", a.name)), false)
		return
	}
	values := map[string]string{}
	for _, row := range data.Components {
		r, ok := row.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range r.Components {
			if ti, ok := c.(*discordgo.TextInput); ok {
				values[ti.CustomID] = ti.Value
			}
		}
	}
	sub := bot.Submission{Owner: owner(w), Team: team(i), Kind: kind, State: state, Values: values, Key: i.ID, Name: w.name}
	a.reply(i, respond, w, false, false, func(ctx context.Context) bot.Message {
		res := a.h.Submit(ctx, sub)
		if res.Errors != nil {
			return a.withRetry(i, w, sub, res.Reply)
		}
		return res.Reply
	})
}

// clip cuts s to at most n bytes on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:runeBoundary(s, n)]
}
