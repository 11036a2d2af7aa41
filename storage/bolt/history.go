package bolt

import (
	"bytes"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// interactionKey orders a contact's history by when it happened, so History
// is one backward range scan however the entries were back-dated.
func interactionKey(i reminders.Interaction) []byte {
	return spaceInteractions.key(idKey(i.ContactID), timeKey(i.At), idKey(i.ID))
}

// activityKey orders the owner's interactions by when they were logged, so
// Activity over a period is one range scan.
func activityKey(i reminders.Interaction) []byte {
	return spaceActivity.key(timeKey(i.Logged), idKey(i.ID))
}

// activityValue keeps just what ActivityCounts.Count needs: whether a
// promise was kept, and the kind.
func activityValue(i reminders.Interaction) []byte {
	kept := byte(0)
	if i.PromiseID != 0 {
		kept = 1
	}
	return append([]byte{kept}, i.Kind...)
}

// AddInteraction stores an interaction of one of the owner's contacts and
// its activity entry, setting its ID.
func (t *ownerTx) AddInteraction(i *reminders.Interaction) error {
	if err := t.mustWrite(); err != nil {
		return err
	}
	if !i.Kind.Valid() {
		return reminders.Errorf(reminders.EINVALID, "%q is not a kind of interaction; use met, gave, got or note.", i.Kind)
	}
	if t.get(spaceContacts.key(idKey(i.ContactID))) == nil {
		return errNoContact()
	}
	id, err := t.nextID()
	if err != nil {
		return err
	}
	i.ID = id
	if err := t.put(interactionKey(*i), encodeInteraction(i)); err != nil {
		return err
	}
	if !i.Kind.CountsAsContact() {
		return nil
	}
	return t.put(activityKey(*i), activityValue(*i))
}

// History returns a contact's interactions, newest by At first; limit <= 0 means all.
func (t *ownerTx) History(contactID uint64, limit int) ([]reminders.Interaction, error) {
	if t.b == nil {
		return nil, nil
	}
	prefix := spaceInteractions.key(idKey(contactID))
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
		if err := decodeInteraction(v, &i); err != nil {
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

// Activity counts the interactions logged in [from, to).
func (t *ownerTx) Activity(from, to time.Time) (reminders.ActivityCounts, error) {
	var counts reminders.ActivityCounts
	if t.b == nil {
		return counts, nil
	}
	end := spaceActivity.key(timeKey(to))
	c := t.b.Cursor()
	for k, v := c.Seek(spaceActivity.key(timeKey(from))); k != nil && bytes.Compare(k, end) < 0; k, v = c.Next() {
		if len(v) < 2 {
			continue
		}
		i := reminders.Interaction{Kind: reminders.Kind(v[1:])}
		if v[0] == 1 {
			i.PromiseID = 1
		}
		counts.Count(i)
	}
	return counts, nil
}
