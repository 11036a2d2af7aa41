package reminders

import (
	"context"
	"fmt"
	"strings"
)

// Record is one item of a whole store, in a form no engine owns: what
// `kith migrate` and a Postgres backup stream from one store into another.
// Owner-scoped items carry Owner; exactly one of the other fields is set,
// except in the record that opens an owner's items, which sets only Owner
// and Sequence.
type Record struct {
	Owner        OwnerID
	Sequence     uint64 // the owner's last handed-out record id, so new ids never reuse old ones
	Settings     *Settings
	Contact      *Contact
	Interaction  *Interaction
	Promise      *Promise
	Member       TeamID // with Owner: the owner uses kith in this team
	Team         *Team
	Installation *Installation // its token stays sealed: the copy needs the same KITH_SECRET_KEY
	Job          *Job
}

// Counts are what a copy is checked by: the same in source and target.
type Counts struct {
	Owners, Contacts, Interactions, Promises, Jobs, Teams, Installations int64
}

// String lists the counts for people: "1 owner, 2 contacts, ...".
func (c Counts) String() string {
	n := func(v int64, word string) string {
		if v != 1 {
			word += "s"
		}
		return fmt.Sprintf("%d %s", v, word)
	}
	return strings.Join([]string{n(c.Owners, "owner"), n(c.Contacts, "contact"), n(c.Interactions, "interaction"),
		n(c.Promises, "promise"), n(c.Jobs, "job"), n(c.Teams, "team"), n(c.Installations, "installation")}, ", ")
}

// Add counts one record.
func (c *Counts) Add(r Record) {
	switch {
	case r.Contact != nil:
		c.Contacts++
	case r.Interaction != nil:
		c.Interactions++
	case r.Promise != nil:
		c.Promises++
	case r.Team != nil:
		c.Teams++
	case r.Job != nil:
		c.Jobs++
	case r.Installation != nil:
		c.Installations++
	case r.Owner != "" && r.Settings == nil && r.Member == "" && r.Installation == nil:
		c.Owners++
	}
}

// Copier is a Store that can stream everything it holds and fill itself
// from such a stream; both stores implement it.
type Copier interface {
	// Dump calls fn with every record, read from one consistent snapshot,
	// each owner's records after the record that opens them. It streams:
	// its memory does not grow with the size of the store.
	Dump(ctx context.Context, fn func(Record) error) error
	// Load fills the store with the records produce passes to put,
	// committing in batches as they come; ECONFLICT when the store is not
	// empty. Request keys and undo records are not part of a copy.
	Load(ctx context.Context, produce func(put func(Record) error) error) error
	// Counts counts what the store holds.
	Counts(ctx context.Context) (Counts, error)
}
