package bot

import (
	"slices"
	"strings"
	"sync"

	"github.com/kith-bot/kith/reminders"
)

//go:generate go run zones_gen.go

// commonZones are offered before anything is typed, so the list that first
// opens holds the zones most people pick rather than Africa/Abidjan onwards.
var commonZones = []string{
	"UTC", "Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Stockholm",
	"Europe/Warsaw", "Europe/Istanbul", "America/New_York", "America/Chicago", "America/Denver",
	"America/Los_Angeles", "America/Toronto", "America/Sao_Paulo", "America/Mexico_City",
	"Asia/Kolkata", "Asia/Dubai", "Asia/Singapore", "Asia/Shanghai", "Asia/Tokyo",
	"Australia/Sydney", "Pacific/Auckland", "Africa/Lagos", "Africa/Johannesburg", "Africa/Cairo",
}

// zoneKey is how a zone name and what was typed are compared: lower case,
// with spaces for underscores, so "new york" finds America/New_York.
func zoneKey(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), "_", " "))
}

// zoneKeys are the zoneKey of each of zoneNames, worked out once rather
// than on every keystroke.
var zoneKeys = sync.OnceValue(func() []string {
	keys := make([]string, len(zoneNames))
	for i, z := range zoneNames {
		keys[i] = zoneKey(z)
	}
	return keys
})

// CompleteZone suggests IANA time zone names for what was typed, at most
// MaxCompletions: names that start with it first (europe/be), then zones
// whose city starts with it (berlin), then zones with any later word that
// does (york, argentina). A valid zone typed in full comes first even when
// it is an alias left out of the list (US/Eastern).
func CompleteZone(typed string) []string {
	key := zoneKey(typed)
	if key == "" {
		return slices.Clone(commonZones)
	}
	var full, city, word []string
	for i, zk := range zoneKeys() {
		z := zoneNames[i]
		if strings.HasPrefix(zk, key) {
			full = append(full, z)
			continue
		}
		_, place, _ := strings.Cut(zk, "/")
		last := place[strings.LastIndexByte(place, '/')+1:]
		switch {
		case strings.HasPrefix(last, key):
			city = append(city, z)
		case wordStarts(place, key):
			word = append(word, z)
		}
	}
	out := slices.Concat(full, city, word)
	if t := strings.TrimSpace(typed); !slices.Contains(out, t) && reminders.CheckTimeZone(t) == nil {
		out = append([]string{t}, out...)
	}
	return out[:min(len(out), MaxCompletions)]
}

// wordStarts reports whether a word of s (split at spaces, slashes and
// hyphens) starts with key.
func wordStarts(s, key string) bool {
	for i := 0; i < len(s); i++ {
		if (i == 0 || s[i-1] == ' ' || s[i-1] == '/' || s[i-1] == '-') && strings.HasPrefix(s[i:], key) {
			return true
		}
	}
	return false
}
