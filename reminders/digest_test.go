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
