package console

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/reminders"
)

// Terminal escapes used when Styled is set.
const (
	escBold   = "\x1b[1m"
	escItalic = "\x1b[3m"
	escDim    = "\x1b[2m"
	escRed    = "\x1b[31m"
	escReset  = "\x1b[0m"
)

// welcome prints what the console is and how to start.
func (c *Console) welcome() {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.out, "%s — the kith console, signed in as %s.\n", c.bold("kith"), c.owner.User)
	fmt.Fprintf(c.out, "Type commands as in Slack, with or without %s: add Jane Doe at Acme, met Jane yesterday, due.\n", c.command)
	fmt.Fprintf(c.out, "Type help for every command, a number to press a button, quit to leave.\n")
	if c.Intro != "" {
		fmt.Fprintln(c.out, c.Intro)
	}
}

// prompt prints the prompt, if any.
func (c *Console) prompt() {
	if !c.ownPrompt() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprint(c.out, c.Prompt)
}

// ownPrompt reports whether the console prints the prompt itself; the line
// editor draws its own, and redraws it under whatever is printed.
func (c *Console) ownPrompt() bool { return c.Prompt != "" && c.editor == nil }

// println prints one line.
func (c *Console) println(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintln(c.out, s)
}

// print renders m. unsolicited marks a message that arrives on its own (a
// scheduled digest) rather than as the answer to a typed line: when the
// user sits at the prompt it starts on a fresh line under a rule, and the
// prompt is printed again after it.
func (c *Console) print(m bot.Message, unsolicited bool) {
	paths, fileErr := c.saveFiles(m.Files)
	m.Text = renameSaved(m.Text, m.Files, paths)

	c.mu.Lock()
	defer c.mu.Unlock()
	unsolicited = unsolicited && !c.busy
	var b strings.Builder
	if unsolicited {
		if c.ownPrompt() {
			b.WriteString("\n")
		}
		b.WriteString(c.dim("── from kith ──") + "\n")
	}
	b.WriteString(c.render(m))
	for _, p := range paths {
		fmt.Fprintf(&b, "Saved %s\n", p)
	}
	if fileErr != nil {
		fmt.Fprintf(&b, "%s\n", c.errorText("Could not save the file: "+fileErr.Error()))
	}
	if unsolicited && c.ownPrompt() {
		b.WriteString(c.Prompt)
	}
	fmt.Fprint(c.out, b.String())
}

// render turns a message into terminal text and numbers its buttons. It must
// be called with mu held, since it changes the choices.
//
// An answer that replaces the message clicked (as Slack and Discord update
// it in place) is printed whole, as they show it, and keeps that message's
// numbers: a button still on it keeps its number, a new one takes the next,
// and one no longer shown stays pressable, so pressing a number twice
// reaches the same button, which the bot answers as already done. Any other
// message with buttons takes over the numbering; the numbers before it no
// longer press anything.
func (c *Console) render(m bot.Message) string {
	if !m.Replace && hasButtons(m) {
		c.base += len(c.choices)
		c.choices = nil
	}
	var b strings.Builder
	structured := m.Title != "" || len(m.Sections) > 0
	if !structured {
		text := c.markup(m.Text)
		if m.Error {
			text = c.errorText(text)
		}
		if text != "" {
			b.WriteString(text)
			b.WriteString("\n")
		}
	} else {
		if m.Title != "" {
			title := c.bold(stripMarkup(m.Title))
			if m.Error {
				title = c.errorText(stripMarkup(m.Title))
			}
			b.WriteString(title + "\n")
		}
		if len(m.Sections) == 0 && m.Text != "" && m.Text != m.Title {
			b.WriteString(indent(c.markup(m.Text), "  ") + "\n")
		}
	}
	numbered := false
	for _, s := range m.Sections {
		if s.Title != "" {
			b.WriteString(c.bold(stripMarkup(s.Title)) + "\n")
		}
		if s.Text != "" {
			b.WriteString(indent(c.markup(s.Text), "  ") + "\n")
		}
		for _, f := range s.Fields {
			fmt.Fprintf(&b, "  %s %s\n", c.dim(f.Label+":"), c.markup(f.Value))
		}
		if len(s.Buttons) > 0 {
			var row []string
			for _, btn := range s.Buttons {
				// A menu's choices are numbered one by one, like buttons.
				for _, ch := range btn.Choices {
					row = append(row, fmt.Sprintf("[%d] %s", c.number(bot.Button{Label: ch.Label, Action: btn.Action, Value: ch.Value}), ch.Label))
				}
				if len(btn.Choices) > 0 {
					continue
				}
				row = append(row, fmt.Sprintf("[%d] %s", c.number(btn), btn.Label))
			}
			numbered = true
			b.WriteString("  " + strings.Join(row, "  ") + "\n")
		}
	}
	if m.Footer != "" {
		b.WriteString(c.dim(stripMarkup(m.Footer)) + "\n")
	}
	if numbered {
		b.WriteString(c.dim("Type a number to press its button.") + "\n")
	}
	return b.String()
}

