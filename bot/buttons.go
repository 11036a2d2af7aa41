package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/kith-bot/kith/reminders"
)

// Button actions of digest entries and of the forget-me confirmation.
const (
	ActMet    = "met"
	ActSnooze = "snooze"
	ActLess   = "less"
	ActShow   = "show"
	ActForget = "forget"
	ActKeep   = "keep"
	ActPage   = "page" // Back and More under a long list
)

// ownerTag is a short fingerprint of an owner put in button values, so a
// click by anyone else is refused. It grants nothing: every lookup after a
// click goes through the clicker's own data.
func ownerTag(o reminders.OwnerID) string {
	sum := sha256.Sum256([]byte(o))
	return hex.EncodeToString(sum[:6])
}

// buttonValue is what a button carries: the contact (0 for none), the slot of
// the message it is on, and the owner's tag. It stays under 100 bytes.
type buttonValue struct {
	Contact uint64
	Slot    int64
	Owner   string
}

func (v buttonValue) String() string {
	return fmt.Sprintf("%d:%d:%s", v.Contact, v.Slot, v.Owner)
}

// parseValue reads a button value, refusing anything malformed.
func parseValue(s string) (buttonValue, error) {
	parts := strings.Split(s, ":")
	bad := reminders.Errorf(reminders.EINVALID, "that button is not one of kith's; type help to see the commands.")
	if len(parts) != 3 || len(s) > 100 {
		return buttonValue{}, bad
	}
	id, err1 := strconv.ParseUint(parts[0], 10, 64)
	slot, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || parts[2] == "" {
		return buttonValue{}, bad
	}
	return buttonValue{Contact: id, Slot: slot, Owner: parts[2]}, nil
}

// entryButtons are the buttons of one digest entry.
func entryButtons(owner reminders.OwnerID, contact uint64, slot int64) []Button {
	v := buttonValue{Contact: contact, Slot: slot, Owner: ownerTag(owner)}.String()
	return []Button{
		{Label: "Met", Action: ActMet, Value: v, Style: "primary"},
		{Label: "Snooze 1w", Action: ActSnooze, Value: v},
		{Label: "Less often", Action: ActLess, Value: v},
		{Label: "Show", Action: ActShow, Value: v},
	}
}
