// Command kith is the kith binary: it serves the configured chat platforms,
// or runs a local console when none is, and carries the maintenance
// sub-commands (import, export, backup, restore, healthcheck, version).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

// ShutdownTimeout bounds Close: in-flight requests and deliveries get this
// long to finish before the store is closed anyway. It stays under the ten
// seconds that container runtimes allow between SIGTERM and SIGKILL.
const ShutdownTimeout = 8 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second signal kills at once, for a shutdown that hangs
	}()
	os.Exit(NewMain().Execute(ctx, os.Args[1:]))
}

// Main is the program: its configuration, its environment (replaced in
// tests) and the resources a running sub-command holds.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// LookupEnv reads the environment; os.LookupEnv unless a test replaces it.
	LookupEnv func(string) (string, bool)
	// IsTerminal reports whether standard input is a terminal, which decides
	// whether bare `kith` without a platform starts the console.
	IsTerminal func() bool
	// Now is the clock of the bot and the scheduler.
	Now func() time.Time
	// OpenTimeout is how long to wait for another process to let go of the
	// database file before failing with "database is in use".
	OpenTimeout time.Duration

	// Config is the configuration after ParseFlags.
	Config Config

	cmd       *command
	levelSet  bool // KITH_LOG_LEVEL was given; otherwise a quiet sub-command logs only warnings
	serveOpts serveOptions
	console   consoleOptions
	imp       importOptions
	exp       exportOptions
	bak       backupOptions
	res       restoreOptions
	mig       migrateOptions
	health    healthOptions

	logger   *slog.Logger
	store    reminders.Store
	readOnly bool     // open the store for reading only: the sub-command only reads
	readAll  bool     // the sub-command reads the whole store (an export of everyone, a copy)
	running  *running // goroutines and servers of serve and console

	doneOnce sync.Once
	done     chan struct{}
	errMu    sync.Mutex
	err      error // a failure of background work, returned by Close
}

// NewMain returns a Main wired to the process's standard streams and environment.
func NewMain() *Main {
	return &Main{
		Stdin:       os.Stdin,
		Stdout:      os.Stdout,
		Stderr:      os.Stderr,
		LookupEnv:   os.LookupEnv,
		IsTerminal:  stdinIsTerminal,
		Now:         time.Now,
		OpenTimeout: bolt.DefaultTimeout,
		Config:      DefaultConfig(),
		done:        make(chan struct{}),
	}
}

// stdinIsTerminal reports whether standard input is a terminal.
func stdinIsTerminal() bool { return isTerminalFile(os.Stdin) }

// isTerminalFile tells a terminal from a pipe or a file the standard
// library's way, by its being a character device. /dev/null is one too, and
// it is what systemd and a container without -t give as standard input, so
// it is ruled out: there, bare kith must say what to set, not start a
// console that reads nothing and exits.
func isTerminalFile(f *os.File) bool {
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(fi, null)
}

// command is one sub-command: its flags, its arguments and what it runs.
type command struct {
	name     string
	synopsis string   // "kith import --owner OWNER FILE"
	summary  string   // one line for the list of sub-commands
	help     string   // a paragraph for --help
	envs     []string // the configuration variables it reads, also offered as flags
	// quiet makes warn the default log level: a one-shot tool or the
	// console should not chatter on the terminal the user reads.
	quiet bool
	flags func(m *Main, fs *flag.FlagSet)
	args  func(m *Main, args []string) error
	run   func(m *Main, ctx context.Context) error
}

// commands lists the sub-commands in the order of the usage text.
func commands() []*command {
	return []*command{serveCommand, consoleCommand, importCommand, exportCommand, backupCommand, restoreCommand, migrateCommand, healthcheckCommand, versionCommand}
}

// findCommand returns the sub-command of that name, or nil.
func findCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// usageError is a mistake in how kith was invoked: exit status 2.
type usageError struct {
	msg   string
	usage string // printed under the sentence when set
}

func (e *usageError) Error() string { return e.msg }

// usageErrorf reports a configuration mistake in one sentence.
func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// Execute runs kith as the process does and returns its exit status: 0 on
// success, 2 for a usage or configuration mistake, 1 for any other failure.
func (m *Main) Execute(ctx context.Context, args []string) int {
	if err := m.ParseFlags(ctx, args); err != nil {
		return m.report(err)
	}
	if err := m.Run(ctx); err != nil {
		_ = m.Close()
		return m.report(err)
	}
	select {
	case <-ctx.Done():
	case <-m.Done():
	}
	return m.report(m.Close())
}

// report prints err for a person and returns the exit status it deserves.
func (m *Main) report(err error) int {
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(m.Stderr, "kith: %s\n", ue.msg)
		if ue.usage != "" {
			fmt.Fprintf(m.Stderr, "\n%s", ue.usage)
		}
		return 2
	}
	fmt.Fprintf(m.Stderr, "kith: %s\n", userMessage(err))
	return 1
}

// userMessage is the sentence for a failure: a reminders.Error's own words,
// the details of anything else (this is the operator's terminal, not a chat).
func userMessage(err error) string {
	var e *reminders.Error
	if errors.As(err, &e) && e.Code != reminders.EINTERNAL && e.Message != "" {
		return e.Message
	}
	return err.Error()
}

