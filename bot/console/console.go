// Package console is kith's terminal adapter: the same commands as in Slack
// or Discord, typed on standard input, so anyone can try kith with nothing
// but Go. Buttons become numbered choices and digests print in the terminal.
package console

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
)

// Team is the one team of the console, so that `team summary` works locally.
const Team reminders.TeamID = "console:local"

// Channel is the console's one channel, where team summaries print.
const Channel = "terminal"

// maxLine bounds one typed line; a pasted note longer than this is an error, not a hang.
const maxLine = 64 << 10

// Console reads commands from a terminal, runs them through a bot.Handler and
// prints the replies. It also implements bot.Sender, printing digests and
// summaries into the same terminal.
type Console struct {
	h       bot.Handler
	in      io.Reader
	command string
	owner   reminders.Owner

	// Dir is where exported files are written; "" means the current directory.
	Dir string
	// Prompt is printed before each line is read; set it only for a terminal,
	// since a prompt in piped output is noise.
	Prompt string
	// TimeZone is handed to the bot on first use, as Slack hands a profile's zone.
	TimeZone string
	// Intro is extra text printed under the welcome (where the data lives, say).
	Intro string
	// Styled turns *bold* and _italic_ into terminal escapes instead of plain text.
	Styled bool

	// editor edits lines in a terminal (history, Ctrl-R, Tab) when
	// EditLines was called; nil reads plain lines from in.
	editor *editor

	mu  sync.Mutex // guards out, the numbering, busy and seq: digests print while a command runs
	out io.Writer
	// The buttons that numbers press. Numbers count up through the session
	// and are never given twice, so a number always presses the button it
	// was printed beside. choices are the buttons of the newest message
	// with buttons, numbered base+1 on.
	choices []choice
	base    int
	busy    bool   // a typed line is running, so output goes under it, not over the prompt
	session string // makes request keys unique across runs, since the store remembers them
	seq     int
}

// choice is one numbered button the user may pick by typing its number.
type choice struct {
	button bot.Button
}

// same reports whether b is the button of this choice, as a platform would
// match it: by what it does, not by where it stands.
func (ch choice) same(b bot.Button) bool {
	return ch.button.Action == b.Action && ch.button.Value == b.Value
}

var _ bot.Sender = (*Console)(nil)

// New returns a console for user that reads commands from in and writes to out.
// command is the slash command name ("/kith") that may prefix a typed line.
func New(h bot.Handler, in io.Reader, out io.Writer, user, command string) *Console {
	var b [6]byte
	_, _ = rand.Read(b[:]) // never fails on supported platforms
	return &Console{
		h:       h,
		in:      in,
		out:     out,
		command: command,
		owner:   reminders.Owner{Platform: reminders.PlatformConsole, User: user},
		session: hex.EncodeToString(b[:]),
	}
}

// Owner returns the owner whose commands this console runs.
func (c *Console) Owner() reminders.Owner { return c.owner }

