package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/kith-bot/kith/backup"
	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/bot/discord"
	"github.com/kith-bot/kith/bot/slack"
	"github.com/kith-bot/kith/internal/backoff"
	"github.com/kith-bot/kith/metrics"
	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

// serveOptions are the resources of a running serve, exposed for tests.
type serveOptions struct {
	addr atomic.Value // string: the bound HTTP address
}

var serveCommand = &command{
	name:     "serve",
	synopsis: "kith serve [flags]",
	summary:  "serve the configured platforms (what bare kith does when one is configured)",
	help: `Serves Slack when SLACK_BOT_TOKEN or SLACK_CLIENT_ID is set (the latter
with GET /slack/install for installing kith in many workspaces) and Discord when DISCORD_BOT_TOKEN
is set, sends digests and team summaries on schedule, and answers the HTTP
routes on KITH_HTTP_ADDR: the platforms' webhooks, /healthz, /readyz and
/metrics. With no platform configured it still runs the scheduler and the
HTTP routes (useful behind a proxy that is being set up). SIGTERM or SIGINT
stops it: requests in flight finish, the database is closed, exit status 0.`,
	envs: allEnvs(),
	run:  (*Main).runServe,
}

// HTTPAddr returns the address the HTTP server is bound to, "" when it is
// not serving; with KITH_HTTP_ADDR=127.0.0.1:0 it tells tests the port.
func (m *Main) HTTPAddr() string {
	s, _ := m.serveOpts.addr.Load().(string)
	return s
}

// platform is what serve needs of a chat adapter (bot/slack, bot/discord).
type platform interface {
	bot.Sender
	Register(mux *http.ServeMux)
	Run(ctx context.Context) error
	Ready() bool
}

// runServe opens the database and starts the platforms, the scheduler, the
// HTTP server and the backups; it returns once they are started.
func (m *Main) runServe(ctx context.Context) error {
	cfg := m.Config
	log := m.logger
	store, err := m.openStore()
	if err != nil {
		return err
	}
	met := metrics.New()
	core, err := m.newCore(store, met)
	if err != nil {
		return err
	}

	mux := http.NewServeMux()
	var platforms []platform
	var names []string
	r := m.startRunning(ctx)
	serve := func(name string, a platform) {
		core.bot.Route(name, countingSender{a, name, met})
		a.Register(mux)
		platforms = append(platforms, a)
		names = append(names, name)
		r.goRun(name, false, a.Run)
	}

	if cfg.SlackBotToken != "" || cfg.SlackClientID != "" {
		var key *slack.Key
		if cfg.SecretKey != "" {
			k, err := slack.ParseKey(cfg.SecretKey)
			if err != nil {
				return err // check() refused it already
			}
			key = &k
		}
		a, err := slack.New(slack.Config{
			BotToken:      cfg.SlackBotToken,
			SigningSecret: cfg.SlackSigningSecret,
			AppToken:      cfg.SlackAppToken,
			ClientID:      cfg.SlackClientID,
			ClientSecret:  cfg.SlackClientSecret,
			PublicURL:     cfg.PublicURL,
			SecretKey:     key,
			Retention:     max(cfg.UninstallRetention, time.Nanosecond), // 0 means at once, not the adapter's default
			APIURL:        cfg.SlackAPIURL,
			Command:       cfg.Command,
			Now:           m.Now,
			Logger:        log,
		}, core.handler, store)
		if err != nil {
			return err
		}
		if cfg.SlackSigningSecret == "" && cfg.SlackAppToken == "" {
			log.Warn("Slack is enabled but can receive nothing; set SLACK_SIGNING_SECRET for the HTTP routes or SLACK_APP_TOKEN for Socket Mode")
		}
		serve(reminders.PlatformSlack, a)
	}
	if cfg.DiscordBotToken != "" {
		discord.RouteLibraryLogs(log)
		gateway, _ := cfg.discordGateway()
		a, err := discord.New(discord.Config{
			BotToken:   cfg.DiscordBotToken,
			AppID:      cfg.DiscordAppID,
			PublicKey:  cfg.DiscordPublicKey,
			Gateway:    gateway,
			APIURL:     cfg.DiscordAPIURL,
			GuildID:    cfg.DiscordGuildID,
			ShardCount: cfg.DiscordShards,
			Command:    cfg.Command,
			Now:        m.Now,
			Logger:     log,
		}, core.handler, store)
		if err != nil {
			return err
		}
		serve(reminders.PlatformDiscord, a)
	}

	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, req *http.Request) {
		if err := pingStore(req.Context(), store); err != nil {
			http.Error(w, "the database cannot be reached", http.StatusServiceUnavailable)
			return
		}
		for i, p := range platforms {
			if !p.Ready() {
				http.Error(w, names[i]+" is not connected yet", http.StatusServiceUnavailable)
				return
			}
		}
		fmt.Fprintln(w, "ready")
	})
	mux.Handle("GET /metrics", met.Handler())

	if cfg.HTTPAddr != "" {
		ln, err := net.Listen("tcp", cfg.HTTPAddr)
		if err != nil {
			return fmt.Errorf("cannot listen on KITH_HTTP_ADDR=%s: %w", cfg.HTTPAddr, errors.Unwrap(err))
		}
		m.serveOpts.addr.Store(ln.Addr().String())
		r.serveHTTP(ln, met.HTTP(mux))
	}
	r.goRun("scheduler", false, func(ctx context.Context) error {
		// Planning first, not beside the ticks: a tick advancing a job while
		// the bulk plan rewrites it could bring a delivered slot back.
		replanDigests(ctx, store, core.scheduler, m.logger)
		log.Info("scheduler running", "tick", cfg.Tick)
		return core.scheduler.Run(ctx)
	})
	if cfg.BackupDir != "" {
		r.goRun("backup", false, func(ctx context.Context) error {
			return backup.Run(ctx, store, backup.Options{
				Dir:    cfg.BackupDir,
				Every:  cfg.BackupEvery,
				Keep:   cfg.BackupKeep,
				Now:    m.Now,
				Logger: log,
				Verify: bolt.Verify,
				Result: met.BackupDone,
				Newest: met.BackupNewest,
			})
		})
	}

	slackOn := cfg.SlackBotToken != "" || cfg.SlackClientID != ""
	if len(names) == 0 {
		log.Warn("no chat platform is configured; serving only the scheduler and the HTTP routes",
			"hint", "set SLACK_BOT_TOKEN or DISCORD_BOT_TOKEN")
	}
	log.Info("kith is serving",
		"version", version,
		"platforms", names,
		"http", m.HTTPAddr(),
		"db", displayDB(cfg.DB),
		"backups", cfg.BackupDir,
		"slack_routes", slackOn && cfg.SlackSigningSecret != "",
		"slack_socket_mode", slackOn && cfg.SlackAppToken != "",
		"slack_install", cfg.SlackClientID != "",
		"discord_http", cfg.DiscordBotToken != "" && cfg.DiscordPublicKey != "",
	)
	return nil
}

