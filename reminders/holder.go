package reminders

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
)

// NewHolder names this process in the Store's leases: its host, its pid
// and a random part, so that two processes (or two holders in one) never
// pass for each other.
func NewHolder() string {
	host, _ := os.Hostname()
	var b [6]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}
