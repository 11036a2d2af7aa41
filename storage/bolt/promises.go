package bolt

import (
	"cmp"
	"slices"

	"github.com/kith-bot/kith/reminders"
)

// promiseKey groups promises by contact, so a contact's promises are one
// prefix scan and DeleteContact finds them without a full scan.
func promiseKey(p reminders.Promise) []byte {
	return spacePromises.key(recordID(p.ContactID), recordID(p.ID))
}

// Promises returns a contact's promises, oldest first; contactID 0 means all.
func (t *ownerTx) Promises(contactID uint64) ([]reminders.Promise, error) {
	prefix := spacePromises.key()
	if contactID != 0 {
		prefix = spacePromises.key(recordID(contactID))
	}
	var out []reminders.Promise
	err := t.scan(prefix, func(_, v []byte) error {
		var p reminders.Promise
		if err := decodePromise(v, &p); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	slices.SortStableFunc(out, func(a, b reminders.Promise) int {
		return cmp.Or(a.Created.Compare(b.Created), cmp.Compare(a.ID, b.ID))
	})
	return out, err
}

// PutPromise creates (ID 0) or replaces a promise on one of the owner's contacts.
func (t *ownerTx) PutPromise(p *reminders.Promise) error {
	if err := t.mustWrite(); err != nil {
		return err
	}
	if t.get(contactKey(p.ContactID)) == nil {
		return errNoContact()
	}
	if p.ID == 0 {
		id, err := t.nextID()
		if err != nil {
			return err
		}
		p.ID = id
	} else if t.get(promiseKey(*p)) == nil {
		return reminders.Errorf(reminders.ENOTFOUND, "That promise does not exist (it may have been removed).")
	}
	return t.put(promiseKey(*p), encodePromise(p))
}
