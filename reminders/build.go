package reminders

import (
	"context"
	"time"
)

// BuildDigest reads an owner's contacts and promises and composes their digest at now.
func BuildDigest(ctx context.Context, store Store, owner OwnerID, now time.Time) (Digest, error) {
	var d Digest
	err := store.View(ctx, owner, func(tx OwnerTx) error {
		s, err := tx.Settings()
		if err != nil {
			return err
		}
		contacts, err := tx.Contacts()
		if err != nil {
			return err
		}
		promises, err := tx.Promises(0)
		if err != nil {
			return err
		}
		d = ComposeDigest(owner, s, contacts, promises, now)
		return nil
	})
	return d, err
}

// BuildSummary adds up a team's activity logged in [from, to). It reads each
// member's counts through that member's own transaction, so nothing but
// counts, the share flag and the display name leaves a member's data.
func BuildSummary(ctx context.Context, store Store, team Team, from, to time.Time) (Summary, error) {
	owners, err := store.Members(ctx, team.ID)
	if err != nil {
		return Summary{}, err
	}
	members := make([]MemberActivity, 0, len(owners))
	for _, o := range owners {
		m := MemberActivity{Owner: o}
		err := store.View(ctx, o, func(tx OwnerTx) error {
			s, err := tx.Settings()
			if err != nil {
				return err
			}
			m.Share, m.Name = s.Share, s.Name
			m.Counts, err = tx.Activity(from, to)
			return err
		})
		if err != nil {
			return Summary{}, err
		}
		members = append(members, m)
	}
	return ComposeSummary(team, from, to, members), nil
}
