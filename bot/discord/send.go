package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/bwmarrin/discordgo"
	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
)

// Discord JSON error codes kith acts on.
const (
	codeUnknownChannel = 10003 // the channel is gone
	codeUnknownUser    = 10013 // the user is gone
	codeCannotDM       = 50007 // the user accepts no DMs from kith
)

// SendDM sends m to the owner's DM channel, opening it first; deliveries go
// through the bot, which caches the channel. Sends to different owners run
// in parallel: discordgo rate-limits per route and there is no lock here.
func (a *Adapter) SendDM(ctx context.Context, to reminders.Owner, m bot.Message) error {
	ch, err := a.OpenDM(ctx, to)
	if err != nil {
		return err
	}
	return a.PostDM(ctx, to, ch, m)
}

// PostDM sends m to the owner's DM channel, with its mark as the nonce.
func (a *Adapter) PostDM(ctx context.Context, to reminders.Owner, channel string, m bot.Message) error {
	return a.sendParts(ctx, channel, render(m, to.User, true), m.Mark, "DM to "+string(to.ID()))
}

// Post sends m to a channel of a guild (a team summary), with its mark as the nonce.
func (a *Adapter) Post(ctx context.Context, team reminders.TeamID, channel string, m bot.Message) error {
	if team.Platform() != reminders.PlatformDiscord || channel == "" {
		return reminders.Errorf(reminders.EINVALID, "%q is not a Discord guild with a channel.", team)
	}
	return a.sendParts(ctx, channel, render(m, "", false), m.Mark, "post to "+channel+" in "+string(team))
}

// OpenDM opens (or finds) the DM channel with the owner.
func (a *Adapter) OpenDM(ctx context.Context, to reminders.Owner) (string, error) {
	if to.Platform != reminders.PlatformDiscord || to.User == "" {
		return "", reminders.Errorf(reminders.EINVALID, "%q is not a Discord user.", to.ID())
	}
	ch, err := a.s.UserChannelCreate(to.User, discordgo.WithContext(ctx))
	if err != nil {
		return "", classify("opening a DM with "+string(to.ID()), err)
	}
	return ch.ID, nil
}

// Posted answers false: every marked message carries its nonce with
// enforce_nonce, so Discord itself returns the first message instead of
// creating a second, and sending again is the check.
func (a *Adapter) Posted(context.Context, reminders.TeamID, string, bot.Mark) (bool, error) {
	return false, nil
}

// nonced is a message with Discord's nonce fields, which discordgo's
// MessageSend does not have.
type nonced struct {
	*discordgo.MessageSend
	Nonce        string `json:"nonce,omitempty"`
	EnforceNonce bool   `json:"enforce_nonce,omitempty"`
}

// sendParts sends the messages of one rendered bot.Message in order. With a mark,
// each part carries a nonce of its own (the mark's, then one per further
// part), so a slot sent again after a crash creates no part twice.
func (a *Adapter) sendParts(ctx context.Context, channel string, ps []payload, mark *bot.Mark, what string) error {
	for i, p := range ps {
		ms := p.messageSend()
		var err error
		if mark == nil || len(ms.Files) > 0 {
			_, err = a.s.ChannelMessageSendComplex(channel, ms, discordgo.WithContext(ctx))
		} else {
			part := *mark
			if i > 0 {
				part.For += "#" + strconv.Itoa(i)
			}
			ep := discordgo.EndpointChannelMessages(channel)
			_, err = a.s.RequestWithBucketID(http.MethodPost, ep, nonced{ms, part.Nonce(), true}, ep, discordgo.WithContext(ctx))
		}
		if err != nil {
			return classify(what, err)
		}
	}
	return nil
}

// classify makes a Discord failure a kith error: EUNREACHABLE when Discord
// says the DM can never go through (spec §7: error 50007, an unknown user
// or channel), so the owner's digests pause rather than add to Discord's
// count of invalid requests; internal otherwise.
func classify(what string, err error) error {
	err = redact(err)
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		switch re.Message.Code {
		case codeCannotDM:
			return &reminders.Error{Code: reminders.EUNREACHABLE, Message: "Discord does not let kith send you direct messages.", Err: fmt.Errorf("discord: %s: %w", what, err)}
		case codeUnknownUser:
			return &reminders.Error{Code: reminders.EUNREACHABLE, Message: "Discord cannot find the user.", Err: fmt.Errorf("discord: %s: %w", what, err)}
		case codeUnknownChannel:
			return &reminders.Error{Code: reminders.EUNREACHABLE, Message: "Discord cannot find the direct-message channel.", Err: fmt.Errorf("discord: %s: %w", what, err)}
		}
	}
	return reminders.Internal(fmt.Errorf("discord: %s: %w", what, err))
}
