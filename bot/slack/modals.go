package slack

import (
	"context"
	"html"
	"regexp"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
)

// The shortcuts the manifest declares (deploy/slack-app-manifest.yaml); each
// is also the callback_id of the modal it opens, so a submission names its
// modal the same way.
const (
	ShortcutAddContact = "kith_add_contact" // global: opens "Add a contact"
	ShortcutLogMeeting = "kith_log_meeting" // on a message: opens "Log a meeting" with its author and text
)

// modalKinds maps a shortcut or view callback_id to the bot's modal kind.
var modalKinds = map[string]string{
	ShortcutAddContact: bot.ModalAddContact,
	ShortcutLogMeeting: bot.ModalLogMeeting,
}

// callbackID is the view callback_id of a modal kind.
func callbackID(kind string) string { return "kith_" + kind }

// authorLookup bounds the users.info call that names a message's author:
// views.open must follow within 3 seconds of the click, and an empty name
// the user can type is better than a form that never opens.
const authorLookup = 1200 * time.Millisecond

// shortcut opens the modal of a global or message shortcut. The trigger id
// expires 3 seconds after the click, so this runs as soon as it is acknowledged.
func (a *Adapter) shortcut(ctx context.Context, cb slack.InteractionCallback) {
	kind, ok := modalKinds[cb.CallbackID]
	if !ok {
		a.log.Warn("slack: unknown shortcut", "callback_id", cb.CallbackID)
		return
	}
	var p bot.Prefill
	if cb.Type == slack.InteractionTypeMessageAction {
		p = a.prefill(ctx, cb)
	}
	a.openModal(ctx, cb.Team.ID, cb.User.ID, cb.TriggerID, cb.ResponseURL, kind, p)
}

// prefill takes a message's author and text for "Log a meeting". A message of
// one's own leaves the name to fill in: it is rarely a meeting with oneself.
func (a *Adapter) prefill(ctx context.Context, cb slack.InteractionCallback) bot.Prefill {
	p := bot.Prefill{Note: plainText(cb.Message.Text)}
	author := cb.Message.User
	switch {
	case author == "" || author == cb.User.ID:
	case cb.Message.BotID != "":
		p.Name = cb.Message.Username
	default:
		p.Mention = author
		lookup, cancel := context.WithTimeout(ctx, authorLookup)
		p.Name = a.user(lookup, cb.Team.ID, author, profileTTL).Name
		cancel()
	}
	return p
}

// slackLink matches Slack's link markup, <https://url|label> or <https://url>.
var slackLink = regexp.MustCompile(`<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>`)

// plainText turns a message's mrkdwn into text fit for an input: links become
// their label, entities their characters. Mentions stay, so a note shows them as such.
func plainText(s string) string {
	s = slackLink.ReplaceAllStringFunc(s, func(m string) string {
		parts := slackLink.FindStringSubmatch(m)
		if parts[2] != "" {
			return parts[2]
		}
		return parts[1]
	})
	return strings.TrimSpace(html.UnescapeString(s))
}

// openModal asks the bot for the modal and opens it with views.open. When it
// cannot be opened, the user hears why through responseURL or their DM.
func (a *Adapter) openModal(ctx context.Context, team, user, trigger, responseURL, kind string, p bot.Prefill) {
	owner := reminders.Owner{Platform: reminders.PlatformSlack, Team: team, User: user}
	m, err := a.h.Modal(ctx, owner, kind, p)
	var api *slack.Client
	if err == nil {
		api, err = a.client(ctx, team)
	}
	if err == nil {
		_, err = api.OpenViewContext(ctx, trigger, modalView(m))
		if err != nil {
			a.log.Error("slack: views.open failed", "owner", owner.ID(), "err", err)
			err = reminders.Errorf(reminders.EUNAVAILABLE, "kith could not open the form in time; please try again.")
		}
	}
	if err == nil {
		return
	}
	if err := a.respond(ctx, responseURL, owner, errorMessage(err), false); err != nil {
		a.log.Error("slack: telling of a form that did not open failed", "owner", owner.ID(), "err", err)
	}
}

// Modal limits of Block Kit beyond those of bot.Modal.
const (
	maxViewButton   = 24
	maxInputText    = 3000
	maxPlaceholder  = 150
	maxInputHintLen = 2000
)

