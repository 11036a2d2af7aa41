package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/kith-bot/kith/bot/slack"
	"github.com/kith-bot/kith/reminders"
)

// Defaults of the configuration (docs/spec.md §4).
const (
	DefaultDB          = "kith.db"
	DefaultHTTPAddr    = ":8080"
	DefaultCommand     = "/kith"
	DefaultTick        = time.Minute
	DefaultLogLevel    = "info"
	DefaultBackupEvery = 24 * time.Hour
	DefaultBackupKeep  = 7
)

// Config is everything kith reads from its environment and flags.
type Config struct {
	DB       string
	HTTPAddr string
	Command  string
	Tick     time.Duration
	LogLevel string

	SlackBotToken      string
	SlackSigningSecret string
	SlackAppToken      string
	SlackAPIURL        string
	SlackClientID      string
	SlackClientSecret  string
	PublicURL          string
	SecretKey          string
	UninstallRetention time.Duration

	DiscordBotToken  string
	DiscordAppID     string
	DiscordPublicKey string
	DiscordGateway   string // "", "true" or "false"; "" means true unless a public key is set
	DiscordAPIURL    string
	DiscordGuildID   string
	DiscordShards    int // DISCORD_SHARD_COUNT

	BackupDir   string
	BackupEvery time.Duration
	BackupKeep  int
}

// setting ties one environment variable to its flag and its Config field.
type setting struct {
	env    string
	flag   string
	usage  string
	secret bool // also accepted as --<flag>-file; never logged
	field  func(c *Config) any
}

// settings lists every variable of docs/spec.md §4, in the order of its table.
var settings = []setting{
	{"KITH_DB", "db", "path of the database file, or a postgres:// URL", false, func(c *Config) any { return &c.DB }},
	{"KITH_HTTP_ADDR", "http-addr", `listen address for the HTTP routes; "" disables`, false, func(c *Config) any { return &c.HTTPAddr }},
	{"KITH_COMMAND", "command", "slash command name", false, func(c *Config) any { return &c.Command }},
	{"KITH_TICK", "tick", "how often the scheduler looks for due work", false, func(c *Config) any { return &c.Tick }},
	{"KITH_LOG_LEVEL", "log-level", "debug, info, warn or error", false, func(c *Config) any { return &c.LogLevel }},
	{"SLACK_BOT_TOKEN", "slack-bot-token", "Slack bot token (xoxb-); enables Slack", true, func(c *Config) any { return &c.SlackBotToken }},
	{"SLACK_SIGNING_SECRET", "slack-signing-secret", "enables the Slack HTTP routes", true, func(c *Config) any { return &c.SlackSigningSecret }},
	{"SLACK_APP_TOKEN", "slack-app-token", "app-level token (xapp-); enables Socket Mode", true, func(c *Config) any { return &c.SlackAppToken }},
	{"SLACK_API_URL", "slack-api-url", "Slack Web API base URL", false, func(c *Config) any { return &c.SlackAPIURL }},
	{"SLACK_CLIENT_ID", "slack-client-id", "the Slack app's OAuth client id; with the secret, enables /slack/install", false, func(c *Config) any { return &c.SlackClientID }},
	{"SLACK_CLIENT_SECRET", "slack-client-secret", "the Slack app's OAuth client secret", true, func(c *Config) any { return &c.SlackClientSecret }},
	{"KITH_PUBLIC_URL", "public-url", "the https base URL the platforms reach kith at (OAuth redirect)", false, func(c *Config) any { return &c.PublicURL }},
	{"KITH_SECRET_KEY", "secret-key", "32 bytes, hex or base64: encrypts stored tokens", true, func(c *Config) any { return &c.SecretKey }},
	{"KITH_UNINSTALL_RETENTION", "uninstall-retention", "how long a workspace's data is kept after kith is uninstalled", false, func(c *Config) any { return &c.UninstallRetention }},
	{"DISCORD_BOT_TOKEN", "discord-bot-token", "Discord bot token; enables Discord", true, func(c *Config) any { return &c.DiscordBotToken }},
	{"DISCORD_APP_ID", "discord-app-id", "Discord application id", false, func(c *Config) any { return &c.DiscordAppID }},
	{"DISCORD_PUBLIC_KEY", "discord-public-key", "hex Ed25519 key; enables the Discord HTTP interactions route", true, func(c *Config) any { return &c.DiscordPublicKey }},
	{"DISCORD_GATEWAY", "discord-gateway", "true to receive interactions over the gateway (default true unless a public key is set)", false, func(c *Config) any { return &c.DiscordGateway }},
	{"DISCORD_API_URL", "discord-api-url", "Discord REST base URL", false, func(c *Config) any { return &c.DiscordAPIURL }},
	{"DISCORD_GUILD_ID", "discord-guild-id", "register commands in this guild only (instant, for development)", false, func(c *Config) any { return &c.DiscordGuildID }},
	{"DISCORD_SHARD_COUNT", "discord-shard-count", "gateway shards, each held by one replica at a time", false, func(c *Config) any { return &c.DiscordShards }},
	{"KITH_BACKUP_DIR", "backup-dir", `where the running server writes hot backups; "" disables`, false, func(c *Config) any { return &c.BackupDir }},
	{"KITH_BACKUP_EVERY", "backup-every", "interval between backups", false, func(c *Config) any { return &c.BackupEvery }},
	{"KITH_BACKUP_KEEP", "backup-keep", "how many backups to keep", false, func(c *Config) any { return &c.BackupKeep }},
}

