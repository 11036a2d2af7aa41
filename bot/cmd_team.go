package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// summaryPeriod is the span "team summary now" adds up: the last week.
const summaryPeriod = 7 * 24 * time.Hour

// teamSummary runs team summary here|off|now for a team admin.
func (b *Bot) teamSummary(c *call, p *lang.Parsed) (Message, error) {
	if c.req.Team == "" {
		return Message{}, reminders.Errorf(reminders.EINVALID, "type this in a channel of your workspace or server, e.g. team summary here.")
	}
	if !c.req.Admin {
		return Message{}, reminders.Errorf(reminders.EINVALID, "only a workspace or server admin can manage the team summary; ask one to type team summary here.")
	}
	team, err := b.store.Team(c.ctx, c.req.Team)
	if reminders.ErrorCode(err) == reminders.ENOTFOUND {
		team, err = reminders.Team{ID: c.req.Team}, nil
	}
	if err != nil {
		return Message{}, err
	}
	switch p.Team {
	case "here", "off":
		if p.Team == "here" {
			if c.req.Channel == "" {
				return Message{}, reminders.Errorf(reminders.EINVALID, "type team summary here in the channel that should get the summary.")
			}
			team.Channel, team.Schedule, team.TimeZone = c.req.Channel, p.Schedule, c.set.TimeZone
		} else {
			team.Channel = ""
		}
		team.SetBy = c.owner
		if err := b.claim(c); err != nil {
			return Message{}, err
		}
		if err := b.store.PutTeam(c.ctx, team); err != nil {
			return Message{}, err
		}
		if b.sched != nil {
			if err := b.sched.ScheduleSummary(c.ctx, team); err != nil {
				return Message{}, reminders.Internal(err)
			}
		}
		if p.Team == "off" {
			return Message{Text: "The team summary is off; turn it back on with team summary here."}, nil
		}
		zone := team.TimeZone
		if zone == "" {
			zone = "UTC"
		}
		return Message{Text: fmt.Sprintf("The team summary will be posted in this channel %s (%s). It counts meetings and favours; it never names a contact, a company or a note.", scheduleWords(team.SummarySchedule()), zone)}, nil
	}
	// now: the last seven days, up to and including this instant
	channel := team.Channel
	if channel == "" {
		channel = c.req.Channel
	}
	sum, err := reminders.BuildSummary(c.ctx, b.store, reminders.Team{ID: team.ID, Channel: channel, Schedule: team.Schedule, TimeZone: team.TimeZone}, c.now.Add(-summaryPeriod), c.now.Add(time.Second))
	if err != nil {
		return Message{}, err
	}
	msg := summaryMessage(sum)
	s := b.sender(c.req.Team.Platform())
	if s == nil || channel == "" {
		msg.Public = true
		return msg, nil
	}
	if err := b.claim(c); err != nil {
		return Message{}, err
	}
	if err := s.Post(c.ctx, team.ID, channel, finish(msg)); err != nil {
		return Message{}, reminders.Internal(err)
	}
	return Message{Text: "Posted the team summary for the last 7 days."}, nil
}

// scheduleWords says a schedule in a sentence: "on mondays at 09:00", "daily at 09:00".
func scheduleWords(s string) string {
	if strings.Count(s, " ") == 4 {
		return "on the cron schedule " + s
	}
	days, clock, found := strings.Cut(s, " ")
	if !found {
		return "daily at " + s
	}
	if days == "daily" || days == "everyday" {
		return "daily at " + clock
	}
	return "on " + days + " at " + clock
}

// whoKnows names the teammates with share on who know someone at a company
// or with a tag. It reads each teammate's own data through their own
// transaction and lets nothing out but whether they match.
func (b *Bot) whoKnows(c *call, p *lang.Parsed) (Message, error) {
	if c.req.Team == "" {
		return Message{}, reminders.Errorf(reminders.EINVALID, "who-knows asks your teammates, so type it in your workspace or server, e.g. who-knows Acme.")
	}
	members, err := b.store.Members(c.ctx, c.req.Team)
	if err != nil {
		return Message{}, err
	}
	query := strings.ToLower(p.Text)
	what := p.Text
	if len(p.Tags) > 0 {
		what = "#" + p.Tags[0]
	}
	var found []reminders.Intro
	for _, m := range members {
		if m == c.owner {
			continue
		}
		var name string
		var knows bool
		err := b.store.View(c.ctx, m, func(tx reminders.OwnerTx) error {
			s, err := tx.Settings()
			if err != nil || !s.Share {
				return err
			}
			contacts, err := tx.Contacts()
			if err != nil {
				return err
			}
			for _, ct := range contacts {
				if (len(p.Tags) > 0 && ct.HasTag(p.Tags[0])) || (query != "" && strings.Contains(strings.ToLower(ct.Company), query)) {
					knows = true
					break
				}
			}
			name = s.Name
			return nil
		})
		if err != nil {
			return Message{}, err
		}
		if knows {
			if name == "" {
				name = m.Owner().User
			}
			found = append(found, reminders.Intro{Asker: true, Peer: m, PeerName: name, Team: c.req.Team, Query: what, Why: p.Why, At: c.now, State: reminders.IntroFound})
		}
	}
	if len(found) == 0 {
		return Message{Text: fmt.Sprintf("None of your teammates who share (settings share on) knows someone %s yet.", introWhat(what))}, nil
	}
	found, err = b.foundIntros(c, found)
	if err != nil {
		return Message{}, err
	}
	names := make([]string, len(found))
	sections := make([]Section, len(found))
	for i, in := range found {
		names[i] = in.PeerName
		sections[i] = Section{Title: in.PeerName, Buttons: []Button{{Label: "Ask for an intro", Action: ActIntroAsk, Value: introValue{ID: in.ID, Owner: ownerTag(c.owner)}.String()}}}
	}
	footer := "Ask for an intro sends them your request"
	if p.Why != "" {
		footer += " and why (" + quote(p.Why) + ")"
	} else {
		footer += "; add why after a colon, e.g. who-knows " + what + " : hiring a CTO"
	}
	footer += ". They choose whether and whom to introduce; one ask per teammate a week."
	return Message{Title: fmt.Sprintf("Teammates who know someone %s: %s", introWhat(what), andList(names)), Sections: sections, Footer: footer}, nil
}
