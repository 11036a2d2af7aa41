package bolt

import (
	"bytes"
	"hash/fnv"
	"time"
)

// KeyRetention is how long a request key is remembered. Platforms retry a
// delivery within minutes and a double click comes within seconds; two days
// also covers a restart in between, while keeping the key set small.
const KeyRetention = 48 * time.Hour

// pruneEvery is how often, in writes with a key, an owner's expired keys are
// swept. An expired key is ignored at once (seenKey checks its age); sweeping
// only reclaims space, so doing it now and then keeps each write to one key
// entry instead of also maintaining a time index.
const pruneEvery = 32

// Request keys are written directly to the owner's range, never through the
// undo recorder: undoing a change must not make its retried delivery apply again.

// seenKey reports whether the owner's request key was recorded within KeyRetention of now.
func seenKey(owner *ownerRange, key string, now time.Time) bool {
	v := owner.Get(spaceKeys.key([]byte(key)))
	return v != nil && bytes.Compare(v, timeKey(now.Add(-KeyRetention))) >= 0
}

// recordKey remembers a request key seen at now and, now and then, sweeps
// the owner's expired keys.
func recordKey(owner *ownerRange, key string, now time.Time) error {
	if err := owner.Put(spaceKeys.key([]byte(key)), timeKey(now)); err != nil {
		return err
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(key))
	if h.Sum32()%pruneEvery != 0 {
		return nil
	}
	return pruneKeys(owner, now)
}

// pruneKeys removes the owner's keys older than KeyRetention. Its cost
// follows the keys of one owner from the last two days, a few hundred at most.
func pruneKeys(owner *ownerRange, now time.Time) error {
	prefix := spaceKeys.key()
	limit := timeKey(now.Add(-KeyRetention))
	var expired [][]byte
	c := owner.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if bytes.Compare(v, limit) < 0 {
			expired = append(expired, clone(k))
		}
	}
	for _, k := range expired {
		if err := owner.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
