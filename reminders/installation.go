package reminders

import (
	"context"
	"time"
)

// DefaultUninstallRetention is how long a workspace's data is kept after kith
// is uninstalled (KITH_UNINSTALL_RETENTION): a month covers an admin who
// removes the app by mistake or to reinstall it, without keeping the data of
// a workspace that left for good.
const DefaultUninstallRetention = 720 * time.Hour

// Installation is kith installed in one workspace through OAuth: who
// installed it and the bot token its Web API calls use there.
type Installation struct {
	Team        TeamID    `json:"team"`                 // slack:<workspace>
	Enterprise  string    `json:"enterprise,omitempty"` // the Enterprise Grid org, when there is one
	BotUser     string    `json:"bot_user,omitempty"`   // kith's own user in the workspace
	Token       []byte    `json:"token,omitempty"`      // the bot token, sealed (never clear); none for the SLACK_BOT_TOKEN workspace
	Scopes      []string  `json:"scopes,omitempty"`     // the bot scopes granted
	InstalledBy string    `json:"installed_by,omitempty"`
	InstalledAt time.Time `json:"installed_at"`
	// Uninstalled is when the app was removed or its token revoked; zero
	// while installed. From then on nothing is sent to the workspace.
	Uninstalled time.Time `json:"uninstalled,omitzero"`
}

// Active reports whether kith is installed and may act in the workspace.
func (in Installation) Active() bool { return in.Uninstalled.IsZero() }

// Install stores an installation, replacing the workspace's earlier one, and
// cancels a pending deletion of the workspace's data: a reinstall within the
// retention window resumes everything. The installation is written first, so
// a crash in between leaves a purge job that finds the workspace installed
// and does nothing.
func Install(ctx context.Context, store Store, in Installation) error {
	if in.Team == "" {
		return Errorf(EINVALID, "an installation needs a team.")
	}
	in.Uninstalled = time.Time{}
	if err := store.PutInstallation(ctx, in); err != nil {
		return err
	}
	return store.DeleteJob(ctx, PurgeJob, string(in.Team))
}

// Uninstall records that kith was removed from the workspace (or its token
// revoked) at now: the token is dropped, and the workspace's data is deleted
// after retention unless it is installed again. The purge job is written
// before the installation, so a crash in between leaves a job that finds the
// workspace still installed and does nothing, and Slack's retry of the event
// completes the uninstall. A second event keeps the first one's time, so
// tokens_revoked followed by app_uninstalled does not push the deletion back.
func Uninstall(ctx context.Context, store Store, team TeamID, now time.Time, retention time.Duration) error {
	in, err := store.Installation(ctx, team)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		in = Installation{Team: team, InstalledAt: now} // a SLACK_BOT_TOKEN workspace
	case err != nil:
		return err
	}
	if in.Uninstalled.IsZero() {
		in.Uninstalled = now
	}
	in.Token = nil
	at := in.Uninstalled.Add(retention)
	if err := store.PutJobs(ctx, Job{Kind: PurgeJob, ID: string(team), Slot: at, Due: at}); err != nil {
		return err
	}
	return store.PutInstallation(ctx, in)
}
