package slack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/internal/safe"
	"github.com/kith-bot/kith/reminders"
)

// readOnly reports whether a command's first word starts one that changes
// nothing (by the verb table, aliases included), so the Home tab is not
// republished after it; no word at all asks for help.
func readOnly(word string) bool {
	v, ok := lang.Lookup(word)
	return word == "" || ok && v.ReadOnly
}

// command runs a slash command from either transport. When the handler
// answers within the reply window, quick is true and m must be sent in the
// response; otherwise the caller only acknowledges, and the reply is posted
// to response_url once ready.
func (a *Adapter) command(ctx context.Context, c slack.SlashCommand, key string) (m bot.Message, quick bool) {
	owner := ownerOf(c)
	work := func(ctx context.Context) bot.Message {
		maxAge := profileTTL
		word := firstWord(c.Text)
		if word == "team" {
			maxAge = adminTTL // admin rights must be fresh to manage the summary
		}
		u := a.user(ctx, c.TeamID, c.UserID, maxAge)
		req := bot.Request{
			Owner:    owner,
			Team:     reminders.NewTeamID(reminders.PlatformSlack, c.TeamID),
			Text:     c.Text,
			Key:      key,
			Channel:  c.ChannelID,
			Admin:    u.Admin,
			TimeZone: u.TimeZone,
			Name:     u.Name,
		}
		m := a.h.Command(ctx, req)
		a.after(ctx, owner, word, c.ResponseURL, &m)
		return m
	}
	late := func(ctx context.Context, m bot.Message) {
		if err := a.respond(ctx, c.ResponseURL, owner, m, false); err != nil {
			a.log.Error("slack: late reply failed", "owner", owner.ID(), "err", err)
		}
	}
	return a.answer(ctx, "command", work, late)
}

// after does what follows a command: files go to the owner's DM (Slack has
// no ephemeral files), and the reply says so; if they cannot be sent, the
// user hears it through responseURL (when there is one) rather than waiting
// for files that never come. The Home tab is refreshed when data may have changed.
func (a *Adapter) after(ctx context.Context, owner reminders.Owner, word, responseURL string, m *bot.Message) {
	if len(m.Files) > 0 {
		files := m.Files
		m.Files = nil
		m.Text = strings.TrimSpace(m.Text + " The files are on their way to your DMs with kith.")
		a.goWork(ctx, "files", func(ctx context.Context) {
			err := a.SendDM(ctx, owner, bot.Message{Text: "Here is your file.", Files: files})
			if err == nil {
				return
			}
			a.log.Error("slack: sending files failed", "owner", owner.ID(), "err", err)
			if responseURL == "" {
				return
			}
			sorry := bot.Message{Text: "kith could not send the files to your DMs; try export again in a minute.", Error: true}
			if err := a.respond(ctx, responseURL, owner, sorry, false); err != nil {
				a.log.Error("slack: telling of a failed export failed", "owner", owner.ID(), "err", err)
			}
		})
	}
	if !m.Error && !readOnly(word) {
		a.home.changed(owner)
	}
}

// answer runs work and waits for it up to the reply window. If the window
// passes first, late receives the message when work ends.
func (a *Adapter) answer(ctx context.Context, name string, work func(context.Context) bot.Message, late func(context.Context, bot.Message)) (bot.Message, bool) {
	ready := make(chan bot.Message)
	gaveUp := make(chan struct{})
	a.goWork(ctx, name, func(ctx context.Context) {
		m := a.safely(ctx, name, work)
		select {
		case ready <- m:
		case <-gaveUp:
			late(ctx, m)
		}
	})
	t := time.NewTimer(a.window)
	defer t.Stop()
	select {
	case m := <-ready:
		return m, true
	case <-t.C:
		close(gaveUp)
		return bot.Message{}, false
	}
}

// safely runs work, turning a panic into the internal-error reply so the
// user hears something and the process lives on.
func (a *Adapter) safely(ctx context.Context, name string, work func(context.Context) bot.Message) (m bot.Message) {
	if err := safe.Call(a.log, "slack "+name, func() error { m = work(ctx); return nil }); err != nil {
		m = errorMessage(reminders.Internal(err))
	}
	return m
}

// errorMessage is the reply for a failure of the adapter's own, in the bot's words.
func errorMessage(err error) bot.Message { return bot.Failure(err) }