// core is what every long-running sub-command shares: the bot, the
// handler the adapters call (the bot, counted) and the scheduler.
type core struct {
	bot       *bot.Bot
	handler   bot.Handler
	scheduler *reminders.Scheduler
}

// newCore builds the bot and the scheduler, each needing the other: the
// scheduler delivers through the bot, the bot reschedules when settings
// change. met may be nil (the console serves no metrics).
func (m *Main) newCore(store reminders.Store, met *metrics.Metrics) (*core, error) {
	if met != nil {
		store = timedStore{store, met, m.Now}
	}
	relay := &relay{}
	sched := reminders.NewScheduler(store, countingDeliverer{relay, met, m.Now}, reminders.SchedulerOptions{
		Now: m.Now, Tick: m.Config.Tick, Logger: m.logger, Workers: deliveryWorkers(m.Config),
		Backoff: backoff.Policy{First: reminders.FirstBackoff, Max: reminders.DefaultMaxBackoff}.Wait,
	})
	b := bot.New(store, bot.Options{Now: m.Now, Command: m.Config.Command, Logger: m.logger, Scheduling: sched})
	relay.d = b
	return &core{bot: b, handler: instrumented{b, met, m.Now}, scheduler: sched}, nil
}

// relay lets the scheduler exist before the bot it delivers through.
type relay struct{ d reminders.Deliverer }

// DeliverDigest hands the digest to the bot.
func (r *relay) DeliverDigest(ctx context.Context, d reminders.Digest) error {
	return r.d.DeliverDigest(ctx, d)
}

// DeliverSummary hands the summary to the bot.
func (r *relay) DeliverSummary(ctx context.Context, s reminders.Summary) error {
	return r.d.DeliverSummary(ctx, s)
}

// Sizing of the scheduler's worker pool by the platforms' pace.
const (
	// sendLatency is a platform send's usual round trip; the pool keeps
	// enough sends in flight to reach each limiter's highest rate at it.
	sendLatency = 100 * time.Millisecond
	// maxWorkers bounds the pool whatever the rates: past it, more
	// goroutines would only wait on the limiters.
	maxWorkers = 256
)

// deliveryWorkers sizes the scheduler's pool from the pace of the platforms
// configured, so the limiters, not the pool, set how fast digests go out.
func deliveryWorkers(c Config) int {
	rate := 0.0
	if c.SlackBotToken != "" || c.SlackClientID != "" {
		rate += slack.DefaultPace.Max
	}
	if c.DiscordBotToken != "" {
		rate += discord.DefaultPace.Max
	}
	return max(reminders.DefaultWorkers, min(maxWorkers, int(rate*sendLatency.Seconds())))
}
