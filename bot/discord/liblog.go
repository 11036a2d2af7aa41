package discord

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"sync"
	"sync/atomic"

	"github.com/bwmarrin/discordgo"
)

// urlPattern finds URLs in discordgo's own log lines: interaction and
// webhook URLs carry the interaction's token, which must not reach the logs.
var urlPattern = regexp.MustCompile(`(?i)\b(?:https?|wss?)://\S+`)

// libLog is where discordgo's lines go once RouteLibraryLogs was called.
var (
	libLog     atomic.Pointer[slog.Logger]
	libLogOnce sync.Once
)

// RouteLibraryLogs sends discordgo's own log lines (gateway reconnects,
// heartbeat failures) to l as structured records, with URLs removed, instead
// of the standard logger. discordgo keeps its logger in a package variable,
// which is set once; later calls only change where the lines go.
func RouteLibraryLogs(l *slog.Logger) {
	libLog.Store(l)
	libLogOnce.Do(func() { discordgo.Logger = logLibraryLine })
}

// logLibraryLine is discordgo's Logger.
func logLibraryLine(level, _ int, format string, a ...any) {
	lv := slog.LevelDebug
	switch level {
	case discordgo.LogError:
		lv = slog.LevelError
	case discordgo.LogWarning:
		lv = slog.LevelWarn
	case discordgo.LogInformational:
		lv = slog.LevelInfo
	}
	msg := urlPattern.ReplaceAllString(fmt.Sprintf(format, a...), "<url>")
	libLog.Load().Log(context.Background(), lv, "discordgo: "+msg)
}
