package discord

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/internal/safe"
	"github.com/kith-bot/kith/reminders"
)

// completeTimeout leaves autocomplete room in Discord's 3-second window.
const completeTimeout = 2500 * time.Millisecond

// responder delivers the first response to an interaction: over REST for
// the gateway, in the HTTP response body for the interactions route.
type responder func(resp *discordgo.InteractionResponse) error

// restResponder answers an interaction received over the gateway.
func (a *Adapter) restResponder(i *discordgo.Interaction) responder {
	return func(resp *discordgo.InteractionResponse) error {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		return a.s.InteractionRespond(i, resp, discordgo.WithContext(ctx))
	}
}

// who is the user behind an interaction.
type who struct {
	user  string
	name  string
	admin bool
}

// identify finds the user: Member.User in a guild, User in a DM.
func identify(i *discordgo.Interaction) (who, bool) {
	if i.Member != nil && i.Member.User != nil {
		u := i.Member.User
		name := i.Member.Nick
		if name == "" {
			name = displayName(u)
		}
		perms := i.Member.Permissions
		return who{
			user:  u.ID,
			name:  name,
			admin: perms&discordgo.PermissionAdministrator != 0 || perms&discordgo.PermissionManageGuild != 0,
		}, u.ID != ""
	}
	if i.User != nil {
		return who{user: i.User.ID, name: displayName(i.User)}, i.User.ID != ""
	}
	return who{}, false
}

func displayName(u *discordgo.User) string {
	if u.GlobalName != "" {
		return u.GlobalName
	}
	return u.Username
}

func owner(w who) reminders.Owner {
	return reminders.Owner{Platform: reminders.PlatformDiscord, User: w.user}
}

func team(i *discordgo.Interaction) reminders.TeamID {
	if i.GuildID == "" {
		return ""
	}
	return reminders.NewTeamID(reminders.PlatformDiscord, i.GuildID)
}

