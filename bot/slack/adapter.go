// Package slack puts kith on Slack: the signed HTTP routes (slash command,
// block actions, Events API), Socket Mode, Block Kit rendering, the App Home
// tab and delivery of digests and summaries through the Web API.
package slack

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/internal/backoff"
	"github.com/kith-bot/kith/internal/pace"
	"github.com/kith-bot/kith/internal/safe"
	"github.com/kith-bot/kith/reminders"
)

// DefaultAPIURL is Slack's Web API base URL.
const DefaultAPIURL = "https://slack.com/api/"

// DefaultReplyWindow is how long a command may take before its reply goes
// through response_url instead of the HTTP response; it leaves a second of
// Slack's three for the network.
const DefaultReplyWindow = 2 * time.Second

// workTimeout bounds one command, click or event handled after the HTTP
// response went out, so a stuck Slack call cannot pin a goroutine forever.
const workTimeout = time.Minute

// Config configures the Slack adapter.
type Config struct {
	// BotToken (xoxb-) authenticates Web API calls in its one workspace;
	// SigningSecret enables the HTTP routes; AppToken (xapp-) enables Socket Mode.
	BotToken, SigningSecret, AppToken string
	// ClientID and ClientSecret are the app's OAuth credentials: with them
	// kith can be installed in any number of workspaces (/slack/install).
	ClientID, ClientSecret string
	// PublicURL is the https base URL Slack redirects browsers to; required with ClientID.
	PublicURL string
	// SecretKey seals installed workspaces' tokens and signs OAuth states;
	// required with ClientID, and to read tokens already stored.
	SecretKey *Key
	// Retention is how long an uninstalled workspace's data is kept;
	// reminders.DefaultUninstallRetention when 0.
	Retention time.Duration
	// APIURL is the Web API base URL; every Web API call goes there.
	APIURL string
	// Command is the slash command, "/kith".
	Command string
	// Now is the clock for signature windows; time.Now when nil.
	Now func() time.Time
	// Logger receives the adapter's logs; slog.Default() when nil.
	Logger *slog.Logger
	// HTTPClient carries every call to Slack; a client with a timeout when nil.
	HTTPClient *http.Client
	// Pacer paces every Web API call, one bucket per workspace and method (spec §7);
	// one with DefaultPace when nil.
	Pacer *pace.Pacer
	// ReplyWindow overrides DefaultReplyWindow (tests use a short one).
	ReplyWindow time.Duration
}

// Adapter is kith's Slack platform: it receives commands, clicks and events,
// and implements bot.Sender for digests and summaries.
type Adapter struct {
	cfg       Config
	h         bot.Handler
	store     reminders.Store
	socketAPI *slack.Client // app-level (SLACK_APP_TOKEN), for Socket Mode only; Web API calls go through client(team)
	http      *http.Client
	spaces    workspaces
	log       *slog.Logger
	users     *userCache
	home      *homeQueue
	files     *seenSet
	window    time.Duration

	authed     atomic.Bool
	socketUp   atomic.Bool
	botUserID  atomic.Value // string: SLACK_BOT_TOKEN's user, from auth.test, to ignore kith's own messages
	botTeam    atomic.Value // string: SLACK_BOT_TOKEN's workspace, from auth.test
	botRefused atomic.Bool  // Slack refused SLACK_BOT_TOKEN at start (revoked, uninstalled)

	// work counts what outlives an HTTP response (late replies, events,
	// home refreshes) so Run returns only after it ends.
	work inFlight
}

// inFlight counts running background work. Unlike sync.WaitGroup it allows
// work to start while Run is already waiting: a request may still arrive
// while the HTTP server shuts down.
type inFlight struct {
	mu   sync.Mutex
	cond *sync.Cond
	n    int
}

func (f *inFlight) add() {
	f.mu.Lock()
	f.n++
	f.mu.Unlock()
}

func (f *inFlight) done() {
	f.mu.Lock()
	f.n--
	if f.n == 0 && f.cond != nil {
		f.cond.Broadcast()
	}
	f.mu.Unlock()
}

// wait blocks until no work runs.
func (f *inFlight) wait() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cond == nil {
		f.cond = sync.NewCond(&f.mu)
	}
	for f.n > 0 {
		f.cond.Wait()
	}
}

var _ bot.Sender = (*Adapter)(nil)

