package lang

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kith-bot/kith/reminders"
)

// Resolve finds the one contact a name means, case-insensitively: the exact
// name, then a unique prefix, then a unique word, then a close spelling. It
// never guesses: two candidates give an EINVALID error that lists them, and
// none gives an ENOTFOUND error that offers add.
func Resolve(contacts []reminders.Contact, name string) (reminders.Contact, error) {
	return pickOne(name, newNameIndex(contacts).candidates(name, matchClose))
}

// Levels of name matching, from strictest to loosest.
const (
	matchExact   = iota // the whole name, case-insensitively
	matchPartial        // also a unique prefix or a unique word
	matchClose          // also a close spelling
)

// nameIndex holds the contacts' names in the forms matching compares, worked
// out once per command rather than once per comparison, and each only when a
// level of matching first needs it: most commands name a contact exactly.
type nameIndex struct {
	contacts []reminders.Contact
	keys     []string   // NameKey; "" until worked out
	folds    []string   // NameKey without accents; nil until a prefix is tried
	words    [][]string // the words of folds; nil until a word is tried
	maxLen   int        // longest's answer; -1 until worked out
}

func newNameIndex(contacts []reminders.Contact) *nameIndex {
	return &nameIndex{contacts: contacts, keys: make([]string, len(contacts)), maxLen: -1}
}

// key is the NameKey of contact i.
func (ix *nameIndex) key(i int) string {
	if ix.keys[i] == "" {
		ix.keys[i] = nameKey(ix.contacts[i].Name)
	}
	return ix.keys[i]
}

// foldsOf returns the folds, working them out on first use.
func (ix *nameIndex) foldsOf() []string {
	if ix.folds == nil {
		ix.folds = make([]string, len(ix.contacts))
		for i := range ix.contacts {
			ix.folds[i] = fold(ix.key(i))
		}
	}
	return ix.folds
}

// wordsOf returns the words, working them out on first use.
func (ix *nameIndex) wordsOf() [][]string {
	if ix.words == nil {
		ix.words = make([][]string, len(ix.contacts))
		for i, f := range ix.foldsOf() {
			ix.words[i] = strings.Fields(f)
		}
	}
	return ix.words
}

// longest bounds the length of a typed phrase that can name a contact: twice
// the longest name, in bytes, and a close spelling's typos. Twice, because a
// name typed with accents or in another case may take more bytes than it is
// stored with ("Zoë" for Zoe); bytes, so that no name is worked out first.
func (ix *nameIndex) longest() int {
	if ix.maxLen < 0 {
		ix.maxLen = 0
		for _, c := range ix.contacts {
			ix.maxLen = max(ix.maxLen, len(c.Name))
		}
	}
	return 2*ix.maxLen + 2*utf8.UTFMax
}

// plainName reports whether name is ASCII words split by single spaces: the
// usual name, whose NameKey is the name in lower case.
func plainName(name string) bool {
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c >= utf8.RuneSelf || c < ' ': // accents, other spaces, control characters
			return false
		case c == ' ' && (i == 0 || i == len(name)-1 || name[i-1] == ' '): // spaces to trim or squeeze
			return false
		}
	}
	return true
}

// nameKey is reminders.NameKey, with one allocation at most for a plain name.
func nameKey(name string) string {
	if plainName(name) {
		return strings.ToLower(name)
	}
	return reminders.NameKey(name)
}

// hasKey reports whether the NameKey of contact i is key. The exact level
// compares every contact's name, inside the store's group commit when a
// command changes data, so for a plain name it compares without working
// the key out.
func (ix *nameIndex) hasKey(i int, key string) bool {
	name := ix.contacts[i].Name
	if ix.keys[i] != "" || !plainName(name) {
		return ix.key(i) == key
	}
	if len(name) != len(key) {
		return false
	}
	for j := 0; j < len(name); j++ {
		c := name[j]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != key[j] {
			return false
		}
	}
	return true
}

// candidates returns the contacts a name could mean at the first level up to
// upTo that matches any: exact, prefix, word, close spelling.
func (ix *nameIndex) candidates(name string, upTo int) []reminders.Contact {
	out, _ := ix.candidatesAt(name, upTo)
	return out
}

