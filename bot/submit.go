package bot

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// fieldErrors are the mistakes of a submission by input. Returned from inside
// a transaction (wrapped by invalid, so that every store passes them through
// as the user's mistake) they roll it back.
type fieldErrors map[string]error

func (f fieldErrors) Error() string { return "the form has mistakes" }

// invalid wraps field errors as the user's mistake.
func (f fieldErrors) invalid() error {
	return &reminders.Error{Code: reminders.EINVALID, Message: "some fields of the form need a change.", Err: f}
}

// Submit validates a submitted modal and, when every input is right, stores
// it in one durable transaction keyed by the platform's identity of the
// submission, so a retried or double-clicked submission changes data once.
// The rules are those of the typed command: the same name resolution, dates,
// cadences, tags and limits, applied input by input. The reply carries the
// verb the modal stands for (add, met).
func (b *Bot) Submit(ctx context.Context, s Submission) Submitted {
	res := b.submit(ctx, s)
	res.Reply = res.Reply.As(modalVerbs[s.Kind])
	return res
}

// modalVerbs are the commands the modals stand for.
var modalVerbs = map[string]string{ModalAddContact: "add", ModalLogMeeting: "met"}

func (b *Bot) submit(ctx context.Context, s Submission) Submitted {
	now := b.now()
	owner, err := checkOwner(s.Owner)
	if err != nil {
		return Submitted{Reply: finish(b.failure(ctx, "modal", err))}
	}
	if s.Kind != ModalAddContact && s.Kind != ModalLogMeeting {
		err := reminders.Errorf(reminders.EINVALID, "that form is not one of kith's; type help to see the commands.")
		return Submitted{Reply: finish(b.failure(ctx, "modal", err))}
	}
	set, note, err := b.firstUse(ctx, Request{Owner: s.Owner, TimeZone: s.TimeZone, Name: s.Name}, owner, now)
	if err != nil {
		return Submitted{Reply: finish(b.failure(ctx, "modal", err))}
	}
	if s.Team != "" {
		if err := b.store.Join(ctx, s.Team, owner); err != nil {
			b.log.ErrorContext(ctx, "join team", "team", string(s.Team), "err", err)
		}
	}
	f := form{b: b, s: s, now: now, loc: set.Location(), v: func(id string) string { return strings.TrimSpace(s.Values[id]) }}
	var key string
	if s.Key != "" {
		key = "form:" + s.Key
	}
	var out Message
	err = b.store.Update(ctx, owner, reminders.Change{Key: key, Undo: f.undoText(), Now: now}, func(tx reminders.OwnerTx) error {
		var err error
		out, err = f.apply(tx)
		return err
	})
	var fe fieldErrors
	switch {
	case errors.As(err, &fe):
		errs := make(map[string]string, len(fe))
		for id, e := range fe {
			errs[id] = b.errorText(ctx, "modal "+s.Kind, e)
		}
		return Submitted{Errors: errs, Reply: finish(mistakes(s.Kind, errs))}
	case reminders.ErrorCode(err) == reminders.EDUPLICATE:
		return Submitted{Reply: finish(Message{Text: alreadyDone, Code: reminders.EDUPLICATE})}
	case err != nil:
		return Submitted{Reply: finish(b.failure(ctx, "modal "+s.Kind, err))}
	}
	if note != "" {
		out.Footer = strings.TrimSpace(out.Footer + "\n" + note)
	}
	return Submitted{Reply: finish(out)}
}

// form is one submission being applied.
type form struct {
	b   *Bot
	s   Submission
	now time.Time
	loc *time.Location
	v   func(id string) string // an input's value, trimmed
}

// undoText is what undo says it reverses, written as the typed command would be.
func (f form) undoText() string {
	if f.s.Kind == ModalAddContact {
		return "add " + strings.Join(strings.Fields(f.v(InputName)), " ")
	}
	return "met " + strings.Join(strings.Fields(f.v(InputNames)), " ")
}

