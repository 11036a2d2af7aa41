package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestConfiguration(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "token")
	if err := os.WriteFile(secret, []byte("xoxb-from-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	crlf := filepath.Join(dir, "crlf")
	if err := os.WriteFile(crlf, []byte("xapp-test-token\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		env   map[string]string
		args  []string
		tty   bool
		check func(t *testing.T, c Config)
		cmd   string // the sub-command chosen
		err   string // part of the error; "" means none
		code  int    // exit status of a failure
	}{
		{
			name: "defaults",
			args: []string{"serve"},
			cmd:  "serve",
			check: func(t *testing.T, c Config) {
				want := DefaultConfig()
				if c != want {
					t.Errorf("config = %+v, want %+v", c, want)
				}
				if c.DB != "kith.db" || c.HTTPAddr != ":8080" || c.Command != "/kith" || c.Tick != time.Minute ||
					c.LogLevel != "info" || c.BackupEvery != 24*time.Hour || c.BackupKeep != 7 ||
					c.SlackAPIURL != "https://slack.com/api/" || c.DiscordAPIURL != "https://discord.com/api/v10/" {
					t.Errorf("defaults differ from docs/spec.md §4: %+v", c)
				}
			},
		},
		{
			name: "every variable from the environment",
			env: map[string]string{
				"KITH_DB": "/data/k.db", "KITH_HTTP_ADDR": "127.0.0.1:9090", "KITH_COMMAND": "/network", "KITH_TICK": "30s",
				"KITH_LOG_LEVEL": "debug", "SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_SIGNING_SECRET": "test-secret",
				"SLACK_APP_TOKEN": "xapp-test-token", "SLACK_API_URL": "http://slack.test/api/", "DISCORD_BOT_TOKEN": "discord-test-token",
				"DISCORD_APP_ID": "123", "DISCORD_PUBLIC_KEY": "abcd", "DISCORD_GATEWAY": "true", "DISCORD_API_URL": "http://discord.test/api/",
				"DISCORD_GUILD_ID": "456", "DISCORD_SHARD_COUNT": "4", "KITH_BACKUP_DIR": "/backups", "KITH_BACKUP_EVERY": "6h", "KITH_BACKUP_KEEP": "3",
				"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "test-client-secret", "KITH_PUBLIC_URL": "https://kith.example.com",
				"KITH_SECRET_KEY": testKey, "KITH_UNINSTALL_RETENTION": "48h",
			},
			cmd: "serve", // bare kith with a platform serves
			check: func(t *testing.T, c Config) {
				want := Config{
					DB: "/data/k.db", HTTPAddr: "127.0.0.1:9090", Command: "/network", Tick: 30 * time.Second, LogLevel: "debug",
					SlackBotToken: "xoxb-test-token", SlackSigningSecret: "test-secret", SlackAppToken: "xapp-test-token", SlackAPIURL: "http://slack.test/api/",
					DiscordBotToken: "discord-test-token", DiscordAppID: "123", DiscordPublicKey: "abcd", DiscordGateway: "true",
					DiscordAPIURL: "http://discord.test/api/", DiscordGuildID: "456", DiscordShards: 4, BackupDir: "/backups", BackupEvery: 6 * time.Hour, BackupKeep: 3,
					SlackClientID: "111.222", SlackClientSecret: "test-client-secret", PublicURL: "https://kith.example.com",
					SecretKey: testKey, UninstallRetention: 48 * time.Hour,
				}
				if c != want {
					t.Errorf("config = %+v\nwant %+v", c, want)
				}
			},
		},
		{
			name: "flags override the environment",
			env:  map[string]string{"KITH_DB": "env.db", "KITH_TICK": "5m", "KITH_HTTP_ADDR": ":1"},
			args: []string{"serve", "--db", "flag.db", "--tick=10s", "--http-addr", "", "--backup-keep", "2", "--slack-bot-token", "xoxb-test-token"},
			cmd:  "serve",
			check: func(t *testing.T, c Config) {
				if c.DB != "flag.db" || c.Tick != 10*time.Second || c.HTTPAddr != "" || c.BackupKeep != 2 || c.SlackBotToken != "xoxb-test-token" {
					t.Errorf("config = %+v", c)
				}
			},
		},
		{
			name: "flags before the sub-command's arguments and after",
			env:  map[string]string{"KITH_DB": "env.db"},
			args: []string{"import", "Connections.csv", "--owner", "console:ada", "--db", "x.db"},
			cmd:  "import",
			check: func(t *testing.T, c Config) {
				if c.DB != "x.db" {
					t.Errorf("DB = %q", c.DB)
				}
			},
		},
		{
			name: "secrets from files",
			env:  map[string]string{"SLACK_BOT_TOKEN_FILE": secret, "SLACK_APP_TOKEN_FILE": crlf},
			args: []string{"serve"},
			cmd:  "serve",
			check: func(t *testing.T, c Config) {
				if c.SlackBotToken != "xoxb-from-file" || c.SlackAppToken != "xapp-test-token" {
					t.Errorf("tokens = %q, %q; the trailing newline must go", c.SlackBotToken, c.SlackAppToken)
				}
			},
		},
		{
			name: "secret file flag",
			args: []string{"serve", "--discord-bot-token-file", secret},
			cmd:  "serve",
			check: func(t *testing.T, c Config) {
				if c.DiscordBotToken != "xoxb-from-file" {
					t.Errorf("DiscordBotToken = %q", c.DiscordBotToken)
				}
			},
		},
		{
			name: "both a secret and its file",
			env:  map[string]string{"SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_BOT_TOKEN_FILE": secret},
			args: []string{"serve"},
			err:  "both SLACK_BOT_TOKEN and SLACK_BOT_TOKEN_FILE are set",
			code: 2,
		},
		{
			name: "missing secret file",
			env:  map[string]string{"SLACK_BOT_TOKEN_FILE": filepath.Join(dir, "nope")},
			args: []string{"serve"},
			err:  "SLACK_BOT_TOKEN_FILE: cannot read",
			code: 2,
		},
		{
			name: "bare kith without platform or terminal",
			err:  "set SLACK_BOT_TOKEN (with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN) or DISCORD_BOT_TOKEN",
			code: 2,
		},
		{
			name: "bare kith in a terminal",
			tty:  true,
			args: []string{"--user", "ada", "--db", "t.db"},
			cmd:  "console",
			check: func(t *testing.T, c Config) {
				if c.DB != "t.db" {
					t.Errorf("DB = %q", c.DB)
				}
			},
		},
		{
			name: "bare kith with Discord in a terminal serves",
			tty:  true,
			env:  map[string]string{"DISCORD_BOT_TOKEN": "discord-test-token"},
			cmd:  "serve",
		},
		{name: "unknown sub-command", args: []string{"srve"}, err: `"srve" is not a sub-command`, code: 2},
		{name: "unknown flag", args: []string{"serve", "--verbose"}, err: "Flag provided but not defined: -verbose.", code: 2},
		{name: "bad duration", env: map[string]string{"KITH_TICK": "often"}, args: []string{"serve"}, err: `KITH_TICK="often" is not valid`, code: 2},
		{name: "bad log level", args: []string{"serve", "--log-level", "loud"}, err: `KITH_LOG_LEVEL="loud" is not a level`, code: 2},
		{name: "bad keep", args: []string{"serve", "--backup-keep", "0"}, err: "KITH_BACKUP_KEEP must be at least 1", code: 2},
		{name: "bad gateway", env: map[string]string{"DISCORD_GATEWAY": "maybe"}, args: []string{"serve"}, err: "DISCORD_GATEWAY", code: 2},
		{name: "bad command name", env: map[string]string{"KITH_COMMAND": "kith"}, args: []string{"serve"}, err: "is not a slash command", code: 2},
		{name: "install without a key", env: oauthEnv("KITH_SECRET_KEY", ""), args: []string{"serve"}, err: "KITH_SECRET_KEY is not set; set it to 32 random bytes", code: 2},
		{name: "install with a short key", env: oauthEnv("KITH_SECRET_KEY", "0123456789abcdef"), args: []string{"serve"}, err: "KITH_SECRET_KEY must be 32 bytes", code: 2},
		{name: "install with a key in neither hex nor base64", env: oauthEnv("KITH_SECRET_KEY", strings.Repeat("z!", 32)), args: []string{"serve"}, err: "KITH_SECRET_KEY must be 32 bytes", code: 2},
		{name: "install with a base64 key", env: oauthEnv("KITH_SECRET_KEY", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="), cmd: "serve"},
		{name: "install without a public URL", env: oauthEnv("KITH_PUBLIC_URL", ""), args: []string{"serve"}, err: "KITH_PUBLIC_URL is not set", code: 2},
		{name: "install with an http public URL", env: oauthEnv("KITH_PUBLIC_URL", "http://kith.example.com"), args: []string{"serve"}, err: "is not an https base URL", code: 2},
		{name: "install without the client secret", env: oauthEnv("SLACK_CLIENT_SECRET", ""), args: []string{"serve"}, err: "set both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET", code: 2},
		{name: "negative retention", env: oauthEnv("KITH_UNINSTALL_RETENTION", "-1h"), args: []string{"serve"}, err: "KITH_UNINSTALL_RETENTION cannot be negative", code: 2},
		{name: "import without owner", args: []string{"import", "x.csv"}, err: "kith import needs --owner", code: 2},
		{name: "import with a bad owner", args: []string{"import", "--owner", "ada", "x.csv"}, err: `"ada" is not an owner`, code: 2},
		{name: "import without file", args: []string{"import", "--owner", "console:ada"}, err: "needs exactly one FILE", code: 2},
		{name: "export csv of everyone", args: []string{"export", "--format", "csv"}, err: "--format csv exports one owner", code: 2},
		{name: "export bad format", args: []string{"export", "--owner", "console:a", "--format", "xml"}, err: `"xml" is not an export format`, code: 2},
		{name: "backup without file", args: []string{"backup"}, err: "kith backup needs exactly one FILE", code: 2},
		{name: "version with an argument", args: []string{"version", "now"}, err: "takes no arguments", code: 2},
		{name: "console does not take platform flags", args: []string{"console", "--slack-bot-token", "x"}, err: "not defined", code: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newMain(t, tt.env, nil, t0)
			h.IsTerminal = func() bool { return tt.tty }
			err := h.ParseFlags(context.Background(), tt.args)
			if tt.err != "" {
				if err == nil {
					t.Fatalf("no error; want one containing %q", tt.err)
				}
				if code := h.report(err); code != tt.code {
					t.Errorf("exit status %d, want %d", code, tt.code)
				}
				if !strings.Contains(h.stderr.String(), tt.err) {
					t.Errorf("stderr = %q, want it to contain %q", h.stderr, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseFlags: %v", err)
			}
			if h.Command() != tt.cmd {
				t.Errorf("sub-command = %q, want %q", h.Command(), tt.cmd)
			}
			if tt.check != nil {
				tt.check(t, h.Config)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}} {
		h := newMain(t, nil, nil, t0)
		if code := h.execute(t, args...); code != 0 {
			t.Errorf("%v exited %d", args, code)
		}
		for _, c := range commands() {
			if !strings.Contains(h.stdout.String(), "  "+c.name) {
				t.Errorf("%v does not list %s:\n%s", args, c.name, h.stdout)
			}
		}
	}
	for _, c := range commands() {
		h := newMain(t, map[string]string{"SLACK_BOT_TOKEN": "xoxb-test-token"}, nil, t0)
		if code := h.execute(t, c.name, "--help"); code != 0 {
			t.Errorf("%s --help exited %d", c.name, code)
		}
		out := h.stdout.String()
		if !strings.HasPrefix(out, "Usage: "+c.synopsis) {
			t.Errorf("%s --help = %q", c.name, out)
		}
		if strings.Contains(out, "xoxb-test-token") {
			t.Errorf("%s --help shows a secret from the environment", c.name)
		}
		for _, env := range c.envs {
			if !strings.Contains(out, "--"+lookupSetting(env).flag+" ") || !strings.Contains(out, env) {
				t.Errorf("%s --help does not document --%s (%s):\n%s", c.name, lookupSetting(env).flag, env, out)
			}
		}
	}
	// help for one sub-command.
	h := newMain(t, nil, nil, t0)
	if err := h.ParseFlags(context.Background(), []string{"help", "export"}); !errors.Is(err, flag.ErrHelp) {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h.stdout.String(), "Usage: kith export") {
		t.Errorf("help export = %q", h.stdout)
	}
}

func TestVersion(t *testing.T) {
	h := newMain(t, nil, nil, t0)
	if code := h.execute(t, "version"); code != 0 {
		t.Fatalf("version exited %d", code)
	}
	out := h.stdout.String()
	if !strings.HasPrefix(out, "kith dev\n") || !strings.Contains(out, "go: go1.") {
		t.Errorf("version = %q", out)
	}
}

func TestHealthURL(t *testing.T) {
	tests := []struct{ addr, url, err string }{
		{":8080", "http://127.0.0.1:8080/healthz", ""},
		{"0.0.0.0:9000", "http://127.0.0.1:9000/healthz", ""},
		{"[::]:9000", "http://[::1]:9000/healthz", ""},
		{"10.0.0.5:80", "http://10.0.0.5:80/healthz", ""},
		{"", "", "KITH_HTTP_ADDR is empty"},
		{"8080", "", "is not host:port"},
	}
	for _, tt := range tests {
		got, err := healthURL(tt.addr)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("healthURL(%q) error = %v, want %q", tt.addr, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.url {
			t.Errorf("healthURL(%q) = %q, %v; want %q", tt.addr, got, err, tt.url)
		}
	}
}

func TestShortDuration(t *testing.T) {
	tests := map[time.Duration]string{24 * time.Hour: "24h", time.Minute: "1m", 90 * time.Second: "1m30s", 30 * time.Second: "30s", 36 * time.Hour: "36h", time.Hour + time.Minute: "1h1m"}
	for d, want := range tests {
		if got := shortDuration(d); got != want {
			t.Errorf("shortDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// testKey is a KITH_SECRET_KEY for tests, plainly not a real one.
const testKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

// oauthEnv is a complete install configuration with one variable changed ("" removes it).
func oauthEnv(name, value string) map[string]string {
	env := map[string]string{"SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "test-client-secret",
		"KITH_PUBLIC_URL": "https://kith.example.com", "KITH_SECRET_KEY": testKey}
	if value == "" {
		delete(env, name)
	} else {
		env[name] = value
	}
	return env
}