// serve handles one interaction from either transport. It returns once every
// response, including a deferred follow-up, was sent.
func (a *Adapter) serve(i *discordgo.Interaction, respond responder, inlineFiles bool) {
	if i.Type == discordgo.InteractionPing {
		a.send(respond, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	}
	w, ok := identify(i)
	if !ok {
		a.answer(i, respond, w, mistake("kith could not tell who sent this."), false)
		return
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommandAutocomplete:
		a.autocomplete(i, respond, w)
	case discordgo.InteractionApplicationCommand:
		switch i.ApplicationCommandData().CommandType {
		case discordgo.UserApplicationCommand, discordgo.MessageApplicationCommand:
			a.contextMenu(i, respond, w)
		default:
			a.command(i, respond, w, inlineFiles)
		}
	case discordgo.InteractionModalSubmit:
		a.modalSubmit(i, respond, w)
	case discordgo.InteractionMessageComponent:
		a.click(i, respond, w, inlineFiles)
	default:
		a.answer(i, respond, w, mistake("kith does not handle this kind of interaction."), false)
	}
}

// command runs a slash command through the bot.
func (a *Adapter) command(i *discordgo.Interaction, respond responder, w who, inlineFiles bool) {
	data := i.ApplicationCommandData()
	inv, ok := parseInvocation(data)
	if !ok || data.Name != a.name {
		a.answer(i, respond, w, mistake(fmt.Sprintf("That is not a kith command; try /%s help.", a.name)), false)
		return
	}
	req := bot.Request{
		Owner:   owner(w),
		Team:    team(i),
		Text:    inv.sub.text(inv.values),
		Key:     i.ID,
		Channel: i.ChannelID,
		Admin:   w.admin,
		Name:    w.name,
	}
	a.reply(i, respond, w, false, inlineFiles, func(ctx context.Context) bot.Message {
		if inv.attach != "" || inv.sub.name == "import" {
			var att *discordgo.MessageAttachment
			if data.Resolved != nil {
				att = data.Resolved.Attachments[inv.attach]
			}
			f, err := a.download(ctx, att)
			if err != nil {
				return a.errorMessage(err)
			}
			req.File = f
		}
		m := a.h.Command(ctx, req)
		if len(m.Files) > 0 && i.GuildID != "" {
			return a.filesToDM(ctx, owner(w), m)
		}
		return m
	})
}

// filesToDM sends a reply's files (an export) to the owner's DMs, where the
// spec puts them, rather than into a guild channel.
func (a *Adapter) filesToDM(ctx context.Context, to reminders.Owner, m bot.Message) bot.Message {
	if err := a.SendDM(ctx, to, bot.Message{Text: m.Text, Files: m.Files}); err != nil {
		a.log.Warn("sending files to a DM failed", "owner", string(to.ID()), "err", err)
		return mistake("kith could not send the files to your DMs; allow direct messages from this server's members, or run the command in a DM with kith.")
	}
	return bot.Message{Text: "Sent to your DMs."}
}

// click runs a button through the bot, only for the owner the message was for.
func (a *Adapter) click(i *discordgo.Interaction, respond responder, w who, inlineFiles bool) {
	action, target, value, ok := decodeCustomID(i.MessageComponentData().CustomID)
	if !ok {
		a.answer(i, respond, w, mistake(fmt.Sprintf("This button no longer works; run /%s due for a fresh list.", a.name)), false)
		return
	}
	// A button without an owner was sent where only its owner could see it (a DM).
	if (target != "" && target != w.user) || (target == "" && i.GuildID != "") {
		a.log.Info("refused a click on someone else's message", "interaction", i.ID)
		a.answer(i, respond, w, mistake(fmt.Sprintf("This button belongs to someone else's message; run /%s due for your own.", a.name)), false)
		return
	}
	if action == actRetry {
		a.retry(i, respond, w, value)
		return
	}
	if picked := i.MessageComponentData().Values; len(picked) == 1 {
		value = picked[0] // a select: the option picked, not the menu's own value
	}
	act := bot.Action{Owner: owner(w), Team: team(i), ID: action, Value: value, Key: i.ID}
	a.reply(i, respond, w, true, inlineFiles, func(ctx context.Context) bot.Message {
		return a.h.Act(ctx, act)
	})
}

// autocomplete suggests the owner's own contact names for a name option.
func (a *Adapter) autocomplete(i *discordgo.Interaction, respond responder, w who) {
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	inv, ok := parseInvocation(i.ApplicationCommandData())
	o, found := inv.sub.optionIf(ok, inv.focused)
	switch {
	case found && o.zones:
		for _, z := range bot.CompleteZone(inv.values[inv.focused]) {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: z, Value: z})
		}
	case found && o.verbs:
		for _, n := range commandsLike(inv.values[inv.focused]) {
			if len(choices) < maxChoices {
				choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: n, Value: n})
			}
		}
	case found && o.complete:
		typed, prefix := inv.values[inv.focused], ""
		if o.list {
			// Complete the last of several names, keeping those before it.
			if k := strings.LastIndexByte(typed, ','); k >= 0 {
				prefix, typed = strings.TrimSpace(typed[:k])+", ", strings.TrimSpace(typed[k+1:])
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), completeTimeout)
		names := a.h.Complete(ctx, owner(w), typed)
		cancel()
		for _, n := range names {
			v := prefix + n
			if len(choices) == maxChoices {
				break
			}
			if len(v) > maxChoiceLen {
				continue
			}
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: v, Value: v})
		}
	}
	a.send(respond, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	})
}

// optionIf is option for a sub-command that may be absent.
func (s *sub) optionIf(ok bool, name string) (opt, bool) {
	if !ok || s == nil {
		return opt{}, false
	}
	return s.option(name)
}

// reply runs work and answers with its message, deferring first when work
// is slower than DeferAfter, as Discord drops an interaction unanswered
// within 3 seconds.
func (a *Adapter) reply(i *discordgo.Interaction, respond responder, w who, component, inlineFiles bool, work func(context.Context) bot.Message) {
	ctx, cancel := context.WithTimeout(context.Background(), workTimeout)
	defer cancel()
	done := make(chan bot.Message, 1)
	go func() {
		if err := safe.Call(a.log, "discord interaction "+i.ID, func() error { done <- work(ctx); return nil }); err != nil {
			done <- a.errorMessage(reminders.Internal(err))
		}
	}()
	timer := time.NewTimer(a.cfg.DeferAfter)
	defer timer.Stop()
	select {
	case m := <-done:
		if inlineFiles || len(m.Files) == 0 {
			a.answer(i, respond, w, m, component)
			return
		}
		// Files cannot ride in an HTTP response body: defer, then edit them in.
		a.deferReply(respond, component)
		a.finish(i, w, m, component)
	case <-timer.C:
		a.deferReply(respond, component)
		a.finish(i, w, <-done, component)
	}
}