// Run prints a welcome and runs typed lines until quit, exit, end of input or
// ctx is done. A command already running when ctx ends is allowed to finish,
// so that nothing acknowledged is cut short.
func (c *Console) Run(ctx context.Context) error {
	c.welcome()
	lines := make(chan string)
	readErr := make(chan error, 1)
	next := make(chan struct{}, 1) // the previous line is done: read another
	next <- struct{}{}
	read := c.lineReader()
	go func() {
		// This goroutine may outlive Run while blocked reading a terminal;
		// it exits at the next line or end of input.
		for {
			select {
			case <-next:
			case <-ctx.Done():
				return
			}
			line, err := read()
			if err != nil {
				if errors.Is(err, io.EOF) {
					err = nil
				}
				readErr <- err
				return
			}
			select {
			case lines <- line:
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		c.prompt()
		select {
		case <-ctx.Done():
			c.endLine()
			return nil
		case err := <-readErr:
			if err != nil {
				return fmt.Errorf("console: reading input: %w", err)
			}
			c.endLine()
			return nil
		case line := <-lines:
			if !c.line(context.WithoutCancel(ctx), line) {
				return nil
			}
			next <- struct{}{}
		}
	}
}

// lineReader returns what reads the next typed line: the line editor in a
// terminal, else plain lines from in.
func (c *Console) lineReader() func() (string, error) {
	if c.editor != nil {
		return c.editor.readLine
	}
	r := bufio.NewReader(c.in)
	return func() (string, error) { return readLine(r) }
}

// errTooLong stands in for a line longer than maxLine, which is refused
// rather than cut, so a half command never runs.
const errTooLong = "\x00too long"

// readLine reads one line of at most maxLine bytes; a longer one is read to
// its end and returned as errTooLong. A last line without a newline counts.
func readLine(r *bufio.Reader) (string, error) {
	var buf []byte
	tooLong := false
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > maxLine+1 {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err != nil && (len(buf) == 0 && !tooLong || !errors.Is(err, io.EOF)):
			return "", err
		}
		if tooLong {
			return errTooLong, nil
		}
		return strings.TrimRight(string(buf), "\r\n"), nil
	}
}

// line runs one typed line and reports whether to go on.
func (c *Console) line(ctx context.Context, line string) bool {
	if line == errTooLong {
		c.print(bot.Message{Error: true, Text: fmt.Sprintf("That line is longer than %d KiB; type a shorter command.", maxLine>>10)}, false)
		return true
	}
	text := strings.TrimSpace(line)
	switch strings.ToLower(text) {
	case "":
		return true
	case "quit", "exit", "q", c.command + " quit", c.command + " exit":
		c.println("Bye. Your contacts are saved.")
		return false
	}
	if strings.EqualFold(text, "clear") {
		c.clear()
		return true
	}
	c.setBusy(true)
	defer c.setBusy(false)
	if n, err := strconv.Atoi(text); err == nil {
		c.choose(ctx, n)
		return true
	}
	if rest, ok := cutCommand(text, c.command); ok {
		text = rest
	} else if strings.HasPrefix(text, "/") {
		word, _, _ := strings.Cut(text, " ")
		c.print(bot.Message{Error: true, Text: fmt.Sprintf("%s is not a command here; type %s <command> or just the command, e.g. help.", word, c.command)}, false)
		return true
	}
	req := bot.Request{
		Owner:    c.owner,
		Team:     Team,
		Text:     text,
		Key:      c.key(),
		Channel:  Channel,
		Admin:    true,
		TimeZone: c.TimeZone,
		Name:     c.owner.User,
	}
	if file, fail, ok := c.importRequest(text); ok {
		if fail.Error {
			c.print(fail, false)
			return true
		}
		req.Text, req.File = "import", file
	}
	m := c.h.Command(ctx, req)
	c.print(m, false)
	return true
}

// cutCommand strips a leading command word ("/kith", or "kith" without the slash).
func cutCommand(text, command string) (string, bool) {
	for _, w := range []string{command, strings.TrimPrefix(command, "/")} {
		if w == "" {
			continue
		}
		if strings.EqualFold(text, w) {
			return "", true
		}
		if len(text) > len(w) && strings.EqualFold(text[:len(w)], w) && text[len(w)] == ' ' {
			return strings.TrimSpace(text[len(w):]), true
		}
	}
	return text, false
}

// choose clicks the button numbered n, if it is on the newest message
// with buttons.
func (c *Console) choose(ctx context.Context, n int) {
	c.mu.Lock()
	choices, base := c.choices, c.base
	c.mu.Unlock()
	first, last := base+1, base+len(choices)
	var refusal string
	switch {
	case len(choices) == 0:
		refusal = "There is nothing to choose right now; numbers pick a button shown as [1], [2] …"
	case n >= 1 && n < first:
		refusal = fmt.Sprintf("Button %d was on an earlier message, which a newer one replaced; pick a number from %d to %d.", n, first, last)
	case n < 1 || n > last:
		refusal = fmt.Sprintf("There is no choice %d; pick a number from %d to %d.", n, first, last)
	}
	if refusal != "" {
		c.print(bot.Message{Error: true, Text: refusal}, false)
		return
	}
	// The bot keys a click by the button's identity, not the request, so
	// pressing the same number again is answered "already done", as a
	// second click on Slack or Discord is.
	b := choices[n-first].button
	m := c.h.Act(ctx, bot.Action{Owner: c.owner, Team: Team, ID: b.Action, Value: b.Value, Key: c.key()})
	c.print(m, false)
}

// setBusy marks whether a typed line is running.
func (c *Console) setBusy(b bool) {
	c.mu.Lock()
	c.busy = b
	c.mu.Unlock()
}

// clear clears a terminal, as the shell's clear does; in plain output it does nothing.
func (c *Console) clear() {
	if !c.Styled {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprint(c.out, "\x1b[H\x1b[2J")
}

// endLine leaves the terminal on a fresh line after the prompt when leaving without quit.
func (c *Console) endLine() {
	if c.ownPrompt() {
		c.println("")
	}
}

// key returns a request key unique to this line, across runs too.
func (c *Console) key() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	return fmt.Sprintf("console-%s-%d", c.session, c.seq)
}

// SendDM prints a direct message (a digest) into the terminal.
func (c *Console) SendDM(_ context.Context, to reminders.Owner, m bot.Message) error {
	if to.Platform != reminders.PlatformConsole {
		return reminders.Errorf(reminders.EINVALID, "the console cannot message %s.", to.ID())
	}
	c.print(m, true)
	return nil
}

// OpenDM names the terminal as the owner's DM channel; there is only one.
func (c *Console) OpenDM(_ context.Context, to reminders.Owner) (string, error) {
	if to.Platform != reminders.PlatformConsole {
		return "", reminders.Errorf(reminders.EINVALID, "the console cannot message %s.", to.ID())
	}
	return "terminal", nil
}

// PostDM prints a direct message (a digest) into the terminal.
func (c *Console) PostDM(ctx context.Context, to reminders.Owner, _ string, m bot.Message) error {
	return c.SendDM(ctx, to, m)
}

// Posted answers false: the terminal keeps no history to look in, and a
// console session is one process, so there is no crash to recover from.
func (c *Console) Posted(context.Context, reminders.TeamID, string, bot.Mark) (bool, error) {
	return false, nil
}

// Post prints a channel message (a team summary) into the terminal.
func (c *Console) Post(_ context.Context, team reminders.TeamID, channel string, m bot.Message) error {
	if team != Team {
		return reminders.Errorf(reminders.EINVALID, "the console cannot post to %s.", team)
	}
	// The channel goes into the heading, since the terminal is every channel at once.
	if m.Title == "" {
		m.Title = "#" + channel
	} else {
		m.Title = "#" + channel + " · " + m.Title
	}
	c.print(m, true)
	return nil
}
