package slack

import "time"

// SetHomeInterval changes how often an owner's Home tab may be redrawn after
// changes, so tests of the pacing need not wait two seconds.
func SetHomeInterval(a *Adapter, d time.Duration) {
	a.home.mu.Lock()
	defer a.home.mu.Unlock()
	a.home.every = d
}
