package bot

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// spentText is the answer to a second choice of a question already answered.
const spentText = "This question was already answered, so nothing more was changed; %s to ask again."

// takeChoice records that the owner answered the question named by
// question (one per message: "forget:<slot>"), so that the message's other
// choices are spent: however many buttons a question has, and whichever is
// clicked first, exactly one answer acts. spent is true when an answer was
// taken before. The request key is what makes it so: two clicks racing
// each other both try to record it, and the store lets one through.
func (b *Bot) takeChoice(ctx context.Context, owner reminders.OwnerID, now time.Time, question string) (spent bool, err error) {
	err = b.store.Update(ctx, owner, reminders.Change{Key: "choice:" + question, Now: now}, func(reminders.OwnerTx) error { return nil })
	if reminders.ErrorCode(err) == reminders.EDUPLICATE {
		return true, nil
	}
	return false, err
}

// questionID names one question message, carried in its buttons (in the
// contact's place, which a question about no contact leaves free), so that
// two questions asked in the same second are answered apart.
func questionID() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails on supported platforms
	return binary.BigEndian.Uint64(b[:]) >> 1
}

// spentMessage is the reply to a spent choice: it replaces the message, so
// its buttons go, and says what to type to be asked again.
func spentMessage(again string) Message {
	return Message{Text: fmt.Sprintf(spentText, again), Replace: true, Code: reminders.EDUPLICATE}
}