// deferReply acknowledges an interaction whose answer comes later:
// "thinking..." for a command, nothing visible for a click.
func (a *Adapter) deferReply(respond responder, component bool) {
	resp := &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral},
	}
	if component {
		resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	}
	a.send(respond, resp)
}

// answer sends m as the first and only response (plus follow-ups when it is long).
func (a *Adapter) answer(i *discordgo.Interaction, respond responder, w who, m bot.Message, component bool) {
	ps := render(m, w.user, !m.Public || i.GuildID == "")
	resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: ps[0].responseData(!m.Public)}
	if component && m.Replace {
		resp = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseUpdateMessage, Data: ps[0].responseData(false)}
	}
	if !a.send(respond, resp) {
		return
	}
	a.followups(i, ps[1:], !m.Public)
}

// finish delivers m after a deferred response: a command's "thinking..."
// message is edited into the answer; a click edits the message it was on
// (Replace) or adds a private follow-up.
func (a *Adapter) finish(i *discordgo.Interaction, w who, m bot.Message, component bool) {
	ps := render(m, w.user, !m.Public || i.GuildID == "")
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	var err error
	if component && !m.Replace {
		_, err = a.s.FollowupMessageCreate(i, true, ps[0].followup(!m.Public), discordgo.WithContext(ctx))
	} else {
		_, err = a.s.InteractionResponseEdit(i, ps[0].webhookEdit(), discordgo.WithContext(ctx))
	}
	if err != nil {
		a.log.Error("sending a deferred reply failed", "err", redact(err), "interaction", i.ID)
		return
	}
	a.followups(i, ps[1:], !m.Public)
}

// followups sends the rest of a reply too long for one Discord message.
func (a *Adapter) followups(i *discordgo.Interaction, ps []payload, ephemeral bool) {
	for _, p := range ps {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		_, err := a.s.FollowupMessageCreate(i, true, p.followup(ephemeral), discordgo.WithContext(ctx))
		cancel()
		if err != nil {
			a.log.Error("sending a follow-up failed", "err", redact(err), "interaction", i.ID)
			return
		}
	}
}

// send delivers a first response, logging a failure; it reports success.
func (a *Adapter) send(respond responder, resp *discordgo.InteractionResponse) bool {
	if err := respond(resp); err != nil {
		a.log.Error("answering an interaction failed", "err", redact(err), "type", int(resp.Type))
		return false
	}
	return true
}

// download fetches an attachment for import.
func (a *Adapter) download(ctx context.Context, att *discordgo.MessageAttachment) (*bot.File, error) {
	if att == nil || att.URL == "" {
		return nil, reminders.Errorf(reminders.EINVALID, "Attach a file to /%s import: a LinkedIn Connections.csv, a vCard (.vcf) or a kith export (.json).", a.name)
	}
	tooBig := bot.FileTooLarge(att.Filename)
	if att.Size > bot.MaxImportBytes {
		return nil, tooBig
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, att.URL, nil)
	if err != nil {
		return nil, reminders.Internal(err)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, reminders.Internal(redact(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, reminders.Internal(fmt.Errorf("downloading attachment: HTTP %d", resp.StatusCode))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, bot.MaxImportBytes+1))
	if err != nil {
		return nil, reminders.Internal(redact(err))
	}
	if len(data) > bot.MaxImportBytes {
		return nil, tooBig
	}
	return &bot.File{Name: att.Filename, Type: att.ContentType, Data: data}, nil
}

// errorMessage is the one place the adapter turns its own errors into words.
func (a *Adapter) errorMessage(err error) bot.Message {
	if reminders.ErrorCode(err) == reminders.EINTERNAL {
		a.log.Error("discord adapter", "err", err)
	}
	return bot.Failure(err)
}

func mistake(text string) bot.Message { return bot.Message{Text: text, Error: true} }

// redact drops the URL from a transport error: interaction and webhook URLs
// carry the interaction's token, which must not reach the logs.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s request failed: %w", ue.Op, ue.Err)
	}
	return err
}