// ParseFlags reads the environment, then the sub-command and its flags.
// Bare `kith` (or `kith --flag ...`) chooses serve or console: serve when a
// platform is configured, the console when standard input is a terminal.
func (m *Main) ParseFlags(_ context.Context, args []string) error {
	if len(args) > 0 && (args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		if len(args) > 1 && findCommand(args[1]) != nil {
			fmt.Fprint(m.Stdout, commandUsage(findCommand(args[1])))
		} else {
			fmt.Fprint(m.Stdout, mainUsage())
		}
		return flag.ErrHelp
	}
	bare := len(args) == 0 || strings.HasPrefix(args[0], "-")
	cmd := serveCommand
	if !bare {
		cmd = findCommand(args[0])
		if cmd == nil {
			return &usageError{msg: fmt.Sprintf("%q is not a sub-command; use one of serve, console, import, export, backup, restore, migrate, healthcheck, version.", args[0]), usage: mainUsage()}
		}
		args = args[1:]
	}

	if err := m.Config.loadEnv(m.LookupEnv); err != nil {
		return err
	}
	_, levelSet := m.LookupEnv("KITH_LOG_LEVEL")
	_, levelFileSet := m.LookupEnv("KITH_LOG_LEVEL_FILE")
	m.levelSet = levelSet || levelFileSet

	fs := flag.NewFlagSet("kith "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported in one sentence below, help by commandUsage
	envs := cmd.envs
	if bare {
		envs = allEnvs()
	}
	m.Config.addFlags(fs, envs...)
	if cmd.flags != nil {
		cmd.flags(m, fs)
	}
	if bare {
		consoleCommand.flags(m, fs) // --user, for a bare kith that turns out to be the console
	}
	positional, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(m.Stdout, commandUsage(cmd))
			return err
		}
		return &usageError{msg: sentence(err.Error()), usage: commandUsage(cmd)}
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "log-level" {
			m.levelSet = true
		}
	})
	if cmd.args != nil {
		if err := cmd.args(m, positional); err != nil {
			return &usageError{msg: err.Error(), usage: commandUsage(cmd)}
		}
	} else if len(positional) > 0 {
		return &usageError{msg: fmt.Sprintf("kith %s takes no arguments, but got %q.", cmd.name, positional[0]), usage: commandUsage(cmd)}
	}
	if err := m.Config.check(); err != nil {
		return err
	}

	if bare {
		switch {
		case len(m.Config.Platforms()) > 0:
		case m.IsTerminal():
			cmd = consoleCommand
		default:
			return usageErrorf("no chat platform is configured and standard input is not a terminal; " +
				"set SLACK_BOT_TOKEN (with SLACK_SIGNING_SECRET or SLACK_APP_TOKEN) or DISCORD_BOT_TOKEN to serve, " +
				"or run `kith console` in a terminal to try kith locally.")
		}
	}
	m.cmd = cmd
	return nil
}

// parseInterspersed parses flags wherever they stand among the arguments, so
// that `kith import Connections.csv --owner console:me` works as well as the
// other order; everything after "--" is an argument.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		if len(rest) == 0 {
			return positional, nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// allEnvs returns every configuration variable, for bare kith.
func allEnvs() []string {
	envs := make([]string, len(settings))
	for i, s := range settings {
		envs[i] = s.env
	}
	return envs
}

// sentence makes an error from the flag package read as a sentence.
func sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// Command returns the name of the sub-command ParseFlags chose.
func (m *Main) Command() string {
	if m.cmd == nil {
		return ""
	}
	return m.cmd.name
}

// Run starts the chosen sub-command. One-shot sub-commands do their work and
// return; serve and console start their goroutines and return, and Done
// tells when the console was left or background work failed.
func (m *Main) Run(ctx context.Context) error {
	if m.cmd == nil {
		return errors.New("kith: Run before ParseFlags")
	}
	m.logger = m.newLogger()
	err := m.cmd.run(m, ctx)
	if m.running == nil {
		m.finish(nil) // one-shot: nothing runs after this
	}
	return err
}

// Done is closed when the running sub-command has ended on its own.
func (m *Main) Done() <-chan struct{} { return m.done }

// finish records why the sub-command ended and closes Done once.
func (m *Main) finish(err error) {
	if err != nil {
		m.errMu.Lock()
		if m.err == nil {
			m.err = err
		}
		m.errMu.Unlock()
	}
	m.doneOnce.Do(func() { close(m.done) })
}

// Close stops what Run started, letting in-flight work finish within
// ShutdownTimeout, closes the database and returns the first failure.
func (m *Main) Close() error {
	var errs []error
	if m.running != nil {
		errs = append(errs, m.running.stop(ShutdownTimeout))
	}
	if m.store != nil {
		if err := m.store.Close(); err != nil {
			errs = append(errs, err)
		}
		m.store = nil
	}
	m.errMu.Lock()
	errs = append([]error{m.err}, errs...)
	m.errMu.Unlock()
	m.finish(nil)
	return errors.Join(errs...)
}

// newLogger builds the structured logger at the configured level, on stderr.
func (m *Main) newLogger() *slog.Logger {
	level, _ := parseLevel(m.Config.LogLevel)
	if !m.levelSet && m.cmd.quiet {
		level = slog.LevelWarn
	}
	return slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: level}))
}
