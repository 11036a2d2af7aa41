package reminders

import (
	"context"
	"io"
	"time"
)

// UndoWindow is how long after a change `undo` may still reverse it.
const UndoWindow = 15 * time.Minute

// Store keeps every owner's data, the teams and the schedule. Each owner's
// data is reached only through an OwnerTx scoped to that owner, so no query
// can cross owners by accident.
type Store interface {
	// View runs fn in a read-only transaction over one owner's data.
	View(ctx context.Context, owner OwnerID, fn func(tx OwnerTx) error) error
	// Update runs fn in a read-write transaction over one owner's data and
	// returns only once the change is durable. fn may run more than once (the
	// store group-commits concurrent writers), so it must not keep state
	// across runs. With a Change.Key seen before for this owner, fn is not run
	// and ErrDuplicate is returned.
	Update(ctx context.Context, owner OwnerID, change Change, fn func(tx OwnerTx) error) error
	// Owners lists every owner with data, for a full export.
	Owners(ctx context.Context) ([]OwnerID, error)
	// DeleteOwner removes everything of the owner: data, settings, request
	// keys, undo records, scheduled jobs and team memberships.
	DeleteOwner(ctx context.Context, owner OwnerID) error

	// Team returns a team's settings; ENOTFOUND when none were stored.
	Team(ctx context.Context, id TeamID) (Team, error)
	// PutTeam stores a team's settings.
	PutTeam(ctx context.Context, t Team) error
	// Join records that the owner uses kith in the team; cheap when already recorded.
	Join(ctx context.Context, team TeamID, owner OwnerID) error
	// Members lists the owners seen using kith in the team.
	Members(ctx context.Context, team TeamID) ([]OwnerID, error)

	// PutJobs stores jobs, each replacing the job of the same kind and id.
	PutJobs(ctx context.Context, jobs ...Job) error
	// Job returns the job of that kind and id; ENOTFOUND when there is none.
	Job(ctx context.Context, kind JobKind, id string) (Job, error)
	// DeleteJob removes a job; removing a missing job is not an error.
	DeleteJob(ctx context.Context, kind JobKind, id string) error
	// DueJobs returns up to limit jobs whose Due is at or before now and that
	// no lease holds at now, earliest first; its cost follows the number of
	// due jobs, not the total.
	DueJobs(ctx context.Context, now time.Time, limit int) ([]Job, error)
	// ClaimJobs leases to holder, until leaseUntil, up to limit jobs that
	// DueJobs would return at now, in one durable transaction, and returns
	// them as stored: Holder and Lease set, Claims counted up. A job is held
	// by one holder at a time, even across processes sharing the database;
	// once its lease has passed, another holder may claim it.
	ClaimJobs(ctx context.Context, now time.Time, limit int, holder string, leaseUntil time.Time) ([]Job, error)
	// FinishJob replaces a job returned by ClaimJobs with next, or deletes it
	// when next is nil, only while that claim still stands: the stored job has
	// the same Holder, Claims and Slot. It reports false, changing nothing,
	// when the job was rescheduled, deleted or claimed again since.
	FinishJob(ctx context.Context, claimed Job, next *Job) (bool, error)

	// Installation returns kith's installation in a workspace; ENOTFOUND when none was stored.
	Installation(ctx context.Context, team TeamID) (Installation, error)
	// PutInstallation stores an installation, replacing the team's earlier one.
	PutInstallation(ctx context.Context, in Installation) error
	// Installations lists every installation, in team order.
	Installations(ctx context.Context) ([]Installation, error)
	// DeleteTeam removes what a team keeps apart from its owners' data: its
	// settings, summary job, member list and installation, the last only
	// when it is not active (a reinstall that raced the deletion stays).
	DeleteTeam(ctx context.Context, team TeamID) error
	// UseOnce records key as used until the given time; ErrDuplicate when it
	// was recorded before and that time has not passed at now. Keys past their
	// time are forgotten. It makes a token single use across replicas.
	UseOnce(ctx context.Context, key string, now, until time.Time) error
	// Lease gives the named lease to holder until the given time when nobody
	// holds it at now, or holder already does (a renewal), and reports
	// whether holder has it. One holder at a time, across processes sharing
	// the database: what lets replicas split work such as gateway shards.
	Lease(ctx context.Context, name, holder string, now, until time.Time) (bool, error)
	// ReleaseLease ends holder's lease at once, so another may take it
	// without waiting; it changes nothing when someone else holds it.
	ReleaseLease(ctx context.Context, name, holder string) error

	// Backup writes a consistent copy of the whole database to w.
	Backup(ctx context.Context, w io.Writer) (int64, error)
	// Close releases the database.
	Close() error
}

