package bot

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// call is one command being run for an owner.
type call struct {
	ctx   context.Context
	req   Request
	owner reminders.OwnerID
	now   time.Time
	set   reminders.Settings // as they were when the command arrived
	loc   *time.Location
	text  string // the command without the slash command word
	verb  string // canonical verb; "" when unknown
}

// key is the store's request key of the command, so a retried delivery changes data once.
func (c *call) key() string {
	if c.req.Key == "" {
		return ""
	}
	return "req:" + c.req.Key
}

// env is the parsing environment without contacts, for commands that name none.
func (c *call) env() lang.Env { return lang.Env{Now: c.now, Loc: c.loc} }

// namesContacts reports whether a verb names the owner's contacts, and so is
// read against their names.
func namesContacts(verb string) bool {
	v, _ := lang.Lookup(verb)
	return v.Names
}

// pausedNote tells an owner, once, that their digests were paused because
// kith could not reach them, and that this command resumed them.
func pausedNote(why string) string {
	return "Your digests were paused because kith could not send you a direct message (" + strings.TrimSuffix(why, ".") + "). They are back on from now."
}

// tzNote tells an owner once that their time zone is UTC until they set it.
const tzNote = "Dates and digests use UTC until you set your time zone, e.g. settings tz Europe/Berlin."

// Command runs one typed command and returns the reply. It never fails: a
// mistake or an internal error becomes a Message with Error set.
func (b *Bot) Command(ctx context.Context, r Request) Message {
	now := b.now()
	verb := lang.VerbOf(b.stripCommand(r.Text))
	owner, err := checkOwner(r.Owner)
	if err != nil {
		return finish(b.failure(ctx, "command", err)).As(verb)
	}
	set, note, err := b.firstUse(ctx, r, owner, now)
	if err != nil {
		return finish(b.failure(ctx, "first use", err)).As(verb)
	}
	if r.Team != "" {
		if err := b.store.Join(ctx, r.Team, owner); err != nil {
			b.log.ErrorContext(ctx, "join team", "team", string(r.Team), "err", err)
		}
	}
	c := &call{ctx: ctx, req: r, owner: owner, now: now, set: set, loc: set.Location(), text: b.stripCommand(r.Text), verb: verb}
	m, err := b.run(c)
	if err != nil {
		m = b.failure(ctx, c.verb, err)
	}
	if note != "" {
		m.Footer = strings.TrimSpace(m.Footer + "\n" + note)
	}
	return finish(m).As(verb)
}

// checkOwner refuses a request whose owner the adapter did not fill in.
func checkOwner(o reminders.Owner) (reminders.OwnerID, error) {
	id := o.ID()
	if _, err := reminders.ParseOwnerID(string(id)); err != nil {
		return "", reminders.Internal(err)
	}
	return id, nil
}

// stripCommand removes a leading slash command ("/kith add ...") that a console user may type.
func (b *Bot) stripCommand(text string) string {
	text = strings.TrimSpace(text)
	first, rest, _ := strings.Cut(text, " ")
	if strings.EqualFold(first, b.cmd) || strings.EqualFold(first, DefaultCommand) {
		return strings.TrimSpace(rest)
	}
	return text
}

// firstUse records the owner's first use (time zone from the platform, else
// UTC with a one-time note), keeps the display name current, and schedules
// the default digest. It writes only when something changes.
func (b *Bot) firstUse(ctx context.Context, r Request, owner reminders.OwnerID, now time.Time) (reminders.Settings, string, error) {
	s, err := reminders.LoadSettings(ctx, b.store, owner)
	if err != nil {
		return s, "", err
	}
	stale := s.Created.IsZero() || (s.TimeZone == "" && !s.TZNoted) || (r.Name != "" && r.Name != s.Name) || s.Paused != ""
	if !stale {
		return s, "", nil
	}
	var note string
	var first, resumed bool
	err = b.store.Update(ctx, owner, reminders.Change{Now: now}, func(tx reminders.OwnerTx) error {
		cur, err := tx.Settings()
		if err != nil {
			return err
		}
		note, first, resumed = "", false, false
		if cur.Paused != "" {
			// Said once: the command itself shows the owner is reachable again.
			note = pausedNote(cur.Paused)
			cur.Paused, resumed = "", true
		}
		if cur.Created.IsZero() {
			first = true
			cur.Created = now
			if cur.TimeZone == "" && r.TimeZone != "" && reminders.CheckTimeZone(r.TimeZone) == nil {
				cur.TimeZone, cur.TZGuessed = r.TimeZone, true
			}
		}
		if cur.TimeZone == "" && !cur.TZNoted {
			cur.TZNoted = true
			note = strings.TrimSpace(note + "\n" + tzNote)
		}
		if r.Name != "" {
			cur.Name = r.Name
		}
		s = cur
		return tx.PutSettings(cur)
	})
	if err != nil {
		return s, "", err
	}
	if first || resumed {
		_ = b.scheduleDigest(ctx, owner, s) // logged; the next settings change retries
	}
	return s, note, nil
}

