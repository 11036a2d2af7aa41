//go:build !unix

package slack_test

import "time"

// cpuTime is unknown here; the benchmark then reports no CPU use.
func cpuTime() (user, system time.Duration) { return 0, 0 }