// modalView renders a bot.Modal as a Slack modal: one input block per input,
// whose block and action ids are the input's id.
func modalView(m bot.Modal) slack.ModalViewRequest {
	blocks := make([]slack.Block, 0, len(m.Inputs))
	for _, in := range m.Inputs {
		el := slack.NewPlainTextInputBlockElement(nil, in.ID)
		if in.Placeholder != "" {
			el.Placeholder = plain(in.Placeholder, maxPlaceholder)
		}
		el.InitialValue = truncate(in.Value, maxInputText)
		el.Multiline = in.Long
		if in.MaxLen > 0 {
			el.MaxLength = min(in.MaxLen, maxInputText)
		}
		blocks = append(blocks, slack.NewInputBlock(in.ID, plain(in.Label, maxInputHintLen), nil, el).WithOptional(!in.Required))
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callbackID(m.Kind),
		Title:           plain(m.Title, bot.MaxModalTitle),
		Submit:          plain(m.Submit, maxViewButton),
		Close:           plain("Cancel", maxViewButton),
		Blocks:          slack.Blocks{BlockSet: blocks},
		PrivateMetadata: m.State,
	}
}

// submission answers a view_submission: field errors keep the modal open
// with a sentence under each wrong input; a stored submission turns the
// modal into the bot's reply. Slack waits 3 seconds for the answer, so when
// the bot is slower the modal is closed (nil) and the reply goes to the DM.
func (a *Adapter) submission(ctx context.Context, cb slack.InteractionCallback) *slack.ViewSubmissionResponse {
	kind, ok := modalKinds[cb.View.CallbackID]
	if !ok {
		return nil // not a view of kith's: close it
	}
	owner := reminders.Owner{Platform: reminders.PlatformSlack, Team: cb.Team.ID, User: cb.User.ID}
	values := map[string]string{}
	if cb.View.State != nil {
		for block, actions := range cb.View.State.Values {
			if v, ok := actions[block]; ok {
				values[block] = v.Value
			}
		}
	}
	var res bot.Submitted
	work := func(ctx context.Context) bot.Message {
		u := a.user(ctx, cb.Team.ID, cb.User.ID, profileTTL)
		res = a.h.Submit(ctx, bot.Submission{
			Owner: owner, Team: reminders.NewTeamID(reminders.PlatformSlack, cb.Team.ID),
			Kind: kind, State: cb.View.PrivateMetadata, Values: values,
			Key:      "slack:" + cb.Team.ID + ":view:" + cb.View.ID,
			TimeZone: u.TimeZone, Name: u.Name,
		})
		if res.Errors == nil && !res.Reply.Error {
			a.home.changed(owner)
		}
		return res.Reply
	}
	late := func(ctx context.Context, m bot.Message) {
		if err := a.SendDM(ctx, owner, m); err != nil {
			a.log.Error("slack: late form reply failed", "owner", owner.ID(), "err", err)
		}
	}
	m, quick := a.answer(ctx, "submission", work, late)
	switch {
	case !quick:
		return nil
	case res.Errors != nil:
		return slack.NewErrorsViewSubmissionResponse(res.Errors)
	case m.Error:
		// Nothing was stored, and the input is worth keeping: show why on
		// the first input, so the user can submit again.
		if first := firstInput(cb.View); first != "" {
			return slack.NewErrorsViewSubmissionResponse(map[string]string{first: m.Text})
		}
	}
	return slack.NewUpdateViewSubmissionResponse(doneView(cb.View, m))
}

// doneView is the modal turned into the reply: the same title, the reply's
// blocks and one button to close it.
func doneView(v slack.View, m bot.Message) *slack.ModalViewRequest {
	blocks := homeBlocks(m)
	title := "kith"
	if v.Title != nil && v.Title.Text != "" {
		title = v.Title.Text
	}
	return &slack.ModalViewRequest{
		Type:   slack.VTModal,
		Title:  plain(title, bot.MaxModalTitle),
		Close:  plain("Done", maxViewButton),
		Blocks: slack.Blocks{BlockSet: blocks},
	}
}

// firstInput is the block id of a view's first input block.
func firstInput(v slack.View) string {
	for _, b := range v.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok {
			return in.BlockID
		}
	}
	return ""
}
