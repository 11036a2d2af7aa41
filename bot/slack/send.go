package slack

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/internal/backoff"
	"github.com/kith-bot/kith/reminders"
)

// maxAttempts bounds how often one Web API call is tried when Slack answers
// 429; the scheduler retries a failed digest later, so giving up is safe.
const maxAttempts = 5

// retry runs one Web API call, waiting out 429 answers (Retry-After) in the
// caller's goroutine, so one owner's rate-limited delivery never holds up
// another's. A 429 means Slack did nothing, so trying again cannot duplicate.
func (a *Adapter) retry(ctx context.Context, call func(ctx context.Context) error) error {
	for attempt := 1; ; attempt++ {
		err := call(ctx)
		var rl *slack.RateLimitedError
		if err == nil || !errors.As(err, &rl) || attempt == maxAttempts {
			return err
		}
		a.log.Warn("slack: rate limited", "retry_after", rl.RetryAfter, "attempt", attempt)
		if err := backoff.Sleep(ctx, rl.RetryAfter); err != nil {
			return reminders.Internal(fmt.Errorf("slack: rate limited and %w", err))
		}
	}
}

// SendDM sends m to the owner's direct-message channel with kith.
func (a *Adapter) SendDM(ctx context.Context, to reminders.Owner, m bot.Message) error {
	if to.Platform != reminders.PlatformSlack {
		return reminders.Errorf(reminders.EINVALID, "%s is not a Slack user.", to.ID())
	}
	ch, err := a.dmChannel(ctx, to)
	if err == nil {
		err = a.post(ctx, to.Team, ch, m)
	}
	if isStaleChannel(err) {
		// The cached DM channel is gone (workspace migration, app reinstall):
		// open it afresh once.
		if ch, err = a.openDM(ctx, to); err == nil {
			err = a.post(ctx, to.Team, ch, m)
		}
	}
	return skipGone(err)
}

// skipGone makes sending to an uninstalled workspace a success that sent
// nothing: the slot of a digest or summary passes instead of being retried
// until the workspace's data is deleted, and a reinstall resumes with the
// next one.
func skipGone(err error) error {
	if gone(err) {
		return nil
	}
	return err
}

// Post sends m to a channel of the team.
func (a *Adapter) Post(ctx context.Context, team reminders.TeamID, channel string, m bot.Message) error {
	if team.Platform() != reminders.PlatformSlack {
		return reminders.Errorf(reminders.EINVALID, "%s is not a Slack workspace.", team)
	}
	return skipGone(a.post(ctx, team.Local(), channel, m))
}

// post sends a message and then its files to a channel of the workspace.
func (a *Adapter) post(ctx context.Context, team, channel string, m bot.Message) error {
	api, err := a.client(ctx, team)
	if err != nil {
		return err
	}
	err = a.retry(ctx, func(ctx context.Context) error {
		_, _, err := api.PostMessageContext(ctx, channel, msgOptions(m)...)
		return err
	})
	if err != nil {
		return wrap("chat.postMessage", err)
	}
	return a.upload(ctx, api, channel, m.Files)
}

// upload shares files in a channel through files.getUploadURLExternal, the
// upload URL Slack returns, and files.completeUploadExternal.
func (a *Adapter) upload(ctx context.Context, api *slack.Client, channel string, files []bot.File) error {
	for _, f := range files {
		if len(f.Data) == 0 {
			continue
		}
		err := a.retry(ctx, func(ctx context.Context) error {
			_, err := api.UploadFileContext(ctx, slack.UploadFileParameters{
				Reader:   bytes.NewReader(f.Data),
				FileSize: len(f.Data),
				Filename: f.Name,
				Title:    f.Name,
				Channel:  channel,
			})
			return err
		})
		if err != nil {
			return wrap("files upload", err)
		}
	}
	return nil
}

// dmChannel returns the owner's DM channel, from Settings.DM when cached.
func (a *Adapter) dmChannel(ctx context.Context, to reminders.Owner) (string, error) {
	var ch string
	err := a.store.View(ctx, to.ID(), func(tx reminders.OwnerTx) error {
		s, err := tx.Settings()
		ch = s.DM
		return err
	})
	if err != nil {
		return "", reminders.Internal(err)
	}
	if ch != "" {
		return ch, nil
	}
	return a.openDM(ctx, to)
}

// openDM asks Slack for the owner's DM channel and caches it in the settings.
func (a *Adapter) openDM(ctx context.Context, to reminders.Owner) (string, error) {
	api, err := a.client(ctx, to.Team)
	if err != nil {
		return "", err
	}
	var ch *slack.Channel
	err = a.retry(ctx, func(ctx context.Context) error {
		var err error
		ch, _, _, err = api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{to.User}, ReturnIM: true})
		return err
	})
	if err != nil {
		return "", wrap("conversations.open", err)
	}
	id := ch.ID
	err = a.store.Update(ctx, to.ID(), reminders.Change{Now: a.cfg.Now()}, func(tx reminders.OwnerTx) error {
		s, err := tx.Settings()
		if err != nil {
			return err
		}
		if s.DM == id {
			return nil
		}
		s.DM = id
		return tx.PutSettings(s)
	})
	if err != nil {
		// The message can still go out; the next digest opens the channel again.
		a.log.Warn("slack: caching DM channel failed", "owner", to.ID(), "err", err)
	}
	return id, nil
}

// isStaleChannel reports whether Slack says the channel no longer works.
func isStaleChannel(err error) bool {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "channel_not_found", "is_archived", "not_in_channel":
			return true
		}
	}
	return false
}

// wrap makes a Slack failure an internal error that names the method for logs.
func wrap(method string, err error) error {
	return reminders.Internal(fmt.Errorf("slack %s: %w", method, err))
}
