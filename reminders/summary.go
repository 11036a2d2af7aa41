package reminders

import (
	"cmp"
	"slices"
	"time"
)

// ActivityCounts are the counts a team summary adds up; they name nobody.
type ActivityCounts struct {
	Met          int `json:"met"`
	Gave         int `json:"gave"`
	Got          int `json:"got"`
	PromisesKept int `json:"promises_kept"`
	Intros       int `json:"intros,omitempty"` // intros made through who-knows (§9)
}

// Add returns the sum of two counts.
func (a ActivityCounts) Add(b ActivityCounts) ActivityCounts {
	return ActivityCounts{a.Met + b.Met, a.Gave + b.Gave, a.Got + b.Got, a.PromisesKept + b.PromisesKept, a.Intros + b.Intros}
}

// Active reports whether anything was logged.
func (a ActivityCounts) Active() bool { return a.Met+a.Gave+a.Got > 0 }

// Count adds one interaction to the counts.
func (a *ActivityCounts) Count(i Interaction) {
	switch i.Kind {
	case Met:
		a.Met++
	case Gave:
		a.Gave++
		if i.PromiseID != 0 {
			a.PromisesKept++
		}
	case Got:
		a.Got++
	}
}

// MemberActivity is one team member's counts for a period.
type MemberActivity struct {
	Owner  OwnerID
	Name   string // display name, shown only when Share is on
	Share  bool
	Counts ActivityCounts
}

// Giver is a member in a summary's givers list.
type Giver struct {
	Owner OwnerID
	Name  string
	Gave  int
}

// Summary is a team's aggregates for a period. It holds counts and the
// members who chose to share; never a contact, a company or a note.
type Summary struct {
	Team    Team
	From    time.Time
	To      time.Time
	Slot    time.Time
	Recheck bool // this slot may have gone out already: ask the platform before posting
	Totals  ActivityCounts
	Members int // members seen using kith in the team
	Active  int // members who logged anything in the period
	Givers  []Giver
}

// MaxGivers bounds the givers list so that a summary stays short.
const MaxGivers = 5

// ComposeSummary adds up the members' counts. Only members with share on and
// at least one favour given appear among the givers, most favours first.
func ComposeSummary(t Team, from, to time.Time, members []MemberActivity) Summary {
	s := Summary{Team: t, From: from, To: to, Members: len(members)}
	for _, m := range members {
		s.Totals = s.Totals.Add(m.Counts)
		if m.Counts.Active() {
			s.Active++
		}
		if m.Share && m.Counts.Gave > 0 {
			s.Givers = append(s.Givers, Giver{Owner: m.Owner, Name: m.Name, Gave: m.Counts.Gave})
		}
	}
	slices.SortStableFunc(s.Givers, func(a, b Giver) int {
		return cmp.Or(cmp.Compare(b.Gave, a.Gave), cmp.Compare(a.Owner, b.Owner))
	})
	if len(s.Givers) > MaxGivers {
		s.Givers = s.Givers[:MaxGivers]
	}
	return s
}
