package transfer

import (
	"fmt"
	"strings"

	"github.com/kith-bot/kith/reminders"
)

// Limits on what Import accepts. A LinkedIn export of a very well connected
// person is about 30k rows and 3 MiB; the limits keep one import from holding
// the database's single writer for long or filling the disk.
const (
	MaxImportBytes    = 10 << 20 // 10 MiB
	MaxImportContacts = 20000
)

// TooLarge is the error for a file over MaxImportBytes, named as the user
// knows it ("" for none): the one sentence every way in (a command, a form,
// kith import) gives.
func TooLarge(name string) error {
	if name != "" {
		name = " (" + name + ")"
	}
	return reminders.Errorf(reminders.EINVALID, "that file%s is larger than %d MiB; split it into smaller files and import each.", name, MaxImportBytes>>20)
}

// Report says what an import did.
type Report struct {
	Added   int      // new contacts
	Merged  int      // rows that matched an existing contact and brought something new to it
	Skipped int      // rows not imported; Reasons says why
	Reasons []string // one line per skipped row: "row 7: no name"
	// Unchanged counts the rows that matched an existing contact but filled
	// no field and added no history, so a second import says "already up to
	// date" rather than "merged".
	Unchanged int
	// SettingsImported is true when a kith export's settings were copied to an
	// owner who had none, so the caller knows to reschedule the digest.
	SettingsImported bool
}

// String summarises the report in one line, the wording of every import
// reply: "12 added, 3 merged, 1 skipped; 1 was already up to date".
func (r Report) String() string {
	s := fmt.Sprintf("%d added, %d merged, %d skipped", r.Added, r.Merged, r.Skipped)
	switch {
	case r.Unchanged == 1:
		s += "; 1 was already up to date"
	case r.Unchanged > 1:
		s += fmt.Sprintf("; %d were already up to date", r.Unchanged)
	}
	return s
}

// errNotImportable is the one sentence for a file of no known format.
func errNotImportable() error {
	return reminders.Errorf(reminders.EINVALID,
		"that file is not a LinkedIn Connections.csv, a vCard or a kith export; send one of those, e.g. Connections.csv from LinkedIn's \"Get a copy of your data\".")
}

// plural writes "1 contact" or "3 contacts".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// clean trims a field and collapses runs of white space, for single-line fields.
func clean(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
