package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/transfer"
)

// importOptions are the flags and arguments of kith import.
type importOptions struct {
	owner string
	file  string
}

var importCommand = &command{
	name:     "import",
	synopsis: "kith import --owner OWNER FILE",
	summary:  "import a LinkedIn Connections.csv, a vCard file or a kith export for one owner",
	help: `Imports contacts for one owner from a LinkedIn Connections.csv, a vCard
file or a kith JSON export, merging with contacts already there, and reports
what was added, merged and skipped. OWNER is slack:<team>:<user>,
discord:<user> or console:<user>. The server must be stopped: the database
is one file that one process holds at a time.`,
	envs:  []string{"KITH_DB", "KITH_LOG_LEVEL"},
	quiet: true,
	flags: func(m *Main, fs *flag.FlagSet) {
		fs.StringVar(&m.imp.owner, "owner", "", "whose contacts these are: slack:<team>:<user>, discord:<user> or console:<user>")
	},
	args: func(m *Main, args []string) error {
		if m.imp.owner == "" {
			return usageErrorf("kith import needs --owner, e.g. kith import --owner console:me Connections.csv.")
		}
		if _, err := reminders.ParseOwnerID(m.imp.owner); err != nil {
			return usageErrorf("%s", userMessage(err))
		}
		if len(args) != 1 {
			return usageErrorf("kith import needs exactly one FILE, e.g. kith import --owner %s Connections.csv.", m.imp.owner)
		}
		m.imp.file = args[0]
		return nil
	},
	run: (*Main).runImport,
}

// runImport reads the file and merges it into the owner's contacts.
func (m *Main) runImport(ctx context.Context) error {
	data, err := readLimited(m.imp.file, transfer.MaxImportBytes)
	if err != nil {
		return err
	}
	store, err := m.openStore()
	if err != nil {
		return err
	}
	owner := reminders.OwnerID(m.imp.owner)
	rep, err := transfer.Import(ctx, store, owner, filepath.Base(m.imp.file), data, m.Now())
	if err != nil {
		return err
	}
	if rep.SettingsImported {
		// The export carried a digest schedule; register it as the bot
		// would have, or the owner would hear nothing until they next type.
		if err := m.scheduleDigest(ctx, owner); err != nil {
			return err
		}
	}
	fmt.Fprintf(m.Stdout, "Imported %s for %s: %s.\n", m.imp.file, owner, rep)
	for _, r := range rep.Reasons {
		fmt.Fprintf(m.Stdout, "  skipped %s\n", r)
	}
	return nil
}

// scheduleDigest registers an owner's digest from their stored settings.
func (m *Main) scheduleDigest(ctx context.Context, owner reminders.OwnerID) error {
	set, err := reminders.LoadSettings(ctx, m.store, owner)
	if err != nil {
		return err
	}
	sched := reminders.NewScheduler(m.store, nil, reminders.SchedulerOptions{Now: m.Now, Logger: m.logger})
	return sched.ScheduleDigest(ctx, owner, set)
}

// readLimited reads a whole file, refusing one larger than limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, unwrapPathError(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, transfer.TooLarge(path)
	}
	return data, nil
}
