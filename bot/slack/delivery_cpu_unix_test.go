//go:build unix

package slack_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU the process has used so far, user and system.
func cpuTime() (user, system time.Duration) {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}
