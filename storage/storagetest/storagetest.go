// Package storagetest is the conformance suite every reminders.Store must
// pass, so that the bot and the scheduler can rely on the contract rather
// than on one implementation.
package storagetest

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// Run runs the whole suite; open must return a new, empty store for each
// test and close it when the test ends.
func Run(t *testing.T, open func(t *testing.T) reminders.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s reminders.Store)
	}{
		{"Settings", testSettings},
		{"Contacts", testContacts},
		{"NameUnique", testNameUnique},
		{"Names", testNames},
		{"DeleteContact", testDeleteContact},
		{"History", testHistory},
		{"Promises", testPromises},
		{"Activity", testActivity},
		{"Offsets", testOffsets},
		{"TiesAcrossIDs", testTiesAcrossIDs},
		{"ReadsSeeWrites", testReadsSeeWrites},
		{"UndoInUndoableChange", testUndoInUndoableChange},
		{"ContactsHint", testContactsHint},
		{"UndoRestoresOddText", testUndoRestoresOddText},
		{"FailedUpdate", testFailedUpdate},
		{"ReadOnlyView", testReadOnlyView},
		{"Keys", testKeys},
		{"KeysConcurrent", testKeysConcurrent},
		{"ConcurrentWriters", testConcurrentWriters},
		{"Undo", testUndo},
		{"UndoWindow", testUndoWindow},
		{"UndoInvalidated", testUndoInvalidated},
		{"Isolation", testIsolation},
		{"Neighbours", testNeighbours},
		{"Teams", testTeams},
		{"Jobs", testJobs},
		{"DueJobs", testDueJobs},
		{"Claims", testClaims},
		{"ClaimsTwoSchedulers", testClaimsTwoSchedulers},
		{"ClaimsTakeover", testClaimsTakeover},
		{"ClaimsHandBack", testClaimsHandBack},
		{"ClaimsDeferredLate", testClaimsDeferredLate},
		{"ClaimsSentLate", testClaimsSentLate},
		{"DeleteOwner", testDeleteOwner},
		{"Leases", testLeases},
		{"Installations", testInstallations},
		{"DeleteTeam", testDeleteTeam},
		{"UseOnce", testUseOnce},
		{"PlanLog", testPlanLog},
		{"ForgetInstaller", testForgetInstaller},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open(t))
		})
	}
}

// t0 is the suite's "now"; tests move time explicitly, never sleep.
var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

const (
	alice reminders.OwnerID = "slack:T1:UALICE"
	bob   reminders.OwnerID = "discord:42"
)

var ctx = context.Background()

// quiet drops the scheduler's logs, which the tests check through the store.
var quiet = slog.New(slog.DiscardHandler)

// update runs fn in a change made at now and fails the test on error.
func update(t *testing.T, s reminders.Store, owner reminders.OwnerID, fn func(tx reminders.OwnerTx) error) {
	t.Helper()
	if err := s.Update(ctx, owner, reminders.Change{Now: t0}, fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

// view runs fn in a read transaction and fails the test on error.
func view(t *testing.T, s reminders.Store, owner reminders.OwnerID, fn func(tx reminders.OwnerTx) error) {
	t.Helper()
	if err := s.View(ctx, owner, fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

// addContact adds a contact named name and returns its id.
func addContact(t *testing.T, s reminders.Store, owner reminders.OwnerID, name string) uint64 {
	t.Helper()
	c := reminders.Contact{Name: name, Added: t0}
	update(t, s, owner, func(tx reminders.OwnerTx) error {
		c.ID = 0 // fn may run more than once
		return tx.PutContact(&c)
	})
	if c.ID == 0 {
		t.Fatalf("PutContact(%q) left ID 0", name)
	}
	return c.ID
}

// logged records an interaction the way the bot does: the entry and the
// contact's derived fields in one change.
func logged(t *testing.T, s reminders.Store, owner reminders.OwnerID, change reminders.Change, i reminders.Interaction) error {
	t.Helper()
	return s.Update(ctx, owner, change, func(tx reminders.OwnerTx) error {
		i := i
		if err := tx.AddInteraction(&i); err != nil {
			return err
		}
		c, err := tx.Contact(i.ContactID)
		if err != nil {
			return err
		}
		c.Record(i)
		return tx.PutContact(&c)
	})
}

// contacts lists the owner's contact names in the store's order.
func contactNames(t *testing.T, s reminders.Store, owner reminders.OwnerID) []string {
	t.Helper()
	var names []string
	view(t, s, owner, func(tx reminders.OwnerTx) error {
		cs, err := tx.Contacts()
		for _, c := range cs {
			names = append(names, c.Name)
		}
		return err
	})
	return names
}

// wantCode fails unless err carries the code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := reminders.ErrorCode(err); got != code {
		t.Fatalf("error %v has code %q, want %q", err, got, code)
	}
	var e *reminders.Error
	if code != "" && code != reminders.EINTERNAL && (!errors.As(err, &e) || e.Message == "") {
		t.Fatalf("error %v has no sentence for the user", err)
	}
}
