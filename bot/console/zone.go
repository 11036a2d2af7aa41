package console

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// LocalTimeZone returns the machine's IANA time zone name ("Europe/Berlin"),
// or "" when it cannot be told. The console hands it to the bot on first use,
// as Slack hands the zone of a user's profile, so that "yesterday" means the
// user's yesterday without a `settings tz` first.
func LocalTimeZone() string {
	if tz := strings.TrimPrefix(os.Getenv("TZ"), ":"); tz != "" {
		return checked(tz)
	}
	// /etc/localtime is usually a link into the zoneinfo tree; its tail is the name.
	target, err := filepath.EvalSymlinks("/etc/localtime")
	if err != nil {
		return ""
	}
	const marker = "zoneinfo" + string(filepath.Separator)
	i := strings.LastIndex(target, marker)
	if i < 0 {
		return ""
	}
	return checked(target[i+len(marker):])
}

// checked returns name when it is a loadable zone other than Local, else "".
func checked(name string) string {
	if name == "" || name == "Local" || strings.HasPrefix(name, "/") {
		return ""
	}
	if _, err := time.LoadLocation(name); err != nil {
		return ""
	}
	return name
}
