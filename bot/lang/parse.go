package lang

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// Parsed is one command with its words interpreted and its contact names
// resolved against the owner's own contacts, ready to run. Only the fields
// of its Verb are set.
type Parsed struct {
	Verb     string              // the command word, canonical: "add", "met", "who-knows", ...
	Contacts []reminders.Contact // the contacts named; met may name several
	Name     string              // add: the new contact's name; edit name: the new name
	Mention  string              // add: the chat user id given as a mention
	Company  string              // add
	Role     string              // add
	Tags     []string            // add, tag, untag; list: the tag to filter by (one)
	Note     string              // add, met: the text after ':'
	Text     string              // gave, got, promise, note: what; edit: the new value; who-knows: the company
	When     time.Time           // met, gave, got: when (zero: now); promise: due (zero: none); snooze: until
	Cadence  reminders.Cadence   // add, every
	Field    string              // edit: name, company, role, email, url or note
	Filter   string              // list: "all", "due" or "cold"; show: "all" for the whole history
	Page     int                 // list: the page asked for, from 1; 0 means the first
	Promise  reminders.Promise   // done: the open promise it completes
	Topic    string              // help: the command asked about
	Notice   string              // a sentence the reply should add: how a date was understood
	// Close lists the contacts named only by a close spelling ("Janet" for
	// Jane Roe): a command that writes asks before acting on them.
	Close    []uint64
	Settings *SettingsChange // settings: nil to show them
	Team     string          // team summary: "here", "off" or "now"
	Schedule string          // team summary here: the schedule; "" for the default
	Format   string          // export: "json", "csv" or "vcard"; "" for CSV and JSON
	// Learned maps a contact found by a mention's label (<@U1|jane> for Jane)
	// to that mention, when the contact had none yet, so it can be stored.
	Learned map[uint64]string
	// Date is remember's date; with only Label set (Month 0) it is remember … off.
	Date *reminders.Date
	Why  string // who-knows: why the owner asks, after ':'
}

// SettingsChange is what one settings command changes; nil fields stay as they are.
type SettingsChange struct {
	TimeZone *string
	Digest   *string // a schedule, or "off"
	Cadence  *reminders.Cadence
	Max      *int
	Share    *bool
}

// Env is what interpreting a command needs besides its text: the clock, the
// owner's zone and the owner's own contacts and promises.
type Env struct {
	Now      time.Time
	Loc      *time.Location      // nil means UTC
	Contacts []reminders.Contact // only ID, Name and Mention are read, so tx.Names suffices
	Promises []reminders.Promise // needed by done
}

// MaxCommand bounds a command's text, in bytes: room for a note and a
// favour at their longest (2,000 each), and little enough that reading the
// longest command takes milliseconds.
const MaxCommand = 4000

// CheckLength refuses a command longer than MaxCommand, before any of it is read.
func CheckLength(text string) error {
	if len(text) > MaxCommand {
		return reminders.Errorf(reminders.EINVALID, "that command is longer than %d characters; make it shorter (a note or a favour may hold up to %d).", MaxCommand, maxText)
	}
	return nil
}

