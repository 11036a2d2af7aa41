package slack

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/internal/pace"
	"github.com/kith-bot/kith/reminders"
)

// SendDM sends m to the owner's direct-message channel with kith. It opens
// the channel each time; deliveries go through the bot, which caches it.
func (a *Adapter) SendDM(ctx context.Context, to reminders.Owner, m bot.Message) error {
	ch, err := a.OpenDM(ctx, to)
	if err != nil {
		return skipGone(err)
	}
	return a.PostDM(ctx, to, ch, m)
}

// PostDM sends m to the owner's DM channel.
func (a *Adapter) PostDM(ctx context.Context, to reminders.Owner, channel string, m bot.Message) error {
	return a.Post(ctx, reminders.NewTeamID(reminders.PlatformSlack, to.Team), channel, m)
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
	_, _, err = api.PostMessageContext(ctx, channel, msgOptions(m)...)
	if err != nil {
		return wrap("chat.postMessage", err)
	}
	// The message went: its files wait out any pause, since handing the
	// delivery back (reminders.Deferred) would say nothing was sent.
	return a.upload(reminders.WithWaitLimit(ctx, 0), api, channel, m.Files)
}

// upload shares files in a channel through files.getUploadURLExternal, the
// upload URL Slack returns, and files.completeUploadExternal.
func (a *Adapter) upload(ctx context.Context, api *slack.Client, channel string, files []bot.File) error {
	for _, f := range files {
		if len(f.Data) == 0 {
			continue
		}
		_, err := api.UploadFileContext(ctx, slack.UploadFileParameters{
			Reader:   bytes.NewReader(f.Data),
			FileSize: len(f.Data),
			Filename: f.Name,
			Title:    f.Name,
			Channel:  channel,
		})
		if err != nil {
			return wrap("files upload", err)
		}
	}
	return nil
}

// OpenDM asks Slack, with the workspace's token, for the owner's DM channel with kith.
func (a *Adapter) OpenDM(ctx context.Context, to reminders.Owner) (string, error) {
	if to.Platform != reminders.PlatformSlack {
		return "", reminders.Errorf(reminders.EINVALID, "%s is not a Slack user.", to.ID())
	}
	api, err := a.client(ctx, to.Team)
	if err != nil {
		return "", err
	}
	ch, _, _, err := api.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{to.User}, ReturnIM: true})
	if err != nil {
		return "", wrap("conversations.open", err)
	}
	return ch.ID, nil
}

// historyPages bounds the pages of conversations.history read to find one
// slot's message: the search starts at the slot, so it is among the first
// messages unless the channel is very busy, and a failed search only risks
// the rare duplicate it exists to prevent.
const historyPages = 5

// Posted looks for a message carrying the mark in the channel since its
// slot, through conversations.history with include_all_metadata (spec §7).
// An uninstalled workspace counts as posted: nothing is to be sent there.
func (a *Adapter) Posted(ctx context.Context, team reminders.TeamID, channel string, mark bot.Mark) (bool, error) {
	api, err := a.client(ctx, team.Local())
	if gone(err) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	p := &slack.GetConversationHistoryParameters{
		ChannelID:          channel,
		Oldest:             strconv.FormatInt(mark.Slot.Unix(), 10),
		Limit:              200,
		IncludeAllMetadata: true,
	}
	for range historyPages {
		res, err := api.GetConversationHistoryContext(ctx, p)
		if err != nil {
			return false, wrap("conversations.history", err)
		}
		for _, msg := range res.Messages {
			if msg.Metadata.EventType == mark.Kind && fmt.Sprint(msg.Metadata.EventPayload["slot"]) == mark.SlotText() {
				return true, nil
			}
		}
		if !res.HasMore || res.ResponseMetaData.NextCursor == "" {
			return false, nil
		}
		p.Cursor = res.ResponseMetaData.NextCursor
	}
	return false, nil
}

