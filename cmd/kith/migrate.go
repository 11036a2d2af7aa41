package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/postgres"
)

// migrateOptions are the arguments of kith migrate.
type migrateOptions struct {
	from, to string
}

var migrateCommand = &command{
	name:     "migrate",
	synopsis: "kith migrate --from SRC --to DST",
	summary:  "copy everything between a bbolt file and Postgres, either way",
	help: `Copies everything (owners, history, settings, teams, installations and the
schedule) from SRC to DST, each a bbolt file or a postgres:// URL. DST must
be empty: a new file, or a Postgres database without kith's data. The copy
streams, so it needs little memory however large the database, and it is
all or nothing: into Postgres in one transaction, into a file through a
temporary file renamed into place. It prints the counts of each kind of
record and checks that DST holds exactly what SRC held. Stop kith first
(on every replica). Request keys and undo records, which expire within
two days, are not copied. Restoring a Postgres backup (a bbolt file) is
kith migrate --from BACKUP --to URL.`,
	envs:  []string{"KITH_LOG_LEVEL"},
	quiet: true,
	flags: func(m *Main, fs *flag.FlagSet) {
		fs.StringVar(&m.mig.from, "from", "", "the database to copy: a bbolt file or a postgres:// URL")
		fs.StringVar(&m.mig.to, "to", "", "the empty database to copy into: a new bbolt file or a postgres:// URL")
	},
	args: func(m *Main, args []string) error {
		if len(args) > 0 {
			return usageErrorf("kith migrate takes no arguments besides --from and --to; got %q.", args[0])
		}
		if m.mig.from == "" || m.mig.to == "" {
			return usageErrorf("kith migrate needs both --from and --to, e.g. kith migrate --from kith.db --to postgres://kith@db/kith.")
		}
		if m.mig.from == m.mig.to || (!postgres.IsURL(m.mig.from) && abs(m.mig.from) == abs(m.mig.to)) {
			return usageErrorf("--from and --to are the same database; copy into another one.")
		}
		return nil
	},
	run: (*Main).runMigrate,
}

// runMigrate copies SRC into DST and checks the counts.
func (m *Main) runMigrate(ctx context.Context) error {
	if !postgres.IsURL(m.mig.from) {
		if _, err := os.Stat(m.mig.from); errors.Is(err, fs.ErrNotExist) {
			return reminders.Errorf(reminders.ENOTFOUND, "there is no database at %s; --from must be an existing kith database.", m.mig.from)
		}
		m.readOnly, m.readAll = true, true
	}
	src, err := m.open(m.mig.from)
	m.readOnly, m.readAll = false, false
	if err != nil {
		return err
	}
	defer src.Close()
	from, ok := src.(reminders.Copier)
	if !ok {
		return fmt.Errorf("%s cannot be copied", displayDB(m.mig.from))
	}
	want, err := from.Counts(ctx)
	if err != nil {
		return err
	}

	// A new file is written beside its final name and renamed into place
	// once complete, so a failed copy leaves no half file to mistake for one.
	target, final := m.mig.to, ""
	if !postgres.IsURL(target) {
		if _, err := os.Stat(target); errors.Is(err, fs.ErrNotExist) {
			final = target
			target = filepath.Join(filepath.Dir(final), "."+filepath.Base(final)+".migrating")
			_ = os.Remove(target)
			defer os.Remove(target)
		}
	}
	dst, err := m.open(target)
	if err != nil {
		return err
	}
	defer dst.Close()
	to, ok := dst.(reminders.Copier)
	if !ok {
		return fmt.Errorf("%s cannot be copied into", displayDB(m.mig.to))
	}

	if have, err := to.Counts(ctx); err != nil {
		return err
	} else if have != (reminders.Counts{}) {
		return reminders.Errorf(reminders.ECONFLICT, "%s already holds kith data (%s); migrate only into an empty database.", displayDB(m.mig.to), have)
	}
	start := time.Now()
	var streamed reminders.Counts
	err = to.Load(ctx, func(put func(reminders.Record) error) error {
		return from.Dump(ctx, func(r reminders.Record) error {
			streamed.Add(r)
			return put(r)
		})
	})
	if err != nil {
		return err
	}
	got, err := to.Counts(ctx)
	if err != nil {
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	if final != "" {
		if err := os.Rename(target, final); err != nil {
			return fmt.Errorf("cannot write %s: %w", final, unwrapPathError(err))
		}
	}
	fmt.Fprintf(m.Stdout, "Copied %s\n  from %s\n  to   %s\n  in %s.\n", got, displayDB(m.mig.from), displayDB(m.mig.to), time.Since(start).Round(time.Millisecond))
	if got != streamed || got != want {
		return fmt.Errorf("the counts differ: the source held %s, the copy streamed %s and the target holds %s; was kith still running on the source?", want, streamed, got)
	}
	fmt.Fprintln(m.Stdout, "The counts match.")
	return nil
}
