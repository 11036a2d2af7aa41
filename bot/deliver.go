package bot

import (
	"context"

	"github.com/kith-bot/kith/reminders"
)

// DeliverDigest composes a digest and sends it to its owner's DM channel
// through the Sender of the owner's platform. An empty digest sends
// nothing. A slot that may have gone out already (d.Recheck) is looked for
// on the platform first, so a crash between the platform accepting it and
// the scheduler recording it does not send it twice. An error means the
// scheduler should try again later; EUNREACHABLE, that it never should.
func (b *Bot) DeliverDigest(ctx context.Context, d reminders.Digest) error {
	if d.Empty() {
		return nil
	}
	owner, err := reminders.ParseOwnerID(string(d.Owner))
	if err != nil {
		return err
	}
	s := b.sender(owner.Platform)
	if s == nil {
		return reminders.Errorf(reminders.EUNAVAILABLE, "no sender for platform %q", owner.Platform)
	}
	m := finish(digestMessage(d, digestSlot(d), ""))
	if !d.Slot.IsZero() {
		m.Mark = &Mark{Kind: MarkDigest, For: string(d.Owner), Slot: d.Slot}
	}
	var team reminders.TeamID // the workspace on Slack; none on Discord and the console
	if owner.Team != "" {
		team = reminders.NewTeamID(owner.Platform, owner.Team)
	}
	var check func(ch string) (bool, error)
	if d.Recheck && m.Mark != nil {
		check = func(ch string) (bool, error) {
			done, err := s.Posted(ctx, team, ch, *m.Mark)
			if done {
				b.log.InfoContext(ctx, "digest: the slot was already delivered; not sending it again", "owner", string(d.Owner), "slot", d.Slot)
			}
			return done, err
		}
	}
	return b.sendDM(ctx, s, owner, d.Settings.DM, m, check)
}

// sendDM sends m to the owner's DM channel: the one cached in their
// settings (cached), else one opened now and cached. check, when set, runs
// first on the channel and skips the send when it reports the message there.
func (b *Bot) sendDM(ctx context.Context, s Sender, owner reminders.Owner, cached string, m Message, check func(ch string) (bool, error)) error {
	ch := cached
	if ch == "" {
		var err error
		if ch, err = b.openDM(ctx, s, owner); err != nil {
			return err
		}
	}
	if check != nil {
		if done, err := check(ch); err != nil || done {
			return err
		}
	}
	err := s.PostDM(ctx, owner, ch, m)
	if cached != "" && reminders.ErrorCode(err) == reminders.EUNREACHABLE {
		// The cached channel may be what is gone (an app reinstall, a
		// workspace migration): open it afresh once before giving up.
		if ch, err = b.openDM(ctx, s, owner); err == nil {
			err = s.PostDM(ctx, owner, ch, m)
		}
	}
	return err
}

// DeliverSummary composes a team summary and posts it in the team's channel
// through the Sender of the team's platform, looking for it there first when
// the slot may have gone out already. A team without a channel gets nothing.
func (b *Bot) DeliverSummary(ctx context.Context, sum reminders.Summary) error {
	if sum.Team.Channel == "" {
		return nil
	}
	s := b.sender(sum.Team.ID.Platform())
	if s == nil {
		return reminders.Errorf(reminders.EUNAVAILABLE, "no sender for platform %q", sum.Team.ID.Platform())
	}
	m := finish(summaryMessage(sum))
	if !sum.Slot.IsZero() {
		m.Mark = &Mark{Kind: MarkSummary, For: string(sum.Team.ID), Slot: sum.Slot}
		if sum.Recheck {
			done, err := s.Posted(ctx, sum.Team.ID, sum.Team.Channel, *m.Mark)
			if err != nil || done {
				return err
			}
		}
	}
	return s.Post(ctx, sum.Team.ID, sum.Team.Channel, m)
}

// openDM asks the platform for the owner's DM channel and caches its id in
// the owner's settings, saving that call on every later digest. A failure
// to cache costs one call next time, so it is logged, not returned.
func (b *Bot) openDM(ctx context.Context, s Sender, owner reminders.Owner) (string, error) {
	ch, err := s.OpenDM(ctx, owner)
	if err != nil {
		return "", err
	}
	err = b.store.Update(ctx, owner.ID(), reminders.Change{Now: b.now()}, func(tx reminders.OwnerTx) error {
		set, err := tx.Settings()
		if err != nil || set.DM == ch {
			return err
		}
		set.DM = ch
		return tx.PutSettings(set)
	})
	if err != nil {
		b.log.WarnContext(ctx, "caching the DM channel failed", "owner", string(owner.ID()), "err", err)
	}
	return ch, nil
}