// DefaultConfig returns the configuration with nothing set.
func DefaultConfig() Config {
	return Config{
		DB:            DefaultDB,
		HTTPAddr:      DefaultHTTPAddr,
		Command:       DefaultCommand,
		Tick:          DefaultTick,
		LogLevel:      DefaultLogLevel,
		SlackAPIURL:   "https://slack.com/api/",
		DiscordAPIURL: "https://discord.com/api/v10/",
		BackupEvery:   DefaultBackupEvery,
		BackupKeep:    DefaultBackupKeep,
		DiscordShards: 1,

		UninstallRetention: reminders.DefaultUninstallRetention,
	}
}

// lookupSetting finds a setting by its variable name.
func lookupSetting(env string) setting {
	for _, s := range settings {
		if s.env == env {
			return s
		}
	}
	panic("kith: no setting " + env) // a typo in this package, caught by every test
}

// loadEnv fills c from the environment. Every variable may instead be given
// as a file by adding _FILE to its name (Docker and Kubernetes secrets); the
// file's trailing newline is dropped.
func (c *Config) loadEnv(lookup func(string) (string, bool)) error {
	for _, s := range settings {
		v, ok, err := envValue(lookup, s.env)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := setValue(s.field(c), v); err != nil {
			return usageErrorf("%s=%q is not valid: %v.", s.env, v, err)
		}
	}
	return nil
}

// envValue reads NAME, or the file named by NAME_FILE.
func envValue(lookup func(string) (string, bool), name string) (string, bool, error) {
	v, ok := lookup(name)
	path, fok := lookup(name + "_FILE")
	switch {
	case ok && fok:
		return "", false, usageErrorf("both %s and %s_FILE are set; set only one.", name, name)
	case fok:
		s, err := readSecretFile(path)
		if err != nil {
			return "", false, usageErrorf("%s_FILE: %v.", name, err)
		}
		return s, true, nil
	}
	return v, ok, nil
}

// readSecretFile reads a secret from a file, dropping the trailing newline that editors add.
func readSecretFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// unwrapPathError drops the path and operation an *os.PathError repeats.
func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// setValue parses v into the field p points to.
func setValue(p any, v string) error {
	switch p := p.(type) {
	case *string:
		*p = v
	case *time.Duration:
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("want a duration such as 30s, 1m or 24h")
		}
		*p = d
	case *int:
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("want a whole number")
		}
		*p = n
	default:
		panic(fmt.Sprintf("kith: setting of type %T", p))
	}
	return nil
}

// fieldValue adapts a Config field to flag.Value, so a flag overrides the
// value already loaded from the environment and reports the same errors.
type fieldValue struct{ p any }

func (f fieldValue) String() string {
	switch p := f.p.(type) {
	case *string:
		return *p
	case *time.Duration:
		return shortDuration(*p)
	case *int:
		return strconv.Itoa(*p)
	}
	return ""
}

// shortDuration writes 24h rather than Go's 24h0m0s, as the spec's table does.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func (f fieldValue) Set(v string) error { return setValue(f.p, v) }