// number returns the number of button b: the one it already has, else the next.
func (c *Console) number(b bot.Button) int {
	for i, ch := range c.choices {
		if ch.same(b) {
			return c.base + i + 1
		}
	}
	c.choices = append(c.choices, choice{button: b})
	return c.base + len(c.choices)
}

// hasButtons reports whether m brings buttons to number.
func hasButtons(m bot.Message) bool {
	for _, s := range m.Sections {
		if len(s.Buttons) > 0 {
			return true
		}
	}
	return false
}

// saveFiles writes attachments next to the user, never over an existing file.
func (c *Console) saveFiles(files []bot.File) ([]string, error) {
	var paths []string
	for _, f := range files {
		p, err := c.saveFile(f)
		if err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// renameSaved rewrites the names of attachments in text to the names they
// were saved under, so a reply never names kith-export.json when the file
// written is kith-export-1.json.
func renameSaved(text string, files []bot.File, paths []string) string {
	for i, p := range paths {
		if saved := filepath.Base(p); saved != files[i].Name {
			text = strings.ReplaceAll(text, files[i].Name, saved)
		}
	}
	return text
}

// saveFile writes one attachment under Dir, adding -1, -2 … to the name when taken.
func (c *Console) saveFile(f bot.File) (string, error) {
	dir := c.Dir
	if dir == "" {
		dir = "."
	}
	name := filepath.Base(f.Name)
	if name == "." || name == string(filepath.Separator) || name == "" {
		name = "kith-export"
	}
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 0; i < 1000; i++ {
		candidate := name
		if i > 0 {
			candidate = fmt.Sprintf("%s-%d%s", stem, i, ext)
		}
		p := filepath.Join(dir, candidate)
		fh, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if os.IsExist(err) {
			continue
		}
		if err != nil {
			return "", err
		}
		_, werr := fh.Write(f.Data)
		if cerr := fh.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return "", werr
		}
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		return p, nil
	}
	return "", reminders.Errorf(reminders.ECONFLICT, "too many files named like %s in %s", name, dir)
}

// markup turns *bold* and _italic_ into escapes when styled, else drops the markers.
func (c *Console) markup(s string) string {
	s = replaceMarks(s, '*', c.styleOr(escBold))
	return replaceMarks(s, '_', c.styleOr(escItalic))
}

// styleOr returns the escape when styled, else "" so that markers just vanish.
func (c *Console) styleOr(esc string) string {
	if c.Styled {
		return esc
	}
	return ""
}

func (c *Console) bold(s string) string { return c.wrap(escBold, s) }
func (c *Console) dim(s string) string  { return c.wrap(escDim, s) }
func (c *Console) errorText(s string) string {
	if c.Styled {
		return escRed + s + escReset
	}
	return s
}

func (c *Console) wrap(esc, s string) string {
	if !c.Styled || s == "" {
		return s
	}
	return esc + s + escReset
}

// stripMarkup drops *bold* and _italic_ markers, for text already styled as a whole.
func stripMarkup(s string) string { return replaceMarks(replaceMarks(s, '*', ""), '_', "") }

// replaceMarks replaces pairs of mark around a word run (*like this*) with
// esc … reset, or drops them when esc is "". A mark inside a word (snake_case,
// 5*3) is left alone.
func replaceMarks(s string, mark rune, esc string) string {
	rs := []rune(s)
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		if rs[i] != mark || !opens(rs, i) {
			b.WriteRune(rs[i])
			continue
		}
		end := -1
		for j := i + 1; j < len(rs); j++ {
			if rs[j] == '\n' {
				break
			}
			if rs[j] == mark && closes(rs, j) && j > i+1 {
				end = j
				break
			}
		}
		if end < 0 {
			b.WriteRune(rs[i])
			continue
		}
		inner := string(rs[i+1 : end])
		if esc != "" {
			b.WriteString(esc + inner + escReset)
		} else {
			b.WriteString(inner)
		}
		i = end
	}
	return b.String()
}

// opens reports whether the mark at i may open a span: at a word start, followed by text.
func opens(rs []rune, i int) bool {
	if i+1 >= len(rs) || unicode.IsSpace(rs[i+1]) {
		return false
	}
	return i == 0 || !isWord(rs[i-1])
}

// closes reports whether the mark at j may close a span: after text, at a word end.
func closes(rs []rune, j int) bool {
	if unicode.IsSpace(rs[j-1]) {
		return false
	}
	return j+1 == len(rs) || !isWord(rs[j+1])
}

func isWord(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// indent prefixes every line of s.
func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}
