package reminders

import (
	"strings"
)

// Platforms kith serves.
const (
	PlatformSlack   = "slack"
	PlatformDiscord = "discord"
	PlatformConsole = "console"
)

// OwnerID names one chat user who owns contacts: "slack:<team>:<user>",
// "discord:<user>" or "console:<user>". All data is kept per OwnerID.
type OwnerID string

// Owner is an OwnerID taken apart.
type Owner struct {
	Platform string
	Team     string // the Slack workspace; empty on Discord and the console
	User     string
}

// ID returns the owner's stable identifier.
func (o Owner) ID() OwnerID {
	if o.Platform == PlatformSlack {
		return OwnerID(o.Platform + ":" + o.Team + ":" + o.User)
	}
	return OwnerID(o.Platform + ":" + o.User)
}

// ParseOwnerID takes apart an owner id, checking its shape.
func ParseOwnerID(s string) (Owner, error) {
	parts := strings.Split(s, ":")
	bad := Errorf(EINVALID, "%q is not an owner; use slack:<team>:<user>, discord:<user> or console:<user>.", s)
	switch {
	case len(parts) == 3 && parts[0] == PlatformSlack && parts[1] != "" && parts[2] != "":
		return Owner{Platform: PlatformSlack, Team: parts[1], User: parts[2]}, nil
	case len(parts) == 2 && (parts[0] == PlatformDiscord || parts[0] == PlatformConsole) && parts[1] != "":
		return Owner{Platform: parts[0], User: parts[1]}, nil
	}
	return Owner{}, bad
}

// Owner takes apart the id; it assumes the id came from Owner.ID.
func (id OwnerID) Owner() Owner {
	o, _ := ParseOwnerID(string(id))
	return o
}

// TeamID names the group a team summary is for: "slack:<workspace>",
// "discord:<guild>" or "console:local".
type TeamID string

// NewTeamID joins a platform and its team (workspace, guild) into a TeamID.
func NewTeamID(platform, team string) TeamID { return TeamID(platform + ":" + team) }

// Platform returns the platform part of the team id.
func (t TeamID) Platform() string {
	p, _, _ := strings.Cut(string(t), ":")
	return p
}

// Local returns the platform's own id of the team (workspace or guild id).
func (t TeamID) Local() string {
	_, l, _ := strings.Cut(string(t), ":")
	return l
}
