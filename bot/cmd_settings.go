package bot

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// showSettings replies with the owner's settings.
func (b *Bot) showSettings(c *call) (Message, error) {
	return settingsMessage(c.set, "Your settings"), nil
}

// settingsMessage lays out an owner's settings.
func settingsMessage(s reminders.Settings, heading string) Message {
	tz := s.TimeZone
	if tz == "" {
		tz = "UTC (not set)"
	}
	digest := s.DigestSchedule()
	if digest == "" {
		digest = "off"
	}
	share := "off: teammates do not see you in who-knows or the givers list"
	if s.Share {
		share = "on: teammates may see that you know someone at a company, and you appear among the givers"
	}
	fields := []Field{
		{"Time zone", tz},
		{"Digest", digest},
		{"Default cadence", s.DefaultCadence().String()},
		{"Max per digest", strconv.Itoa(s.MaxEntries())},
		{"Share", share},
	}
	if tags := s.TagsWithCadence(); len(tags) > 0 {
		lines := make([]string, len(tags))
		for i, t := range tags {
			lines[i] = "#" + t + ": " + s.TagCadences[t].String()
		}
		fields = append(fields, Field{"Tag cadences", strings.Join(lines, "\n")})
	}
	return Message{
		Title:    heading,
		Sections: []Section{{Fields: fields}},
		Footer:   "Change with e.g. settings tz Europe/Berlin digest weekdays 08:30 cadence 6w max 10 share on",
	}
}

// changeSettings applies a settings command inside the owner's transaction.
func (b *Bot) changeSettings(tx reminders.OwnerTx, p *lang.Parsed) (Message, error) {
	s, err := tx.Settings()
	if err != nil {
		return Message{}, err
	}
	ch := p.Settings
	if ch.TimeZone != nil {
		s.TimeZone, s.TZGuessed = *ch.TimeZone, false
	}
	if ch.Digest != nil {
		if *ch.Digest == "off" {
			s.DigestOff = true
		} else {
			s.Digest, s.DigestOff = *ch.Digest, false
		}
	}
	if ch.Cadence != nil {
		s.Cadence = *ch.Cadence
	}
	if ch.Max != nil {
		s.Max = *ch.Max
	}
	if ch.Share != nil {
		s.Share = *ch.Share
	}
	if err := tx.PutSettings(s); err != nil {
		return Message{}, err
	}
	return settingsMessage(s, "Saved. Your settings"), nil
}

// afterSettings tells the scheduler when the digest's schedule or zone changed.
func (b *Bot) afterSettings(c *call, p *lang.Parsed, out *Message) {
	if p.Settings.TimeZone == nil && p.Settings.Digest == nil {
		return
	}
	var s reminders.Settings
	err := b.store.View(c.ctx, c.owner, func(tx reminders.OwnerTx) error {
		var err error
		s, err = tx.Settings()
		return err
	})
	if err == nil {
		err = b.scheduleDigest(c.ctx, c.owner, s)
	}
	if err != nil {
		out.Footer = strings.TrimSpace(out.Footer + "\n" + b.errorText(c.ctx, "schedule digest", err) + " Your settings are saved; the digest keeps its old schedule until you set it again.")
	}
}

// undo reverses the owner's last undoable change within reminders.UndoWindow.
func (b *Bot) undo(c *call) (Message, error) {
	var label string
	err := b.store.Update(c.ctx, c.owner, reminders.Change{Key: c.key(), Now: c.now}, func(tx reminders.OwnerTx) error {
		var err error
		label, err = tx.Undo(c.now)
		return err
	})
	if err != nil {
		return Message{}, err
	}
	// The undone change may have been to settings (typed, or brought by an
	// import): plan the digest from what is stored now.
	b.rescheduleStored(c.ctx, c.owner)
	return Message{Text: fmt.Sprintf("Undone: %s", label)}, nil
}
