package transfer

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// entry is one contact as an import sees it: an existing one or one the
// import adds, with what the import will write for it.
type entry struct {
	c     reminders.Contact
	isNew bool // the import adds it
	dirty bool // the import changed it

	loaded   bool              // existing history and promises were read
	seen     map[string]bool   // interactions present or queued, by histKey
	promises map[string]uint64 // promises present, by promKey, to their store id
	fileIDs  map[uint64]uint64 // a file's promise id to the store's, for existing promises
	addHist  []reminders.Interaction
	addProm  []reminders.Promise // ID is the file's id until written
}

// matcher matches a file's records against one owner's contacts inside one
// transaction. It only reads until flush, so the same code both plans an
// import (in a read-only transaction, to name the undo) and applies it.
type matcher struct {
	tx       reminders.OwnerTx
	now      time.Time
	entries  []*entry
	byEmail  map[string]*entry
	byURL    map[string]*entry
	byName   map[string]*entry
	settings *reminders.Settings // to write, when the file's settings are taken
	report   Report
}

// newMatcher reads the owner's contacts and indexes them.
func newMatcher(tx reminders.OwnerTx, now time.Time) (*matcher, error) {
	contacts, err := tx.Contacts()
	if err != nil {
		return nil, err
	}
	m := &matcher{tx: tx, now: now,
		byEmail: make(map[string]*entry, len(contacts)),
		byURL:   make(map[string]*entry, len(contacts)),
		byName:  make(map[string]*entry, len(contacts)),
	}
	for _, c := range contacts {
		e := &entry{c: c}
		m.entries = append(m.entries, e)
		m.index(e)
	}
	return m, nil
}

// index adds an entry's keys to the lookups; the first contact with a key
// keeps it, and a merge that fills an email makes it findable by that email.
func (m *matcher) index(e *entry) {
	if k := emailKey(e.c.Email); k != "" && m.byEmail[k] == nil {
		m.byEmail[k] = e
	}
	if k := urlKey(e.c.URL); k != "" && m.byURL[k] == nil {
		m.byURL[k] = e
	}
	if k := reminders.NameKey(e.c.Name); m.byName[k] == nil {
		m.byName[k] = e
	}
}

// emailKey is an email as compared: lower case, without "mailto:".
func emailKey(s string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "mailto:"))
}

// urlKey is a URL as compared: without scheme, "www.", query or trailing
// slash, in lower case, so LinkedIn's http and https forms of a profile match.
func urlKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	s = strings.TrimPrefix(s, "www.")
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimRight(s, "/")
}

// skip counts a record as skipped with its reason.
func (m *matcher) skip(rec record, format string, args ...any) {
	m.report.Skipped++
	m.report.Reasons = append(m.report.Reasons, rec.where+": "+fmt.Sprintf(format, args...))
}

// take matches one record: it adds a contact, merges into one, or skips.
func (m *matcher) take(rec record) error {
	in := rec.contact
	switch {
	case rec.skip != "":
		m.skip(rec, "%s", rec.skip)
		return nil
	case strings.TrimSpace(in.Name) == "":
		m.skip(rec, "no name")
		return nil
	}
	if err := reminders.CheckName(in.Name); err != nil {
		m.skip(rec, "%s", strings.TrimSuffix(reminders.ErrorMessage(err), "."))
		return nil
	}
	e, byName := m.match(in)
	if e == nil {
		m.add(rec)
		return nil
	}
	if byName && clash(e.c, in) {
		m.skip(rec, "%s: you already have a contact of that name with a different email or URL; add this one by hand under another name", in.Name)
		return nil
	}
	changed := fill(&e.c, in)
	added, err := m.mergeHistory(e, rec)
	if err != nil {
		return err
	}
	if changed || added {
		e.dirty = true
		m.index(e)
		m.report.Merged++
	} else {
		m.report.Unchanged++
	}
	return nil
}

// match finds the contact a record is about: by email, then URL, then name.
func (m *matcher) match(c reminders.Contact) (e *entry, byName bool) {
	if e := m.byEmail[emailKey(c.Email)]; e != nil && emailKey(c.Email) != "" {
		return e, false
	}
	if e := m.byURL[urlKey(c.URL)]; e != nil && urlKey(c.URL) != "" {
		return e, false
	}
	e = m.byName[reminders.NameKey(c.Name)]
	return e, e != nil
}

// clash reports whether two contacts of the same name are different people:
// both have an email and those differ, or both have a URL on the same site
// (two LinkedIn profiles) and those differ. A LinkedIn profile and a homepage
// say nothing either way.
func clash(a, b reminders.Contact) bool {
	ea, eb := emailKey(a.Email), emailKey(b.Email)
	ua, ub := urlKey(a.URL), urlKey(b.URL)
	return (ea != "" && eb != "" && ea != eb) || (ua != "" && ub != "" && ua != ub && host(ua) == host(ub))
}

// host returns the site of a urlKey.
func host(key string) string {
	h, _, _ := strings.Cut(key, "/")
	return h
}

// add queues a new contact. Derived fields are recomputed from the history
// the file brings, never taken from the file.
func (m *matcher) add(rec record) {
	c := rec.contact
	c.ID = 0
	c.Name = clean(c.Name)
	c.Rebuild(nil)
	if c.Added.IsZero() {
		c.Added = m.now
	}
	e := &entry{c: c, isNew: true, loaded: true}
	m.entries = append(m.entries, e)
	m.index(e)
	m.report.Added++
	// A new contact's history cannot fail to load.
	_, _ = m.mergeHistory(e, rec)
}

