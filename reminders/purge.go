package reminders

import (
	"context"
	"strings"
)

// runPurge deletes the data of a workspace kith was uninstalled from, once
// its retention has passed: every owner of the workspace as forget-me
// deletes them, then the team's own records. A workspace installed again
// since keeps everything. Each step can run twice, so a failure part way is
// retried with back-off and finishes the work; the job goes last.
func (s *Scheduler) runPurge(ctx context.Context, j Job) error {
	team := TeamID(j.ID)
	if back, err := s.reinstalled(ctx, team); err != nil || back {
		if err != nil {
			return s.fail(ctx, j, err)
		}
		return s.drop(ctx, j)
	}
	owners, err := s.store.Owners(ctx)
	if err != nil {
		return s.fail(ctx, j, err)
	}
	prefix := string(team) + ":" // slack:<team>:<user>
	n := 0
	for _, o := range owners {
		if !strings.HasPrefix(string(o), prefix) {
			continue
		}
		// A reinstall may come while the purge runs; it stops the purge
		// before the next owner.
		if back, err := s.reinstalled(ctx, team); err != nil || back {
			if err != nil {
				return s.fail(ctx, j, err)
			}
			return s.drop(ctx, j)
		}
		if err := s.store.DeleteOwner(ctx, o); err != nil {
			return s.fail(ctx, j, err)
		}
		n++
	}
	if err := s.store.DeleteTeam(ctx, team); err != nil {
		return s.fail(ctx, j, err)
	}
	s.log.Info("scheduler: deleted the data of an uninstalled workspace", "team", team, "owners", n)
	return s.finish(ctx, j, nil)
}

// reinstalled reports whether kith is installed in the team again.
func (s *Scheduler) reinstalled(ctx context.Context, team TeamID) (bool, error) {
	in, err := s.store.Installation(ctx, team)
	if ErrorCode(err) == ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return in.Active(), nil
}
