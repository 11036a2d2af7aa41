package bot

import (
	"math"
	"strings"

	"github.com/kith-bot/kith/reminders"
)

// A changing command runs inside the store's group commit, where every
// microsecond is paid by every writer of the batch. Parsing it against all
// of the owner's contacts means decoding them all there, so most commands,
// which spell a contact's name exactly, are first parsed against only the
// contacts that the name index finds for the runs of their words.
//
// That parse is the full parse whenever it succeeds: the parser tries exact
// names before anything looser, the exact names among all the contacts are
// the ones the index finds, and each run of words also gets two stand-in
// contacts ("decoys") whose names start with it, so that any looser match
// (a prefix, a word, a close spelling) is ambiguous and fails. A failure,
// a mention or a long command is parsed again against all the contacts,
// which also words any error.

// exactVerbs are the changing commands whose only use of the contact list is
// finding the contacts they name. add and edit also check that a name is
// free, so they always see every contact.
var exactVerbs = map[string]bool{
	"met": true, "gave": true, "got": true, "note": true, "promise": true, "done": true,
	"snooze": true, "every": true, "tag": true, "untag": true, "remove": true,
}

// maxExactRuns bounds the index lookups of one command; a longer command
// (a note of some thirty words) is parsed against all the contacts.
const maxExactRuns = 256

// decoyMark ends decoy names; a command that contains it is parsed in full,
// so no run of its words can be a decoy's exact name.
const decoyMark = "\u2063kith-decoy"

// lookupFunc finds the contact whose NameKey equals that of name.
type lookupFunc func(name string) (reminders.Contact, bool, error)

// parseExact parses text, whose canonical verb is verb, against the contacts
// lookup finds for its runs of words. ok is false when the full contact list
// must decide; err is an error of lookup.
func parseExact(text, verb string, env Env, lookup lookupFunc) (p Parsed, ok bool, err error) {
	if !exactVerbs[verb] || strings.Contains(strings.ToLower(text), decoyMark) {
		return Parsed{}, false, nil
	}
	runs, ok := wordRuns(text, verb)
	if !ok {
		return Parsed{}, false, nil
	}
	var found []reminders.Contact
	real := map[uint64]bool{}
	decoys := make([]reminders.Contact, 0, 2*len(runs))
	for i, run := range runs {
		c, hit, err := lookup(run)
		if err != nil {
			return Parsed{}, false, err
		}
		if hit && !real[c.ID] {
			real[c.ID] = true
			found = append(found, c)
		}
		id := math.MaxUint64 - 2*uint64(i)
		decoys = append(decoys, reminders.Contact{ID: id, Name: run + " " + decoyMark + "1"}, reminders.Contact{ID: id - 1, Name: run + " " + decoyMark + "2"})
	}
	env.Contacts = append(found, decoys...)
	p, err = Parse(text, env)
	if err != nil {
		return Parsed{}, false, nil
	}
	for _, c := range p.Contacts {
		if !real[c.ID] || strings.Contains(c.Name, decoyMark) {
			return Parsed{}, false, nil
		}
	}
	return p, true, nil
}

// wordRuns returns every run of consecutive words of the command's argument
// that could be a contact's name, each once by NameKey: a superset of the
// phrases the parser looks up. ok is false for a command with a mention,
// whose contact only a scan of all the contacts can find, or with too many
// runs.
func wordRuns(text, verb string) (runs []string, ok bool) {
	text = strings.TrimSpace(text)
	_, rest, _ := strings.Cut(text, " ")
	rest = strings.TrimSpace(rest)
	var seqs [][]token
	ts, err := tokenize(rest)
	if err != nil {
		return nil, false
	}
	seqs = append(seqs, ts)
	if verb == "met" {
		// met reads names before its note, split at commas.
		before, _, _ := splitNote(rest)
		bs, err := tokenize(before)
		if err != nil {
			return nil, false
		}
		seqs = append(seqs, bs)
		var group []token
		for _, t := range bs {
			if !t.plain() || !strings.Contains(t.text, ",") {
				group = append(group, t)
				continue
			}
			for i, piece := range strings.Split(t.text, ",") {
				if i > 0 {
					seqs, group = append(seqs, group), nil
				}
				if piece != "" {
					group = append(group, token{text: piece, raw: piece})
				}
			}
		}
		seqs = append(seqs, group)
	}
	seen := map[string]bool{}
	for _, seq := range seqs {
		for i := range seq {
			if seq[i].mention != "" {
				return nil, false
			}
			for j := i + 1; j <= len(seq); j++ {
				run := joinWords(seq[i:j])
				key := reminders.NameKey(run)
				if key == "" || seen[key] {
					continue
				}
				if len(runs) == maxExactRuns {
					return nil, false
				}
				seen[key] = true
				runs = append(runs, run)
			}
		}
	}
	return runs, true
}

// txLookup finds contacts by name through the transaction's name index.
func txLookup(tx reminders.OwnerTx) lookupFunc {
	return func(name string) (reminders.Contact, bool, error) {
		c, err := tx.ContactByName(name)
		if reminders.ErrorCode(err) == reminders.ENOTFOUND {
			return reminders.Contact{}, false, nil
		}
		if err != nil {
			return reminders.Contact{}, false, err
		}
		return c, true, nil
	}
}