// Parse interprets one command (the text after /kith) against env. Errors are
// *reminders.Error values with a sentence that shows the right form; Parse
// never changes anything.
func Parse(text string, env Env) (Parsed, error) {
	if err := CheckLength(text); err != nil {
		return Parsed{}, err
	}
	if env.Loc == nil {
		env.Loc = time.UTC
	}
	text = strings.TrimSpace(text)
	first, rest, _ := strings.Cut(text, " ")
	if first == "" {
		return Parsed{Verb: "help"}, nil
	}
	v, ok := Lookup(first)
	if !ok {
		return Parsed{}, unknownVerb(first)
	}
	verb := v.Name
	p := &parser{env: env, out: Parsed{Verb: verb}}
	rest = strings.TrimSpace(rest)
	var err error
	switch verb {
	case "help":
		err = p.help(rest)
	case "add":
		err = p.add(rest)
	case "met":
		err = p.met(rest)
	case "gave", "got":
		err = p.favour(rest)
	case "note":
		err = p.note(rest)
	case "promise":
		err = p.promise(rest)
	case "done":
		err = p.done(rest)
	case "show", "remove":
		err = p.wholeName(rest)
	case "list":
		err = p.list(rest)
	case "snooze":
		err = p.snooze(rest)
	case "every":
		err = p.every(rest)
	case "remember":
		err = p.remember(rest)
	case "edit":
		err = p.edit(rest)
	case "tag", "untag":
		err = p.tags(rest)
	case "settings":
		err = p.settings(rest)
	case "team":
		err = p.team(rest)
	case "who-knows":
		err = p.whoKnows(rest)
	case "export":
		err = p.export(rest)
	case "import":
		// The file comes attached, never typed: words after import (a file
		// name, say) are left for importFile, which explains how to attach.
	default: // due, undo, digest, forget-me take no arguments
		if rest != "" {
			err = p.usage(verb)
		}
	}
	if err != nil {
		return Parsed{}, err
	}
	return p.out, nil
}

// unknownVerb says the command word is unknown, suggesting a close one.
func unknownVerb(word string) error {
	best, bestD := "", 3
	for w, v := range byWord {
		if len(w) < 3 {
			continue
		}
		if d := distance(strings.ToLower(word), w, 2); d < bestD || (d == bestD && v.Name < best) {
			best, bestD = v.Name, d
		}
	}
	if best != "" && bestD <= 2 {
		return reminders.Errorf(reminders.EINVALID, "%q is not a command; did you mean %s (type help for the list)?", word, best)
	}
	return reminders.Errorf(reminders.EINVALID, "%q is not a command; type help for the list of commands.", word)
}

// usage is the error for a command written the wrong way: its usage and an
// example, dated from today.
func (p *parser) usage(verb string) error {
	v, ok := Lookup(verb)
	if !ok {
		return reminders.Errorf(reminders.EINVALID, "type help for the list of commands.")
	}
	return reminders.Errorf(reminders.EINVALID, "Use: %s, e.g. %s", Dated(v.Usage, p.env.Now, p.env.Loc), Dated(v.Examples[0], p.env.Now, p.env.Loc))
}

// parser holds the environment and the command being built.
type parser struct {
	env   Env
	index *nameIndex // built on first use: most commands name no one
	out   Parsed
}

// names returns the index of the owner's contact names.
func (p *parser) names() *nameIndex {
	if p.index == nil {
		p.index = newNameIndex(p.env.Contacts)
	}
	return p.index
}

func (p *parser) help(rest string) error {
	if rest == "" {
		return nil
	}
	topic, ok := Lookup(strings.Fields(rest)[0])
	if !ok {
		return reminders.Errorf(reminders.EINVALID, "there is no command %q; type help for the list.", strings.Fields(rest)[0])
	}
	p.out.Topic = topic.Name
	return nil
}

// resolveToken finds the contact a quoted phrase, a mention or a phrase means.
func (p *parser) resolveToken(t token) (reminders.Contact, error) {
	if t.mention != "" {
		for _, c := range p.env.Contacts {
			if c.Mention == t.mention {
				return c, nil
			}
		}
		if t.text == "" {
			return reminders.Contact{}, reminders.Errorf(reminders.ENOTFOUND, "You have no contact for %s; add them first with: add %s Their Name", t.raw, t.raw)
		}
	}
	cands, level := p.names().candidatesAt(t.text, matchClose)
	c, err := pickOne(t.text, cands)
	if err == nil && level == matchClose {
		p.closeOne(c)
	}
	if err == nil && t.mention != "" && c.Mention == "" {
		if p.out.Learned == nil {
			p.out.Learned = map[uint64]string{}
		}
		p.out.Learned[c.ID] = t.mention
	}
	return c, err
}

