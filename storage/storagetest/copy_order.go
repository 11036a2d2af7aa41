package storagetest

import (
	"cmp"
	"slices"

	"github.com/kith-bot/kith/reminders"
)

// sortRecords orders records by kind, then id, so two dumps compare equal
// whatever order each engine streams in.
func sortRecords(rs []reminders.Record) {
	rank := func(r reminders.Record) (int, uint64) {
		switch {
		case r.Settings != nil:
			return 1, 0
		case r.Contact != nil:
			return 2, r.Contact.ID
		case r.Interaction != nil:
			return 3, r.Interaction.ID
		case r.Promise != nil:
			return 4, r.Promise.ID
		}
		return 0, 0
	}
	slices.SortStableFunc(rs, func(a, b reminders.Record) int {
		ka, ia := rank(a)
		kb, ib := rank(b)
		return cmp.Or(cmp.Compare(ka, kb), cmp.Compare(ia, ib), cmp.Compare(a.Owner, b.Owner), cmp.Compare(a.Member, b.Member))
	})
}
