package storagetest

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

func testHistory(t *testing.T, s reminders.Store) {
	jane := addContact(t, s, alice, "Jane")
	other := addContact(t, s, alice, "Other")
	// Logged in this order; the back-dated ones must sort by when they happened.
	entries := []struct {
		contact uint64
		kind    reminders.Kind
		at      time.Time
		text    string
	}{
		{jane, reminders.Met, t0.Add(-2 * day), "lunch"},
		{jane, reminders.Gave, t0.Add(-10 * day), "intro to Bob"},
		{other, reminders.Met, t0.Add(-1 * day), "call"},
		{jane, reminders.Note, t0.Add(-1 * day), "likes sailing"},
		{jane, reminders.Got, t0.Add(-30 * day), "a referral"},
		{jane, reminders.Met, t0.Add(-10 * day), "same day, logged later"},
	}
	for n, e := range entries {
		i, err := reminders.NewInteraction(e.contact, e.kind, e.at, t0.Add(time.Duration(n)*time.Minute), e.text)
		if err != nil {
			t.Fatal(err)
		}
		if err := logged(t, s, alice, reminders.Change{Now: t0}, i); err != nil {
			t.Fatal(err)
		}
	}
	view(t, s, alice, func(tx reminders.OwnerTx) error {
		h, err := tx.History(jane, 0)
		if err != nil {
			return err
		}
		var texts []string
		ids := map[uint64]bool{}
		for _, i := range h {
			texts = append(texts, i.Text)
			if i.ID == 0 || ids[i.ID] || i.ContactID != jane {
				t.Errorf("bad entry %+v", i)
			}
			ids[i.ID] = true
		}
		want := []string{"likes sailing", "lunch", "same day, logged later", "intro to Bob", "a referral"}
		if !slices.Equal(texts, want) {
			t.Errorf("History = %q, want newest first %q", texts, want)
		}
		h2, err := tx.History(jane, 2)
		if err != nil || len(h2) != 2 || !reflect.DeepEqual(h2, h[:2]) {
			t.Errorf("History limit 2 = %+v, %v", h2, err)
		}
		c, err := tx.Contact(jane)
		if err != nil {
			return err
		}
		if !c.LastContact.Equal(t0.Add(-2*day)) || c.Given != 1 || c.Received != 1 {
			t.Errorf("derived fields = %+v", c)
		}
		if h, _ := tx.History(other, 0); len(h) != 1 || h[0].Text != "call" {
			t.Errorf("other's history = %+v", h)
		}
		if h, _ := tx.History(12345, 0); len(h) != 0 {
			t.Errorf("history of an unknown contact = %+v", h)
		}
		return nil
	})
	err := s.Update(ctx, alice, reminders.Change{Now: t0}, func(tx reminders.OwnerTx) error {
		return tx.AddInteraction(&reminders.Interaction{ContactID: 12345, Kind: reminders.Met, At: t0, Logged: t0})
	})
	wantCode(t, err, reminders.ENOTFOUND)
}

func testPromises(t *testing.T, s reminders.Store) {
	jane := addContact(t, s, alice, "Jane")
	bobC := addContact(t, s, alice, "Bob")
	put := func(p reminders.Promise) reminders.Promise {
		update(t, s, alice, func(tx reminders.OwnerTx) error { return tx.PutPromise(&p) })
		return p
	}
	deck := put(reminders.Promise{ContactID: jane, What: "send the deck", Due: t0.Add(3 * day), Created: t0.Add(time.Hour)})
	put(reminders.Promise{ContactID: bobC, What: "intro to Carol", Created: t0.Add(2 * time.Hour)})
	put(reminders.Promise{ContactID: jane, What: "book", Created: t0})
	deck.Done = t0.Add(4 * time.Hour)
	deck = put(deck)

	view(t, s, alice, func(tx reminders.OwnerTx) error {
		ps, err := tx.Promises(jane)
		if err != nil {
			return err
		}
		if len(ps) != 2 || ps[0].What != "book" || !reflect.DeepEqual(ps[1], deck) {
			t.Errorf("Promises(jane) = %+v, want book then the done deck", ps)
		}
		all, err := tx.Promises(0)
		var whats []string
		for _, p := range all {
			whats = append(whats, p.What)
		}
		if w := []string{"book", "send the deck", "intro to Carol"}; !slices.Equal(whats, w) {
			t.Errorf("Promises(0) = %q, want oldest first %q", whats, w)
		}
		return err
	})
	err := s.Update(ctx, alice, reminders.Change{Now: t0}, func(tx reminders.OwnerTx) error {
		return tx.PutPromise(&reminders.Promise{ContactID: 777, What: "x", Created: t0})
	})
	wantCode(t, err, reminders.ENOTFOUND)
}

func testActivity(t *testing.T, s reminders.Store) {
	jane := addContact(t, s, alice, "Jane")
	week := t0.Add(-7 * day)
	logs := []struct {
		kind    reminders.Kind
		logged  time.Time
		promise uint64
	}{
		{reminders.Met, week.Add(-time.Nanosecond), 0}, // just before the period
		{reminders.Met, week, 0},                       // first instant: counted
		{reminders.Met, week.Add(day), 0},
		{reminders.Gave, week.Add(2 * day), 0},
		{reminders.Gave, week.Add(3 * day), 9}, // kept a promise
		{reminders.Got, week.Add(4 * day), 0},
		{reminders.Note, week.Add(4 * day), 0}, // not activity
		{reminders.Met, t0, 0},                 // end of the period: not counted
	}
	for _, l := range logs {
		// Back-dated a month: Activity is about when things were logged.
		i := reminders.Interaction{ContactID: jane, Kind: l.kind, At: l.logged.Add(-30 * day), Logged: l.logged, Text: "x", PromiseID: l.promise}
		if err := logged(t, s, alice, reminders.Change{Now: l.logged}, i); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		from, to time.Time
		want     reminders.ActivityCounts
	}{
		{week, t0, reminders.ActivityCounts{Met: 2, Gave: 2, Got: 1, PromisesKept: 1}},
		{week.Add(-day), t0.Add(day), reminders.ActivityCounts{Met: 4, Gave: 2, Got: 1, PromisesKept: 1}},
		{t0.Add(day), t0.Add(2 * day), reminders.ActivityCounts{}},
	}
	for _, tc := range tests {
		view(t, s, alice, func(tx reminders.OwnerTx) error {
			got, err := tx.Activity(tc.from, tc.to)
			if got != tc.want {
				t.Errorf("Activity(%s, %s) = %+v, want %+v", tc.from, tc.to, got, tc.want)
			}
			return err
		})
	}
	view(t, s, bob, func(tx reminders.OwnerTx) error {
		got, err := tx.Activity(week, t0)
		if got != (reminders.ActivityCounts{}) {
			t.Errorf("another owner's Activity = %+v, want nothing", got)
		}
		return err
	})
}
