package console

import (
	"context"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/kith-bot/kith/bot/lang"
	"golang.org/x/term"
)

// Keys the editor handles beyond what term.Terminal does itself.
const (
	keyTab   = '\t'
	keyCtrlR = 0x12
)

// editor is the line editor of a console in a terminal: golang.org/x/term's
// Terminal gives arrows, Home/End, word moves, Up/Down history and redraws
// the prompt under a digest that arrives while the user types; the editor
// adds Ctrl-R (search back through history) and Tab (command words, then
// the owner's contact names).
type editor struct {
	c *Console
	t *term.Terminal

	// search is the Ctrl-R state: the text searched for, the history index
	// of the last match and the line it put up; typing anything else ends it.
	query string
	found int
	shown string
}

// EditLines makes the console read and write through a line editor on rw, a
// terminal already in raw mode (see MakeRaw) that is width columns wide (0
// for 80). Call it before Run; output then goes through the editor, which
// turns "\n" into "\r\n" as a raw terminal needs.
func (c *Console) EditLines(rw io.ReadWriter, width int) {
	prompt := c.Prompt
	if prompt == "" {
		prompt = "kith> "
	}
	t := term.NewTerminal(rw, prompt)
	if width > 0 {
		_ = t.SetSize(width, 0)
	}
	e := &editor{c: c, t: t, found: -1}
	t.AutoCompleteCallback = e.key
	c.mu.Lock()
	c.editor, c.out, c.Prompt = e, t, prompt
	c.mu.Unlock()
}

// MakeRaw puts the terminal f into raw mode for the line editor and returns
// what restores it and the terminal's width (0 when unknown); ok is false
// when f is no terminal, where plain lines are read.
func MakeRaw(f *os.File) (restore func(), width int, ok bool) {
	fd := int(f.Fd())
	if !term.IsTerminal(fd) {
		return nil, 0, false
	}
	old, err := term.MakeRaw(fd)
	if err != nil {
		return nil, 0, false
	}
	width, _, _ = term.GetSize(fd)
	return func() { _ = term.Restore(fd, old) }, width, true
}

// readLine reads one edited line; Ctrl-D on an empty line and Ctrl-C end input.
func (e *editor) readLine() (string, error) {
	line, err := e.t.ReadLine()
	e.query, e.found, e.shown = "", -1, ""
	if err == term.ErrPasteIndicator {
		err = nil
	}
	if len(line) > maxLine {
		return errTooLong, err
	}
	return line, err
}

// key is term.Terminal's hook for keys it does not handle itself.
func (e *editor) key(line string, pos int, key rune) (string, int, bool) {
	switch key {
	case keyCtrlR:
		return e.searchBack(line)
	case keyTab:
		e.query, e.found = "", -1
		return e.complete(line, pos)
	}
	e.query, e.found = "", -1
	return "", 0, false
}

// searchBack puts up the most recent history entry holding what was typed;
// pressing Ctrl-R again goes further back. With no match the line stays.
func (e *editor) searchBack(line string) (string, int, bool) {
	if e.found < 0 || line != e.shown {
		e.query, e.found = line, -1
	}
	h := e.t.History
	for i := e.found + 1; i < h.Len(); i++ {
		if entry := h.At(i); strings.Contains(strings.ToLower(entry), strings.ToLower(e.query)) {
			e.found, e.shown = i, entry
			return entry, len(entry), true
		}
	}
	return line, len(line), true
}

// consoleWords are what the console understands beside the bot's commands.
var consoleWords = []string{"quit", "exit", "clear"}

// complete completes the word before the cursor: the command word first,
// then a contact name after it. One candidate is filled in; several are
// filled to what they share and listed.
func (e *editor) complete(line string, pos int) (string, int, bool) {
	before, after := line[:pos], line[pos:]
	verb, rest, hasRest := strings.Cut(strings.TrimLeft(before, " "), " ")
	var candidates []string
	var typed string
	if !hasRest {
		typed = verb
		for _, w := range append(lang.Names(), consoleWords...) {
			if strings.HasPrefix(w, strings.ToLower(typed)) {
				candidates = append(candidates, w)
			}
		}
	} else {
		if v, ok := lang.Lookup(verb); !ok || !v.Names {
			return "", 0, false
		}
		typed = strings.TrimLeft(rest, " ")
		if typed == "" {
			return "", 0, false
		}
		candidates = e.c.h.Complete(context.Background(), e.c.owner, typed)
	}
	if len(candidates) == 0 {
		return line, pos, true
	}
	head := before[:len(before)-len(typed)]
	fill := sharedPrefix(candidates)
	if len(candidates) == 1 {
		fill += " "
	} else if len(fill) <= len(typed) {
		fill = typed
		_, _ = io.WriteString(e.t, strings.Join(slices.Compact(candidates), "   ")+"\n")
	}
	if !strings.HasPrefix(strings.ToLower(fill), strings.ToLower(typed)) {
		// A name matched by a later word ("doe" for Jane Doe) replaces what
		// was typed only when it is the one candidate.
		if len(candidates) > 1 {
			return line, pos, true
		}
	}
	return head + fill + after, len(head + fill), true
}

// sharedPrefix is the longest start all of words share, ignoring case, in
// the spelling of the first.
func sharedPrefix(words []string) string {
	p := []rune(words[0])
	for _, w := range words[1:] {
		r := []rune(w)
		n := 0
		for n < len(p) && n < len(r) && strings.EqualFold(string(p[n]), string(r[n])) {
			n++
		}
		p = p[:n]
	}
	return string(p)
}
