package transfer

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/kith-bot/kith/reminders"
)

// Format names of kith's JSON export, so import recognises its own files.
const (
	FormatName    = "kith"
	FormatVersion = 1
)

// Document is kith's JSON export of one owner: everything kith keeps about
// their network, enough to move it to another kith or another platform.
type Document struct {
	Format   string             `json:"format"`  // always FormatName
	Version  int                `json:"version"` // FormatVersion; a newer one is refused
	Owner    reminders.OwnerID  `json:"owner"`
	Settings reminders.Settings `json:"settings"`
	Contacts []ContactRecord    `json:"contacts"`
}

// ContactRecord is one contact with its history and promises, as exported.
type ContactRecord struct {
	reminders.Contact
	History  []reminders.Interaction `json:"history,omitempty"`  // newest first
	Promises []reminders.Promise     `json:"promises,omitempty"` // oldest first
}

// Archive is the export of every owner, for moving a whole installation.
type Archive struct {
	Format  string     `json:"format"`
	Version int        `json:"version"`
	Owners  []Document `json:"owners"`
}

// envelope is what both JSON shapes share, to tell them apart.
type envelope struct {
	Format  string            `json:"format"`
	Version int               `json:"version"`
	Owners  []json.RawMessage `json:"owners"`
}

// parseJSON reads a kith export of one owner, or of every owner when it holds
// exactly one.
func parseJSON(data []byte) (parsed, error) {
	var env envelope
	if err := json.Unmarshal(data, &env); err != nil || env.Format != FormatName {
		return parsed{}, errNotImportable()
	}
	if env.Version > FormatVersion {
		return parsed{}, reminders.Errorf(reminders.EINVALID,
			"that kith export is of version %d, newer than this kith reads (%d); upgrade kith and import it again.", env.Version, FormatVersion)
	}
	doc := data
	if env.Owners != nil {
		if len(env.Owners) != 1 {
			return parsed{}, reminders.Errorf(reminders.EINVALID,
				"that kith export holds %s; export one owner with kith export --owner OWNER and import that.", plural(len(env.Owners), "owner"))
		}
		doc = env.Owners[0]
	}
	var d Document
	dec := json.NewDecoder(bytes.NewReader(doc))
	if err := dec.Decode(&d); err != nil {
		return parsed{}, reminders.Errorf(reminders.EINVALID,
			"that kith export is damaged (%s); export it again.", jsonProblem(err))
	}
	if sched := d.Settings.Digest; sched != "" {
		// The scheduler would refuse it at every start; refuse the file now,
		// before anything is stored.
		if _, err := reminders.ScheduleCron(sched); err != nil {
			return parsed{}, reminders.Errorf(reminders.EINVALID,
				"that kith export's digest schedule %q is not one kith can use; set it to a time such as \"weekdays 09:00\" in the file, or remove it, and import again.", sched)
		}
	}
	p := parsed{settings: &d.Settings}
	for i, cr := range d.Contacts {
		if len(p.records) >= MaxImportContacts {
			p.records = append(p.records, record{}) // parse reports the limit
			break
		}
		p.records = append(p.records, documentRecord(cr, i+1))
	}
	return p, nil
}

// documentRecord turns an exported contact into a record, dropping history
// entries that no kith could have written.
func documentRecord(cr ContactRecord, n int) record {
	rec := record{where: fmt.Sprintf("contact %d", n), contact: cr.Contact, promises: cr.Promises}
	for _, i := range cr.History {
		if i.Kind.Valid() && !i.At.IsZero() {
			rec.history = append(rec.history, i)
		}
	}
	return rec
}

// jsonProblem names what is wrong with a JSON file without echoing its content.
func jsonProblem(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("bad JSON at byte %d", e.Offset)
	case *json.UnmarshalTypeError:
		return fmt.Sprintf("a %s where %s belongs", e.Value, e.Field)
	}
	return "not a kith export"
}
