// Package discord serves kith on Discord: the /kith application command with
// typed sub-commands and autocomplete, interactions received over the gateway
// or the signed HTTP route, and digests and summaries sent with buttons.
//
// Every interaction is turned into the same text the bot parses on every
// platform, so one parser serves them all.
package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/internal/backoff"
	"github.com/kith-bot/kith/internal/pace"
	"github.com/kith-bot/kith/internal/safe"
	"github.com/kith-bot/kith/reminders"
)

// Timing defaults, each a trade-off named where it is used.
const (
	// DefaultDeferAfter is how long a reply may take before kith defers it:
	// Discord drops an interaction not answered within 3 seconds, and the
	// answer itself needs a round trip, so 2 seconds leaves a margin.
	DefaultDeferAfter = 2 * time.Second
	// requestTimeout bounds one REST call; discordgo's own default is 20s.
	requestTimeout = 20 * time.Second
	// workTimeout bounds a deferred reply: an interaction token is valid for 15 minutes.
	workTimeout = 14 * time.Minute
)

// openBackoff paces attempts to reach Discord at start: a second at first,
// at most a minute, so an outage delays kith without hammering Discord.
var openBackoff = backoff.Policy{First: time.Second, Max: time.Minute}

// Config configures the Discord adapter.
type Config struct {
	BotToken, AppID, PublicKey string // PublicKey: hex Ed25519; enables POST /discord/interactions
	// Gateway receives interactions over the gateway websocket.
	Gateway bool
	// APIURL is the REST base URL (DISCORD_API_URL); every REST call and the
	// gateway lookup go there. Default DefaultAPIURL.
	APIURL string
	// GuildID registers the commands in this guild only, which is instant (for development).
	GuildID string
	// Command is the slash command, "/kith".
	Command string
	// Now is the clock, for signature freshness and stored changes.
	Now func() time.Time
	// Logger receives the adapter's logs.
	Logger *slog.Logger
	// DeferAfter is how long to wait for the bot before deferring a reply; default DefaultDeferAfter.
	DeferAfter time.Duration
	// ShardCount is the number of gateway shards (DISCORD_SHARD_COUNT);
	// default 1. Each is held by one replica at a time through a lease in
	// the store, and taken over when that replica dies.
	ShardCount int
	// ShardLease and ShardRenew time the shard leases; defaults
	// DefaultShardLease and DefaultShardRenew.
	ShardLease, ShardRenew time.Duration
	// Holder names this replica in the shard leases; unique per process when "".
	Holder string
	// Pacer paces every REST call under Discord's global limit (spec §7);
	// one with DefaultPace when nil.
	Pacer *pace.Pacer
}

// Adapter is kith on Discord: it receives interactions and implements bot.Sender.
type Adapter struct {
	cfg     Config
	name    string // the command's name, "kith"
	h       bot.Handler
	store   reminders.Store // the shard leases only
	s       *discordgo.Session
	client  *http.Client
	pub     ed25519.PublicKey
	log     *slog.Logger
	running atomic.Bool // commands registered and Run not yet stopping
	holder  string      // this replica's name in the shard leases
	shards  shards      // the gateway shards this replica holds
	mu      sync.Mutex  // guards closing and the Add side of wg
	closing bool
	wg      sync.WaitGroup
	drafts  drafts // forms submitted with mistakes, for Try again
}

var _ bot.Sender = (*Adapter)(nil)

// commandNameRE is Discord's rule for a command name, restricted to ASCII.
var commandNameRE = regexp.MustCompile(`^[-_a-z0-9]{1,32}$`)

// New checks the configuration and prepares a session; nothing is sent until Run.
func New(cfg Config, h bot.Handler, store reminders.Store) (*Adapter, error) {
	if cfg.BotToken == "" {
		return nil, fmt.Errorf("discord: DISCORD_BOT_TOKEN is not set")
	}
	if h == nil || store == nil {
		return nil, fmt.Errorf("discord: a handler and a store (for the shard leases) are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.DeferAfter <= 0 {
		cfg.DeferAfter = DefaultDeferAfter
	}
	if cfg.Command == "" {
		cfg.Command = "/kith"
	}
	if cfg.ShardCount <= 0 {
		cfg.ShardCount = 1
	}
	if cfg.ShardLease <= 0 {
		cfg.ShardLease = DefaultShardLease
	}
	if cfg.ShardRenew <= 0 || cfg.ShardRenew >= cfg.ShardLease {
		cfg.ShardRenew = min(DefaultShardRenew, cfg.ShardLease/3)
	}
	if cfg.Holder == "" {
		cfg.Holder = reminders.NewHolder()
	}
	name := strings.ToLower(strings.TrimPrefix(cfg.Command, "/"))
	if !commandNameRE.MatchString(name) {
		return nil, fmt.Errorf("discord: KITH_COMMAND %q is not a Discord command name (1-32 of a-z, 0-9, - and _)", cfg.Command)
	}
	a := &Adapter{cfg: cfg, name: name, h: h, store: store, log: cfg.Logger.With("platform", "discord"), holder: cfg.Holder}
	a.shards.held = map[int]*shard{}
	if cfg.PublicKey != "" {
		key, err := hex.DecodeString(cfg.PublicKey)
		if err != nil || len(key) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("discord: DISCORD_PUBLIC_KEY must be %d hex-encoded bytes", ed25519.PublicKeySize)
		}
		a.pub = key
	}
	if cfg.Pacer == nil {
		cfg.Pacer = pace.New(DefaultPace, nil, nil)
	}
	client, err := newClient(cfg.APIURL, cfg.Pacer)
	if err != nil {
		return nil, err
	}
	a.client = client
	// This session makes the REST calls; each gateway shard has its own (shards.go).
	if a.s, err = a.newSession(); err != nil {
		return nil, err
	}
	return a, nil
}

