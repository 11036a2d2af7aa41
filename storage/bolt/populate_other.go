//go:build !linux

package bolt

// populate is not available here: pages are faulted in as they are read.
const populate = 0
