package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// Register adds the install routes when OAuth is configured, and the signed
// Slack routes to mux; without a signing secret there is nothing to verify
// requests with, so those are not added.
func (a *Adapter) Register(mux *http.ServeMux) {
	a.registerInstall(mux)
	if a.cfg.SigningSecret == "" {
		return
	}
	mux.HandleFunc("POST /slack/commands", a.serveCommand)
	mux.HandleFunc("POST /slack/interactions", a.serveInteraction)
	mux.HandleFunc("POST /slack/events", a.serveEvent)
}

// serveCommand answers a slash command: in the response when the bot is
// quick, else with an empty acknowledgement and a later response_url post.
func (a *Adapter) serveCommand(w http.ResponseWriter, r *http.Request) {
	body, ok := a.readSigned(w, r)
	if !ok {
		return
	}
	vals, err := url.ParseQuery(string(body))
	c := slashCommand(vals)
	if err != nil || c.TeamID == "" || c.UserID == "" {
		http.Error(w, "malformed slash command", http.StatusBadRequest)
		return
	}
	m, quick := a.command(r.Context(), c, commandKey(c, body))
	if !quick {
		w.WriteHeader(http.StatusOK)
		return
	}
	writeJSON(w, reply(m))
}

// serveInteraction acknowledges a click at once (Slack ignores the body of
// a block_actions response) and answers it through response_url.
func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request) {
	body, ok := a.readSigned(w, r)
	if !ok {
		return
	}
	cb, err := parseInteraction(body)
	if err != nil {
		http.Error(w, "malformed interaction", http.StatusBadRequest)
		return
	}
	if cb.Type == slack.InteractionTypeViewSubmission {
		// The answer rides in the response: field errors, or the modal's next view.
		if resp := a.submission(r.Context(), cb); resp != nil {
			writeJSON(w, resp)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
	a.interact(r.Context(), cb)
}

// interact handles, after its acknowledgement, an interaction that needs no
// answer in the response: clicks and shortcuts.
func (a *Adapter) interact(ctx context.Context, cb slack.InteractionCallback) {
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		a.goWork(ctx, "action", func(ctx context.Context) { a.act(ctx, cb) })
	case slack.InteractionTypeShortcut, slack.InteractionTypeMessageAction:
		a.goWork(ctx, "shortcut", func(ctx context.Context) { a.shortcut(ctx, cb) })
	}
}

// serveEvent answers url_verification and acknowledges other events at once,
// handling them afterwards so Slack does not retry them.
func (a *Adapter) serveEvent(w http.ResponseWriter, r *http.Request) {
	body, ok := a.readSigned(w, r)
	if !ok {
		return
	}
	ev, err := parseEvent(body)
	if err != nil {
		http.Error(w, "malformed event", http.StatusBadRequest)
		return
	}
	switch ev.Type {
	case slackevents.URLVerification:
		writeJSON(w, map[string]string{"challenge": ev.Challenge})
	case slackevents.CallbackEvent:
		if gone, err := a.uninstallEvent(r.Context(), ev); gone {
			if err != nil {
				a.log.Error("slack: recording an uninstall failed; Slack will send it again", "team", ev.TeamID, "err", err)
				http.Error(w, "try again", http.StatusInternalServerError)
				return
			}
			w.WriteHeader(http.StatusOK)
			return
		}
		w.WriteHeader(http.StatusOK)
		a.goWork(r.Context(), "event", func(ctx context.Context) { a.event(ctx, ev) })
	default:
		w.WriteHeader(http.StatusOK)
	}
}

// parseInteraction reads the payload form field of an interaction request.
func parseInteraction(body []byte) (slack.InteractionCallback, error) {
	var cb slack.InteractionCallback
	vals, err := url.ParseQuery(string(body))
	if err != nil || vals.Get("payload") == "" {
		return cb, errMalformed
	}
	if err := json.Unmarshal([]byte(vals.Get("payload")), &cb); err != nil {
		return cb, errMalformed
	}
	normalize(&cb)
	if !wellFormed(cb) {
		return cb, errMalformed
	}
	return cb, nil
}

// wellFormed reports whether an interaction kith acts on names its workspace
// and user; other kinds are acknowledged and ignored.
func wellFormed(cb slack.InteractionCallback) bool {
	switch cb.Type {
	case slack.InteractionTypeBlockActions, slack.InteractionTypeShortcut, slack.InteractionTypeMessageAction, slack.InteractionTypeViewSubmission:
		return cb.Team.ID != "" && cb.User.ID != ""
	}
	return true
}

// slashCommand reads the form fields Slack posts for a slash command.
func slashCommand(v url.Values) slack.SlashCommand {
	return slack.SlashCommand{
		TeamID:      v.Get("team_id"),
		ChannelID:   v.Get("channel_id"),
		UserID:      v.Get("user_id"),
		UserName:    v.Get("user_name"),
		Command:     v.Get("command"),
		Text:        v.Get("text"),
		ResponseURL: v.Get("response_url"),
		TriggerID:   v.Get("trigger_id"),
		APIAppID:    v.Get("api_app_id"),
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// normalize fills the workspace from the user where Slack leaves the team
// out (Enterprise Grid), so the owner id matches the one of slash commands.
func normalize(cb *slack.InteractionCallback) {
	if cb.Team.ID == "" {
		cb.Team.ID = cb.User.TeamID
	}
}
