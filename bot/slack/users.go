package slack

import (
	"context"
	"sync"
	"time"

	"github.com/slack-go/slack"
)

// How long users.info answers are trusted. Admin rights gate the team
// summary, so they are re-read soon; name and zone change rarely.
const (
	adminTTL    = time.Minute
	profileTTL  = time.Hour
	maxUserSeen = 10000 // bounds the cache; past it the cache starts afresh
)

// userInfo is what kith needs from users.info.
type userInfo struct {
	Admin    bool
	TimeZone string
	Name     string
	fetched  time.Time
	failed   bool // users.info failed; the empty answer is kept briefly
}

// userCache remembers users.info answers so a command costs no extra call.
type userCache struct {
	mu sync.Mutex
	m  map[string]userInfo
}

func newUserCache() *userCache { return &userCache{m: map[string]userInfo{}} }

// user returns the user's profile, calling users.info when the cached answer
// is older than maxAge. A failure leaves the fields empty (Admin false): the
// command still runs, and a team command is refused rather than allowed.
func (a *Adapter) user(ctx context.Context, team, id string, maxAge time.Duration) userInfo {
	key := team + ":" + id
	now := a.cfg.Now()
	a.users.mu.Lock()
	u, ok := a.users.m[key]
	a.users.mu.Unlock()
	if u.failed {
		maxAge = min(maxAge, adminTTL) // try again soon after a failure
	}
	if ok && now.Sub(u.fetched) < maxAge && now.Sub(u.fetched) >= 0 {
		return u
	}
	var su *slack.User
	api, err := a.client(ctx, team)
	if err == nil {
		su, err = api.GetUserInfoContext(ctx, id)
	}
	if err != nil {
		a.log.Warn("slack: users.info failed", "user", id, "err", err)
		u = userInfo{failed: true, fetched: now}
	} else {
		u = userInfo{Admin: su.IsAdmin || su.IsOwner, TimeZone: su.TZ, Name: displayName(su), fetched: now}
	}
	a.users.mu.Lock()
	if len(a.users.m) >= maxUserSeen {
		a.users.m = map[string]userInfo{}
	}
	a.users.m[key] = u
	a.users.mu.Unlock()
	return u
}

// displayName is the name Slack shows for a user.
func displayName(u *slack.User) string {
	for _, n := range []string{u.Profile.DisplayName, u.Profile.RealName, u.RealName, u.Name} {
		if n != "" {
			return n
		}
	}
	return u.ID
}

// seenSet remembers ids for a while, so one shared file that Slack reports
// twice (a message event and a file_shared event) is imported once.
type seenSet struct {
	mu  sync.Mutex
	ttl time.Duration
	m   map[string]time.Time
}

func newSeenSet(ttl time.Duration) *seenSet { return &seenSet{ttl: ttl, m: map[string]time.Time{}} }

// first records id and reports whether it was not seen within the ttl.
func (s *seenSet) first(id string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.m[id]; ok && now.Sub(t) < s.ttl {
		return false
	}
	if len(s.m) > 1000 {
		for k, t := range s.m {
			if now.Sub(t) >= s.ttl {
				delete(s.m, k)
			}
		}
	}
	s.m[id] = now
	return true
}
