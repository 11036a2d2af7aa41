package lang_test

import (
	"strings"
	"testing"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
)

// people is the contact list of the parser and name tests: two Janes, a
// unicode name, a name that is also a month, and a Slack mention.
func people() []reminders.Contact {
	return []reminders.Contact{
		{ID: 1, Name: "Jane Doe", Company: "Acme"},
		{ID: 2, Name: "Jane Roe"},
		{ID: 3, Name: "Bob Lee", Mention: "U777"},
		{ID: 4, Name: "Zoë Ångström"},
		{ID: 5, Name: "May"},
		{ID: 6, Name: "Anna Karenina"},
		{ID: 7, Name: "O'Brien"},
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		in   string
		want string // the contact's name, or the error code
		says []string
	}{
		{"Jane Doe", "Jane Doe", nil},
		{"jane doe", "Jane Doe", nil},
		{"  JANE   DOE ", "Jane Doe", nil},
		{"Jane D", "Jane Doe", nil}, // unique prefix
		{"Doe", "Jane Doe", nil},    // unique word
		{"Bob", "Bob Lee", nil},
		{"lee", "Bob Lee", nil},
		{"Zoë Ångström", "Zoë Ångström", nil},
		{"zoe", "Zoë Ångström", nil}, // accents do not count past the exact level
		{"ångström", "Zoë Ångström", nil},
		{"Angstrom", "Zoë Ångström", nil},
		{"may", "May", nil},
		{"o'brien", "O'Brien", nil},
		{"Anna Karenian", "Anna Karenina", nil}, // close spelling (a swap)
		{"Karenin", "Anna Karenina", nil},       // prefix of a word? no: close spelling of the word
		{"Bbo Lee", "Bob Lee", nil},
		{"Jane", reminders.EINVALID, []string{"Jane Doe", "Jane Roe"}},     // never guesses between two
		{"Jane Deo", "Jane Doe", nil},                                      // one swap from Jane Doe, two edits from Jane Roe: clearly closer
		{"Jnae Roe", "Jane Roe", nil},                                      // likewise
		{"Jane Xoe", reminders.EINVALID, []string{"Jane Doe", "Jane Roe"}}, // one edit from both: never guesses
		{"Smith", reminders.ENOTFOUND, []string{"add Smith"}},
		{"Bo", "Bob Lee", nil},
		{"Rob", reminders.ENOTFOUND, nil}, // three letters: no close spellings
		{"", reminders.ENOTFOUND, nil},
	}
	for _, tt := range tests {
		got, err := lang.Resolve(people(), tt.in)
		if err != nil {
			if reminders.ErrorCode(err) != tt.want {
				t.Errorf("Resolve(%q) error %v, want %s", tt.in, err, tt.want)
			}
			for _, s := range tt.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Resolve(%q) error %q does not mention %q", tt.in, err, s)
				}
			}
			continue
		}
		if got.Name != tt.want {
			t.Errorf("Resolve(%q) = %s, want %s", tt.in, got.Name, tt.want)
		}
	}
}
