package transfer

import (
	"context"
	"path/filepath"
	"time"
	"unicode/utf8"

	"github.com/kith-bot/kith/reminders"
)

// Import reads a LinkedIn Connections.csv, a vCard file or a kith JSON export
// (detected by content) into the owner's contacts. It writes everything in
// one transaction, undoable as one change, or nothing: a file it cannot read
// gets an EINVALID error and changes nothing. Rows it cannot import are
// skipped and listed in the report.
func Import(ctx context.Context, store reminders.Store, owner reminders.OwnerID, fileName string, data []byte, now time.Time) (Report, error) {
	if _, err := reminders.ParseOwnerID(string(owner)); err != nil {
		return Report{}, err
	}
	p, err := parse(data, now)
	if err != nil {
		return Report{}, err
	}
	// Plan first, read-only, so the undo record can say what the import was
	// and a file that brings nothing new writes nothing.
	var plan Report
	err = store.View(ctx, owner, func(tx reminders.OwnerTx) error {
		m, err := match(ctx, tx, p, now)
		if err != nil {
			return err
		}
		plan = m.report
		return nil
	})
	if err != nil {
		return Report{}, reminders.Internal(err)
	}
	if plan.Added == 0 && plan.Merged == 0 && !plan.SettingsImported {
		return plan, nil
	}
	var rep Report
	change := reminders.Change{Undo: undoLabel(plan, fileName), Now: now}
	err = store.Update(ctx, owner, change, func(tx reminders.OwnerTx) error {
		m, err := match(ctx, tx, p, now)
		if err != nil {
			return err
		}
		rep = m.report
		return m.flush()
	})
	if err != nil {
		return Report{}, reminders.Internal(err)
	}
	return rep, nil
}

// match runs every record of a file through a new matcher.
func match(ctx context.Context, tx reminders.OwnerTx, p parsed, now time.Time) (*matcher, error) {
	m, err := newMatcher(tx, now)
	if err != nil {
		return nil, err
	}
	for n, rec := range p.records {
		if n%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if err := m.take(rec); err != nil {
			return nil, err
		}
	}
	return m, m.takeSettings(p.settings)
}

// maxLabelName bounds the file name shown in the undo label.
const maxLabelName = 60

// undoLabel says what undo will reverse: "import of 120 contacts from Connections.csv".
func undoLabel(r Report, fileName string) string {
	label := "import of " + plural(r.Added+r.Merged, "contact")
	name := clean(filepath.Base(fileName))
	if name == "." || name == "/" || name == "" {
		return label
	}
	if utf8.RuneCountInString(name) > maxLabelName {
		name = string([]rune(name)[:maxLabelName]) + "…"
	}
	return label + " from " + name
}
