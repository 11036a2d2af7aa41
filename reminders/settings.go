package reminders

import (
	"reflect"
	"time"
)

// Settings are one owner's preferences.
type Settings struct {
	TimeZone  string  `json:"tz,omitempty"`     // IANA name; "" means UTC, not yet chosen
	Digest    string  `json:"digest,omitempty"` // a schedule (see ParseSchedule); "" means DefaultDigest
	DigestOff bool    `json:"digest_off,omitempty"`
	Cadence   Cadence `json:"cadence,omitzero"`   // default cadence; zero means DefaultCadence
	Max       int     `json:"max,omitempty"`      // entries per digest; 0 means DefaultMax
	Share     bool    `json:"share,omitempty"`    // may appear in who-knows and the givers list
	TZNoted   bool    `json:"tz_noted,omitempty"` // the owner was told their zone is UTC by default
	// TZGuessed marks a zone taken from the platform on first use rather
	// than chosen, so importing a kith export may replace it with the zone
	// the owner chose before.
	TZGuessed bool      `json:"tz_guessed,omitempty"`
	Name      string    `json:"name,omitempty"`   // display name on the platform, for the givers list
	Created   time.Time `json:"created,omitzero"` // first use
	DM        string    `json:"dm,omitempty"`     // the platform's DM channel id, cached to save a call per digest
	// Paused says why digests are paused: the platform said they can never
	// reach the owner (spec §7). The owner's next command resumes them.
	Paused string `json:"paused,omitempty"`
	// TagCadences are the cadences set with every #tag, by tag (lower case,
	// without '#'); a contact's own cadence wins over them.
	TagCadences map[string]Cadence `json:"tag_cadences,omitempty"`
	// Intros are the intro asks this owner made or received (§9), kept a
	// while for the weekly limit and the team summary's count.
	Intros []Intro `json:"intros,omitempty"`
	// Pending is a command waiting for its owner to confirm a name read by a
	// close spelling; nil when none is.
	Pending *Pending `json:"pending,omitempty"`
}

// IsZero reports whether nothing is stored: what a store returns for an owner it knows nothing of.
func (s Settings) IsZero() bool {
	if len(s.TagCadences) > 0 || len(s.Intros) > 0 {
		return false
	}
	s.TagCadences, s.Intros = nil, nil
	return reflect.DeepEqual(s, Settings{})
}

// Pending is a command kept while kith asks "Did you mean Jane Roe?". It
// lives with the settings, not in memory, so the answer may reach any
// replica, after a restart too.
type Pending struct {
	Question uint64    `json:"question"` // the question's id, carried by its buttons
	Text     string    `json:"text"`     // the command as typed
	Contacts []uint64  `json:"contacts"` // the contacts its close spellings were read as
	Asked    time.Time `json:"asked"`
}

// Defaults of an owner's settings.
const (
	DefaultDigest = "weekdays 09:00"
	DefaultMax    = 5
	// MaxDigestEntries bounds max so that a digest fits in one chat message.
	MaxDigestEntries = 25
)

// Location returns the owner's time zone, UTC when unset or unknown.
func (s Settings) Location() *time.Location {
	if s.TimeZone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// DefaultCadence returns the owner's default cadence.
func (s Settings) DefaultCadence() Cadence { return s.Cadence.Or(DefaultCadence) }

// MaxEntries returns how many contacts a digest lists at most.
func (s Settings) MaxEntries() int {
	if s.Max <= 0 {
		return DefaultMax
	}
	return s.Max
}

// DigestSchedule returns the owner's digest schedule text; "" when digests are off or paused.
func (s Settings) DigestSchedule() string {
	if s.DigestOff || s.Paused != "" {
		return ""
	}
	if s.Digest == "" {
		return DefaultDigest
	}
	return s.Digest
}

// CheckTimeZone validates an IANA zone name.
func CheckTimeZone(name string) error {
	if name == "" || name == "Local" {
		return Errorf(EINVALID, "%q is not a time zone; use an Area/City name such as Europe/Berlin.", name)
	}
	if _, err := time.LoadLocation(name); err != nil {
		return Errorf(EINVALID, "%q is not a time zone; use an Area/City name such as Europe/Berlin.", name)
	}
	return nil
}

// Team is one Slack workspace's or Discord guild's summary settings.
type Team struct {
	ID       TeamID  `json:"id"`
	Channel  string  `json:"channel,omitempty"`  // where summaries go; "" means off
	Schedule string  `json:"schedule,omitempty"` // "" means DefaultSummary
	TimeZone string  `json:"tz,omitempty"`       // "" means UTC
	SetBy    OwnerID `json:"set_by,omitempty"`
}

// DefaultSummary is a team's summary schedule unless chosen.
const DefaultSummary = "mondays 09:00"

// SummarySchedule returns the team's schedule text; "" when summaries are off.
func (t Team) SummarySchedule() string {
	if t.Channel == "" {
		return ""
	}
	if t.Schedule == "" {
		return DefaultSummary
	}
	return t.Schedule
}

// Location returns the team's time zone, UTC when unset.
func (t Team) Location() *time.Location {
	return Settings{TimeZone: t.TimeZone}.Location()
}
