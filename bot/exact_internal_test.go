package bot

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// exactNames are contact names chosen to collide: prefixes of each other,
// shared words, accents, close spellings, and names that read as dates,
// cadences or keywords.
var exactNames = []string{
	"Jane", "Jane Doe", "Jane Doe Smith", "Janet", "Jan", "Doe", "Jane Roe",
	"Zoë Ångström", "Zoe", "Bob", "Bob Lee", "Rob Lee", "May", "Friday Jones",
	"Yesterday", "Mark", "O'Brien", "Anna-Lise", "Ann", "Anna", "Lee", "Intro",
	"Jane, Doe", "Every", "2w", "The Deck", "Jane Doe Jr",
}

// exactPhrases are what users type where a name goes.
var exactPhrases = []string{
	"Jane", "jane", "Jane Doe", "JANE DOE", "jane doe smith", "Janet", "jan", "Jne Doe",
	"Zoë Ångström", "zoe", "Zoe Angstrom", "bob", "Bob Lee", "rob", "May", "friday jones",
	"Yesterday", "mark", "o'brien", "Anna-Lise", "ann", "anna", "lee", "\"Jane Doe\"",
	"\"jane\"", "<@U1>", "<@U2|jane>", "Jane,Bob", "Jane, Bob Lee", "\"Jane Doe\", Bob",
	"Jane Doe Jr", "the deck", "intro", "nobody", "Jane  Doe",
}

// exactTails are what follows the name, for each verb.
var exactTails = map[string][]string{
	"met":     {"", "yesterday", "last friday", "on 2026-11-01", "3 days ago", ": coffee", "yesterday: lunch, Bob too", "may 3", "tomorrow"},
	"gave":    {"an intro to Bob", "intro yesterday", "", "the deck 2 days ago"},
	"got":     {"feedback", "a book last friday", ""},
	"note":    {"moving to Berlin", ": likes tea", ""},
	"promise": {"send the deck by friday", "the deck", "intro by next monday", ""},
	"done":    {"", "deck", "intro", "nothing"},
	"snooze":  {"2w", "until 2026-12-01", "", "forever"},
	"every":   {"2w", "monthly", "never", "", "sometimes"},
	"tag":     {"#investor", "#a #b", "", "investor"},
	"untag":   {"#investor", ""},
	"remove":  {""},
}

// TestParseExactAgreesWithFullParse checks the fast path's promise: when it
// answers, it answers what the parse against all the contacts answers.
func TestParseExactAgreesWithFullParse(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	now := time.Date(2026, 11, 18, 15, 0, 0, 0, time.UTC)
	verbs := []string{"met", "gave", "got", "note", "promise", "done", "snooze", "every", "tag", "untag", "remove"}
	answered, total := 0, 0
	for range 200 {
		contacts := randomContacts(rng)
		env := Env{Now: now, Loc: time.UTC, Contacts: contacts, Promises: randomPromises(rng, contacts, now)}
		lookup := mapLookup(contacts)
		for range 40 {
			verb := verbs[rng.IntN(len(verbs))]
			tails := exactTails[verb]
			text := strings.TrimSpace(verb + " " + exactPhrases[rng.IntN(len(exactPhrases))] + " " + tails[rng.IntN(len(tails))])
			total++
			fast, ok, err := parseExact(text, verb, Env{Now: env.Now, Loc: env.Loc, Promises: env.Promises}, lookup)
			if err != nil {
				t.Fatalf("%q: lookup error %v", text, err)
			}
			if !ok {
				continue
			}
			answered++
			full, err := Parse(text, env)
			if err != nil {
				t.Fatalf("%q with %v: fast path gave %+v, full parse failed: %v", text, names(contacts), fast, err)
			}
			if !reflect.DeepEqual(fast, full) {
				t.Fatalf("%q with %v:\nfast %+v\nfull %+v", text, names(contacts), fast, full)
			}
		}
	}
	// The fast path must also be taken, or it saves nothing.
	t.Logf("fast path answered %d of %d commands", answered, total)
	if answered < total/5 {
		t.Fatalf("fast path answered %d of %d commands", answered, total)
	}
}

// TestParseExactDeclines lists commands the fast path must leave to the full parse.
func TestParseExactDeclines(t *testing.T) {
	now := time.Date(2026, 11, 18, 15, 0, 0, 0, time.UTC)
	contacts := []reminders.Contact{
		{ID: 1, Name: "Jane Doe"}, {ID: 2, Name: "Janet"}, {ID: 3, Name: "Bob Lee", Mention: "U9"}, {ID: 4, Name: "Zoë Ångström"},
	}
	tests := []struct {
		text string
		ok   bool
	}{
		{"met Jane Doe yesterday", true},
		{"met \"jane doe\", bob lee: coffee", true},
		{"gave Bob Lee an intro", true},
		{"met jane", false},     // a prefix: Janet might be meant
		{"met jne doe", false},  // a close spelling
		{"met zoe", false},      // accents ignored only past exact names
		{"met <@U9>", false},    // a mention: only a scan finds it
		{"add Jane Doe", false}, // add checks that the name is free
		{"edit Jane Doe name Bob Lee", false},
		{"met Nobody", false},                     // an error is worded by the full parse
		{"note Jane Doe " + manyWords(30), false}, // too many runs
		{"met Jane Doe " + decoyMark + "1", false},
	}
	for _, tt := range tests {
		verb := verbs[strings.Fields(tt.text)[0]]
		_, ok, err := parseExact(tt.text, verb, Env{Now: now, Loc: time.UTC}, mapLookup(contacts))
		if err != nil || ok != tt.ok {
			t.Errorf("%q: ok %v err %v, want ok %v", tt.text, ok, err, tt.ok)
		}
	}
}

// manyWords is n different words.
func manyWords(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, " w%d", i)
	}
	return b.String()
}

func randomContacts(rng *rand.Rand) []reminders.Contact {
	var out []reminders.Contact
	for i, n := range rng.Perm(len(exactNames))[:1+rng.IntN(len(exactNames))] {
		c := reminders.Contact{ID: uint64(i + 1), Name: exactNames[n]}
		if rng.IntN(6) == 0 {
			c.Mention = []string{"U1", "U2", "U3"}[rng.IntN(3)]
		}
		out = append(out, c)
	}
	return out
}

func randomPromises(rng *rand.Rand, contacts []reminders.Contact, now time.Time) []reminders.Promise {
	var out []reminders.Promise
	for i, c := range contacts {
		for j := range rng.IntN(3) {
			out = append(out, reminders.Promise{ID: uint64(10*i + j + 1), ContactID: c.ID, What: []string{"send the deck", "an intro", "the deck again"}[j], Created: now.Add(-time.Hour)})
		}
	}
	return out
}

// mapLookup is ContactByName over a list, by NameKey.
func mapLookup(contacts []reminders.Contact) lookupFunc {
	byKey := map[string]reminders.Contact{}
	for _, c := range contacts {
		byKey[reminders.NameKey(c.Name)] = c
	}
	return func(name string) (reminders.Contact, bool, error) {
		c, ok := byKey[reminders.NameKey(name)]
		return c, ok, nil
	}
}

func names(cs []reminders.Contact) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}