// apply checks every input, collecting each one's first mistake, and runs
// the verb only when there is none. It runs inside the transaction, since
// names resolve against the owner's contacts; it may run more than once.
func (f form) apply(tx reminders.OwnerTx) (Message, error) {
	errs := fieldErrors{}
	check := func(id string, err error) {
		if err != nil && errs[id] == nil {
			errs[id] = err
		}
	}
	if f.s.Kind == ModalAddContact {
		return f.addContact(tx, errs, check)
	}
	return f.logMeeting(tx, errs, check)
}

// addContact is the add form: add with its parts in inputs of their own.
func (f form) addContact(tx reminders.OwnerTx, errs fieldErrors, check func(string, error)) (Message, error) {
	p := lang.Parsed{Verb: "add", Name: strings.Join(strings.Fields(f.v(InputName)), " "), Company: f.v(InputCompany), Note: f.v(InputNote)}
	check(InputName, reminders.CheckName(p.Name))
	check(InputCompany, lang.CheckText("company", p.Company))
	check(InputNote, lang.CheckText("note", p.Note))
	if every := f.v(InputEvery); every != "" {
		var err error
		p.Cadence, err = reminders.ParseCadence(every)
		check(InputEvery, err)
	}
	for _, t := range strings.FieldsFunc(f.v(InputTags), func(r rune) bool { return r == ' ' || r == ',' }) {
		tag, err := lang.Tag(t)
		check(InputTags, err)
		p.Tags = append(p.Tags, tag)
	}
	if m := mentionFor(f.s.State, p.Name); m != "" && errs[InputName] == nil {
		p.Mention = m
		names, release, err := borrowNames(tx)
		if err != nil {
			return Message{}, err
		}
		c, ok, err := byMention(tx, names, m)
		release()
		if err != nil {
			return Message{}, err
		}
		if ok {
			check(InputName, alreadyContact(c))
		}
	}
	if len(errs) > 0 {
		return Message{}, errs.invalid()
	}
	m, err := f.b.add(tx, f.now, f.loc, &p)
	if reminders.ErrorCode(err) == reminders.ECONFLICT {
		return Message{}, fieldErrors{InputName: err}.invalid() // the name is taken
	}
	return m, err
}

// alreadyContact refuses to add, under a mention, someone who is already a contact with it.
func alreadyContact(c reminders.Contact) error {
	return reminders.Errorf(reminders.ECONFLICT, "%s is already your contact; see show %s.", c.Name, shortName(c))
}

// logMeeting is the log form: met with its names, date and note in inputs of their own.
func (f form) logMeeting(tx reminders.OwnerTx, errs fieldErrors, check func(string, error)) (Message, error) {
	p := lang.Parsed{Verb: "met", Note: f.v(InputNote), Learned: map[uint64]string{}}
	check(InputNote, lang.CheckText("note", p.Note))
	if when := f.v(InputWhen); when != "" {
		var err error
		p.When, err = lang.PastDay(when, f.now, f.loc)
		check(InputWhen, err)
	}
	added, err := f.whoMet(tx, &p, check)
	if err != nil {
		return Message{}, err
	}
	if len(errs) > 0 {
		return Message{}, errs.invalid()
	}
	if err := remember(tx, &p); err != nil {
		return Message{}, err
	}
	m, err := f.b.apply(tx, f.now, f.loc, &p)
	if err != nil {
		return Message{}, err
	}
	if len(added) > 0 {
		m.Text = "Added " + andList(added) + " to your contacts. " + m.Text
	}
	return m, nil
}

