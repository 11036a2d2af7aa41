package reminders

import (
	"maps"
	"slices"
)

// Where a contact's cadence comes from, as show says it.
const (
	CadenceOwn     = "own"     // set on the contact with every <name>
	CadenceTag     = "tag"     // set on one of its tags with every #tag
	CadenceDefault = "default" // the owner's default
)

// CadenceFor returns the cadence that applies to a contact and where it
// comes from: the contact's own, else the shortest of its tags' cadences
// (the tag that asks for the most contact wins, so no tag is starved),
// else the owner's default. tag names the tag when source is CadenceTag.
func (s Settings) CadenceFor(c Contact) (cad Cadence, source, tag string) {
	if !c.Cadence.IsZero() {
		return c.Cadence, CadenceOwn, ""
	}
	for _, t := range c.Tags {
		tc, ok := s.TagCadences[t]
		if !ok {
			continue
		}
		if tag == "" || shorter(tc, cad) {
			cad, tag = tc, t
		}
	}
	if tag != "" {
		return cad, CadenceTag, tag
	}
	return s.DefaultCadence(), CadenceDefault, ""
}

// shorter reports whether a asks for more contact than b; never is the longest.
func shorter(a, b Cadence) bool {
	if a.Never || b.Never {
		return !a.Never && b.Never
	}
	return a.Approx() < b.Approx()
}

// DefaultFor is the cadence a contact falls back on when it has none of its
// own: its tags' cadence, else the owner's default. Pass it where a
// contact's due date is computed (Contact.Due, NextDue), so the contact's
// own cadence still wins.
func (s Settings) DefaultFor(c Contact) Cadence {
	if len(s.TagCadences) == 0 {
		return s.DefaultCadence()
	}
	cad, _, _ := s.CadenceFor(Contact{Tags: c.Tags})
	return cad
}

// SetTagCadence sets (or, with the zero Cadence, clears) the cadence of a tag.
func (s *Settings) SetTagCadence(tag string, c Cadence) {
	tag = NormalizeTag(tag)
	if c.IsZero() {
		delete(s.TagCadences, tag)
		if len(s.TagCadences) == 0 {
			s.TagCadences = nil
		}
		return
	}
	if s.TagCadences == nil {
		s.TagCadences = map[string]Cadence{}
	}
	s.TagCadences[tag] = c
}

// TagsWithCadence lists the tags that have a cadence, in order.
func (s Settings) TagsWithCadence() []string {
	return slices.Sorted(maps.Keys(s.TagCadences))
}
