package bolt

import (
	"bytes"
	"errors"

	"github.com/kith-bot/kith/reminders"
)

// space is the one-byte prefix that keeps each kind of record apart inside
// an owner's range of keys. One range with prefixed keys, rather than a
// bucket per kind, keeps a small owner's data on a page or two: a write
// dirties fewer pages.
type space byte

// The spaces of an owner's range. Every write to the data spaces goes
// through ownerTx.put and ownerTx.del so that undo sees it; request keys and
// the undo record itself are written directly.
const (
	spaceSettings     space = 's' // s -> Settings JSON
	spaceContacts     space = 'c' // c recordID(id) -> Contact (record.go)
	spaceNames        space = 'n' // n NameKey -> recordID(id), name, mention (names.go)
	spaceInteractions space = 'i' // i recordID(contact id), timeKey(At), recordID(id) -> Interaction
	spaceActivity     space = 'a' // schema 6 only: a timeKey(Logged), idKey(id) -> kept, kind
	spacePromises     space = 'p' // p recordID(contact id), recordID(id) -> Promise
	spaceKeys         space = 'k' // k request key -> timeKey(seen)
	spaceUndo         space = 'u' // u -> undoRecord
	spaceSequence     space = 'q' // q -> the last record id handed out
)

// key builds a key in the space from its parts.
func (sp space) key(parts ...[]byte) []byte {
	return join(append([][]byte{{byte(sp)}}, parts...)...)
}

// errReadOnly reports a write attempted inside View.
var errReadOnly = errors.New("write in a read-only transaction")

// ownerTx is one owner's data inside a bbolt transaction. A new one is made
// for every run of an Update function, so nothing carries over between runs.
type ownerTx struct {
	owner     reminders.OwnerID
	b         *ownerRange // nil in a View of an owner without data
	writable  bool
	recording bool                // keep before-images for undo
	touched   map[string]struct{} // keys written so far
	track     int8                // without recording: 0 unknown, 1 an undo record exists, -1 none
	entries   []undoEntry         // before-images, when recording
	undone    bool                // Undo ran in this transaction
}

var _ reminders.OwnerTx = (*ownerTx)(nil)

// Owner is the owner this transaction is scoped to.
func (t *ownerTx) Owner() reminders.OwnerID { return t.owner }

func (t *ownerTx) mustWrite() error {
	if !t.writable {
		return reminders.Internal(errReadOnly)
	}
	return nil
}

// get reads a key; nil when absent. The value is valid only in the transaction.
func (t *ownerTx) get(k []byte) []byte {
	if t.b == nil {
		return nil
	}
	return t.b.Get(k)
}

// put writes a key, recording its before-image.
func (t *ownerTx) put(k, v []byte) error {
	if err := t.mustWrite(); err != nil {
		return err
	}
	t.remember(k)
	return reminders.Internal(t.b.Put(k, v))
}

// del removes a key, recording its before-image.
func (t *ownerTx) del(k []byte) error {
	if err := t.mustWrite(); err != nil {
		return err
	}
	if t.b.Get(k) == nil {
		return nil
	}
	t.remember(k)
	return reminders.Internal(t.b.Delete(k))
}

// scan calls fn for every key with the prefix, in key order.
func (t *ownerTx) scan(prefix []byte, fn func(k, v []byte) error) error {
	if t.b == nil {
		return nil
	}
	c := t.b.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

// nextID hands out the owner's next record id. One sequence serves every
// kind; it lives among the owner's keys, so a rolled-back run hands the id out again.
func (t *ownerTx) nextID() (uint64, error) {
	if err := t.mustWrite(); err != nil {
		return 0, err
	}
	id, err := t.b.NextSequence()
	return id, reminders.Internal(err)
}

// Settings returns the owner's settings; zero when none are stored.
func (t *ownerTx) Settings() (reminders.Settings, error) {
	var s reminders.Settings
	if v := t.get(spaceSettings.key()); v != nil {
		return s, decode(v, &s)
	}
	return s, nil
}

// PutSettings stores the owner's settings and, when they plan the digest
// differently, marks it for planning at the next start (PendingPlans), in
// the same transaction: a crash before the scheduler hears of the change
// cannot lose it.
func (t *ownerTx) PutSettings(s reminders.Settings) error {
	v, err := encode(s)
	if err != nil {
		return err
	}
	old, err := t.Settings()
	if err != nil {
		return err
	}
	if err := t.put(spaceSettings.key(), v); err != nil {
		return err
	}
	if old.SamePlan(s) {
		return nil
	}
	return reminders.Internal(markPlan(t.b.Tx(), t.owner))
}