// wholeName reads a command whose only argument is a contact (show, remove);
// show takes "all" after the name for the whole history.
func (p *parser) wholeName(rest string) error {
	ts, err := tokenize(rest)
	if err != nil {
		return err
	}
	if last := len(ts) - 1; p.out.Verb == "show" && last > 0 && ts[last].plain() && strings.EqualFold(ts[last].text, "all") {
		// A contact called "… All" keeps its name; anyone else is shown in full.
		if c, err := p.nameOnly(ts); err != nil || !strings.EqualFold(c.Name, joinWords(ts)) {
			if c, err := p.nameOnly(ts[:last]); err == nil {
				p.out.Contacts, p.out.Filter = []reminders.Contact{c}, "all"
				return nil
			}
		}
	}
	c, err := p.nameOnly(ts)
	if err != nil {
		return err
	}
	p.out.Contacts = []reminders.Contact{c}
	return nil
}

// nameOnly resolves tokens that together are one name.
func (p *parser) nameOnly(ts []token) (reminders.Contact, error) {
	switch {
	case len(ts) == 0:
		return reminders.Contact{}, p.usage(p.out.Verb)
	case len(ts) == 1 && !ts[0].plain():
		return p.resolveToken(ts[0])
	case !allPlain(ts):
		return reminders.Contact{}, reminders.Errorf(reminders.EINVALID, "name one contact, e.g. %s \"Jane Doe\".", p.out.Verb)
	case len(joinWords(ts)) > maxPhrase:
		return reminders.Contact{}, nameTooLong()
	}
	cands, level := p.names().candidatesAt(joinWords(ts), matchClose)
	c, err := pickOne(joinWords(ts), cands)
	if err == nil && level == matchClose {
		p.closeOne(c)
	}
	return c, err
}

// closeOne records a contact named by a close spelling.
func (p *parser) closeOne(c reminders.Contact) {
	if !slices.Contains(p.out.Close, c.ID) {
		p.out.Close = append(p.out.Close, c.ID)
	}
}

// maxPhrase is the longest phrase that may name a contact: the longest name
// and a close spelling's typos.
const maxPhrase = reminders.MaxNameLen + 2

// nameTooLong says that no contact has a name as long as the one typed.
func nameTooLong() error {
	return reminders.Errorf(reminders.ENOTFOUND, "no contact has a name that long (names have at most %d characters); name one of yours, e.g. show \"Jane Doe\".", reminders.MaxNameLen)
}

// tailFunc checks what follows a candidate name and, when it fits, records
// the command's other parts. It must record nothing when it returns an error.
type tailFunc func(c reminders.Contact, tail []token) error

// splitName finds the contact named at the start of ts. A quoted phrase or a
// mention is the name; otherwise the name is the longest leading run of words
// that names one contact and leaves a tail that accept takes. Exact names are
// tried first, then prefixes and words, then close spellings, so that "Jane
// Doe a book" means Jane Doe even when a Jane Doe Anderson exists.
func (p *parser) splitName(ts []token, accept tailFunc) (reminders.Contact, error) {
	if len(ts) == 0 {
		return reminders.Contact{}, p.usage(p.out.Verb)
	}
	if !ts[0].plain() {
		c, err := p.resolveToken(ts[0])
		if err != nil {
			return reminders.Contact{}, err
		}
		return c, accept(c, ts[1:])
	}
	// Only runs of words no longer than the owner's longest name (and a close
	// spelling's typos) can name a contact, which keeps this loop linear in
	// the command's length.
	longest := min(maxPhrase, p.names().longest())
	n, length := 0, -1
	for n < len(ts) && ts[n].plain() && length+1+len(ts[n].text) <= longest {
		length += 1 + len(ts[n].text)
		n++
	}
	if n == 0 {
		return reminders.Contact{}, nameTooLong()
	}
	var firstErr error
	for level := matchExact; level <= matchClose; level++ {
		for k := n; k >= 1; k-- {
			phrase := joinWords(ts[:k])
			cands, at := p.names().candidatesAt(phrase, level)
			switch {
			case len(cands) == 1:
				err := accept(cands[0], ts[k:])
				if err == nil {
					if at == matchClose {
						p.closeOne(cands[0])
					}
					return cands[0], nil
				}
				if firstErr == nil {
					firstErr = err
				}
			case len(cands) > 1 && firstErr == nil:
				firstErr = ambiguous(phrase, cands)
			}
		}
	}
	if firstErr != nil {
		return reminders.Contact{}, firstErr
	}
	return reminders.Contact{}, unknownName(ts[0].text)
}

