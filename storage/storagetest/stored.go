package storagetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// sameTime reports whether two times are the same instant with the same
// zone offset, which is what every store keeps of a time (JSON's RFC 3339
// keeps no more): a store that rebuilds a time from a key in UTC, or stores
// one of two equal instants once, must still give back the offset each had.
func sameTime(a, b time.Time) bool {
	_, x := a.Zone()
	_, y := b.Zone()
	return a.Equal(b) && x == y
}

// testOffsets: times come back with the zone offset they were stored with,
// also where two of a record's times are the same instant in different
// zones (an interaction's At and Logged, a contact's LastContact and
// LastGotAt, a job's Slot and Due), and an empty tag stays.
func testOffsets(t *testing.T, s reminders.Store) {
	plus := time.FixedZone("", 5*3600+30*60)
	minus := time.FixedZone("", -7*3600)
	jane := addContact(t, s, alice, "Jane")
	entries := []reminders.Interaction{
		{ContactID: jane, Kind: reminders.Met, At: t0.In(plus), Logged: t0, Text: "a"},
		{ContactID: jane, Kind: reminders.Gave, At: t0.Add(-time.Hour), Logged: t0.Add(-time.Hour).In(minus), Text: "b"},
		{ContactID: jane, Kind: reminders.Got, At: t0.Add(-2 * time.Hour).In(minus), Logged: t0.Add(-2 * time.Hour).In(minus), Text: "c"},
		{ContactID: jane, Kind: reminders.Note, At: t0.Add(-3 * time.Hour).In(plus), Logged: t0.In(minus), Text: "d"},
	}
	for _, i := range entries {
		if err := logged(t, s, alice, reminders.Change{Now: t0}, i); err != nil {
			t.Fatal(err)
		}
	}
	view(t, s, alice, func(tx reminders.OwnerTx) error {
		h, err := tx.History(jane, 0)
		if err != nil {
			return err
		}
		if len(h) != len(entries) {
			t.Fatalf("History = %d entries, want %d", len(h), len(entries))
		}
		for n, want := range entries { // logged newest first by At already
			if got := h[n]; got.Text != want.Text || !sameTime(got.At, want.At) || !sameTime(got.Logged, want.Logged) || got.Kind != want.Kind {
				t.Errorf("History[%d] = %s %s at %s logged %s, want %s %s at %s logged %s", n, got.Kind, got.Text, got.At, got.Logged, want.Kind, want.Text, want.At, want.Logged)
			}
		}
		return nil
	})

	c := reminders.Contact{Name: "Offsets", Tags: []string{"", "x"}, Added: t0.In(minus),
		LastContact: t0.In(plus), LastGotAt: t0, LastNote: "deck", LastGot: "deck", LastGaveAt: t0.In(plus)}
	update(t, s, alice, func(tx reminders.OwnerTx) error {
		c.ID = 0
		return tx.PutContact(&c)
	})
	view(t, s, alice, func(tx reminders.OwnerTx) error {
		got, err := tx.Contact(c.ID)
		if err != nil {
			return err
		}
		if !sameTime(got.Added, c.Added) || !sameTime(got.LastContact, c.LastContact) || !sameTime(got.LastGotAt, c.LastGotAt) ||
			!sameTime(got.LastGaveAt, c.LastGaveAt) || got.LastGot != c.LastGot || got.LastNote != c.LastNote || !slices.Equal(got.Tags, c.Tags) {
			t.Errorf("Contact = %+v, want %+v", got, c)
		}
		return nil
	})

	jobs := []reminders.Job{
		{Kind: reminders.DigestJob, ID: "console:a", Slot: t0, Due: t0.In(plus)},
		{Kind: reminders.DigestJob, ID: "console:b", Slot: t0.In(minus), Due: t0.In(minus), Since: t0.AddDate(0, 0, -7).In(plus)},
		{Kind: reminders.SummaryJob, ID: "console:c", Slot: t0.In(plus), Due: t0.Add(time.Minute), Attempts: 2},
	}
	if err := s.PutJobs(ctx, jobs...); err != nil {
		t.Fatal(err)
	}
	for _, want := range jobs {
		got, err := s.Job(ctx, want.Kind, want.ID)
		if err != nil || !sameTime(got.Slot, want.Slot) || !sameTime(got.Due, want.Due) || !sameTime(got.Since, want.Since) || got.Attempts != want.Attempts {
			t.Errorf("Job(%s) = %+v, %v; want %+v", want.ID, got, err, want)
		}
	}
}

