package reminders_test

import (
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

func names(d reminders.Digest) []string {
	var out []string
	for _, e := range d.Entries {
		out = append(out, e.Contact.Name)
	}
	return out
}

func TestComposeDigestOrderAndLimits(t *testing.T) {
	now := t0.Add(100 * day)
	contacts := []reminders.Contact{
		{ID: 1, Name: "Ann", Added: now.Add(-40 * day)},                                  // 10 days overdue
		{ID: 2, Name: "Bob", Added: now.Add(-90 * day)},                                  // 60 days overdue
		{ID: 3, Name: "Cy", Added: now.Add(-10 * day)},                                   // not due, but an overdue promise
		{ID: 4, Name: "Di", Added: now.Add(-50 * day), Snoozed: now.Add(day)},            // snoozed
		{ID: 5, Name: "Ed", Added: now.Add(-300 * day), Cadence: reminders.NeverCadence}, // never
		{ID: 6, Name: "Flo", Added: now.Add(-5 * day)},                                   // not due
		{ID: 7, Name: "Gus", Added: now.Add(-31 * day)},                                  // 1 day overdue, open promise not yet due
	}
	promises := []reminders.Promise{
		{ID: 1, ContactID: 3, What: "send the deck", Due: now.Add(-2 * day)},
		{ID: 2, ContactID: 7, What: "book tickets", Due: now.Add(5 * day)},
		{ID: 3, ContactID: 1, What: "old and kept", Due: now.Add(-50 * day), Done: now.Add(-49 * day)},
		{ID: 4, ContactID: 4, What: "snoozed contact's promise", Due: now.Add(-9 * day)},
	}
	d := reminders.ComposeDigest("console:me", reminders.Settings{}, contacts, promises, now)
	if got, want := strings.Join(names(d), ","), "Cy,Bob,Ann,Gus"; got != want {
		t.Fatalf("digest lists %s; want %s (overdue promise first, then most overdue, no snoozed, never or not-due contacts)", got, want)
	}
	if d.Entries[0].Suggestion.Reason != reminders.ReasonPromise || !strings.Contains(d.Entries[0].Suggestion.Text, "send the deck") {
		t.Errorf("Cy's suggestion = %+v; want the overdue promise", d.Entries[0].Suggestion)
	}
	if len(d.Entries[2].Promises) != 0 {
		t.Errorf("Ann's kept promise is listed: %+v", d.Entries[2].Promises)
	}
	if d.Entries[1].Overdue != 60*day {
		t.Errorf("Bob overdue %v; want 60 days", d.Entries[1].Overdue)
	}

	limited := reminders.ComposeDigest("console:me", reminders.Settings{Max: 2}, contacts, promises, now)
	if got := strings.Join(names(limited), ","); got != "Cy,Bob" || limited.More != 2 {
		t.Errorf("max 2 lists %s with %d more; want Cy,Bob and 2 more", got, limited.More)
	}

	empty := reminders.ComposeDigest("console:me", reminders.Settings{}, contacts[4:6], nil, now)
	if !empty.Empty() {
		t.Errorf("nothing due, yet the digest lists %v", names(empty))
	}
}

func TestSuggestGivesFirstFromTheContactsOwnHistory(t *testing.T) {
	now := t0
	tests := []struct {
		name     string
		contact  reminders.Contact
		promises []reminders.Promise
		reason   reminders.Reason
		mentions string
	}{
		{"open promise first", reminders.Contact{LastGot: "a referral", LastGotAt: now, Received: 1},
			[]reminders.Promise{{What: "send the deck"}}, reminders.ReasonPromise, "send the deck"},
		{"they gave and you have not given back", reminders.Contact{LastGot: "a referral", LastGotAt: now, Received: 1, Given: 3, LastGaveAt: now.Add(-day)},
			nil, reminders.ReasonOwe, "a referral"},
		{"given back since: no debt", reminders.Contact{LastGot: "a referral", LastGotAt: now.Add(-day), Received: 1, Given: 1, LastGaveAt: now, Tags: []string{"climbing"}},
			nil, reminders.ReasonInterest, "#climbing"},
		{"note", reminders.Contact{Note: "moving to Lisbon"}, nil, reminders.ReasonInterest, "moving to Lisbon"},
		{"company", reminders.Contact{Company: "Acme"}, nil, reminders.ReasonCheckIn, "Acme"},
		{"nothing known", reminders.Contact{}, nil, reminders.ReasonCheckIn, "hello"},
	}
	for _, tt := range tests {
		s := reminders.Suggest(tt.contact, tt.promises, now)
		if s.Reason != tt.reason || !strings.Contains(s.Text, tt.mentions) {
			t.Errorf("%s: suggestion %+v; want reason %s mentioning %q", tt.name, s, tt.reason, tt.mentions)
		}
	}
}

func TestComposeSummaryNamesOnlySharingGivers(t *testing.T) {
	from, to := t0, t0.Add(7*day)
	members := []reminders.MemberActivity{
		{Owner: "slack:T:A", Name: "Ann", Share: true, Counts: reminders.ActivityCounts{Met: 3, Gave: 2, PromisesKept: 1}},
		{Owner: "slack:T:B", Name: "Bea", Share: false, Counts: reminders.ActivityCounts{Gave: 9, Got: 1}},
		{Owner: "slack:T:C", Name: "Cal", Share: true, Counts: reminders.ActivityCounts{Gave: 4}},
		{Owner: "slack:T:D", Name: "Dan", Share: true},
	}
	s := reminders.ComposeSummary(reminders.Team{ID: "slack:T"}, from, to, members)
	want := reminders.ActivityCounts{Met: 3, Gave: 15, Got: 1, PromisesKept: 1}
	if s.Totals != want || s.Members != 4 || s.Active != 3 {
		t.Errorf("totals %+v members %d active %d; want %+v, 4, 3", s.Totals, s.Members, s.Active, want)
	}
	if len(s.Givers) != 2 || s.Givers[0].Name != "Cal" || s.Givers[1].Name != "Ann" {
		t.Errorf("givers %+v; want Cal then Ann (Bea does not share, Dan gave nothing)", s.Givers)
	}
}

func TestActivityCountsPromisesKept(t *testing.T) {
	var a reminders.ActivityCounts
	for _, i := range []reminders.Interaction{
		{Kind: reminders.Met}, {Kind: reminders.Gave}, {Kind: reminders.Gave, PromiseID: 4},
		{Kind: reminders.Got}, {Kind: reminders.Note},
	} {
		a.Count(i)
	}
	if a != (reminders.ActivityCounts{Met: 1, Gave: 2, Got: 1, PromisesKept: 1}) {
		t.Errorf("counts %+v", a)
	}
}

func TestSuggestWritesDatesInTheOwnersZone(t *testing.T) {
	due := time.Date(2026, 11, 27, 23, 30, 0, 0, time.UTC) // already Nov 28 in Berlin
	contacts := []reminders.Contact{{ID: 1, Name: "Bob", Added: t0}}
	promises := []reminders.Promise{{ID: 1, ContactID: 1, What: "send the deck", Due: due}}
	now := due.Add(-48 * time.Hour)
	for _, tt := range []struct {
		zone string
		want string
	}{{"", "Nov 27"}, {"Europe/Berlin", "Nov 28"}} {
		d := reminders.ComposeDigest("console:me", reminders.Settings{TimeZone: tt.zone}, contacts, promises, now.Add(100*day))
		if len(d.Entries) != 1 || !strings.Contains(d.Entries[0].Suggestion.Text, tt.want) {
			t.Errorf("zone %q: digest %+v; want a suggestion dated %s", tt.zone, d.Entries, tt.want)
		}
	}
}

// TestComposeDigestListsEveryOpenPromise pins spec §1: open promises show in
// digests until done, not only once the contact is due or the promise late.
// A contact brought only by such a promise comes after the due contacts:
// dated promises soonest first, then undated ones, oldest first.
func TestComposeDigestListsEveryOpenPromise(t *testing.T) {
	now := t0.Add(100 * day)
	fresh := now.Add(-5 * day) // not due by cadence
	contacts := []reminders.Contact{
		{ID: 1, Name: "Ann", Added: now.Add(-40 * day)},                    // due
		{ID: 2, Name: "Cy", Added: fresh},                                  // a late promise
		{ID: 3, Name: "Pat", Added: fresh},                                 // an undated promise, the oldest
		{ID: 4, Name: "Quinn", Added: fresh},                               // a promise due in 2 days
		{ID: 5, Name: "Rae", Added: fresh},                                 // a promise due in 9 days, and an undated one
		{ID: 6, Name: "Sam", Added: fresh},                                 // an undated promise, newer
		{ID: 7, Name: "Di", Added: fresh, Snoozed: now.Add(day)},           // snoozed: a snooze hides its promise too
		{ID: 8, Name: "Ed", Added: fresh, Cadence: reminders.NeverCadence}, // never nudged by cadence, but a promise is owed
		{ID: 9, Name: "Flo", Added: fresh},                                 // nothing: not listed
		{ID: 10, Name: "Kept", Added: fresh},                               // only a kept promise: not listed
		{ID: 11, Name: "Jo", Added: fresh, Dates: []reminders.Date{{Label: "birthday", Month: time.February, Day: 12}}}, // birthday in 3 days
	}
	promises := []reminders.Promise{
		{ID: 1, ContactID: 2, What: "send the deck", Due: reminders.Day(now.Add(-2*day), time.UTC), Created: now.Add(-4 * day)},
		{ID: 2, ContactID: 3, What: "send the book", Created: now.Add(-3 * day)},
		{ID: 3, ContactID: 4, What: "call back", Due: reminders.Day(now.Add(2*day), time.UTC), Created: now.Add(-day)},
		{ID: 4, ContactID: 5, What: "an intro", Created: now.Add(-4 * day)},
		{ID: 5, ContactID: 5, What: "book tickets", Due: reminders.Day(now.Add(9*day), time.UTC), Created: now.Add(-day)},
		{ID: 6, ContactID: 6, What: "a reference", Created: now.Add(-day)},
		{ID: 7, ContactID: 7, What: "snoozed", Created: now.Add(-4 * day)},
		{ID: 8, ContactID: 8, What: "the slides", Created: now.Add(-2 * day)},
		{ID: 9, ContactID: 10, What: "kept", Created: now.Add(-4 * day), Done: now.Add(-day)},
	}
	if got := now.Format("Jan 2"); got != "Feb 9" {
		t.Fatalf("now is %s; the birthday below assumes Feb 9", got)
	}
	d := reminders.ComposeDigest("console:me", reminders.Settings{Max: 10}, contacts, promises, now)
	want := "Cy,Jo,Ann,Quinn,Rae,Pat,Ed,Sam"
	if got := strings.Join(names(d), ","); got != want {
		t.Fatalf("digest lists %s; want %s", got, want)
	}
	whys := []reminders.Why{reminders.WhyLatePromise, reminders.WhyDate, reminders.WhyDue,
		reminders.WhyPromise, reminders.WhyPromise, reminders.WhyPromise, reminders.WhyPromise, reminders.WhyPromise}
	for i, e := range d.Entries {
		if e.Why != whys[i] {
			t.Errorf("%s is listed for %v; want %v", e.Contact.Name, e.Why, whys[i])
		}
		if e.Why == reminders.WhyPromise && (e.Overdue != 0 || e.Suggestion.Reason != reminders.ReasonPromise || len(e.Promises) == 0) {
			t.Errorf("%s, listed for a promise: overdue %v, suggestion %+v, promises %+v", e.Contact.Name, e.Overdue, e.Suggestion, e.Promises)
		}
	}
	if rae := d.Entries[4]; len(rae.Promises) != 2 || rae.Promises[0].What != "book tickets" || !strings.Contains(rae.Suggestion.Text, "book tickets") {
		t.Errorf("Rae's entry %+v; want the dated promise first, and as the suggestion", rae)
	}

	limited := reminders.ComposeDigest("console:me", reminders.Settings{Max: 4}, contacts, promises, now)
	if got := strings.Join(names(limited), ","); got != "Cy,Jo,Ann,Quinn" || limited.More != 4 {
		t.Errorf("max 4 lists %s with %d more; want Cy,Jo,Ann,Quinn and 4 more", got, limited.More)
	}

	// Open promises alone make a digest worth sending.
	only := reminders.ComposeDigest("console:me", reminders.Settings{}, contacts[2:3], promises, now)
	if got := strings.Join(names(only), ","); got != "Pat" {
		t.Errorf("with only Pat's undated promise the digest lists %q; want Pat", got)
	}
	// A snoozed contact's promise waits for the snooze to end.
	if snoozed := reminders.ComposeDigest("console:me", reminders.Settings{}, contacts[6:7], promises, now); !snoozed.Empty() {
		t.Errorf("a snoozed contact's promise is listed: %v", names(snoozed))
	}
	if later := reminders.ComposeDigest("console:me", reminders.Settings{}, contacts[6:7], promises, now.Add(2*day)); strings.Join(names(later), ",") != "Di" {
		t.Errorf("after the snooze the digest lists %v; want Di", names(later))
	}
}