// whoMet resolves the names of a meeting as the typed met does. The name the
// form was pre-filled with (a message's author) is the contact with that
// mention, else the contact of that name, else a new contact, which whoMet
// adds and names in added. A name that resolves only by a close spelling
// is not guessed: the input asks for it to be typed as it is.
func (f form) whoMet(tx reminders.OwnerTx, p *lang.Parsed, check func(string, error)) (added []string, err error) {
	var typed []string
	for n := range strings.SplitSeq(f.v(InputNames), ",") {
		if n = strings.Join(strings.Fields(n), " "); n != "" {
			typed = append(typed, n)
		}
	}
	if len(typed) == 0 {
		check(InputNames, reminders.Errorf(reminders.EINVALID, "say who you met, e.g. Jane Doe, or Jane Doe, Bob Lee for several."))
		return nil, nil
	}
	names, release, err := borrowNames(tx)
	if err != nil {
		return nil, err
	}
	defer release()
	pick := func(c reminders.Contact) error {
		if !slices.ContainsFunc(p.Contacts, func(o reminders.Contact) bool { return o.ID == c.ID }) {
			full, err := tx.Contact(c.ID)
			if err != nil {
				return err
			}
			p.Contacts = append(p.Contacts, full)
		}
		return nil
	}
	for _, name := range typed {
		if m := mentionFor(f.s.State, name); m != "" {
			c, found, err := f.author(tx, names, name, m, check)
			switch {
			case err != nil:
				return nil, err
			case !found:
				continue
			case c.ID == 0:
				if err := tx.PutContact(&c); err != nil {
					check(InputNames, err)
					continue
				}
				added = append(added, "*"+c.Name+"*")
			}
			if c.Mention == "" {
				p.Learned[c.ID] = m
			}
			if err := pick(c); err != nil {
				return nil, err
			}
			continue
		}
		c, err := lang.ResolveExactly(names, name)
		if err != nil {
			check(InputNames, err)
			continue
		}
		if err := pick(c); err != nil {
			return nil, err
		}
	}
	return added, nil
}

// author finds the contact a message's author is: the one with their
// mention, else the one with their name (which must not belong to someone
// else's mention), else a new contact to add, with ID 0.
func (f form) author(tx reminders.OwnerTx, names []reminders.Contact, name, mention string, check func(string, error)) (reminders.Contact, bool, error) {
	if c, ok, err := byMention(tx, names, mention); err != nil || ok {
		return c, ok, err
	}
	c, err := tx.ContactByName(name)
	switch reminders.ErrorCode(err) {
	case "":
		if c.Mention != "" && c.Mention != mention {
			check(InputNames, reminders.Errorf(reminders.ECONFLICT, "your contact %s is someone else with the same name; type another name for this person, e.g. %s (work).", c.Name, name))
			return c, false, nil
		}
		return c, true, nil
	case reminders.ENOTFOUND:
		if err := reminders.CheckName(name); err != nil {
			check(InputNames, err)
			return c, false, nil
		}
		return reminders.Contact{Name: name, Mention: mention, Added: f.now}, true, nil
	}
	return c, false, err
}

// borrowNames reads the owner's names into a pooled buffer, as a typed
// command does (see namesBuf); release clears it and gives it back.
func borrowNames(tx reminders.OwnerTx) (names []reminders.Contact, release func(), err error) {
	buf := namesBuf.Get().(*[]reminders.Contact)
	release = func() {
		clear(*buf)
		*buf = (*buf)[:0]
		namesBuf.Put(buf)
	}
	if *buf, err = tx.Names((*buf)[:0]); err != nil {
		release()
		return nil, func() {}, err
	}
	return *buf, release, nil
}

// byMention finds, among the owner's names, the contact stored with a
// mention, and reads it in full.
func byMention(tx reminders.OwnerTx, names []reminders.Contact, mention string) (reminders.Contact, bool, error) {
	for _, c := range names {
		if c.Mention == mention {
			c, err := tx.Contact(c.ID)
			return c, err == nil, err
		}
	}
	return reminders.Contact{}, false, nil
}

// mistakes is the reply that lists a form's mistakes under the labels of
// their inputs, in the form's order, for a platform that cannot show them
// beside the inputs (Discord closes a modal once it is submitted).
func mistakes(kind string, errs map[string]string) Message {
	m := addModal(Prefill{}, reminders.Settings{})
	if kind == ModalLogMeeting {
		m = meetModal(Prefill{})
	}
	var lines []string
	for _, in := range m.Inputs {
		if e := errs[in.ID]; e != "" {
			lines = append(lines, "*"+in.Label+"*: "+e)
		}
	}
	return Message{Text: "Nothing was saved; please fix this and try again.\n" + strings.Join(lines, "\n"), Error: true, Code: reminders.EINVALID}
}