// fill copies the fields that are empty in dst from src; it reports whether
// anything changed. It never overwrites what the owner already keeps.
func fill(dst *reminders.Contact, src reminders.Contact) bool {
	changed := false
	type field struct {
		to   *string
		from string
	}
	for _, f := range []field{
		{&dst.Company, src.Company}, {&dst.Role, src.Role}, {&dst.Email, src.Email},
		{&dst.URL, src.URL}, {&dst.Note, src.Note}, {&dst.Mention, src.Mention},
	} {
		if strings.TrimSpace(*f.to) == "" && strings.TrimSpace(f.from) != "" {
			*f.to, changed = f.from, true
		}
	}
	n := len(dst.Tags)
	dst.AddTags(src.Tags...)
	changed = changed || len(dst.Tags) != n
	if dst.Cadence.IsZero() && !src.Cadence.IsZero() {
		dst.Cadence, changed = src.Cadence, true
	}
	if dst.Snoozed.IsZero() && !src.Snoozed.IsZero() {
		dst.Snoozed, changed = src.Snoozed, true
	}
	for _, d := range src.Dates {
		if !slices.ContainsFunc(dst.Dates, func(x reminders.Date) bool { return strings.EqualFold(x.Label, d.Label) }) {
			dst.SetDate(d)
			changed = true
		}
	}
	return changed
}

// histKey identifies an interaction across exports, whose ids differ.
func histKey(i reminders.Interaction) string {
	return fmt.Sprintf("%s|%d|%s", i.Kind, i.At.UnixNano(), i.Text)
}

// promKey identifies a promise across exports.
func promKey(p reminders.Promise) string {
	return fmt.Sprintf("%d|%s", p.Created.UnixNano(), p.What)
}

// mergeHistory queues the record's interactions and promises that the
// contact does not have yet and reports whether there were any.
func (m *matcher) mergeHistory(e *entry, rec record) (bool, error) {
	if len(rec.history) == 0 && len(rec.promises) == 0 {
		return false, nil
	}
	if err := m.load(e); err != nil {
		return false, err
	}
	added := false
	for _, p := range rec.promises {
		if id, ok := e.promises[promKey(p)]; ok {
			if id != 0 {
				e.fileIDs[p.ID] = id
			}
			continue
		}
		e.promises[promKey(p)] = 0
		e.addProm = append(e.addProm, p)
		added = true
	}
	for _, i := range rec.history {
		if e.seen[histKey(i)] {
			continue
		}
		e.seen[histKey(i)] = true
		e.addHist = append(e.addHist, i)
		e.c.Record(i)
		added = true
	}
	return added, nil
}

// load reads an existing contact's history and promises once, for matching.
func (m *matcher) load(e *entry) error {
	if e.seen == nil {
		e.seen, e.promises, e.fileIDs = map[string]bool{}, map[string]uint64{}, map[uint64]uint64{}
	}
	if e.loaded {
		return nil
	}
	e.loaded = true
	hist, err := m.tx.History(e.c.ID, 0)
	if err != nil {
		return err
	}
	for _, i := range hist {
		e.seen[histKey(i)] = true
	}
	proms, err := m.tx.Promises(e.c.ID)
	if err != nil {
		return err
	}
	for _, p := range proms {
		e.promises[promKey(p)] = p.ID
	}
	return nil
}

// takeSettings adopts a kith export's preferences when the owner has never
// set any, so moving to another platform keeps them; otherwise the owner's
// own settings win. Platform details (DM channel, display name) stay.
func (m *matcher) takeSettings(from *reminders.Settings) error {
	if from == nil || prefsUnset(*from) {
		return nil
	}
	cur, err := m.tx.Settings()
	if err != nil {
		return err
	}
	if !prefsUnset(cur) {
		return nil
	}
	if from.TimeZone != "" {
		cur.TimeZone, cur.TZGuessed, cur.TZNoted = from.TimeZone, false, true
	}
	cur.Digest, cur.DigestOff = from.Digest, from.DigestOff
	cur.Cadence, cur.Max, cur.Share = from.Cadence, from.Max, from.Share
	m.settings = &cur
	m.report.SettingsImported = true
	return nil
}

// prefsUnset reports whether settings hold no preference the owner chose; a
// zone the platform gave on first use (the console's, Slack's profile) is
// no choice, so an owner who typed one command before re-importing still
// gets their exported settings back, as a new owner through kith import does.
func prefsUnset(s reminders.Settings) bool {
	return (s.TimeZone == "" || s.TZGuessed) && s.Digest == "" && !s.DigestOff && s.Cadence.IsZero() && s.Max == 0 && !s.Share
}

// flush writes what the matcher queued: settings, new and changed contacts,
// then their promises and history, linking kept promises to their new ids.
func (m *matcher) flush() error {
	if m.settings != nil {
		if err := m.tx.PutSettings(*m.settings); err != nil {
			return err
		}
	}
	for _, e := range m.entries {
		if !e.isNew && !e.dirty {
			continue
		}
		if err := m.tx.PutContact(&e.c); err != nil {
			return err
		}
		ids := e.fileIDs
		if ids == nil {
			ids = map[uint64]uint64{}
		}
		for _, p := range e.addProm {
			fileID := p.ID
			p.ID, p.ContactID = 0, e.c.ID
			if err := m.tx.PutPromise(&p); err != nil {
				return err
			}
			ids[fileID] = p.ID
		}
		for _, i := range e.addHist {
			i.ID, i.ContactID = 0, e.c.ID
			if i.PromiseID != 0 {
				i.PromiseID = ids[i.PromiseID]
			}
			if err := m.tx.AddInteraction(&i); err != nil {
				return err
			}
		}
	}
	return nil
}