// secretFile is a --<flag>-file flag: the file's content becomes the secret.
type secretFile struct{ p *string }

func (f secretFile) String() string { return "" }

func (f secretFile) Set(path string) error {
	s, err := readSecretFile(path)
	if err != nil {
		return err
	}
	*f.p = s
	return nil
}

// addFlags registers the flags of the named variables on fs, bound to c.
func (c *Config) addFlags(fs *flag.FlagSet, envs ...string) {
	for _, env := range envs {
		s := lookupSetting(env)
		fs.Var(fieldValue{s.field(c)}, s.flag, s.usage+" ("+s.env+")")
		if s.secret {
			fs.Var(secretFile{s.field(c).(*string)}, s.flag+"-file", "read "+s.flag+" from this file ("+s.env+"_FILE)")
		}
	}
}

// check validates the values that have a shape beyond their type.
func (c *Config) check() error {
	if c.DB == "" {
		return usageErrorf("KITH_DB is empty; set it to the path of the database file, e.g. kith.db.")
	}
	if c.Tick <= 0 {
		return usageErrorf("KITH_TICK must be positive, e.g. 1m.")
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		return err
	}
	if c.BackupEvery <= 0 {
		return usageErrorf("KITH_BACKUP_EVERY must be positive, e.g. 24h.")
	}
	if c.BackupKeep < 1 {
		return usageErrorf("KITH_BACKUP_KEEP must be at least 1.")
	}
	if c.DiscordShards < 1 {
		return usageErrorf("DISCORD_SHARD_COUNT must be at least 1.")
	}
	if err := c.checkInstall(); err != nil {
		return err
	}
	if _, err := c.discordGateway(); err != nil {
		return err
	}
	if c.Command == "" || !strings.HasPrefix(c.Command, "/") || strings.ContainsAny(c.Command, " \t") {
		return usageErrorf("KITH_COMMAND=%q is not a slash command; use a name such as /kith.", c.Command)
	}
	return nil
}

// checkInstall validates what installing kith in many workspaces needs, when
// it is enabled: one sentence that says what to set, so kith refuses to start.
func (c *Config) checkInstall() error {
	if c.UninstallRetention < 0 {
		return usageErrorf("KITH_UNINSTALL_RETENTION cannot be negative; use a duration such as 720h.")
	}
	if c.SlackClientID == "" && c.SlackClientSecret == "" {
		if c.SecretKey != "" {
			if _, err := slack.ParseKey(c.SecretKey); err != nil {
				return usageErrorf("%s", reminders.ErrorMessage(err))
			}
		}
		return nil
	}
	if c.SlackClientID == "" || c.SlackClientSecret == "" {
		return usageErrorf("set both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to install kith in many workspaces, or neither.")
	}
	if c.PublicURL == "" {
		return usageErrorf("KITH_PUBLIC_URL is not set; set it to the https address Slack reaches kith at, e.g. https://kith.example.com, to install kith in many workspaces.")
	}
	if err := slack.CheckPublicURL(c.PublicURL); err != nil {
		return usageErrorf("%s", reminders.ErrorMessage(err))
	}
	if _, err := slack.ParseKey(c.SecretKey); err != nil {
		return usageErrorf("%s", reminders.ErrorMessage(err))
	}
	return nil
}

// parseLevel reads KITH_LOG_LEVEL.
func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "info", "":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, usageErrorf("KITH_LOG_LEVEL=%q is not a level; use debug, info, warn or error.", s)
}

// discordGateway resolves DISCORD_GATEWAY's default: on unless the HTTP route is configured.
func (c *Config) discordGateway() (bool, error) {
	if c.DiscordGateway == "" {
		return c.DiscordPublicKey == "", nil
	}
	b, err := strconv.ParseBool(c.DiscordGateway)
	if err != nil {
		return false, usageErrorf("DISCORD_GATEWAY=%q is not true or false.", c.DiscordGateway)
	}
	return b, nil
}

// Platforms returns the platforms configured, in a fixed order.
func (c *Config) Platforms() []string {
	var ps []string
	if c.SlackBotToken != "" || c.SlackClientID != "" {
		ps = append(ps, "slack")
	}
	if c.DiscordBotToken != "" {
		ps = append(ps, "discord")
	}
	return ps
}
