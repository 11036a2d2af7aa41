package slack

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/kith-bot/kith/reminders"
)

// workspaceTTL is how long a workspace's token, read from the store, is
// trusted before it is read again. An uninstall handled by this process
// stops its calls at once; one handled by another replica sharing the
// database reaches this one within this time (and Slack refuses the revoked
// token meanwhile).
const workspaceTTL = 30 * time.Second

// workspace is kith's client in one Slack workspace: the Web API with that
// workspace's bot token.
type workspace struct {
	api     *slack.Client // nil when err is set
	botUser string        // kith's own user there, to ignore its own messages
	err     error         // why kith cannot act there (not installed, uninstalled, a token it cannot open)
	read    time.Time     // when the entry was built, by the wall clock
	gone    atomic.Bool   // uninstalled: every call refused, even one already under way
	reload  bool          // a mark left by forget: read the store again
}

// workspaces caches the client of each workspace.
type workspaces struct {
	mu sync.Mutex
	m  map[string]*workspace // by Slack team id
}

// Why kith cannot act in a workspace; the messages name it.
var errGone = errors.New("slack: workspace uninstalled")

// client returns the Web API client of the workspace, with its own bot token
// when kith was installed there through OAuth, else SLACK_BOT_TOKEN.
func (a *Adapter) client(ctx context.Context, team string) (*slack.Client, error) {
	w := a.workspace(ctx, team)
	if w.err != nil {
		return nil, w.err
	}
	return w.api, nil
}

// workspace returns the cached workspace entry, reading the store when it is stale.
func (a *Adapter) workspace(ctx context.Context, team string) *workspace {
	a.spaces.mu.Lock()
	w := a.spaces.m[team]
	a.spaces.mu.Unlock()
	if w != nil && !w.reload && time.Since(w.read) < workspaceTTL {
		return w
	}
	w = a.loadWorkspace(ctx, team)
	if w.err != nil && reminders.ErrorCode(w.err) == reminders.EINTERNAL {
		return w // a store failure: not cached, the next call tries again
	}
	a.spaces.mu.Lock()
	if len(a.spaces.m) > 100000 {
		a.spaces.m = map[string]*workspace{} // bounded; entries are rebuilt from the store
	}
	// A stop or forget that came while the store was read is newer than it.
	if old := a.spaces.m[team]; old == nil || !old.read.After(w.read) {
		a.spaces.m[team] = w
	}
	a.spaces.mu.Unlock()
	return w
}

// loadWorkspace builds a workspace entry from the stored installation.
func (a *Adapter) loadWorkspace(ctx context.Context, team string) *workspace {
	w := &workspace{read: time.Now()}
	in, err := a.store.Installation(ctx, reminders.NewTeamID(reminders.PlatformSlack, team))
	switch {
	case reminders.ErrorCode(err) == reminders.ENOTFOUND:
		in = reminders.Installation{}
	case err != nil:
		w.err = reminders.Internal(err)
		return w
	case !in.Active():
		w.err = uninstalledErr(team)
		w.gone.Store(true)
		return w
	}
	if len(in.Token) > 0 {
		if a.cfg.SecretKey == nil {
			w.err = reminders.Errorf(reminders.EUNAVAILABLE, "The Slack token of workspace %s cannot be read: KITH_SECRET_KEY is not set.", team)
			return w
		}
		token, err := a.cfg.SecretKey.open(in.Token, team)
		if err != nil {
			w.err = reminders.Errorf(reminders.EUNAVAILABLE, "The Slack token of workspace %s cannot be decrypted with this KITH_SECRET_KEY (it was sealed with another key); set the old key again or reinstall kith in that workspace.", team)
			a.log.Error("slack: cannot open a workspace's token", "team", team, "err", w.err)
			return w
		}
		w.api = a.newClient(string(token), w)
		w.botUser = in.BotUser
		return w
	}
	bt, _ := a.botTeam.Load().(string)
	if a.cfg.BotToken == "" || a.botRefused.Load() || (bt != "" && bt != team) {
		w.err = reminders.Errorf(reminders.EUNAVAILABLE, "kith is not installed in Slack workspace %s; install it through /slack/install.", team)
		return w
	}
	w.api = a.newClient(a.cfg.BotToken, w)
	w.botUser, _ = a.botUserID.Load().(string)
	return w
}

// uninstalledErr says kith was removed from a workspace.
func uninstalledErr(team string) error {
	return &reminders.Error{Code: reminders.EUNAVAILABLE, Err: errGone,
		Message: "kith was uninstalled from Slack workspace " + team + "; nothing is sent there until it is installed again."}
}

// newClient builds a Web API client with token whose every request first
// checks that the workspace was not uninstalled meanwhile.
func (a *Adapter) newClient(token string, w *workspace) *slack.Client {
	return slack.New(token,
		slack.OptionAPIURL(a.cfg.APIURL),
		slack.OptionHTTPClient(gate{w: w, next: a.http}),
		slack.OptionLog(slogPrinter{a.log}),
	)
}

// gate refuses every request of an uninstalled workspace's client, so a
// delivery already under way when the uninstall arrives sends nothing more.
type gate struct {
	w    *workspace
	next *http.Client
}

// Do sends the request unless the workspace is gone.
func (g gate) Do(r *http.Request) (*http.Response, error) {
	if g.w.gone.Load() {
		return nil, errGone
	}
	return g.next.Do(r)
}

// forget drops the cached entry of a workspace after an install, so the
// next call reads the new token.
func (a *Adapter) forget(team string) {
	a.spaces.mu.Lock()
	a.spaces.m[team] = &workspace{reload: true, read: time.Now()}
	a.spaces.mu.Unlock()
}

// stop marks a workspace uninstalled in this process at once: calls under
// way with its token are refused from their next request on, and new ones
// get the reason, before the store even records the uninstall.
func (a *Adapter) stop(team string) {
	w := &workspace{err: uninstalledErr(team), read: time.Now()}
	w.gone.Store(true)
	a.spaces.mu.Lock()
	if old := a.spaces.m[team]; old != nil {
		old.gone.Store(true)
	}
	a.spaces.m[team] = w
	a.spaces.mu.Unlock()
}

// isKith reports whether user is kith's own bot user in the workspace.
func (a *Adapter) isKith(ctx context.Context, team, user string) bool {
	if bu, _ := a.botUserID.Load().(string); bu != "" && bu == user {
		return true
	}
	w := a.workspace(ctx, team)
	return w.botUser != "" && w.botUser == user
}

// gone reports whether an error comes from an uninstalled workspace.
func gone(err error) bool { return errors.Is(err, errGone) }
