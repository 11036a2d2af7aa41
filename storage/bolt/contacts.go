package bolt

import (
	"bytes"
	"cmp"
	"slices"

	"github.com/kith-bot/kith/reminders"
)

// errNoContact is the sentence for an unknown contact id; the id may belong
// to another owner, so the message says nothing more.
func errNoContact() error {
	return reminders.Errorf(reminders.ENOTFOUND, "That contact does not exist (it may have been removed).")
}

// Contacts returns every contact, ordered by name.
func (t *ownerTx) Contacts() ([]reminders.Contact, error) {
	var out []reminders.Contact
	err := t.scan(spaceContacts.key(), func(_, v []byte) error {
		var c reminders.Contact
		if err := decodeContact(v, &c); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	slices.SortFunc(out, func(a, b reminders.Contact) int {
		return cmp.Or(cmp.Compare(reminders.NameKey(a.Name), reminders.NameKey(b.Name)), cmp.Compare(a.ID, b.ID))
	})
	return out, err
}

// contactKey is the key of a contact's record.
func contactKey(id uint64) []byte { return spaceContacts.key(recordID(id)) }

// Contact returns one contact; ENOTFOUND when the owner has none with that id.
func (t *ownerTx) Contact(id uint64) (reminders.Contact, error) {
	var c reminders.Contact
	v := t.get(contactKey(id))
	if v == nil {
		return c, errNoContact()
	}
	return c, decodeContact(v, &c)
}

// ContactByName returns the contact with that name in any case; ENOTFOUND otherwise.
func (t *ownerTx) ContactByName(name string) (reminders.Contact, error) {
	if v := t.get(nameKey(name)); v != nil {
		return t.Contact(nameEntryID(v))
	}
	return reminders.Contact{}, reminders.Errorf(reminders.ENOTFOUND, "You have no contact named %q.", name)
}

// PutContact creates (ID 0) or replaces a contact, keeping the name index in
// the same transaction.
func (t *ownerTx) PutContact(c *reminders.Contact) error {
	if err := t.mustWrite(); err != nil {
		return err
	}
	if err := reminders.CheckName(c.Name); err != nil {
		return err
	}
	newKey := nameKey(c.Name)
	entry := t.get(newKey)
	if entry != nil && nameEntryID(entry) != c.ID {
		return reminders.Errorf(reminders.ECONFLICT, "You already have a contact named %q; pick another name or edit that contact.", c.Name)
	}
	// The name index points at this contact only when its name is unchanged;
	// otherwise read the old name (the common write, logging an interaction,
	// skips this decode).
	var oldKey []byte
	if c.ID != 0 && entry == nil {
		old, err := t.Contact(c.ID)
		if err != nil {
			return err
		}
		oldKey = nameKey(old.Name)
	}
	if c.ID == 0 {
		id, err := t.nextID()
		if err != nil {
			return err
		}
		c.ID = id
	}
	// Most writes keep the name and mention: leaving the entry alone keeps
	// it out of the undo record too. Compared now, while entry is certainly
	// valid: the puts below may move the page it points into.
	newEntry := nameEntry(c)
	same := bytes.Equal(entry, newEntry)
	if err := t.put(contactKey(c.ID), encodeContact(c)); err != nil {
		return err
	}
	if oldKey != nil && string(oldKey) != string(newKey) {
		if err := t.del(oldKey); err != nil {
			return err
		}
	}
	if same {
		return nil
	}
	return t.put(newKey, newEntry)
}

// DeleteContact removes a contact, its name, history and promises.
func (t *ownerTx) DeleteContact(id uint64) error {
	if err := t.mustWrite(); err != nil {
		return err
	}
	c, err := t.Contact(id)
	if err != nil {
		return err
	}
	history, err := t.History(id, 0)
	if err != nil {
		return err
	}
	for _, i := range history {
		if err := t.del(interactionKey(i)); err != nil {
			return err
		}
	}
	promises, err := t.Promises(id)
	if err != nil {
		return err
	}
	for _, p := range promises {
		if err := t.del(promiseKey(p)); err != nil {
			return err
		}
	}
	if err := t.del(nameKey(c.Name)); err != nil {
		return err
	}
	return t.del(contactKey(id))
}
