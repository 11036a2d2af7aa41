package reminders

import (
	"slices"
	"strings"
	"time"
)

// Contact is one person in an owner's network. Name is unique per owner,
// compared case-insensitively. The fields after History are derived from the
// contact's interactions by Record and Forget, never set by hand.
type Contact struct {
	ID      uint64    `json:"id"`
	Name    string    `json:"name"`
	Company string    `json:"company,omitempty"`
	Role    string    `json:"role,omitempty"`
	Email   string    `json:"email,omitempty"`
	URL     string    `json:"url,omitempty"`
	Mention string    `json:"mention,omitempty"` // the contact's own chat user id, when given as a mention
	Tags    []string  `json:"tags,omitempty"`    // lower case, without '#'
	Note    string    `json:"note,omitempty"`
	Cadence Cadence   `json:"cadence,omitzero"` // zero: the owner's default
	Added   time.Time `json:"added"`            // when added, or LinkedIn's "Connected On"
	Snoozed time.Time `json:"snoozed,omitzero"` // no nudges before this instant
	Dates   []Date    `json:"dates,omitempty"`  // important dates: birthdays, anniversaries
	Learn   Learning  `json:"learn,omitzero"`   // how the owner answered nudges, for a cadence that learns

	// Derived from the history.
	LastContact time.Time `json:"last_contact,omitzero"` // latest met, gave or got
	LastKind    Kind      `json:"last_kind,omitempty"`
	LastNote    string    `json:"last_note,omitempty"`
	Given       int       `json:"given,omitempty"`
	Received    int       `json:"received,omitempty"`
	LastGot     string    `json:"last_got,omitempty"` // what they last gave you, for suggestions
	LastGotAt   time.Time `json:"last_got_at,omitzero"`
	LastGaveAt  time.Time `json:"last_gave_at,omitzero"`
}

// Kind is the kind of an Interaction.
type Kind string

// Interaction kinds. A note does not count as contact.
const (
	Met  Kind = "met"
	Gave Kind = "gave"
	Got  Kind = "got"
	Note Kind = "note"
)

// Valid reports whether k is one of the four kinds.
func (k Kind) Valid() bool { return k == Met || k == Gave || k == Got || k == Note }

// CountsAsContact reports whether an interaction of this kind resets the clock.
func (k Kind) CountsAsContact() bool { return k == Met || k == Gave || k == Got }

// Interaction is one dated entry in a contact's history.
type Interaction struct {
	ID        uint64    `json:"id"`
	ContactID uint64    `json:"contact_id"`
	Kind      Kind      `json:"kind"`
	At        time.Time `json:"at"`                   // when it happened; never after Logged
	Text      string    `json:"text,omitempty"`       // the note, or what was given
	Logged    time.Time `json:"logged"`               // when it was recorded
	PromiseID uint64    `json:"promise_id,omitempty"` // the promise this gave kept
}

// Promise is something an owner owes a contact.
type Promise struct {
	ID        uint64 `json:"id"`
	ContactID uint64 `json:"contact_id"`
	What      string `json:"what"`
	// Due is the "by" day: a calendar day in the owner's zone, not an
	// instant, held as midnight UTC of that day (see Day), so that it stays
	// Friday whatever zone the owner moves to. Read it with DueDay.
	Due     time.Time `json:"due,omitzero"` // zero: no date
	Created time.Time `json:"created"`
	Done    time.Time `json:"done,omitzero"` // zero: open
}

// Open reports whether the promise is not yet kept.
func (p Promise) Open() bool { return p.Done.IsZero() }

// Overdue reports whether the promise is open and its day is over: now is
// read in its own location, which must be the owner's zone, so a promise
// "by friday" is late from Saturday on, wherever the owner is.
func (p Promise) Overdue(now time.Time) bool {
	return p.Open() && !p.Due.IsZero() && Day(now, now.Location()).After(p.DueDay(now.Location()))
}

// Day is t's calendar day in loc as kith stores a day: midnight UTC of it.
func Day(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// IsDay reports whether t holds a calendar day as Day makes one.
func IsDay(t time.Time) bool {
	u := t.UTC()
	return u.Equal(time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, time.UTC))
}

// DueDay is the promise's "by" day as Day makes it, zero when it has none.
// A promise stored before days were (the instant its day ended in the
// owner's zone then) is read as its day in loc, the owner's zone now.
func (p Promise) DueDay(loc *time.Location) time.Time {
	if p.Due.IsZero() || IsDay(p.Due) {
		return p.Due.UTC()
	}
	return Day(p.Due, loc)
}

