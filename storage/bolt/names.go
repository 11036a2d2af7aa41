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
// A value is recordID(id), the name, then the mention (the rest of the
// value). A name is most often its key, the NameKey, with a few letters in
// upper case, so when that rebuilds it exactly it is written as those
// letters' offsets: a uvarint 2n+1, then n uvarints, each offset from the
// one before. Otherwise it is a uvarint 2×length, then its bytes. Schema 2
// to 6 wrote idKey(id), the length and the name (nameEntry6).

// nameKey is the name index key of a contact name.
func nameKey(name string) []byte { return spaceNames.key([]byte(reminders.NameKey(name))) }

// nameEntry is the name index value of a contact.
func nameEntry(c *reminders.Contact) []byte {
	v := append(make([]byte, 0, 9+binary.MaxVarintLen64+len(c.Name)+len(c.Mention)), recordID(c.ID)...)
	if caps, ok := capitals(reminders.NameKey(c.Name), c.Name); ok {
		v = binary.AppendUvarint(v, uint64(2*len(caps)+1))
		last := 0
		for _, at := range caps {
			v = binary.AppendUvarint(v, uint64(at-last))
			last = at
		}
	} else {
		v = binary.AppendUvarint(v, uint64(2*len(c.Name)))
		v = append(v, c.Name...)
	}
	return append(v, c.Mention...)
}

// capitals returns the offsets of the ASCII letters that differ in case
// between key and name; false when anything else differs.
func capitals(key, name string) ([]int, bool) {
	if len(key) != len(name) {
		return nil, false
	}
	var at []int
	for i := 0; i < len(key); i++ {
		switch {
		case key[i] == name[i]:
		case key[i] >= 'a' && key[i] <= 'z' && name[i] == key[i]-'a'+'A':
			at = append(at, i)
		default:
			return nil, false
		}
	}
	return at, true
}

// errNameEntry reports a name index value that is not in this schema's form.
var errNameEntry = errors.New("malformed name index entry")

// parseNameEntry splits a name index value into the contact's id, name and
// mention, given its owner-relative key. The mention points into v; the
// name too when it was written whole, else it is rebuilt into a new slice.
func parseNameEntry(k, v []byte) (id uint64, name, mention []byte, err error) {
	id, rest, ok := parseRecordID(v)
	if !ok || len(k) == 0 {
		return 0, nil, nil, reminders.Internal(errNameEntry)
	}
	h, w := binary.Uvarint(rest)
	rest = rest[max(w, 0):]
	if w <= 0 {
		return 0, nil, nil, reminders.Internal(errNameEntry)
	}
	if h%2 == 0 {
		if h/2 > uint64(len(rest)) {
			return 0, nil, nil, reminders.Internal(errNameEntry)
		}
		return id, rest[:h/2], rest[h/2:], nil
	}
	key := k[1:]
	if h/2 > uint64(len(key)) {
		return 0, nil, nil, reminders.Internal(errNameEntry)
	}
	name = clone(key)
	at := uint64(0)
	for range h / 2 {
		d, w := binary.Uvarint(rest)
		rest = rest[max(w, 0):]
		if at += d; w <= 0 || at >= uint64(len(name)) || name[at] < 'a' || name[at] > 'z' {
			return 0, nil, nil, reminders.Internal(errNameEntry)
		}
		name[at] -= 'a' - 'A'
	}
	return id, name, rest, nil
}

// nameEntryID is the id a name index value points at; 0 if it is malformed,
// which no contact's id is.
func nameEntryID(v []byte) uint64 {
	id, _, ok := parseRecordID(v)
	if !ok {
		return 0
	}
	return id
}

// nameEntry6 is a name index value as schema 2 to 6 wrote it, with idKey(id)
// first; the migrations before schema 7 write it.
func nameEntry6(c *reminders.Contact) []byte {
	v := make([]byte, 8, 8+binary.MaxVarintLen64+len(c.Name)+len(c.Mention))
	binary.BigEndian.PutUint64(v, c.ID)
	v = binary.AppendUvarint(v, uint64(len(c.Name)))
	v = append(v, c.Name...)
	return append(v, c.Mention...)
}

// Names appends to dst every contact, in the order of Contacts, with only
// ID, Name and Mention set, read from the name index alone.
func (t *ownerTx) Names(dst []reminders.Contact) ([]reminders.Contact, error) {
	// A first pass sizes dst and one string that holds every name and
	// mention, rather than growing dst and allocating each name on its own.
	n, size := 0, 0
	_ = t.scan(spaceNames.key(), func(k, v []byte) error { n, size = n+1, size+len(k)+len(v); return nil })
	if n == 0 {
		return dst, nil
	}
	dst = slices.Grow(dst, n)
	var text strings.Builder // append-only: the strings taken from it stay valid
	text.Grow(size)
	// Index keys are NameKeys, unique per owner, so key order is Contacts' order.
	err := t.scan(spaceNames.key(), func(k, v []byte) error {
		id, name, mention, err := parseNameEntry(k, v)
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