// candidatesAt is candidates with the level they matched at. Among close
// spellings only the closest are kept, so "jnae roe" is Jane Roe (one swap)
// rather than Jane Roe or Jane Doe (two edits).
func (ix *nameIndex) candidatesAt(name string, upTo int) ([]reminders.Contact, int) {
	key := reminders.NameKey(name)
	if key == "" {
		return nil, matchExact
	}
	for i := range ix.contacts {
		if ix.hasKey(i, key) { // names are unique by NameKey: this is the one
			return []reminders.Contact{ix.contacts[i]}, matchExact
		}
	}
	if upTo == matchExact {
		return nil, matchExact
	}
	// Past the exact level, accents do not count, so "zoe" finds "Zoë".
	fkey := fold(key)
	var out []reminders.Contact
	for i, f := range ix.foldsOf() {
		if strings.HasPrefix(f, fkey) {
			out = append(out, ix.contacts[i])
		}
	}
	if len(out) > 0 {
		return out, matchPartial
	}
	kw := strings.Fields(fkey)
	words := ix.wordsOf()
	for i, w := range words {
		if runDistance(w, kw, 0) == 0 {
			out = append(out, ix.contacts[i])
		}
	}
	if len(out) > 0 || upTo == matchPartial {
		return out, matchPartial
	}
	limit := maxTypos(fkey)
	if limit == 0 {
		return nil, matchClose
	}
	best := limit + 1
	for i, w := range words {
		switch d := runDistance(w, kw, limit); {
		case d < best:
			out, best = append(out[:0], ix.contacts[i]), d
		case d == best && d <= limit:
			out = append(out, ix.contacts[i])
		}
	}
	return out, matchClose
}

// runDistance is the fewest edits that turn a run of len(want) consecutive
// words of words into want, or limit+1 when none is within limit. Only runs
// of the same length are compared, so "jane doe a" is never a close
// spelling of "jane doe".
func runDistance(words, want []string, limit int) int {
	best := limit + 1
	if len(want) == 0 || len(want) > len(words) {
		return best
	}
	target := strings.Join(want, " ")
	for i := 0; i+len(want) <= len(words) && best > 0; i++ {
		run := strings.Join(words[i:i+len(want)], " ")
		if limit == 0 {
			if run == target {
				best = 0
			}
		} else {
			best = min(best, distance(run, target, limit))
		}
	}
	return best
}

// maxTypos is how many edits a typed name may be away from a contact's: none
// for very short names, where one edit turns Bob into Rob.
func maxTypos(key string) int {
	n := len([]rune(key))
	switch {
	case n < 4:
		return 0
	case n < 7:
		return 1
	}
	return 2
}

// distance is the optimal-string-alignment edit distance between a and b in
// runes (a swap of two neighbours counts as one edit). It stops early and
// returns limit+1 once the distance is known to exceed limit.
func distance(a, b string, limit int) int {
	if d := utf8.RuneCountInString(a) - utf8.RuneCountInString(b); d > limit || -d > limit {
		return limit + 1
	}
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// pickOne turns candidates into the one contact or a sentence that lists them.
func pickOne(name string, cands []reminders.Contact) (reminders.Contact, error) {
	switch len(cands) {
	case 1:
		return cands[0], nil
	case 0:
		return reminders.Contact{}, unknownName(name)
	}
	return reminders.Contact{}, ambiguous(name, cands)
}

// unknownName says that no contact matches and offers add.
func unknownName(name string) error {
	name = strings.Join(strings.Fields(name), " ")
	return reminders.Errorf(reminders.ENOTFOUND, "You have no contact called %q; add them first with: add %s", name, name)
}

// maxListed bounds how many candidates an ambiguous-name reply lists.
const maxListed = 8

// ambiguous lists the contacts a name could mean and shows how to pick one.
func ambiguous(name string, cands []reminders.Contact) error {
	names := make([]string, 0, maxListed+1)
	for i, c := range cands {
		if i == maxListed {
			names = append(names, fmt.Sprintf("%d more", len(cands)-maxListed))
			break
		}
		names = append(names, c.Name)
	}
	last := len(names) - 1
	list := strings.Join(names[:last], ", ") + " or " + names[last]
	return reminders.Errorf(reminders.EINVALID, "%q could be %s; type more of the name, e.g. \"%s\" in quotes.",
		strings.Join(strings.Fields(name), " "), list, cands[0].Name)
}

// foldPairs maps accented Latin letters to their plain forms so that a name
// typed without accents still finds its contact.
var foldPairs = strings.NewReplacer(
	"à", "a", "á", "a", "â", "a", "ã", "a", "ä", "a", "å", "a", "ā", "a", "ą", "a",
	"ç", "c", "ć", "c", "č", "c",
	"ď", "d", "đ", "d",
	"è", "e", "é", "e", "ê", "e", "ë", "e", "ē", "e", "ę", "e", "ě", "e",
	"ì", "i", "í", "i", "î", "i", "ï", "i", "ī", "i",
	"ł", "l", "ñ", "n", "ń", "n", "ň", "n",
	"ò", "o", "ó", "o", "ô", "o", "õ", "o", "ö", "o", "ø", "o", "ō", "o", "ő", "o",
	"ř", "r", "ś", "s", "š", "s", "ş", "s", "ß", "ss", "ť", "t",
	"ù", "u", "ú", "u", "û", "u", "ü", "u", "ū", "u", "ů", "u", "ű", "u",
	"ý", "y", "ÿ", "y", "ź", "z", "ż", "z", "ž", "z",
)

// fold removes accents from a lower-case name key.
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return foldPairs.Replace(s)
		}
	}
	return s // plain ASCII: nothing to fold, and no allocation
}
