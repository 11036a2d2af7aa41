package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/kith-bot/kith/reminders"
)

// Button actions of digest entries, of the forget-me confirmation and of intros.
const (
	ActMet    = "met"
	ActSnooze = "snooze"
	ActLess   = "less"
	ActShow   = "show"
	ActForget = "forget"
	ActKeep   = "keep"
	ActPage   = "page" // Back and More under a long list
	// ActCadence takes the cadence a digest entry offers; ActKeepCadence dismisses it.
	ActCadence     = "cadence"
	ActKeepCadence = "keep-cadence"
	// ActConfirm and ActDecline answer "Did you mean Jane Roe?".
	ActConfirm = "confirm"
	ActDecline = "decline"
)

// ownerTag is a short fingerprint of an owner put in button values, so a
// click by anyone else is refused. It grants nothing: every lookup after a
// click goes through the clicker's own data.
func ownerTag(o reminders.OwnerID) string {
	sum := sha256.Sum256([]byte(o))
	return hex.EncodeToString(sum[:6])
}

// buttonValue is what a button carries: the contact (0 for none), the slot of
// the message it is on, the owner's tag, and for a menu the choice picked.
// It stays under 75 bytes.
type buttonValue struct {
	Contact uint64
	Slot    int64
	Owner   string
	Choice  string
}

func (v buttonValue) String() string {
	s := fmt.Sprintf("%d:%d:%s", v.Contact, v.Slot, v.Owner)
	if v.Choice != "" {
		s += ":" + v.Choice
	}
	return s
}

// parseValue reads a button value, refusing anything malformed.
func parseValue(s string) (buttonValue, error) {
	parts := strings.Split(s, ":")
	bad := reminders.Errorf(reminders.EINVALID, "that button is not one of kith's; type help to see the commands.")
	if len(parts) < 3 || len(parts) > 4 || len(s) > 100 {
		return buttonValue{}, bad
	}
	id, err1 := strconv.ParseUint(parts[0], 10, 64)
	slot, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || parts[2] == "" {
		return buttonValue{}, bad
	}
	v := buttonValue{Contact: id, Slot: slot, Owner: parts[2]}
	if len(parts) == 4 {
		v.Choice = parts[3]
	}
	return v, nil
}

// snoozeChoices are the Snooze menu's lengths (§9), in the order shown.
var snoozeChoices = []struct {
	key, label, words string
	cadence           reminders.Cadence
}{
	{"1w", "1 week", "a week", reminders.Cadence{N: 1, Unit: reminders.Weeks}},
	{"2w", "2 weeks", "2 weeks", reminders.Cadence{N: 2, Unit: reminders.Weeks}},
	{"1m", "1 month", "a month", reminders.Cadence{N: 1, Unit: reminders.Months}},
	{"3m", "3 months", "3 months", reminders.Cadence{N: 3, Unit: reminders.Months}},
}

// snoozeChoice finds a Snooze menu choice; "" (an older plain Snooze button) is a week.
func snoozeChoice(key string) (reminders.Cadence, string, bool) {
	if key == "" {
		key = "1w"
	}
	for _, c := range snoozeChoices {
		if c.key == key {
			return c.cadence, c.words, true
		}
	}
	return reminders.Cadence{}, "", false
}

// entryButtons are the buttons of one digest entry, with the offer of a
// learnt cadence when there is one.
func entryButtons(owner reminders.OwnerID, contact uint64, slot int64, offer *reminders.Offer) []Button {
	base := buttonValue{Contact: contact, Slot: slot, Owner: ownerTag(owner)}
	v := base.String()
	snooze := Button{Label: "Snooze…", Action: ActSnooze, Value: v}
	for _, c := range snoozeChoices {
		pick := base
		pick.Choice = c.key
		snooze.Choices = append(snooze.Choices, Choice{Label: "Snooze " + c.label, Value: pick.String()})
	}
	out := []Button{
		{Label: "Met", Action: ActMet, Value: v, Style: "primary"},
		snooze,
		{Label: "Less often", Action: ActLess, Value: v},
		{Label: "Show", Action: ActShow, Value: v},
	}
	if offer != nil {
		out = append(out,
			Button{Label: capital(offer.Cadence.String()), Action: ActCadence, Value: v, Style: "primary"},
			Button{Label: "Keep as is", Action: ActKeepCadence, Value: v})
	}
	return out
}

// capital upper-cases the first letter of s.
func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
