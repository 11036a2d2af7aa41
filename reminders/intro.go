package reminders

import (
	"slices"
	"strings"
	"time"
)

// Intros with consent (§9). An Intro is kept by each side in its own
// settings: the asker's copy (Asker true, Peer the teammate) and the
// teammate's (Peer the asker), sharing one ID. A teammate's contacts never
// enter an Intro until the teammate chooses one; only then are its name and
// company copied to both sides.

// IntroState is how far an intro ask has gone.
type IntroState string

// States of an intro ask.
const (
	IntroFound    IntroState = "found"    // who-knows listed the teammate; nothing asked yet (asker's side only)
	IntroAsked    IntroState = "asked"    // the teammate has been asked and has not answered
	IntroOffered  IntroState = "offered"  // the teammate chose a contact to introduce
	IntroDeclined IntroState = "declined" // the teammate said not now
)

// Limits of intro asks.
const (
	// IntroEvery is how often one asker may ask one teammate about one company or tag.
	IntroEvery = 7 * 24 * time.Hour
	// IntroFoundTTL is how long the Ask buttons of a who-knows reply work.
	IntroFoundTTL = 24 * time.Hour
	// IntroKeep is how long answered asks are kept, for the weekly limit and team summaries.
	IntroKeep = 90 * 24 * time.Hour
	// MaxIntroWhy bounds the reason an asker gives.
	MaxIntroWhy = 300
)

// Intro is one ask for an introduction, as one side keeps it.
type Intro struct {
	ID       string     `json:"id"`
	Asker    bool       `json:"asker,omitempty"` // this owner asked; false: this owner was asked
	Peer     OwnerID    `json:"peer"`            // the other side
	PeerName string     `json:"peer_name,omitempty"`
	Team     TeamID     `json:"team,omitempty"`
	Query    string     `json:"query"` // a company, or "#tag"
	Why      string     `json:"why,omitempty"`
	At       time.Time  `json:"at"` // when found or asked
	State    IntroState `json:"state"`
	Answered time.Time  `json:"answered,omitzero"`
	// Name and Company are the contact the teammate chose, set once offered.
	Name    string `json:"name,omitempty"`
	Company string `json:"company,omitempty"`
}

// Tag returns the tag an intro asks about, "" when it asks about a company.
func (i Intro) Tag() string {
	if strings.HasPrefix(i.Query, "#") {
		return NormalizeTag(i.Query)
	}
	return ""
}

// Matches reports whether a contact is one the intro asks about: at the
// company (a case-insensitive substring, as who-knows reads it) or with the tag.
func (i Intro) Matches(c Contact) bool {
	if t := i.Tag(); t != "" {
		return c.HasTag(t)
	}
	q := strings.ToLower(strings.TrimSpace(i.Query))
	return q != "" && strings.Contains(strings.ToLower(c.Company), q)
}

// Intro returns the owner's copy of the intro with that id, and its index.
func (s Settings) Intro(id string) (Intro, int, bool) {
	i := slices.IndexFunc(s.Intros, func(x Intro) bool { return x.ID == id })
	if i < 0 || id == "" {
		return Intro{}, -1, false
	}
	return s.Intros[i], i, true
}

// PutIntro stores the owner's copy of an intro, replacing one of the same id.
func (s *Settings) PutIntro(in Intro) {
	if _, i, ok := s.Intro(in.ID); ok {
		s.Intros[i] = in
		return
	}
	s.Intros = append(s.Intros, in)
}

// AskedRecently reports whether the owner asked peer about query within
// IntroEvery before now.
func (s Settings) AskedRecently(peer OwnerID, query string, now time.Time) bool {
	return slices.ContainsFunc(s.Intros, func(x Intro) bool {
		return x.Asker && x.State != IntroFound && x.Peer == peer &&
			NameKey(x.Query) == NameKey(query) && now.Sub(x.At) < IntroEvery
	})
}

// PruneIntros forgets Ask buttons past IntroFoundTTL and answered or
// unanswered asks past IntroKeep, so settings stay small.
func (s *Settings) PruneIntros(now time.Time) {
	s.Intros = slices.DeleteFunc(s.Intros, func(x Intro) bool {
		if x.State == IntroFound {
			return now.Sub(x.At) > IntroFoundTTL
		}
		return now.Sub(x.At) > IntroKeep
	})
	if len(s.Intros) == 0 {
		s.Intros = nil
	}
}

// IntrosMade counts the intros this owner made (offered as the teammate) in [from, to).
func (s Settings) IntrosMade(from, to time.Time) int {
	n := 0
	for _, x := range s.Intros {
		if !x.Asker && x.State == IntroOffered && !x.Answered.Before(from) && x.Answered.Before(to) {
			n++
		}
	}
	return n
}
