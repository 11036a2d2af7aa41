package reminders

import (
	"context"
	"time"
)

// LoadSettings reads an owner's settings; the zero Settings when none are stored.
func LoadSettings(ctx context.Context, store Store, owner OwnerID) (Settings, error) {
	var s Settings
	err := store.View(ctx, owner, func(tx OwnerTx) error {
		var err error
		s, err = tx.Settings()
		return err
	})
	return s, err
}

// Network is what an owner's digest, due list and overview are composed from.
type Network struct {
	Settings Settings
	Contacts []Contact
	Promises []Promise // every promise, kept or open
}

// LoadNetwork reads an owner's settings, contacts and promises in one transaction.
func LoadNetwork(tx OwnerTx) (Network, error) {
	var n Network
	var err error
	if n.Settings, err = tx.Settings(); err != nil {
		return n, err
	}
	if n.Contacts, err = tx.Contacts(); err != nil {
		return n, err
	}
	n.Promises, err = tx.Promises(0)
	return n, err
}

// Digest composes the network's digest at now.
func (n Network) Digest(owner OwnerID, now time.Time) Digest {
	return ComposeDigest(owner, n.Settings, n.Contacts, n.Promises, now)
}

// BuildDigest reads an owner's network and composes their digest at now.
func BuildDigest(ctx context.Context, store Store, owner OwnerID, now time.Time) (Digest, error) {
	var n Network
	err := store.View(ctx, owner, func(tx OwnerTx) error {
		var err error
		n, err = LoadNetwork(tx)
		return err
	})
	return n.Digest(owner, now), err
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
			if m.Counts, err = tx.Activity(from, to); err != nil {
				return err
			}
			m.Counts.Intros = s.IntrosMade(from, to)
			return nil
		})
		if err != nil {
			return Summary{}, err
		}
		members = append(members, m)
	}
	return ComposeSummary(team, from, to, members), nil
}
