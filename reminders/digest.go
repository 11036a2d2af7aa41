package reminders

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
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

// Why says what brings a contact into a digest; digests list them in this order.
type Why int

// What brings a contact into a digest, most urgent first.
const (
	WhyLatePromise Why = iota // a promise past its day
	WhyDate                   // an important date within DateWindow days
	WhyDue                    // due by cadence
	WhyPromise                // an open promise not yet past its day, and nothing else
)

// DigestEntry is one contact in a digest with everything needed to act on it.
type DigestEntry struct {
	Contact    Contact
	Why        Why
	Overdue    time.Duration // how long past due (0 or more)
	Promises   []Promise     // the contact's open promises, overdue first
	Suggestion Suggestion
	Dates      []Upcoming // important dates within DateWindow days, soonest first
	Offer      *Offer     // a cadence the owner's answers suggest, when there is one
}

// Reason says where a give-first suggestion comes from.
type Reason string

// Reasons for a suggestion, from strongest to weakest.
const (
	ReasonPromise  Reason = "promise"  // you promised something
	ReasonDate     Reason = "date"     // an important date is coming
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
			day := p.DueDay(now.Location()).Format("Jan 2")
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

// dateSuggestion is the give-first idea for an important date: "Jane's
// birthday is Friday".
func dateSuggestion(c Contact, u Upcoming) Suggestion {
	first := c.Name
	if f := strings.Fields(c.Name); len(f) > 0 {
		first = f[0]
	}
	return Suggestion{ReasonDate, fmt.Sprintf("%s's %s is %s: a short note on the day, or something small that fits them, says you remembered.", first, u.Date.Label, u.When())}
}

// ComposeDigest chooses and orders the digest entries: contacts with an
// overdue promise first (oldest promise first), then those with an
// important date within DateWindow days (soonest first, whether due or
// not), then the rest of the due contacts, most overdue first, then those
// with nothing but an open promise not yet late (its promise due soonest
// first, undated ones last, oldest first): spec §1 has open promises show
// in digests until done. Snoozed contacts are left out, promises and all,
// since a snooze means no nudges for that contact; each contact appears
// once, and at most s.MaxEntries() are listed.
func ComposeDigest(owner OwnerID, s Settings, contacts []Contact, promises []Promise, now time.Time) Digest {
	loc := s.Location()
	local := now.In(loc) // a promise's day is over by the owner's clock
	open := map[uint64][]Promise{}
	for _, p := range promises {
		if p.Open() {
			open[p.ContactID] = append(open[p.ContactID], p)
		}
	}
	var list []DigestEntry
	for _, c := range contacts {
		if now.Before(c.Snoozed) {
			continue
		}
		ps := slices.Clone(open[c.ID])
		slices.SortStableFunc(ps, func(a, b Promise) int { return comparePromises(a, b, local) })
		def := s.DefaultFor(c)
		dates := c.UpcomingDates(now, loc)
		e := DigestEntry{Contact: c, Overdue: max(c.Overdue(now, def), 0), Promises: ps, Suggestion: Suggest(c, ps, local), Dates: dates}
		switch {
		case len(ps) > 0 && ps[0].Overdue(local):
			e.Why = WhyLatePromise
		case len(dates) > 0:
			e.Why, e.Suggestion = WhyDate, dateSuggestion(c, dates[0])
		case c.Due(now, def):
			e.Why = WhyDue
		case len(ps) > 0:
			e.Why = WhyPromise
		default:
			continue
		}
		if o, ok := c.Offer(c.Cadence.Or(def), now); ok {
			e.Offer = &o
		}
		list = append(list, e)
	}
	slices.SortStableFunc(list, func(a, b DigestEntry) int {
		if a.Why != b.Why {
			return cmp.Compare(a.Why, b.Why)
		}
		var by int
		switch a.Why {
		case WhyLatePromise, WhyPromise:
			by = comparePromises(a.Promises[0], b.Promises[0], local)
		case WhyDate:
			by = cmp.Compare(a.Dates[0].Days, b.Dates[0].Days)
		case WhyDue:
			by = cmp.Compare(b.Overdue, a.Overdue)
		}
		return cmp.Or(by, cmp.Compare(NameKey(a.Contact.Name), NameKey(b.Contact.Name)))
	})
	d := Digest{Owner: owner, Settings: s, At: now}
	for i, e := range list {
		if i == s.MaxEntries() {
			d.More = len(list) - i
			break
		}
		d.Entries = append(d.Entries, e)
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
	loc := now.Location()
	return cmp.Or(a.DueDay(loc).Compare(b.DueDay(loc)), a.Created.Compare(b.Created))
}