// testTiesAcrossIDs: History breaks ties of At by id, newest first, and
// Promises ties of Created by id, oldest first, for ids of any size: a
// store may encode ids in keys in as few bytes as they need, and the ties
// here are between ids of one and two bytes, and between two-byte ids whose
// low bytes sort the other way (0x1f0 < 0x205), which a little-endian or
// varint encoding would get wrong.
func testTiesAcrossIDs(t *testing.T, s reminders.Store) {
	jane := addContact(t, s, alice, "Jane")
	filler := addContact(t, s, alice, "Filler")
	at := t0.Add(-day)
	n := 0
	// fillTo hands out ids, on another contact's history, until the next one is id.
	fillTo := func(id uint64) {
		t.Helper()
		update(t, s, alice, func(tx reminders.OwnerTx) error {
			for {
				i := reminders.Interaction{ContactID: filler, Kind: reminders.Note, At: t0, Logged: t0, Text: fmt.Sprint(n)}
				if err := tx.AddInteraction(&i); err != nil {
					return err
				}
				n++
				if i.ID+1 >= id {
					return nil
				}
			}
		})
	}
	var entries []reminders.Interaction
	var promises []reminders.Promise
	for _, id := range []uint64{0x10, 0x1f0, 0x205} {
		fillTo(id)
		i := reminders.Interaction{ContactID: jane, Kind: reminders.Met, At: at, Logged: t0, Text: fmt.Sprintf("entry %#x", id)}
		p := reminders.Promise{ContactID: jane, What: fmt.Sprintf("promise %#x", id+1), Created: t0}
		update(t, s, alice, func(tx reminders.OwnerTx) error {
			i.ID, p.ID = 0, 0
			if err := tx.AddInteraction(&i); err != nil {
				return err
			}
			return tx.PutPromise(&p)
		})
		if i.ID != id || p.ID != id+1 {
			t.Fatalf("ids %#x and %#x handed out, want %#x and %#x: the test needs ids given out in turn", i.ID, p.ID, id, id+1)
		}
		entries, promises = append(entries, i), append(promises, p)
	}
	view(t, s, alice, func(tx reminders.OwnerTx) error {
		h, err := tx.History(jane, 0)
		var got, want []string
		for _, i := range h {
			got = append(got, i.Text)
		}
		for _, i := range slices.Backward(entries) {
			want = append(want, i.Text)
		}
		if !slices.Equal(got, want) {
			t.Errorf("History of entries at one instant = %q, want the higher id first %q", got, want)
		}
		if h, _ := tx.History(jane, 1); len(h) != 1 || h[0].Text != want[0] {
			t.Errorf("History limit 1 = %+v, want %s", h, want[0])
		}
		ps, err2 := tx.Promises(jane)
		got, want = nil, nil
		for _, p := range ps {
			got = append(got, p.What)
		}
		for _, p := range promises {
			want = append(want, p.What)
		}
		if !slices.Equal(got, want) {
			t.Errorf("Promises created at one instant = %q, want the lower id first %q", got, want)
		}
		if h, _ := tx.History(filler, 0); len(h) != n || h[0].Text != fmt.Sprint(n-1) || h[n-1].Text != "0" {
			t.Errorf("History of %d entries at one instant: %d, newest %q", n, len(h), h[0].Text)
		}
		if err != nil {
			return err
		}
		return err2
	})
}
