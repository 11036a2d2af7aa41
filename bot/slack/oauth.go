package slack

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/kith-bot/kith/reminders"
)

// AuthorizeURL is Slack's page where an admin approves the installation.
const AuthorizeURL = "https://slack.com/oauth/v2/authorize"

// CallbackPath is where Slack sends the admin's browser back; KITH_PUBLIC_URL
// plus this path is the redirect URL of the app.
const CallbackPath = "/slack/oauth/callback"

// StateTTL is how long an installation link stays valid: long enough to read
// Slack's consent page, short enough that a leaked link soon expires.
const StateTTL = 10 * time.Minute

// stateCookie binds a state to the browser that asked for it.
const stateCookie = "kith_slack_state"

// CheckPublicURL validates KITH_PUBLIC_URL: https, or http on this machine
// for trying kith out.
func CheckPublicURL(s string) error {
	u, err := url.Parse(s)
	local := err == nil && u.Scheme == "http" && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1" || u.Hostname() == "::1")
	if s == "" || err != nil || u.Host == "" || (u.Scheme != "https" && !local) || u.RawQuery != "" || u.Fragment != "" {
		return reminders.Errorf(reminders.EINVALID, "KITH_PUBLIC_URL=%q is not an https base URL; set it to the address Slack reaches kith at, e.g. https://kith.example.com.", s)
	}
	return nil
}

// redirectURI is the OAuth redirect URL registered with the app.
func (a *Adapter) redirectURI() string {
	return strings.TrimRight(a.cfg.PublicURL, "/") + CallbackPath
}

// registerInstall adds the install routes when OAuth is configured.
func (a *Adapter) registerInstall(mux *http.ServeMux) {
	if a.cfg.ClientID == "" {
		return
	}
	mux.HandleFunc("GET /slack/install", a.serveInstall)
	mux.HandleFunc("GET "+CallbackPath, a.serveCallback)
}

// serveInstall sends the browser to Slack's consent page with a fresh state,
// and keeps the same state in a cookie only this browser sends back. Nothing
// is stored: the state is signed, so an anonymous visit costs no write.
func (a *Adapter) serveInstall(w http.ResponseWriter, r *http.Request) {
	state := a.newState(a.cfg.Now())
	http.SetCookie(w, &http.Cookie{
		Name: stateCookie, Value: state, Path: CallbackPath, MaxAge: int(StateTTL / time.Second),
		HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode,
	})
	q := url.Values{
		"client_id":    {a.cfg.ClientID},
		"scope":        {strings.Join(BotScopes, ",")},
		"redirect_uri": {a.redirectURI()},
		"state":        {state},
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, AuthorizeURL+"?"+q.Encode(), http.StatusFound)
}

// newState makes a state: a random nonce and its expiry, signed.
func (a *Adapter) newState(now time.Time) string {
	payload := make([]byte, 16+8)
	if _, err := rand.Read(payload[:16]); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	binary.BigEndian.PutUint64(payload[16:], uint64(now.Add(StateTTL).Unix()))
	return base64.RawURLEncoding.EncodeToString(payload) + "." + base64.RawURLEncoding.EncodeToString(a.stateMAC(payload))
}

func (a *Adapter) stateMAC(payload []byte) []byte {
	m := hmac.New(sha256.New, a.cfg.SecretKey.stateKey())
	m.Write(payload)
	return m.Sum(nil)
}

// installError is a failed installation: the status and the sentence the page shows.
type installError struct {
	status int
	msg    string
}

func (e *installError) Error() string { return e.msg }

func badInstall(msg string) *installError { return &installError{http.StatusBadRequest, msg} }

// checkState accepts a state once: signed by this deployment, not expired,
// the one this browser's cookie holds, and never used before on any replica.
func (a *Adapter) checkState(ctx context.Context, r *http.Request, now time.Time) error {
	state := r.URL.Query().Get("state")
	cookie, err := r.Cookie(stateCookie)
	if err != nil || cookie.Value == "" {
		return badInstall("This page was not opened in the browser that started the installation, or its cookie was blocked; start again from the install link in the same browser.")
	}
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(cookie.Value)) != 1 {
		return badInstall("This installation was started in another browser or tab; start again from the install link.")
	}
	p, sig, ok := strings.Cut(state, ".")
	payload, err1 := base64.RawURLEncoding.DecodeString(p)
	mac, err2 := base64.RawURLEncoding.DecodeString(sig)
	if !ok || err1 != nil || err2 != nil || len(payload) != 24 || !hmac.Equal(mac, a.stateMAC(payload)) {
		return badInstall("This installation link is not valid; start again from the install link.")
	}
	expires := time.Unix(int64(binary.BigEndian.Uint64(payload[16:])), 0)
	if !now.Before(expires) {
		return badInstall("This installation link expired after 10 minutes; start again from the install link.")
	}
	err = a.store.UseOnce(ctx, "slack-oauth:"+hex.EncodeToString(payload[:16]), now, expires)
	if reminders.ErrorCode(err) == reminders.EDUPLICATE {
		return badInstall("This installation link was already used; start again from the install link.")
	}
	if err != nil {
		return err
	}
	return nil
}

