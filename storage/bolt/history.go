package bolt

import (
	"bytes"
	"errors"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// interactionKey orders a contact's history by when it happened, so History
// is one backward range scan however the entries were back-dated. The key
// holds the contact's id, when it happened and the interaction's id, so the
// stored value leaves them out (encodeInteraction).
func interactionKey(i reminders.Interaction) []byte {
	return spaceInteractions.key(recordID(i.ContactID), timeKey(i.At), recordID(i.ID))
}

// errInteractionKey reports an interaction key not in this schema's form.
var errInteractionKey = errors.New("malformed interaction key")

// parseInteractionKey reads what interactionKey put in an owner-relative key.
func parseInteractionKey(k []byte) (contactID uint64, at time.Time, id uint64, err error) {
	if len(k) == 0 || space(k[0]) != spaceInteractions {
		return 0, at, 0, reminders.Internal(errInteractionKey)
	}
	contactID, rest, ok := parseRecordID(k[1:])
	if !ok || len(rest) < timeKeyLen {
		return 0, at, 0, reminders.Internal(errInteractionKey)
	}
	at = parseTimeKey(rest)
	id, rest, ok = parseRecordID(rest[timeKeyLen:])
	if !ok || len(rest) != 0 {
		return 0, at, 0, reminders.Internal(errInteractionKey)
	}
	return contactID, at, id, nil
}

// readInteraction decodes an interaction from its owner-relative key and value.
func readInteraction(k, v []byte, i *reminders.Interaction) error {
	contactID, at, id, err := parseInteractionKey(k)
	if err != nil {
		return err
	}
	return decodeInteraction(v, i, contactID, at, id)
}

// AddInteraction stores an interaction of one of the owner's contacts, setting its ID.
func (t *ownerTx) AddInteraction(i *reminders.Interaction) error {
	if err := t.mustWrite(); err != nil {
		return err
	}
	if !i.Kind.Valid() {
		return reminders.Errorf(reminders.EINVALID, "%q is not a kind of interaction; use met, gave, got or note.", i.Kind)
	}
	if t.get(contactKey(i.ContactID)) == nil {
		return errNoContact()
	}
	id, err := t.nextID()
	if err != nil {
		return err
	}
	i.ID = id
	return t.put(interactionKey(*i), encodeInteraction(i))
}

// History returns a contact's interactions, newest by At first; limit <= 0 means all.
func (t *ownerTx) History(contactID uint64, limit int) ([]reminders.Interaction, error) {
	if t.b == nil {
		return nil, nil
	}
	prefix := spaceInteractions.key(recordID(contactID))
	c := t.b.Cursor()
	// Start just past the contact's range and walk back.
	k, _ := c.Seek(after(prefix))
	var v []byte
	if k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	var out []reminders.Interaction
	for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
		var i reminders.Interaction
		if err := readInteraction(k, v, &i); err != nil {
			return nil, err
		}
		out = append(out, i)
		if limit > 0 && len(out) == limit {
			break
		}
	}
	return out, nil
}

// after returns the first key past every key with the prefix. The prefix
// always starts with a space byte below 0xff, so the carry never runs out.
func after(prefix []byte) []byte {
	k := clone(prefix)
	for i := len(k) - 1; i >= 0; i-- {
		if k[i]++; k[i] != 0 {
			return k[:i+1]
		}
	}
	return nil
}

// Activity counts the interactions logged in [from, to). It reads the
// owner's whole history: only team summaries ask, once a period per member,
// and an index by the time logged (schema 6 kept one) cost 45 bytes and a
// write for every interaction, a sixth of the file, to spare that read.
func (t *ownerTx) Activity(from, to time.Time) (reminders.ActivityCounts, error) {
	var counts reminders.ActivityCounts
	err := t.scan(spaceInteractions.key(), func(k, v []byte) error {
		var i reminders.Interaction
		if err := readInteraction(k, v, &i); err != nil {
			return err
		}
		if !i.Logged.Before(from) && i.Logged.Before(to) {
			counts.Count(i)
		}
		return nil
	})
	return counts, err
}
