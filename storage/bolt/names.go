package bolt

import (
	"encoding/binary"
	"errors"
	"slices"
	"strings"

	"github.com/kith-bot/kith/reminders"
)

// The name index maps a contact's NameKey to what resolving a typed name
// needs: the id, the display name and the mention. Commands resolve names
// inside the group commit, where decoding every full contact would be paid
// by every writer of the batch; a scan of these small values is not.
//
// A value is idKey(id), the name's length as a uvarint, the name, then the
// mention (the rest of the value).

// nameKey is the name index key of a contact name.
func nameKey(name string) []byte { return spaceNames.key([]byte(reminders.NameKey(name))) }

// nameEntry is the name index value of a contact.
func nameEntry(c *reminders.Contact) []byte {
	v := make([]byte, 8, 8+binary.MaxVarintLen64+len(c.Name)+len(c.Mention))
	binary.BigEndian.PutUint64(v, c.ID)
	v = binary.AppendUvarint(v, uint64(len(c.Name)))
	v = append(v, c.Name...)
	return append(v, c.Mention...)
}

// errNameEntry reports a name index value that is not in this schema's form.
var errNameEntry = errors.New("malformed name index entry")

// parseNameEntry splits a name index value into the contact's id, name and
// mention; name and mention point into v.
func parseNameEntry(v []byte) (id uint64, name, mention []byte, err error) {
	if len(v) < 9 {
		return 0, nil, nil, reminders.Internal(errNameEntry)
	}
	n, w := binary.Uvarint(v[8:])
	rest := v[8+max(w, 0):]
	if w <= 0 || n > uint64(len(rest)) {
		return 0, nil, nil, reminders.Internal(errNameEntry)
	}
	return parseID(v), rest[:n], rest[n:], nil
}

// Names appends to dst every contact, in the order of Contacts, with only
// ID, Name and Mention set, read from the name index alone.
func (t *ownerTx) Names(dst []reminders.Contact) ([]reminders.Contact, error) {
	// A first pass sizes dst and one string that holds every name and
	// mention, rather than growing dst and allocating each name on its own.
	n, size := 0, 0
	_ = t.scan(spaceNames.key(), func(_, v []byte) error { n, size = n+1, size+len(v); return nil })
	if n == 0 {
		return dst, nil
	}
	dst = slices.Grow(dst, n)
	var text strings.Builder // append-only: the strings taken from it stay valid
	text.Grow(size)
	// Index keys are NameKeys, unique per owner, so key order is Contacts' order.
	err := t.scan(spaceNames.key(), func(_, v []byte) error {
		id, name, mention, err := parseNameEntry(v)
		if err != nil {
			return err
		}
		at := text.Len()
		text.Write(name)
		text.Write(mention)
		all := text.String()
		dst = append(dst, reminders.Contact{ID: id, Name: all[at : at+len(name)], Mention: all[at+len(name):]})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return dst, nil
}