// pastDate reads an optional date of something that happened; never in the future.
func (p *parser) pastDate(ts []token) (time.Time, error) {
	if len(ts) == 0 {
		return time.Time{}, nil
	}
	if !allPlain(ts) {
		return time.Time{}, reminders.Errorf(reminders.EINVALID, "%q is not a date; use e.g. today, yesterday, last friday, 3 days ago, on %s or on Nov 1.", joinText(ts), exampleDay(p.env.Now, p.env.Loc, -exampleDays))
	}
	return PastDay(joinWords(ts), p.env.Now, p.env.Loc)
}

// lastYear is the notice for a past date typed without a year that fell in
// an earlier year ("met Zoe on Dec 3" typed on Dec 2), so the reply says so
// rather than log it a year back in silence; "" otherwise.
func (p *parser) lastYear(ts []token, at time.Time) string {
	at = at.In(p.env.Loc)
	if !yearless(lowerWords(ts)) || at.Year() >= p.env.Now.In(p.env.Loc).Year() {
		return ""
	}
	return fmt.Sprintf("%s is still to come this year, so this is last year's: %s.", at.Format("Jan 2"), at.Format("Mon Jan 2, 2006"))
}

// yearless reports whether date words name a month and a day without a
// year ("on Dec 3", "3 December"), which a past date reads as the most
// recent one, possibly last year's.
func yearless(w []string) bool {
	if len(w) > 0 && w[0] == "on" {
		w = w[1:]
	}
	if len(w) != 2 {
		return false
	}
	_, m0 := months[w[0]]
	_, m1 := months[w[1]]
	return m0 || m1
}

// maxDateWords is the longest date phrase ("on Nov 1st 2026") looked for at the end of a text.
const maxDateWords = 4

// trailingDate splits free text from a date at its end ("intro to Bob
// yesterday"), taking the longest trailing phrase that reads as a date; a
// text that is all date ("3 days ago") leaves no text, for the caller to ask
// what it was rather than log the date as the favour.
func (p *parser) trailingDate(ts []token) ([]token, time.Time, error) {
	for j := max(0, len(ts)-maxDateWords); j < len(ts); j++ {
		if !allPlain(ts[j:]) {
			continue
		}
		if _, ok := parseDay(lowerWords(ts[j:]), p.env.Now.In(p.env.Loc), Past); !ok {
			continue
		}
		at, err := p.pastDate(ts[j:])
		return ts[:j], at, err
	}
	// A last word written as a date (2026-02-30, 1800-01-01) that is none
	// is a typo to point out, not a favour's last word: kept as text, the
	// favour would be logged today with the date in its wording.
	if n := len(ts); n > 0 && ts[n-1].plain() && isoDateShape.MatchString(ts[n-1].text) {
		j := n - 1
		if j > 0 && ts[j-1].plain() && strings.EqualFold(ts[j-1].text, "on") {
			j--
		}
		_, err := p.pastDate(ts[j:])
		if err == nil { // parseDay and pastDate disagree; take the words as text
			return ts, time.Time{}, nil
		}
		return nil, time.Time{}, err
	}
	return ts, time.Time{}, nil
}

// isoDateShape is a word written as a date: four digits, then month and day.
var isoDateShape = regexp.MustCompile(`^\d{4}-\d{1,2}-\d{1,2}$`)
