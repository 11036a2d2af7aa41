package slack

import (
	"context"
	"time"
)

// SetHomeInterval changes how often an owner's Home tab may be redrawn after
// changes, so tests of the pacing need not wait two seconds.
func SetHomeInterval(a *Adapter, d time.Duration) {
	a.home.mu.Lock()
	defer a.home.mu.Unlock()
	a.home.every = d
}

// ClientFor resolves the Web API client of a workspace, as every call does.
func ClientFor(a *Adapter, team string) error {
	_, err := a.client(context.Background(), team)
	return err
}

// Forget drops the cached client of a workspace.
func Forget(a *Adapter, team string) { a.forget(team) }

// Seal seals a token for a team as an installation stores it.
func Seal(k *Key, token, team string) []byte { return k.seal([]byte(token), team) }

// BucketKey names the pace bucket of a Web API request.
var BucketKey = bucketKey