// newSession prepares a discordgo session with kith's client and token.
func (a *Adapter) newSession() (*discordgo.Session, error) {
	token := a.cfg.BotToken
	if !strings.HasPrefix(token, "Bot ") {
		token = "Bot " + token
	}
	s, err := discordgo.New(token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	s.Client = a.client
	s.Dialer = &websocket.Dialer{Proxy: http.ProxyFromEnvironment, HandshakeTimeout: requestTimeout}
	s.StateEnabled = false
	s.Identify.Intents = discordgo.IntentsGuilds // interactions need no intent; this one is not privileged
	return s, nil
}

// Ready reports whether the commands are registered and, with the gateway, it is connected.
func (a *Adapter) Ready() bool {
	return a.running.Load() && (!a.cfg.Gateway || a.shardsOnline())
}

// Run registers the commands, connects to the gateway when configured, and
// blocks until ctx is done; then it disconnects and waits for replies in
// flight, so nothing acknowledged is lost.
func (a *Adapter) Run(ctx context.Context) error {
	err := a.startup(ctx, func() error {
		if a.cfg.AppID != "" {
			return nil
		}
		app, err := a.s.Application("@me")
		if err != nil {
			return fmt.Errorf("discord: DISCORD_APP_ID is not set and looking it up failed: %w", redact(err))
		}
		a.cfg.AppID = app.ID
		return nil
	})
	if err == nil {
		err = a.startup(ctx, func() error {
			_, err := a.s.ApplicationCommandBulkOverwrite(a.cfg.AppID, a.cfg.GuildID, scoped(Commands(a.name), a.cfg.GuildID), discordgo.WithContext(ctx))
			if err != nil {
				return fmt.Errorf("registering /%s: %w", a.name, redact(err))
			}
			return nil
		})
	}
	if ctx.Err() != nil {
		return nil // stopped while starting
	}
	if err != nil {
		return err
	}
	a.log.Info("commands registered", "command", a.name, "guild", a.cfg.GuildID)
	if a.cfg.Gateway {
		if !a.claimShards(ctx, true) {
			a.dropShards()
			return nil
		}
		a.log.Info("gateway connected", "shards", a.Shards(), "of", a.cfg.ShardCount)
	}
	a.running.Store(true)
	if a.cfg.Gateway {
		a.keepShards(ctx)
	} else {
		<-ctx.Done()
	}
	a.running.Store(false)
	if a.cfg.Gateway {
		a.dropShards()
	}
	a.mu.Lock()
	a.closing = true
	a.mu.Unlock()
	a.wg.Wait()
	return nil
}

// startup runs one start-up call until it succeeds, backing off, so that a
// Discord outage or a network blip at start delays readiness (/readyz says
// so) instead of stopping kith. A refused token or application id (401, 403,
// 404) will not mend by waiting, so it is returned at once.
func (a *Adapter) startup(ctx context.Context, call func() error) error {
	for attempt := 1; ; attempt++ {
		err := call()
		if err == nil || ctx.Err() != nil {
			return err
		}
		var rest *discordgo.RESTError
		if errors.As(err, &rest) && rest.Response != nil {
			switch rest.Response.StatusCode {
			case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
				return err
			}
		}
		wait := openBackoff.Wait(attempt)
		a.log.Warn("discord start-up call failed; retrying", "err", err, "in", wait)
		if backoff.Sleep(ctx, wait) != nil {
			return nil
		}
	}
}

// open connects to the gateway, retrying with back-off: a network blip at
// start should delay kith, not stop it. discordgo reconnects by itself after.
// It reports false when ctx ended first.
func (a *Adapter) open(ctx context.Context, s *discordgo.Session) bool {
	for attempt := 1; ; attempt++ {
		err := s.Open()
		if err == nil {
			return true
		}
		wait := openBackoff.Wait(attempt)
		a.log.Warn("connecting to the gateway failed; retrying", "err", redact(err), "in", wait)
		if backoff.Sleep(ctx, wait) != nil {
			return false
		}
	}
}

// goTracked runs fn as a goroutine that Run waits for, recovering a panic so
// that one bad interaction cannot take the process down. It reports false,
// running nothing, once Run is shutting down.
func (a *Adapter) goTracked(fn func()) bool {
	a.mu.Lock()
	if a.closing {
		a.mu.Unlock()
		return false
	}
	a.wg.Add(1)
	a.mu.Unlock()
	go func() {
		defer a.wg.Done()
		_ = safe.Call(a.log, "discord adapter", func() error { fn(); return nil })
	}()
	return true
}
