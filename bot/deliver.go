package bot

import (
	"context"

	"github.com/kith-bot/kith/reminders"
)

// DeliverDigest composes a digest and sends it to its owner through the
// Sender of the owner's platform. An empty digest sends nothing. An error
// means the scheduler should try again later.
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
	return s.SendDM(ctx, owner, finish(digestMessage(d, digestSlot(d), "")))
}

// DeliverSummary composes a team summary and posts it in the team's channel
// through the Sender of the team's platform. A team without a channel gets
// nothing.
func (b *Bot) DeliverSummary(ctx context.Context, sum reminders.Summary) error {
	if sum.Team.Channel == "" {
		return nil
	}
	s := b.sender(sum.Team.ID.Platform())
	if s == nil {
		return reminders.Errorf(reminders.EUNAVAILABLE, "no sender for platform %q", sum.Team.ID.Platform())
	}
	return s.Post(ctx, sum.Team.ID, sum.Team.Channel, finish(summaryMessage(sum)))
}
