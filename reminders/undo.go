package reminders

import "time"

// Each store keeps the before-images of an owner's last undoable change in
// its own form (bbolt: keys; Postgres: rows); what undo says is one.

// NothingToUndo is the error of an undo when no change is recorded.
func NothingToUndo() error { return Errorf(ENOTFOUND, "There is nothing to undo.") }

// Undoable returns nil when the owner's last undoable change, recorded at
// `at` under label, may still be undone at now; otherwise ENOTFOUND with the
// sentence to show.
func Undoable(label string, at, now time.Time) error {
	if now.Sub(at) > UndoWindow {
		return Errorf(ENOTFOUND, "Your last change (%s) was more than %d minutes ago and can no longer be undone.", label, int(UndoWindow.Minutes()))
	}
	return nil
}
