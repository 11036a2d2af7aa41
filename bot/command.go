package bot

import (
	"context"
	"slices"
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
	// answers is the "Did you mean …?" question this call confirms, 0 for a
	// command as typed: a confirmed command asks no more, and forgets the
	// kept command as it writes.
	answers uint64
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
	// An over-long command is refused before anything is read or written.
	if err := lang.CheckLength(r.Text); err != nil {
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

// run reads a command and dispatches it to its verb.
func (b *Bot) run(c *call) (Message, error) {
	p, err := b.parse(c)
	if err != nil {
		return Message{}, b.parseFailed(c, err)
	}
	switch p.Verb {
	case "help":
		return helpMessage(b.cmd, p.Topic, c.now, c.loc), nil
	case "show":
		return b.show(c, &p)
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
		return b.write(c, p)
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
	if namesContacts(p.Verb) {
		if len(p.Close) > 0 {
			return b.askFirst(c, p)
		}
		return b.write(c, p)
	}
	return Message{}, reminders.Internal(errUnrouted(p.Verb))
}

// errUnrouted reports a verb the parser knows and run does not: a bug.
type errUnrouted string

func (e errUnrouted) Error() string { return "no handler for verb " + string(e) }

// namesBuf holds the owner's names while a command is read. A Contact is a
// few hundred bytes, so a fresh buffer per command would be most of what
// resolving a name allocates.
var namesBuf = sync.Pool{New: func() any { return new([]reminders.Contact) }}

// parse reads the command outside any write. A command that names contacts
// reads the owner's names (a scan of the name index, not a decode of every
// contact) and, for done, their promises, in a read transaction; the
// parsing itself, however long the text, then holds up no one's writes.
func (b *Bot) parse(c *call) (lang.Parsed, error) {
	env := c.env()
	if namesContacts(c.verb) {
		release := func() {}
		defer func() { release() }() // Parse copies the contacts it picks
		err := b.store.View(c.ctx, c.owner, func(tx reminders.OwnerTx) error {
			release() // a second run of the read gives the first buffer back
			var err error
			if env.Contacts, release, err = borrowNames(tx); err != nil || c.verb != "done" {
				return err
			}
			env.Promises, err = tx.Promises(0)
			return err
		})
		if err != nil {
			return lang.Parsed{}, err
		}
	}
	return lang.Parse(c.text, env)
}

// parseFailed is the error of a command that did not parse. A retried
// delivery of a command that ran parses against what it changed ("add Bob"
// again: Bob exists), so a mistake in a command that names contacts is
// checked against its request key first: one already done says so rather
// than blame the user. The check writes nothing: its write always fails.
func (b *Bot) parseFailed(c *call, err error) error {
	switch reminders.ErrorCode(err) {
	case reminders.EINVALID, reminders.ENOTFOUND, reminders.ECONFLICT:
	default:
		return err
	}
	if c.key() == "" || !namesContacts(c.verb) {
		return err
	}
	seen := b.store.Update(c.ctx, c.owner, reminders.Change{Key: c.key(), Now: c.now}, func(reminders.OwnerTx) error { return err })
	if reminders.ErrorCode(seen) == reminders.EDUPLICATE {
		return seen
	}
	return err
}

// settle re-reads, inside the write, what the command was parsed against
// outside it: the contacts it named (in full, as the verbs use them), the
// promise done completes, and whether the chat user add names is still
// free. A change that landed in between (a contact removed or renamed, a
// promise kept) is refused rather than written over. It copies p, since
// the store may run a write more than once.
func settle(tx reminders.OwnerTx, p lang.Parsed) (lang.Parsed, error) {
	p.Contacts = slices.Clone(p.Contacts)
	for i, named := range p.Contacts {
		c, err := tx.Contact(named.ID)
		if reminders.ErrorCode(err) == reminders.ENOTFOUND || (err == nil && reminders.NameKey(c.Name) != reminders.NameKey(named.Name)) {
			return p, reminders.Errorf(reminders.ECONFLICT, "%s changed while kith read your command; nothing was changed, please try again.", named.Name)
		}
		if err != nil {
			return p, err
		}
		p.Contacts[i] = c
	}
	switch {
	case p.Verb == "done":
		open, err := tx.Promises(p.Promise.ContactID)
		if err != nil {
			return p, err
		}
		i := slices.IndexFunc(open, func(pr reminders.Promise) bool { return pr.ID == p.Promise.ID && pr.Open() })
		if i < 0 {
			return p, reminders.Errorf(reminders.ECONFLICT, "that promise to %s was kept or changed meanwhile; nothing was changed, see show %s.", p.Contacts[0].Name, p.Contacts[0].Name)
		}
		p.Promise = open[i]
	case p.Verb == "add" && p.Mention != "":
		names, err := tx.Names(nil)
		if err != nil {
			return p, err
		}
		if err := lang.MentionFree(p.Mention, names); err != nil {
			return p, err
		}
	}
	return p, nil
}

// write applies a parsed changing command in one transaction, keyed by the
// request so that a retried delivery changes data once, and undoable under
// the command as typed.
func (b *Bot) write(c *call, parsed lang.Parsed) (Message, error) {
	var out Message
	var p lang.Parsed
	change := reminders.Change{Key: c.key(), Undo: c.text, Now: c.now}
	for _, named := range parsed.Contacts {
		if named.ID != 0 {
			change.Contacts = append(change.Contacts, named.ID) // settle reads them first
		}
	}
	err := b.store.Update(c.ctx, c.owner, change, func(tx reminders.OwnerTx) error {
		var err error
		if p, err = settle(tx, parsed); err != nil {
			return err
		}
		if c.answers != 0 {
			if err := dropPending(tx, c.answers); err != nil {
				return err
			}
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
	case "remember":
		return b.rememberDate(tx, now, loc, p)
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
