package reminders

import "context"

// PlanLog is what a Store may also offer so that start-up plans only the
// digests whose settings changed, instead of reading every owner: with
// every settings change, in the same transaction, it records that the
// owner's digest needs planning, so even a crash between the change and its
// planning leaves the record behind.
type PlanLog interface {
	// PendingPlans lists the owners whose settings changed since their
	// marks were last cleared, each with the mark's sequence number.
	PendingPlans(ctx context.Context) ([]PendingPlan, error)
	// DonePlans clears the marks, each only while it still has the sequence
	// number read: a change made meanwhile keeps its mark.
	DonePlans(ctx context.Context, done []PendingPlan) error
}

// PendingPlan is one owner whose digest needs planning from their settings.
type PendingPlan struct {
	Owner OwnerID
	Seq   uint64 // which change the mark stands for
}

// SamePlan reports whether two settings plan the same digests: the same
// schedule in the same zone, for an owner who has used kith or has not.
func (s Settings) SamePlan(o Settings) bool {
	return s.DigestSchedule() == o.DigestSchedule() && s.TimeZone == o.TimeZone && s.Created.IsZero() == o.Created.IsZero()
}