// respond posts m to a response_url: ephemeral unless public, replacing the
// clicked message when replace. Without a response_url it goes to the DM.
func (a *Adapter) respond(ctx context.Context, responseURL string, owner reminders.Owner, m bot.Message, replace bool) error {
	if responseURL == "" {
		return a.SendDM(ctx, owner, m)
	}
	rt := slack.ResponseTypeEphemeral
	if m.Public {
		rt = slack.ResponseTypeInChannel
	}
	opts := append(msgOptions(m), slack.MsgOptionResponseURL(responseURL, rt))
	if replace {
		opts = append(opts, slack.MsgOptionReplaceOriginal(responseURL))
	}
	api, err := a.client(ctx, owner.Team)
	if err != nil {
		return err
	}
	_, _, err = api.PostMessageContext(ctx, "", opts...)
	if err != nil {
		return wrap("response_url", err)
	}
	return nil
}

// act runs the button clicks of one block_actions payload and puts each
// answer in place of the clicked message.
func (a *Adapter) act(ctx context.Context, cb slack.InteractionCallback) {
	team := cb.Team.ID
	owner := reminders.Owner{Platform: reminders.PlatformSlack, Team: team, User: cb.User.ID}
	for _, ba := range cb.ActionCallback.BlockActions {
		if actionName(ba.ActionID) == bot.ActOpenModal {
			a.openModal(ctx, team, cb.User.ID, cb.TriggerID, cb.ResponseURL, ba.Value, bot.Prefill{})
			continue
		}
		act := bot.Action{
			Owner: owner,
			Team:  reminders.NewTeamID(reminders.PlatformSlack, team),
			ID:    actionName(ba.ActionID),
			Value: actionValue(ba),
			Key:   actionKey(cb, ba),
		}
		m := a.safely(ctx, "action", func(ctx context.Context) bot.Message { return a.h.Act(ctx, act) })
		onHome := cb.Container.Type == "view" || cb.View.Type == slack.VTHomeTab
		switch {
		case m.Error:
		case onHome:
			a.home.opened(owner) // they are looking at it
		default:
			a.home.changed(owner)
		}
		var err error
		switch {
		case onHome:
			// A click on the Home tab: the refreshed tab shows the change;
			// anything else (a contact card) comes as a DM.
			if !m.Replace {
				err = a.SendDM(ctx, owner, m)
			}
		case cb.ResponseURL != "":
			err = a.respond(ctx, cb.ResponseURL, owner, m, m.Replace)
		case m.Replace && cb.Container.ChannelID != "" && cb.Container.MessageTs != "":
			var api *slack.Client
			if api, err = a.client(ctx, team); err != nil {
				break
			}
			_, _, _, err = api.UpdateMessageContext(ctx, cb.Container.ChannelID, cb.Container.MessageTs, msgOptions(m)...)
		default:
			err = a.SendDM(ctx, owner, m)
		}
		if err != nil {
			a.log.Error("slack: answering a click failed", "owner", owner.ID(), "action", act.ID, "err", err)
		}
	}
}

// commandKey names a slash command delivery: its trigger_id, which a retried
// delivery repeats; without one, the body itself.
func commandKey(c slack.SlashCommand, body []byte) string {
	if c.TriggerID != "" {
		return "slack:" + c.TeamID + ":cmd:" + c.TriggerID
	}
	return "slack:" + c.TeamID + ":body:" + digest(string(body))
}

// actionValue is what a click carries: a button's value, or the option
// picked in a menu.
func actionValue(ba *slack.BlockAction) string {
	if ba.Value == "" && ba.SelectedOption.Value != "" {
		return ba.SelectedOption.Value
	}
	return ba.Value
}

// actionKey names a click. On a message it is the message and the button,
// so a retried delivery and a second click of the same button share the key
// and the button acts once (docs/spec.md §3). On the Home tab, which is redrawn, it
// is the click itself (action_ts and trigger_id).
func actionKey(cb slack.InteractionCallback, ba *slack.BlockAction) string {
	prefix := "slack:" + cb.Team.ID + ":act:"
	if ts := cb.Container.MessageTs; ts != "" {
		return prefix + digest(cb.Container.ChannelID, ts, ba.BlockID, ba.ActionID, actionValue(ba))
	}
	return prefix + digest(ba.ActionTs, cb.TriggerID, ba.ActionID, actionValue(ba))
}

// digest is a short stable hash of its parts.
func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// firstWord is the sub-command of a command's text, lower-cased.
func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return strings.ToLower(f[0])
}

// ownerOf is the owner who typed a slash command.
func ownerOf(c slack.SlashCommand) reminders.Owner {
	return reminders.Owner{Platform: reminders.PlatformSlack, Team: c.TeamID, User: c.UserID}
}