// NewInteraction checks and builds an interaction logged at now. A future
// date is refused: kith records what happened, not what is planned.
func NewInteraction(contactID uint64, kind Kind, at, now time.Time, text string) (Interaction, error) {
	if !kind.Valid() {
		return Interaction{}, Errorf(EINVALID, "%q is not a kind of interaction; use met, gave, got or note.", kind)
	}
	if at.IsZero() {
		at = now
	}
	if at.After(now) {
		return Interaction{}, Errorf(EINVALID, "%s is in the future; log what happened, and use promise for what you plan.", at.Format("2006-01-02"))
	}
	if (kind == Gave || kind == Got) && strings.TrimSpace(text) == "" {
		return Interaction{}, Errorf(EINVALID, "say what was %s, e.g. %s Jane an intro to Bob.", map[Kind]string{Gave: "given", Got: "received"}[kind], kind)
	}
	return Interaction{ContactID: contactID, Kind: kind, At: at, Text: strings.TrimSpace(text), Logged: now}, nil
}

// Record updates the contact's derived fields for a new interaction. It keeps
// the latest contact even when the interaction is back-dated before it.
func (c *Contact) Record(i Interaction) {
	switch i.Kind {
	case Gave:
		c.Given++
		if i.At.After(c.LastGaveAt) {
			c.LastGaveAt = i.At
		}
	case Got:
		c.Received++
		if i.At.After(c.LastGotAt) {
			c.LastGotAt, c.LastGot = i.At, i.Text
		}
	}
	if i.Kind.CountsAsContact() && !i.At.Before(c.LastContact) {
		c.LastContact, c.LastKind, c.LastNote = i.At, i.Kind, i.Text
	}
}

// Rebuild recomputes every derived field from the whole history, for when an
// interaction is removed.
func (c *Contact) Rebuild(history []Interaction) {
	c.LastContact, c.LastKind, c.LastNote = time.Time{}, "", ""
	c.Given, c.Received, c.LastGot, c.LastGotAt, c.LastGaveAt = 0, 0, "", time.Time{}, time.Time{}
	sorted := slices.Clone(history)
	slices.SortStableFunc(sorted, func(a, b Interaction) int { return a.At.Compare(b.At) })
	for _, i := range sorted {
		c.Record(i)
	}
}

// Balance is favours given minus favours received; negative means the owner owes.
func (c Contact) Balance() int { return c.Given - c.Received }

// Since is the instant the contact's clock runs from: the last contact, or
// when the contact was added.
func (c Contact) Since() time.Time {
	if c.LastContact.IsZero() {
		return c.Added
	}
	return c.LastContact
}

// NextDue is when the contact becomes due: Since plus the cadence, pushed
// past a snooze. It is the zero time for a Never cadence.
func (c Contact) NextDue(def Cadence) time.Time {
	cad := c.Cadence.Or(def)
	if cad.Never {
		return time.Time{}
	}
	next := cad.After(c.Since())
	if c.Snoozed.After(next) {
		next = c.Snoozed
	}
	return next
}

// Due reports whether the contact is due at now: last contact + cadence <= now
// and not snoozed.
func (c Contact) Due(now time.Time, def Cadence) bool {
	next := c.NextDue(def)
	return !next.IsZero() && !now.Before(next)
}

// Cold reports whether the contact is overdue by more than one full cadence.
func (c Contact) Cold(now time.Time, def Cadence) bool {
	cad := c.Cadence.Or(def)
	if cad.Never || now.Before(c.Snoozed) {
		return false
	}
	return now.After(cad.afterN(c.Since(), 2))
}

// Overdue is how long past due the contact is at now (negative when not yet due).
func (c Contact) Overdue(now time.Time, def Cadence) time.Duration {
	next := c.NextDue(def)
	if next.IsZero() {
		return 0
	}
	return now.Sub(next)
}

// HasTag reports whether the contact carries the tag (without '#', any case).
func (c Contact) HasTag(tag string) bool {
	return slices.Contains(c.Tags, NormalizeTag(tag))
}

// NormalizeTag lowers a tag and strips its '#'.
func NormalizeTag(tag string) string {
	return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(tag), "#"))
}

// AddTags adds tags not yet present, keeping the order they came in.
func (c *Contact) AddTags(tags ...string) {
	for _, t := range tags {
		if t = NormalizeTag(t); t != "" && !slices.Contains(c.Tags, t) {
			c.Tags = append(c.Tags, t)
		}
	}
}

// RemoveTags removes the tags.
func (c *Contact) RemoveTags(tags ...string) {
	c.Tags = slices.DeleteFunc(c.Tags, func(t string) bool {
		return slices.ContainsFunc(tags, func(r string) bool { return NormalizeTag(r) == t })
	})
}

// NameKey is the case-insensitive form of a contact name that must be unique per owner.
func NameKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// MaxNameLen bounds a contact's name, in bytes; it also bounds how far into
// a command a name is looked for.
const MaxNameLen = 200

// CheckName validates a contact name.
func CheckName(name string) error {
	n := strings.TrimSpace(name)
	switch {
	case n == "":
		return Errorf(EINVALID, "a contact needs a name, e.g. add Jane Doe at Acme.")
	case len(n) > MaxNameLen:
		return Errorf(EINVALID, "that name is longer than %d characters; use a shorter one.", MaxNameLen)
	}
	return nil
}