// unreachable are the Slack errors that say a DM can never reach the user
// (spec §7), or that kith's token for the workspace no longer works.
var unreachable = map[string]string{
	"cannot_dm_bot":     "Slack does not let kith send direct messages to a bot user",
	"user_not_found":    "Slack cannot find the user",
	"account_inactive":  "the Slack account is deactivated",
	"channel_not_found": "Slack cannot find the direct-message channel",
	"token_revoked":     "kith's access to the workspace was revoked",
	"invalid_auth":      "kith's token for the workspace is no longer valid",
}

// wrap makes a Slack failure a kith error that names the method for logs:
// a *reminders.Deferred when the workspace's bucket is paused for longer
// than the delivery may wait (the call was not made, or Slack refused it
// with a 429), so the scheduler hands the job back and serves other
// workspaces meanwhile; EUNREACHABLE when Slack says the message can never
// go through, so the owner's digests pause instead of retrying; internal
// otherwise.
func wrap(method string, err error) error {
	var paused *pace.PausedError
	if errors.As(err, &paused) {
		return &reminders.Deferred{Wait: paused.For, Err: fmt.Errorf("slack %s: %w", method, err)}
	}
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		if why, ok := unreachable[se.Err]; ok {
			return &reminders.Error{Code: reminders.EUNREACHABLE, Message: why + ".", Err: fmt.Errorf("slack %s: %w", method, err)}
		}
	}
	return reminders.Internal(fmt.Errorf("slack %s: %w", method, err))
}

// DefaultPace is where a workspace's pace starts and how far it may go.
// Slack publishes per-method tiers, not a workspace total, so kith starts
// at a rate most workspaces allow, doubles it each second until Slack
// answers 429, and from then on keeps a little under what Slack accepted.
// Burst 1: after a pause the bucket starts empty, so the first second after
// a 429 does not overshoot again.
var DefaultPace = pace.Limits{Start: 100, Max: 1000, Burst: 1}

// pacedClient wraps base so that every Web API call waits its turn in its
// workspace's bucket for its method. Slack limits each method per workspace
// (chat.postMessage apart from conversations.open), so one bucket per
// workspace and method learns each limit without the mix of methods of the
// moment blurring it; every send to a workspace (digests, summaries,
// replies) is a chat.postMessage and shares one bucket (spec §7). The bucket
// is named by the call's token (a digest of it, never the token); calls
// without one (response_url replies, the OAuth exchange) are not workspace
// Web API calls and pass unpaced.
func pacedClient(base *http.Client, p *pace.Pacer) *http.Client {
	c := *base
	next := base.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c.Transport = &pace.Transport{Next: next, Pacer: p, Key: bucketKey, MaxWait: maxWait}
	return &c
}

// maxWait is how long a call may wait out its bucket's pause: as long as it
// lasts for a reply, which has nothing else to do, and the scheduler's
// WaitLimit for a delivery, whose worker can serve other workspaces
// meanwhile (spec §7).
func maxWait(r *http.Request) time.Duration { return reminders.WaitLimit(r.Context()) }

// bucketKey names a request's bucket after its bot token (the
// Authorization header, or the form's token field, as slack-go sends
// either) and its Web API method.
func bucketKey(r *http.Request) string {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if tok == "" && r.GetBody != nil && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		tok = formToken(r)
	}
	if tok == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(tok))
	return "slack:" + hex.EncodeToString(sum[:8]) + ":" + path.Base(r.URL.Path)
}

// formToken reads the token field of a form body without parsing the rest
// (a message's blocks can be large, and every call pays this).
func formToken(r *http.Request) string {
	body, err := r.GetBody()
	if err != nil {
		return ""
	}
	defer body.Close()
	form, err := io.ReadAll(io.LimitReader(body, 1<<20))
	if err != nil {
		return ""
	}
	for field := range strings.SplitSeq(string(form), "&") {
		if v, ok := strings.CutPrefix(field, "token="); ok {
			tok, _ := url.QueryUnescape(v)
			return tok
		}
	}
	return ""
}
