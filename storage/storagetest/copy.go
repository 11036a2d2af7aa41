package storagetest

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// RunCopy checks that everything a store holds survives a copy into
// another (of the same or another engine): records, indexes, id
// sequences, teams and jobs; and that a copy refuses a non-empty target.
// Both stores must implement reminders.Copier.
func RunCopy(t *testing.T, from, to func(t *testing.T) reminders.Store) {
	src, dst := from(t).(reminders.Copier), to(t)
	gone := fill(t, src.(reminders.Store))
	want, err := src.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want != (reminders.Counts{Owners: 2, Contacts: 2, Interactions: 2, Promises: 1, Jobs: 2, Teams: 1, Installations: 1}) {
		t.Fatalf("source counts = %v", want)
	}
	var streamed reminders.Counts
	err = dst.(reminders.Copier).Load(ctx, func(put func(reminders.Record) error) error {
		return src.Dump(ctx, func(r reminders.Record) error {
			streamed.Add(r)
			return put(r)
		})
	})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if streamed != want {
		t.Errorf("streamed %v, want %v", streamed, want)
	}
	if got, err := dst.(reminders.Copier).Counts(ctx); err != nil || got != want {
		t.Errorf("target counts = %v, %v; want %v", got, err, want)
	}
	// As JSON, which shows each time's offset, where DeepEqual would tell
	// apart two decodings of one zone.
	if a, b := dumpJSON(t, src), dumpJSON(t, dst.(reminders.Copier)); a != b {
		t.Errorf("the copy differs:\n%s\n%s", a, b)
	}

	// Indexes came along: names resolve, history is ordered, activity counts, jobs are due.
	view(t, dst, alice, func(tx reminders.OwnerTx) error {
		c, err := tx.ContactByName("JANE DOE")
		if err != nil {
			return err
		}
		if h, err := tx.History(c.ID, 0); err != nil || len(h) != 2 || !h[0].At.After(h[1].At) {
			t.Errorf("History = %+v, %v", h, err)
		}
		if n, err := tx.Names(nil); err != nil || len(n) != 1 {
			t.Errorf("Names = %+v, %v", n, err)
		}
		a, err := tx.Activity(t0.Add(-30*day), t0.Add(day))
		if a == (reminders.ActivityCounts{}) {
			t.Errorf("Activity found nothing")
		}
		return err
	})
	if due, err := dst.DueJobs(ctx, t0.Add(time.Hour), 0); err != nil || len(due) != 2 {
		t.Errorf("DueJobs = %+v, %v", due, err)
	}
	if m, err := dst.Members(ctx, "slack:T1"); err != nil || len(m) != 2 {
		t.Errorf("Members = %q, %v", m, err)
	}
	// The id sequence came along: a new record never reuses an id, even one
	// of a record deleted before the copy.
	id := addContact(t, dst, alice, "New Person")
	if id <= gone {
		t.Errorf("new contact got id %d, reusing an old one", id)
	}

	// A second copy into the now non-empty target is refused and changes nothing.
	err = dst.(reminders.Copier).Load(ctx, func(put func(reminders.Record) error) error { return src.Dump(ctx, put) })
	wantCode(t, err, reminders.ECONFLICT)
}

// fill gives a store one of everything, with a deleted record so that the
// id sequence is ahead of the largest id.
func fill(t *testing.T, s reminders.Store) (gone uint64) {
	t.Helper()
	jane := addContact(t, s, alice, "Jane Doe")
	update(t, s, alice, func(tx reminders.OwnerTx) error {
		return tx.PutSettings(reminders.Settings{TimeZone: "Europe/Paris", Created: t0})
	})
	// Times in zones other than UTC, logged later than they happened or at
	// the same instant in another zone; what they last got is also the last
	// note: what a store may keep in keys or write once must copy whole.
	plus, minus := time.FixedZone("", 5*3600+30*60), time.FixedZone("", -7*3600)
	for _, i := range []reminders.Interaction{
		{ContactID: jane, Kind: reminders.Met, At: t0.Add(-10 * day).In(plus), Logged: t0, Text: "lunch"},
		{ContactID: jane, Kind: reminders.Got, At: t0.Add(-day).In(minus), Logged: t0.Add(-day), Text: "the deck"},
	} {
		if err := logged(t, s, alice, reminders.Change{Now: t0}, i); err != nil {
			t.Fatal(err)
		}
	}
	update(t, s, alice, func(tx reminders.OwnerTx) error {
		p := reminders.Promise{ContactID: jane, What: "send the deck", Due: t0.Add(day).In(plus), Created: t0}
		return tx.PutPromise(&p)
	})
	gone = addContact(t, s, alice, "Gone Soon")
	update(t, s, alice, func(tx reminders.OwnerTx) error { return tx.DeleteContact(gone) })
	addContact(t, s, bob, "RAVI  o'Neil")
	team := reminders.Team{ID: "slack:T1", Channel: "C1", SetBy: alice}
	if err := s.PutTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	for _, o := range []reminders.OwnerID{alice, bob} {
		if err := s.Join(ctx, team.ID, o); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutInstallation(ctx, reminders.Installation{Team: team.ID, BotUser: "UKITH", Token: []byte{1, 2, 3}, InstalledAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutJobs(ctx,
		// Claimed, its lease over by the time DueJobs looks; due at its slot in another zone.
		reminders.Job{Kind: reminders.DigestJob, ID: string(alice), Slot: t0, Due: t0.In(plus), Attempts: 1, Holder: "h", Lease: t0.Add(30 * time.Minute), Claims: 2},
		reminders.Job{Kind: reminders.SummaryJob, ID: string(team.ID), Slot: t0.In(minus), Due: t0.In(minus), Since: t0.Add(-7 * day).In(plus)}); err != nil {
		t.Fatal(err)
	}
	return gone
}

// dumpJSON is dump as JSON.
func dumpJSON(t *testing.T, c reminders.Copier) string {
	t.Helper()
	b, err := json.Marshal(dump(t, c))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// dump lists a store's records in a canonical order (owners' data grouped
// by owner, then memberships, teams, jobs), for comparing two stores.
func dump(t *testing.T, c reminders.Copier) map[string][]reminders.Record {
	t.Helper()
	out := map[string][]reminders.Record{}
	err := c.Dump(ctx, func(r reminders.Record) error {
		k := "owner " + string(r.Owner)
		switch {
		case r.Member != "":
			k = "member"
		case r.Team != nil:
			k = "team"
		case r.Job != nil:
			k = "job"
		case r.Installation != nil:
			k = "installation"
		}
		out[k] = append(out[k], r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for k, rs := range out {
		// Within an owner, engines may interleave kinds differently; order by kind then id.
		sortRecords(rs)
		out[k] = rs
	}
	return out
}
