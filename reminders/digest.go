package reminders

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Digest is what one owner should hear about now: who is due, in order, and why.
type Digest struct {
	Owner    OwnerID
	Settings Settings
	At       time.Time     // when it was composed
	Slot     time.Time     // the schedule slot it was composed for; zero when asked for
	Attempts int           // failed deliveries of this slot before this one
	Recheck  bool          // this slot may have gone out already: ask the platform before sending
	Entries  []DigestEntry // at most Settings.MaxEntries()
	More     int           // how many more were due than fit
}

// Empty reports whether there is nothing to say; an empty digest is not sent.
func (d Digest) Empty() bool { return len(d.Entries) == 0 }

// DigestEntry is one contact in a digest with everything needed to act on it.
type DigestEntry struct {
	Contact    Contact
	Overdue    time.Duration // how long past due (0 or more)
	Promises   []Promise     // the contact's open promises, overdue first
	Suggestion Suggestion
}

// Reason says where a give-first suggestion comes from.
type Reason string

// Reasons for a suggestion, from strongest to weakest.
const (
	ReasonPromise  Reason = "promise"  // you promised something
	ReasonOwe      Reason = "owe"      // they gave you something and you have not given back
	ReasonInterest Reason = "interest" // their tags or note say what they care about
	ReasonCheckIn  Reason = "check_in" // nothing else known: ask how they are
)

// Suggestion is one give-first idea drawn from the contact's own history.
type Suggestion struct {
	Reason Reason
	Text   string
}

// Suggest picks the strongest give-first idea for a contact. Dates in it are
// written in now's location, which should be the owner's time zone.
func Suggest(c Contact, open []Promise, now time.Time) Suggestion {
	if len(open) > 0 {
		p := open[0]
		when := ""
		if !p.Due.IsZero() {
			day := p.Due.In(now.Location()).Format("Jan 2")
			when = " (due " + day + ")"
			if p.Overdue(now) {
				when = " (was due " + day + ")"
			}
		}
		return Suggestion{ReasonPromise, fmt.Sprintf("Keep your promise: %s%s.", p.What, when)}
	}
	if c.LastGot != "" && c.LastGotAt.After(c.LastGaveAt) {
		return Suggestion{ReasonOwe, fmt.Sprintf("They gave you %s and you have not given back yet; offer something first.", c.LastGot)}
	}
	if c.Balance() < 0 {
		return Suggestion{ReasonOwe, fmt.Sprintf("They have done %d more favours for you than you for them; give first.", -c.Balance())}
	}
	if len(c.Tags) > 0 {
		return Suggestion{ReasonInterest, fmt.Sprintf("Send them something about #%s: an article, an intro or an event.", c.Tags[0])}
	}
	if c.Note != "" {
		return Suggestion{ReasonInterest, fmt.Sprintf("Follow up on your note: %s", c.Note)}
	}
	if c.Company != "" {
		return Suggestion{ReasonCheckIn, fmt.Sprintf("Ask how things are going at %s and whether you can help.", c.Company)}
	}
	return Suggestion{ReasonCheckIn, "Send a short hello and ask what they are working on."}
}

// ComposeDigest chooses and orders the digest entries: contacts with an
// overdue promise first (oldest promise first), then the rest of the due
// contacts, most overdue first. Snoozed contacts are left out, each contact
// appears once, and at most s.MaxEntries() are listed.
func ComposeDigest(owner OwnerID, s Settings, contacts []Contact, promises []Promise, now time.Time) Digest {
	def := s.DefaultCadence()
	open := map[uint64][]Promise{}
	for _, p := range promises {
		if p.Open() {
			open[p.ContactID] = append(open[p.ContactID], p)
		}
	}
	type ranked struct {
		entry      DigestEntry
		promiseDue time.Time // earliest overdue promise date; zero when none
	}
	var list []ranked
	for _, c := range contacts {
		if now.Before(c.Snoozed) {
			continue
		}
		ps := slices.Clone(open[c.ID])
		slices.SortStableFunc(ps, func(a, b Promise) int { return comparePromises(a, b, now) })
		var promiseDue time.Time
		if len(ps) > 0 && ps[0].Overdue(now) {
			promiseDue = ps[0].Due
		}
		if promiseDue.IsZero() && !c.Due(now, def) {
			continue
		}
		over := max(c.Overdue(now, def), 0)
		list = append(list, ranked{DigestEntry{Contact: c, Overdue: over, Promises: ps, Suggestion: Suggest(c, ps, now.In(s.Location()))}, promiseDue})
	}
	slices.SortStableFunc(list, func(a, b ranked) int {
		switch {
		case !a.promiseDue.IsZero() && !b.promiseDue.IsZero():
			return a.promiseDue.Compare(b.promiseDue)
		case !a.promiseDue.IsZero():
			return -1
		case !b.promiseDue.IsZero():
			return 1
		}
		return cmp.Or(cmp.Compare(b.entry.Overdue, a.entry.Overdue), cmp.Compare(NameKey(a.entry.Contact.Name), NameKey(b.entry.Contact.Name)))
	})
	d := Digest{Owner: owner, Settings: s, At: now}
	for i, r := range list {
		if i == s.MaxEntries() {
			d.More = len(list) - i
			break
		}
		d.Entries = append(d.Entries, r.entry)
	}
	return d
}

// comparePromises orders overdue promises first, then by date (undated last), then by age.
func comparePromises(a, b Promise, now time.Time) int {
	ao, bo := a.Overdue(now), b.Overdue(now)
	switch {
	case ao && !bo:
		return -1
	case bo && !ao:
		return 1
	case a.Due.IsZero() != b.Due.IsZero():
		if a.Due.IsZero() {
			return 1
		}
		return -1
	}
	return cmp.Or(a.Due.Compare(b.Due), a.Created.Compare(b.Created))
}