// serveCallback finishes an installation: it checks the state, exchanges the
// code through oauth.v2.access and stores the installation with its token
// sealed, then answers a page that says it worked or why not.
func (a *Adapter) serveCallback(w http.ResponseWriter, r *http.Request) {
	// The cookie has done its work, whatever happens next.
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Path: CallbackPath, MaxAge: -1, HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
	in, err := a.install(r.Context(), r)
	if err != nil {
		var ie *installError
		if !errors.As(err, &ie) {
			a.log.Error("slack: installation failed", "err", err)
			ie = &installError{http.StatusInternalServerError, "kith could not store the installation; try again in a minute."}
		}
		writePage(w, ie.status, page{Title: "kith was not installed", Text: ie.msg, Again: true})
		return
	}
	a.log.Info("slack: installed", "team", in.Team, "enterprise", in.Enterprise, "installed_by", in.InstalledBy, "scopes", strings.Join(in.Scopes, ","))
	writePage(w, http.StatusOK, page{Title: "kith is installed", Text: "kith is now in your Slack workspace. Type " + a.cfg.Command + " help in any channel to start, or open kith in the Apps section of the sidebar; everyone's contacts stay private to them.", Done: true})
}

// install runs the callback's checks and the code exchange; it stores
// nothing unless every step succeeded.
func (a *Adapter) install(ctx context.Context, r *http.Request) (reminders.Installation, error) {
	var in reminders.Installation
	now := a.cfg.Now()
	q := r.URL.Query()
	if err := a.checkState(ctx, r, now); err != nil {
		return in, err
	}
	if e := q.Get("error"); e != "" {
		return in, badInstall("The installation was cancelled in Slack (" + e + "); nothing was installed.")
	}
	if q.Get("code") == "" {
		return in, badInstall("Slack sent no authorization code; start again from the install link.")
	}
	res, err := slack.GetOAuthV2ResponseContext(ctx, a.http, a.cfg.ClientID, a.cfg.ClientSecret, q.Get("code"), a.redirectURI(), slack.OAuthOptionAPIURL(a.cfg.APIURL))
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		return in, badInstall("Slack refused the installation (" + se.Err + "); start again from the install link.")
	}
	if err != nil {
		return in, &installError{http.StatusBadGateway, "kith could not reach Slack to finish the installation; try again in a minute."}
	}
	if res.IsEnterpriseInstall || res.Team.ID == "" {
		return in, badInstall("kith is installed one workspace at a time, not across an Enterprise Grid organization; install it in each workspace.")
	}
	if res.AccessToken == "" || res.TokenType != "bot" {
		return in, badInstall("Slack returned no bot token; check that the app has a bot user and start again.")
	}
	team := res.Team.ID
	in = reminders.Installation{
		Team:        reminders.NewTeamID(reminders.PlatformSlack, team),
		Enterprise:  res.Enterprise.ID,
		BotUser:     res.BotUserID,
		Token:       a.cfg.SecretKey.seal([]byte(res.AccessToken), team),
		Scopes:      strings.Split(res.Scope, ","),
		InstalledBy: res.AuthedUser.ID,
		InstalledAt: now,
	}
	if err := reminders.Install(ctx, a.store, in); err != nil {
		return in, err
	}
	a.forget(team)
	return in, nil
}

// uninstalled handles app_uninstalled and tokens_revoked before they are
// acknowledged: sending to the workspace stops in this process at once, then
// the store records it (so other replicas and restarts stop too) and plans
// the deletion of the workspace's data. An error leaves the event
// unacknowledged, so Slack delivers it again.
func (a *Adapter) uninstalled(ctx context.Context, team string) error {
	a.stop(team)
	err := reminders.Uninstall(ctx, a.store, reminders.NewTeamID(reminders.PlatformSlack, team), a.cfg.Now(), a.cfg.Retention)
	if err != nil {
		return err
	}
	a.log.Info("slack: uninstalled; nothing more is sent there", "team", team, "data_deleted_after", a.cfg.Retention)
	return nil
}

// revokesBot reports whether a tokens_revoked event takes kith's bot token;
// user tokens, which kith never asks for, do not matter.
func revokesBot(event []byte) bool {
	var e struct {
		Tokens struct {
			Bot []string `json:"bot"`
		} `json:"tokens"`
	}
	return json.Unmarshal(event, &e) == nil && len(e.Tokens.Bot) > 0
}

// resume records that SLACK_BOT_TOKEN works in its workspace: if kith had
// been uninstalled there, it was installed again outside OAuth and everything
// resumes, including the data kept for the retention window.
func (a *Adapter) resume(ctx context.Context, team, botUser string) {
	id := reminders.NewTeamID(reminders.PlatformSlack, team)
	in, err := a.store.Installation(ctx, id)
	if err != nil || in.Active() {
		return
	}
	err = reminders.Install(ctx, a.store, reminders.Installation{Team: id, BotUser: botUser, InstalledAt: a.cfg.Now()})
	if err != nil {
		a.log.Error("slack: cannot record that SLACK_BOT_TOKEN works again", "team", team, "err", err)
		return
	}
	a.log.Info("slack: SLACK_BOT_TOKEN works again in an uninstalled workspace; it is installed again", "team", team)
}

// checkTokens opens every stored token once at start, so a token sealed with
// another key is reported at once, naming its workspace, rather than at the
// next digest; the other workspaces keep working either way.
func (a *Adapter) checkTokens(ctx context.Context) {
	all, err := a.store.Installations(ctx)
	if err != nil {
		a.log.Error("slack: cannot list the installations", "err", err)
		return
	}
	for _, in := range all {
		if in.Team.Platform() == reminders.PlatformSlack && in.Active() && len(in.Token) > 0 {
			a.workspace(ctx, in.Team.Local()) // logs a token it cannot open
		}
	}
}