// Change describes one write for Store.Update.
type Change struct {
	Key  string    // the platform's delivery id; the same key twice changes data once
	Undo string    // when set, the change can be undone; this says what it was ("met Jane")
	Now  time.Time // when the change was made, for request keys and undo
	// Contacts are the ids of contacts fn will read, when the caller knows
	// them beforehand: a hint, which a store may use to read them together
	// with starting the transaction rather than when fn asks. fn reads them
	// as usual; an id that is wrong or not the owner's changes nothing.
	Contacts []uint64
}

// OwnerTx is one owner's data inside a transaction. Values returned are
// copies; change them and put them back.
type OwnerTx interface {
	// Owner is the owner this transaction is scoped to.
	Owner() OwnerID
	// Settings returns the owner's settings; the zero Settings when none are stored.
	Settings() (Settings, error)
	// PutSettings stores the owner's settings.
	PutSettings(s Settings) error

	// Contacts returns every contact, ordered by name.
	Contacts() ([]Contact, error)
	// Names appends to dst every contact, in the order of Contacts, with only
	// ID, Name and Mention set, and returns the extended slice. It reads the
	// name index, not the full records: what resolving a typed name needs, at
	// a fraction of the cost. A caller on a hot path may pass a reused dst,
	// since a Contact is a few hundred bytes; nil is fine otherwise.
	Names(dst []Contact) ([]Contact, error)
	// Contact returns one contact; ENOTFOUND when there is none with that id.
	Contact(id uint64) (Contact, error)
	// ContactByName returns the contact whose NameKey equals that of name; ENOTFOUND otherwise.
	ContactByName(name string) (Contact, error)
	// PutContact creates (ID 0; the new ID is set on c) or replaces a contact;
	// ECONFLICT when another contact already has that name.
	PutContact(c *Contact) error
	// DeleteContact removes a contact with its history and promises.
	DeleteContact(id uint64) error

	// History returns a contact's interactions, newest (by At) first; limit <= 0 means all.
	History(contactID uint64, limit int) ([]Interaction, error)
	// AddInteraction stores an interaction (setting its ID); it does not touch the contact.
	AddInteraction(i *Interaction) error

	// Promises returns a contact's promises, oldest first; contactID 0 means all of the owner's.
	Promises(contactID uint64) ([]Promise, error)
	// PutPromise creates (ID 0; the new ID is set on p) or replaces a promise.
	PutPromise(p *Promise) error

	// Activity counts the interactions logged in [from, to), for team summaries.
	Activity(from, to time.Time) (ActivityCounts, error)

	// Undo reverses the owner's last undoable change if it was made within
	// UndoWindow of now and returns what it was; ENOTFOUND when there is none.
	Undo(now time.Time) (string, error)
}

// JobKind says what a scheduled job produces.
type JobKind string

// Kinds of scheduled work.
const (
	DigestJob  JobKind = "digest"  // ID is an OwnerID
	SummaryJob JobKind = "summary" // ID is a TeamID
	PurgeJob   JobKind = "purge"   // ID is a TeamID: delete an uninstalled workspace's data
)

// Job is one scheduled piece of work: the next digest of an owner or summary
// of a team, or the deletion of an uninstalled workspace's data.
type Job struct {
	Kind     JobKind   `json:"kind"`
	ID       string    `json:"id"`
	Slot     time.Time `json:"slot"`               // the scheduled instant this run stands for
	Due      time.Time `json:"due"`                // when to run: Slot, or later after a failure
	Attempts int       `json:"attempts,omitempty"` // failed deliveries of this slot so far
	Since    time.Time `json:"since,omitzero"`     // summaries: start of the period that ends at Slot

	// The lease, set by Store.ClaimJobs and cleared by FinishJob.
	Holder string    `json:"holder,omitempty"` // who claimed the job; "" when nobody holds it
	Lease  time.Time `json:"lease,omitzero"`   // until when Holder holds it
	Claims int       `json:"claims,omitempty"` // claims of this slot so far; more than one means a send may already have happened
}

// Visible returns when a job may next be claimed: when it is due, or when
// its lease runs out if that is later.
func (j Job) Visible() time.Time {
	if j.Holder != "" && j.Lease.After(j.Due) {
		return j.Lease
	}
	return j.Due
}

// Deliverer hands composed digests and summaries to the owner's platform. The
// bot implements it; the Scheduler calls it. A *Deferred error hands the job
// back until the platform takes sends again, uncounted; EUNREACHABLE pauses
// the owner's digests; any other error is a failure, retried with back-off.
type Deliverer interface {
	// DeliverDigest sends a digest to its owner; an error means "try again later".
	DeliverDigest(ctx context.Context, d Digest) error
	// DeliverSummary posts a team summary; an error means "try again later".
	DeliverSummary(ctx context.Context, s Summary) error
}