// run dispatches a command to its verb.
func (b *Bot) run(c *call) (Message, error) {
	if c.verb == "show" {
		return b.show(c)
	}
	if namesContacts(c.verb) {
		return b.write(c)
	}
	p, err := lang.Parse(c.text, c.env())
	if err != nil {
		return Message{}, err
	}
	switch p.Verb {
	case "help":
		return helpMessage(b.cmd, p.Topic), nil
	case "list":
		return b.list(c, &p)
	case "due":
		return b.due(c)
	case "undo":
		return b.undo(c)
	case "settings":
		if p.Settings == nil {
			return b.showSettings(c)
		}
		return b.write(c)
	case "digest":
		return b.digestNow(c)
	case "team":
		return b.teamSummary(c, &p)
	case "who-knows":
		return b.whoKnows(c, &p)
	case "import":
		return b.importFile(c)
	case "export":
		return b.export(c, &p)
	case "forget-me":
		return b.forgetMe(c)
	}
	return Message{}, reminders.Internal(errUnrouted(p.Verb))
}

// errUnrouted reports a verb the parser knows and run does not: a bug.
type errUnrouted string

func (e errUnrouted) Error() string { return "no handler for verb " + string(e) }

// namesBuf holds the owner's names while a command is parsed. A Contact is a
// few hundred bytes, so a fresh buffer per command, allocated inside the
// group commit, would be most of what resolving a name costs.
var namesBuf = sync.Pool{New: func() any { return new([]reminders.Contact) }}

// parseIn parses the command inside a transaction. A command that names
// contacts resolves them against the owner's names alone (tx.Names, a scan
// of the name index rather than a decode of every contact) and then loads
// the full contacts it picked, which is what the verbs go on to use.
// settings names no one.
func (b *Bot) parseIn(tx reminders.OwnerTx, c *call) (lang.Parsed, error) {
	env := c.env()
	if !namesContacts(c.verb) {
		return lang.Parse(c.text, env)
	}
	var err error
	if c.verb == "done" {
		if env.Promises, err = tx.Promises(0); err != nil {
			return lang.Parsed{}, err
		}
	}
	buf := namesBuf.Get().(*[]reminders.Contact)
	defer func() {
		// Parse copies the contacts it picks, so nothing refers to the
		// buffer any more; cleared, it keeps no owner's names.
		clear(*buf)
		*buf = (*buf)[:0]
		namesBuf.Put(buf)
	}()
	if *buf, err = tx.Names((*buf)[:0]); err != nil {
		return lang.Parsed{}, err
	}
	env.Contacts = *buf
	p, err := lang.Parse(c.text, env)
	if err != nil {
		return lang.Parsed{}, err
	}
	for i, named := range p.Contacts {
		if p.Contacts[i], err = tx.Contact(named.ID); err != nil {
			return lang.Parsed{}, err
		}
	}
	return p, nil
}

// write parses and applies a changing command in one transaction, keyed by
// the request so that a retried delivery changes data once, and undoable
// under the command as typed.
func (b *Bot) write(c *call) (Message, error) {
	var out Message
	var p lang.Parsed
	change := reminders.Change{Key: c.key(), Undo: c.text, Now: c.now}
	err := b.store.Update(c.ctx, c.owner, change, func(tx reminders.OwnerTx) error {
		var err error
		if p, err = b.parseIn(tx, c); err != nil {
			return err
		}
		if err := remember(tx, &p); err != nil {
			return err
		}
		out, err = b.apply(tx, c.now, c.loc, &p)
		return err
	})
	if err != nil {
		return Message{}, err
	}
	if p.Verb == "settings" {
		b.afterSettings(c, &p, &out)
	}
	if p.Notice != "" {
		out.Footer = strings.TrimSpace(out.Footer + "\n" + p.Notice)
	}
	return out, nil
}

// remember stores the chat user behind a mention on the contact it named
// ("met <@U1|jane>" for a Jane added without one), as the spec asks of
// mentions, before the verb runs on the updated contact.
func remember(tx reminders.OwnerTx, p *lang.Parsed) error {
	for i := range p.Contacts {
		c := &p.Contacts[i]
		if m := p.Learned[c.ID]; m != "" && c.Mention == "" {
			c.Mention = m
			if err := tx.PutContact(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// apply runs a parsed changing command inside the owner's transaction; typed
// commands and buttons both come through here.
func (b *Bot) apply(tx reminders.OwnerTx, now time.Time, loc *time.Location, p *lang.Parsed) (Message, error) {
	switch p.Verb {
	case "add":
		return b.add(tx, now, loc, p)
	case "met":
		return b.met(tx, now, loc, p)
	case "gave", "got":
		return b.favour(tx, now, loc, p)
	case "note":
		return b.note(tx, now, p)
	case "promise":
		return b.promise(tx, now, loc, p)
	case "done":
		return b.done(tx, now, p)
	case "snooze":
		return b.snooze(tx, now, loc, p)
	case "every":
		return b.every(tx, now, loc, p)
	case "edit":
		return b.edit(tx, p)
	case "tag", "untag":
		return b.tags(tx, p)
	case "remove":
		return b.remove(tx, p)
	case "settings":
		return b.changeSettings(tx, p)
	}
	return Message{}, reminders.Internal(errUnrouted(p.Verb))
}
