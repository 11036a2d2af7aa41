package slack

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
)

// outerEvent is the Events API envelope, read by hand so an inner event type
// slack-go does not know is ignored rather than rejected.
type outerEvent struct {
	Type      string          `json:"type"`
	Challenge string          `json:"challenge"`
	TeamID    string          `json:"team_id"`
	EventID   string          `json:"event_id"`
	Event     json.RawMessage `json:"event"`
}

// errMalformed marks a body that does not parse.
var errMalformed = errors.New("slack: malformed request")

// parseEvent reads an Events API body.
func parseEvent(body []byte) (outerEvent, error) {
	var ev outerEvent
	if err := json.Unmarshal(body, &ev); err != nil || ev.Type == "" {
		return ev, errMalformed
	}
	if ev.Type == slackevents.CallbackEvent && (ev.TeamID == "" || len(ev.Event) == 0) {
		return ev, errMalformed
	}
	return ev, nil
}

// uninstallEvent handles app_uninstalled and a tokens_revoked that takes the
// bot token, which must be done before the event is acknowledged; gone
// reports whether ev was one of them.
func (a *Adapter) uninstallEvent(ctx context.Context, ev outerEvent) (gone bool, err error) {
	var head struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(ev.Event, &head) != nil {
		return false, nil
	}
	switch {
	case head.Type == string(slackevents.AppUninstalled):
	case head.Type == string(slackevents.TokensRevoked) && revokesBot(ev.Event):
	default:
		return false, nil
	}
	return true, a.uninstalled(ctx, ev.TeamID)
}

// event handles one event_callback after it was acknowledged.
func (a *Adapter) event(ctx context.Context, ev outerEvent) {
	var head struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(ev.Event, &head) != nil {
		return
	}
	switch head.Type {
	case string(slackevents.AppHomeOpened):
		var e slackevents.AppHomeOpenedEvent
		if json.Unmarshal(ev.Event, &e) == nil && e.User != "" && (e.Tab == "home" || e.Tab == "") {
			a.home.opened(reminders.Owner{Platform: reminders.PlatformSlack, Team: ev.TeamID, User: e.User})
		}
	case string(slackevents.Message):
		var e slackevents.MessageEvent
		if json.Unmarshal(ev.Event, &e) != nil || e.Message == nil || !e.IsIM() || e.BotID != "" || e.User == "" || a.isKith(ctx, ev.TeamID, e.User) {
			return
		}
		for _, f := range e.Message.Files {
			a.importFile(ctx, ev.TeamID, e.User, e.Channel, f)
		}
	case string(slackevents.FileShared):
		var e slackevents.FileSharedEvent
		if json.Unmarshal(ev.Event, &e) != nil || !strings.HasPrefix(e.ChannelID, "D") || e.UserID == "" || a.isKith(ctx, ev.TeamID, e.UserID) {
			return
		}
		var f *slack.File
		api, err := a.client(ctx, ev.TeamID)
		if err == nil {
			f, _, _, err = api.GetFileInfoContext(ctx, e.FileID, 0, 0)
		}
		if err != nil {
			a.log.Warn("slack: files.info failed", "file", e.FileID, "err", err)
			return
		}
		a.importFile(ctx, ev.TeamID, e.UserID, e.ChannelID, *f)
	}
}

// importFile downloads a file shared with kith in a DM and hands it to the
// bot as `import`; the reply goes to the same DM. Slack reports one share as
// both a message and a file_shared event, so each file is taken once, and
// its id is the request key so a redelivery imports nothing twice.
func (a *Adapter) importFile(ctx context.Context, team, user, channel string, f slack.File) {
	if f.ID == "" || !a.files.first(team+":"+f.ID, a.cfg.Now()) {
		return
	}
	owner := reminders.Owner{Platform: reminders.PlatformSlack, Team: team, User: user}
	m := a.safely(ctx, "import", func(ctx context.Context) bot.Message {
		data, err := a.download(ctx, team, f)
		if err != nil {
			return errorMessage(err)
		}
		u := a.user(ctx, team, user, profileTTL)
		req := bot.Request{
			Owner:    owner,
			Team:     reminders.NewTeamID(reminders.PlatformSlack, team),
			Text:     "import",
			Key:      "slack:" + team + ":file:" + f.ID,
			Channel:  channel,
			TimeZone: u.TimeZone,
			Name:     u.Name,
			File:     &bot.File{Name: f.Name, Type: f.Mimetype, Data: data},
		}
		m := a.h.Command(ctx, req)
		a.after(ctx, owner, "import", "", &m)
		return m
	})
	if err := a.post(ctx, team, channel, m); err != nil {
		a.log.Error("slack: import reply failed", "owner", owner.ID(), "err", err)
	}
}

// download fetches a file's private URL with the workspace's bot token.
func (a *Adapter) download(ctx context.Context, team string, f slack.File) ([]byte, error) {
	if f.Size > bot.MaxImportBytes {
		return nil, bot.FileTooLarge(f.Name)
	}
	u := f.URLPrivateDownload
	if u == "" {
		u = f.URLPrivate
	}
	api, err := a.client(ctx, team)
	if err != nil {
		return nil, err
	}
	w := &capped{max: bot.MaxImportBytes}
	err = api.GetFileContext(ctx, u, w)
	if errors.Is(err, errTooBig) {
		return nil, bot.FileTooLarge(f.Name)
	}
	if err != nil {
		return nil, wrap("file download", err)
	}
	return w.buf, nil
}

var errTooBig = errors.New("slack: file too big")

// capped is a writer that refuses to grow past max bytes.
type capped struct {
	buf []byte
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	if len(c.buf)+len(p) > c.max {
		return 0, errTooBig
	}
	c.buf = append(c.buf, p...)
	return len(p), nil
}
