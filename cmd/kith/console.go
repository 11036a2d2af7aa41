package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/kith-bot/kith/bot/console"
	"github.com/kith-bot/kith/reminders"
)

// consoleOptions are the flags of kith console.
type consoleOptions struct {
	user string
	dir  string // where exports are saved; "" is the working directory
}

var consoleCommand = &command{
	name:     "console",
	synopsis: "kith console [--user NAME] [flags]",
	summary:  "try kith in this terminal, with nothing configured",
	help: `Starts a local console where the same commands as in Slack or Discord are
typed (add Jane Doe at Acme, met Jane yesterday, due, help). Digests print
in the terminal on your digest schedule; buttons are numbered, and typing a
number presses one. In a terminal, lines are edited as in a shell: Up and
Down for history, Ctrl-R to search it, Tab to complete commands and names. Your data is kept in KITH_DB under the owner
console:NAME, so kith export --owner console:NAME reads it back.`,
	envs:  []string{"KITH_DB", "KITH_COMMAND", "KITH_TICK", "KITH_LOG_LEVEL"},
	quiet: true,
	flags: func(m *Main, fs *flag.FlagSet) {
		fs.StringVar(&m.console.user, "user", "", "your name in the console (default $USER, or me)")
	},
	run: (*Main).runConsole,
}

// consoleUser picks the console's user: --user, else $USER, else "me".
func (m *Main) consoleUser() (string, error) {
	u := m.console.user
	if u == "" {
		u, _ = m.LookupEnv("USER")
	}
	if u == "" {
		u = "me"
	}
	if _, err := reminders.ParseOwnerID("console:" + u); err != nil {
		return "", usageErrorf("--user %q cannot be a name; use letters and digits, e.g. --user ada.", u)
	}
	return u, nil
}

// runConsole opens the database and starts the console with a scheduler
// whose digests print in the terminal; Done closes when the user quits.
func (m *Main) runConsole(ctx context.Context) error {
	user, err := m.consoleUser()
	if err != nil {
		return err
	}
	store, err := m.openStore()
	if err != nil {
		return err
	}
	core, err := m.newCore(store, nil)
	if err != nil {
		return err
	}
	c := console.New(core.bot, m.Stdin, m.Stdout, user, m.Config.Command)
	c.Dir = m.console.dir
	c.TimeZone = console.LocalTimeZone()
	c.Intro = fmt.Sprintf("Your data is kept in %s.", displayDB(m.Config.DB))
	if m.IsTerminal() && isTerminalWriter(m.Stdout) {
		c.Prompt = "kith> "
		_, noColor := m.LookupEnv("NO_COLOR")
		c.Styled = !noColor
	}
	core.bot.Route(reminders.PlatformConsole, c)

	r := m.startRunning(ctx)
	r.goRun("scheduler", false, func(ctx context.Context) error {
		// Planning first, not beside the ticks: a tick advancing a job while
		// the bulk plan rewrites it could bring a delivered slot back.
		replanDigests(ctx, store, core.scheduler, m.logger)
		return core.scheduler.Run(ctx)
	})
	r.goRun("console", true, func(ctx context.Context) error {
		if restore, ok := m.editLines(c); ok {
			defer restore()
		}
		return c.Run(ctx)
	})
	return nil
}

// editLines gives the console a line editor (history, Ctrl-R, Tab) when
// both standard input and output are a terminal; piped input is read as
// plain lines. The terminal is restored when the console ends.
func (m *Main) editLines(c *console.Console) (restore func(), ok bool) {
	in, isFile := m.Stdin.(*os.File)
	if !isFile || !m.IsTerminal() || !isTerminalWriter(m.Stdout) {
		return nil, false
	}
	restore, width, ok := console.MakeRaw(in)
	if !ok {
		return nil, false
	}
	c.EditLines(struct {
		io.Reader
		io.Writer
	}{in, m.Stdout}, width)
	return restore, true
}

// isTerminalWriter reports whether w is a terminal, where escapes render.
func isTerminalWriter(w any) bool {
	f, ok := w.(*os.File)
	return ok && isTerminalFile(f)
}
