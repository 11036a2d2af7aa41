//go:build !linux

package bolt

// populateFlags maps nothing ahead here: pages are faulted in as they are read.
func populateFlags(string) int { return 0 }
