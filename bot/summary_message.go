package bot

import (
	"fmt"
	"strings"

	"github.com/kith-bot/kith/reminders"
)

// summaryMessage lays out a team summary: counts and the givers who share.
// A Summary holds no contact, company or note, so none can appear here.
func summaryMessage(s reminders.Summary) Message {
	loc := s.Team.Location()
	from, to := s.From.In(loc), s.To.In(loc).Add(-1)
	period := from.Format("Jan 2") + " – " + to.Format("Jan 2")
	t := s.Totals
	lines := []string{
		fmt.Sprintf("Meetings logged: %d", t.Met),
		fmt.Sprintf("Favours given: %d", t.Gave),
		fmt.Sprintf("Favours received: %d", t.Got),
		fmt.Sprintf("Promises kept: %d", t.PromisesKept),
		fmt.Sprintf("Intros made: %d", t.Intros),
		fmt.Sprintf("Active members: %d of %d", s.Active, s.Members),
	}
	m := Message{Title: "Team summary, " + period, Public: true, Sections: []Section{{Text: strings.Join(lines, "\n")}}}
	if len(s.Givers) > 0 {
		givers := make([]string, len(s.Givers))
		for i, g := range s.Givers {
			name := g.Name
			if name == "" {
				name = g.Owner.Owner().User
			}
			givers[i] = fmt.Sprintf("%d. %s (%s)", i+1, name, plural(g.Gave, "favour"))
		}
		m.Sections = append(m.Sections, Section{Title: "Givers", Text: strings.Join(givers, "\n")})
	}
	if !t.Active() {
		m.Footer = "A quiet week. Who could you help this week? Log it with /kith gave."
	} else {
		m.Footer = "Give first: the best networking is helping. Members appear among the givers with settings share on."
	}
	return m
}
