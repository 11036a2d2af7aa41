package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/kith-bot/kith/reminders"
)

var _ reminders.PlanLog = (*Store)(nil)

// markPlan records, with the change that makes it needed, that the owner's
// digest needs planning; the sequence tells one change from the next.
func (t *ownerTx) markPlan() {
	_ = t.exec(`INSERT INTO kith_plans (owner, seq) VALUES ($1, nextval('kith_plan_seq'))
		ON CONFLICT (owner) DO UPDATE SET seq = EXCLUDED.seq`, t.o())
}

// PendingPlans lists the owners whose settings changed since their marks
// were cleared; its cost follows those owners, not all of them.
func (s *Store) PendingPlans(ctx context.Context) ([]reminders.PendingPlan, error) {
	rows, err := s.pool.Query(ctx, `SELECT owner, seq FROM kith_plans ORDER BY owner`)
	if err != nil {
		return nil, unavailable(err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (reminders.PendingPlan, error) {
		var p reminders.PendingPlan
		var seq int64
		err := row.Scan(&p.Owner, &seq)
		p.Seq = uint64(seq)
		return p, err
	})
	return out, unavailable(err)
}

// DonePlans clears the marks that still have the sequence numbers read, in
// one statement.
func (s *Store) DonePlans(ctx context.Context, done []reminders.PendingPlan) error {
	if len(done) == 0 {
		return nil
	}
	owners := make([]string, len(done))
	seqs := make([]int64, len(done))
	for i, p := range done {
		owners[i], seqs[i] = string(p.Owner), int64(p.Seq)
	}
	_, err := s.pool.Exec(ctx, `DELETE FROM kith_plans p USING unnest($1::text[], $2::bigint[]) AS d(owner, seq)
		WHERE p.owner = d.owner AND p.seq = d.seq`, owners, seqs)
	return unavailable(err)
}