// New checks the configuration and builds an adapter; it makes no network call.
func New(cfg Config, h bot.Handler, store reminders.Store) (*Adapter, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	if h == nil || store == nil {
		return nil, errors.New("slack: a handler and a store are required")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if !strings.HasSuffix(cfg.APIURL, "/") {
		cfg.APIURL += "/"
	}
	if cfg.Command == "" {
		cfg.Command = "/kith"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if cfg.Pacer == nil {
		cfg.Pacer = pace.New(DefaultPace, nil, nil)
	}
	cfg.HTTPClient = pacedClient(cfg.HTTPClient, cfg.Pacer)
	if cfg.Retention == 0 {
		cfg.Retention = reminders.DefaultUninstallRetention
	}
	a := &Adapter{
		cfg:    cfg,
		h:      h,
		store:  store,
		http:   cfg.HTTPClient,
		log:    cfg.Logger.With("platform", "slack"),
		users:  newUserCache(),
		files:  newSeenSet(10 * time.Minute),
		window: cfg.ReplyWindow,
		spaces: workspaces{m: map[string]*workspace{}},
	}
	if a.window <= 0 {
		a.window = DefaultReplyWindow
	}
	opts := []slack.Option{
		slack.OptionAPIURL(cfg.APIURL),
		slack.OptionHTTPClient(cfg.HTTPClient),
		slack.OptionLog(slogPrinter{a.log}),
	}
	if cfg.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	a.socketAPI = slack.New("", opts...)
	a.home = newHomeQueue(a)
	a.botUserID.Store("")
	a.botTeam.Store("")
	return a, nil
}

// check validates the configuration: a single workspace's token, or the
// OAuth credentials with everything they need, or both.
func (cfg *Config) check() error {
	if (cfg.ClientID == "") != (cfg.ClientSecret == "") {
		return reminders.Errorf(reminders.EINVALID, "Set both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to install kith in many workspaces, or neither.")
	}
	if cfg.BotToken == "" && cfg.ClientID == "" {
		return reminders.Errorf(reminders.EINVALID, "SLACK_BOT_TOKEN is empty; set it to the bot token (xoxb-...), or set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to install kith in many workspaces.")
	}
	if cfg.Retention < 0 {
		return reminders.Errorf(reminders.EINVALID, "KITH_UNINSTALL_RETENTION cannot be negative; use a duration such as 720h.")
	}
	if cfg.ClientID == "" {
		return nil
	}
	if err := CheckPublicURL(cfg.PublicURL); err != nil {
		return err
	}
	if cfg.SecretKey == nil {
		_, err := ParseKey("")
		return err
	}
	return nil
}

// Ready reports whether auth.test of SLACK_BOT_TOKEN succeeded (when it is
// set) and, with Socket Mode, whether the socket is connected.
func (a *Adapter) Ready() bool {
	if a.cfg.BotToken != "" && !a.authed.Load() {
		return false
	}
	return a.cfg.AppToken == "" || a.socketUp.Load()
}

// Run checks the token, then serves Socket Mode when an app token is set or
// waits for ctx otherwise. It returns once ctx is done and in-flight work ended.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.work.wait()
	defer a.home.stop()
	if a.cfg.BotToken != "" {
		if err := a.authenticate(ctx); err != nil {
			return nil // ctx ended before Slack answered
		}
	}
	a.checkTokens(ctx)
	if a.cfg.AppToken != "" {
		a.runSocket(ctx)
		return nil
	}
	<-ctx.Done()
	return nil
}

// authenticate calls auth.test with SLACK_BOT_TOKEN until it succeeds,
// backing off, so a Slack outage at start-up delays readiness instead of
// killing the process. It learns the token's workspace; a token that works
// there means kith is installed again if it had been uninstalled.
func (a *Adapter) authenticate(ctx context.Context) error {
	api := slack.New(a.cfg.BotToken, slack.OptionAPIURL(a.cfg.APIURL), slack.OptionHTTPClient(a.http), slack.OptionLog(slogPrinter{a.log}))
	for attempt := 1; ; attempt++ {
		res, err := api.AuthTestContext(ctx)
		if err == nil {
			a.botUserID.Store(res.UserID)
			a.botTeam.Store(res.TeamID)
			a.resume(ctx, res.TeamID, res.UserID)
			a.forget(res.TeamID)
			a.authed.Store(true)
			a.log.Info("slack connected", "team", res.TeamID, "bot_user", res.UserID)
			return nil
		}
		if a.cfg.ClientID != "" && refused(err) {
			// The installed workspaces need not wait for a token that will
			// never work: serve them, and no workspace with this one.
			a.botRefused.Store(true)
			a.authed.Store(true)
			a.log.Error("slack: Slack refuses SLACK_BOT_TOKEN; serving only the workspaces kith was installed in through /slack/install", "err", err)
			return nil
		}
		wait := startBackoff.Wait(attempt)
		a.log.Error("slack auth.test failed", "err", err, "retry_in", wait)
		if backoff.Sleep(ctx, wait) != nil {
			return ctx.Err()
		}
	}
}

// refused reports whether Slack says a token can never work.
func refused(err error) bool {
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) {
		return false
	}
	switch se.Err {
	case "invalid_auth", "not_authed", "token_revoked", "account_inactive", "token_expired":
		return true
	}
	return false
}

// goWork runs fn in a tracked, panic-recovering goroutine with its own
// deadline, detached from the request that started it.
func (a *Adapter) goWork(parent context.Context, name string, fn func(ctx context.Context)) {
	a.work.add()
	go func() {
		defer a.work.done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), workTimeout)
		defer cancel()
		_ = safe.Call(a.log, "slack "+name, func() error { fn(ctx); return nil })
	}()
}

// startBackoff paces reconnecting to Slack (auth.test at start, Socket
// Mode after a drop): an outage delays kith without hammering Slack.
var startBackoff = backoff.Policy{First: time.Second, Max: time.Minute}

// slogPrinter lets slack-go's debug logger write to slog.
type slogPrinter struct{ log *slog.Logger }

// Output implements slack-go's logger.
func (p slogPrinter) Output(_ int, s string) error {
	p.log.Debug(strings.TrimSpace(s))
	return nil
}
