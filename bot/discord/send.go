package discord

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/bwmarrin/discordgo"
	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
)

// codeUnknownChannel is Discord's JSON error code for a channel that is gone.
const codeUnknownChannel = 10003

// SendDM sends m to the owner's DM channel, opening it (and caching its id in
// the owner's settings) the first time. Sends to different owners run in
// parallel: discordgo rate-limits per channel and there is no lock here.
func (a *Adapter) SendDM(ctx context.Context, to reminders.Owner, m bot.Message) error {
	if to.Platform != reminders.PlatformDiscord || to.User == "" {
		return reminders.Errorf(reminders.EINVALID, "%q is not a Discord user.", to.ID())
	}
	ch, cached, err := a.dmChannel(ctx, to)
	if err != nil {
		return err
	}
	err = a.sendAll(ctx, ch, render(m, to.User, true))
	if cached && isUnknownChannel(err) {
		// The cached channel is gone; open a new one once.
		if ch, err = a.openDM(ctx, to); err != nil {
			return err
		}
		err = a.sendAll(ctx, ch, render(m, to.User, true))
	}
	if err != nil {
		return fmt.Errorf("discord: DM to %s: %w", to.ID(), redact(err))
	}
	return nil
}

// Post sends m to a channel of a guild (a team summary).
func (a *Adapter) Post(ctx context.Context, team reminders.TeamID, channel string, m bot.Message) error {
	if team.Platform() != reminders.PlatformDiscord || channel == "" {
		return reminders.Errorf(reminders.EINVALID, "%q is not a Discord guild with a channel.", team)
	}
	if err := a.sendAll(ctx, channel, render(m, "", false)); err != nil {
		return fmt.Errorf("discord: post to %s in %s: %w", channel, team, redact(err))
	}
	return nil
}

// sendAll sends the messages of one rendered bot.Message in order.
func (a *Adapter) sendAll(ctx context.Context, channel string, ps []payload) error {
	for _, p := range ps {
		if _, err := a.s.ChannelMessageSendComplex(channel, p.messageSend(), discordgo.WithContext(ctx)); err != nil {
			return err
		}
	}
	return nil
}

// dmChannel returns the owner's DM channel id, from the cache when it holds one.
func (a *Adapter) dmChannel(ctx context.Context, to reminders.Owner) (id string, cached bool, err error) {
	err = a.store.View(ctx, to.ID(), func(tx reminders.OwnerTx) error {
		s, err := tx.Settings()
		id = s.DM
		return err
	})
	if err != nil {
		return "", false, err
	}
	if id != "" {
		return id, true, nil
	}
	id, err = a.openDM(ctx, to)
	return id, false, err
}

// openDM opens a DM channel with the owner and caches its id. A failure to
// cache costs one extra call next time, so it is logged, not returned.
func (a *Adapter) openDM(ctx context.Context, to reminders.Owner) (string, error) {
	ch, err := a.s.UserChannelCreate(to.User, discordgo.WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("discord: opening a DM with %s: %w", to.ID(), redact(err))
	}
	err = a.store.Update(ctx, to.ID(), reminders.Change{Now: a.cfg.Now()}, func(tx reminders.OwnerTx) error {
		s, err := tx.Settings()
		if err != nil {
			return err
		}
		s.DM = ch.ID
		return tx.PutSettings(s)
	})
	if err != nil {
		a.log.Warn("caching the DM channel failed", "owner", string(to.ID()), "err", err)
	}
	return ch.ID, nil
}

func isUnknownChannel(err error) bool {
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		return false
	}
	if re.Message != nil && re.Message.Code == codeUnknownChannel {
		return true
	}
	return re.Response != nil && re.Response.StatusCode == http.StatusNotFound
}
