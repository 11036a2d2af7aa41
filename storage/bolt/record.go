package bolt

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// Contacts, interactions, promises and undo records, the bulk of the file,
// are stored in a compact binary form rather than JSON: JSON spent most of
// their bytes on field names and RFC 3339 times (a contact took 465 bytes in
// JSON, about a third of that here). A value is a run of fields, each a
// field number byte and its payload; a zero field is left out, so a field
// added later is just a new number. Numbers are never reused. The round-trip
// test fills every field of each type by reflection, so a field added to
// the domain without a number here fails it.

// recordWriter appends fields to a value.
type recordWriter struct{ b []byte }

func (w *recordWriter) uint(f byte, v uint64) {
	if v != 0 {
		w.b = binary.AppendUvarint(append(w.b, f), v)
	}
}

func (w *recordWriter) int(f byte, v int) {
	if v != 0 {
		w.b = binary.AppendVarint(append(w.b, f), int64(v))
	}
}

func (w *recordWriter) str(f byte, s string) {
	if s != "" {
		w.b = append(binary.AppendUvarint(append(w.b, f), uint64(len(s))), s...)
	}
}

// bytes writes b even when empty: a present empty value is not an absent one.
func (w *recordWriter) bytes(f byte, b []byte) {
	w.b = append(binary.AppendUvarint(append(w.b, f), uint64(len(b))), b...)
}

func (w *recordWriter) flag(f byte, v bool) {
	if v {
		w.b = append(w.b, f)
	}
}

// time writes an instant as Unix seconds, then nanoseconds shifted left by
// one whose low bit says a zone offset follows. The offset is kept because
// JSON kept it; the zone's name JSON never kept.
func (w *recordWriter) time(f byte, t time.Time) {
	if t.IsZero() {
		return
	}
	w.b = binary.AppendVarint(append(w.b, f), t.Unix())
	_, off := t.Zone()
	ns := uint64(t.Nanosecond()) << 1
	if off == 0 {
		w.b = binary.AppendUvarint(w.b, ns)
		return
	}
	w.b = binary.AppendVarint(binary.AppendUvarint(w.b, ns|1), int64(off))
}

// sameOffset reports whether two times carry the same zone offset.
func sameOffset(a, b time.Time) bool {
	_, x := a.Zone()
	_, y := b.Zone()
	return x == y
}

// nested writes a value encoded on its own (a date, an undo entry).
func (w *recordWriter) nested(f byte, encode func(w *recordWriter)) {
	var inner recordWriter
	encode(&inner)
	w.bytes(f, inner.b)
}

// errRecord reports a stored value this build cannot read.
var errRecord = errors.New("malformed record")

// recordReader reads the fields of a value; the first error sticks.
type recordReader struct {
	b   []byte
	err error
}

// field returns the next field number; false at the end or after an error.
func (r *recordReader) field() (byte, bool) {
	if r.err != nil || len(r.b) == 0 {
		return 0, false
	}
	f := r.b[0]
	r.b = r.b[1:]
	return f, true
}

// unknown records a field number this build does not know.
func (r *recordReader) unknown(kind string, f byte) {
	r.fail(fmt.Errorf("%w: %s field %d (written by a newer kith?)", errRecord, kind, f))
}

func (r *recordReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
	r.b = nil
}

func (r *recordReader) uint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail(errRecord)
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *recordReader) int() int {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail(errRecord)
		return 0
	}
	r.b = r.b[n:]
	return int(v)
}

// raw returns the next length-prefixed bytes, pointing into the value.
func (r *recordReader) raw() []byte {
	n := r.uint()
	if r.err != nil || n > uint64(len(r.b)) {
		r.fail(errRecord)
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *recordReader) str() string { return string(r.raw()) }

// bytes returns a copy of the next length-prefixed bytes, never nil.
func (r *recordReader) bytes() []byte { return append([]byte{}, r.raw()...) }

func (r *recordReader) time() time.Time {
	sec := r.int64()
	ns := r.uint()
	if r.err != nil {
		return time.Time{}
	}
	t := time.Unix(sec, int64(ns>>1)).UTC()
	if ns&1 == 1 {
		t = t.In(time.FixedZone("", r.int()))
	}
	return t
}

func (r *recordReader) int64() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail(errRecord)
		return 0
	}
	r.b = r.b[n:]
	return v
}

// nested reads a value encoded on its own.
func (r *recordReader) nested(decode func(r *recordReader)) {
	inner := recordReader{b: r.raw()}
	if r.err != nil {
		return
	}
	decode(&inner)
	if inner.err != nil {
		r.fail(inner.err)
	}
}

// done returns the reader's error, for a decode's caller.
func (r *recordReader) done() error { return reminders.Internal(r.err) }

// encodeContact is a contact's stored value.
func encodeContact(c *reminders.Contact) []byte {
	w := recordWriter{b: make([]byte, 0, 160)}
	w.uint(1, c.ID)
	w.str(2, c.Name)
	w.str(3, c.Company)
	w.str(4, c.Role)
	w.str(5, c.Email)
	w.str(6, c.URL)
	w.str(7, c.Mention)
	for _, t := range c.Tags {
		w.bytes(8, []byte(t)) // written even when empty, so that no store drops what another keeps
	}
	w.str(9, c.Note)
	w.int(10, c.Cadence.N)
	w.str(11, string(c.Cadence.Unit))
	w.flag(12, c.Cadence.Never)
	w.time(13, c.Added)
	w.time(14, c.Snoozed)
	for _, d := range c.Dates {
		w.nested(15, func(w *recordWriter) {
			w.str(1, d.Label)
			w.int(2, int(d.Month))
			w.int(3, d.Day)
			w.int(4, d.Year)
			w.flag(5, d.Once)
		})
	}
	w.int(16, c.Learn.Pushed)
	w.int(17, c.Learn.Early)
	w.time(18, c.Learn.QuietLonger)
	w.time(19, c.Learn.QuietShorter)
	w.time(20, c.LastContact)
	w.str(21, string(c.LastKind))
	w.str(22, c.LastNote)
	w.int(23, c.Given)
	w.int(24, c.Received)
	// What they last gave is often the last note too, and when they last
	// gave the last contact: a flag then says so instead of writing it twice.
	if c.LastGot != "" && c.LastGot == c.LastNote {
		w.flag(28, true)
	} else {
		w.str(25, c.LastGot)
	}
	if !c.LastGotAt.IsZero() && c.LastGotAt.Equal(c.LastContact) && sameOffset(c.LastGotAt, c.LastContact) {
		w.flag(29, true)
	} else {
		w.time(26, c.LastGotAt)
	}
	w.time(27, c.LastGaveAt)
	return w.b
}

// decodeContact reads a contact's stored value.
func decodeContact(v []byte, c *reminders.Contact) error {
	*c = reminders.Contact{}
	r := recordReader{b: v}
	for f, ok := r.field(); ok; f, ok = r.field() {
		switch f {
		case 1:
			c.ID = r.uint()
		case 2:
			c.Name = r.str()
		case 3:
			c.Company = r.str()
		case 4:
			c.Role = r.str()
		case 5:
			c.Email = r.str()
		case 6:
			c.URL = r.str()
		case 7:
			c.Mention = r.str()
		case 8:
			c.Tags = append(c.Tags, r.str())
		case 9:
			c.Note = r.str()
		case 10:
			c.Cadence.N = r.int()
		case 11:
			c.Cadence.Unit = reminders.Unit(r.str())
		case 12:
			c.Cadence.Never = true
		case 13:
			c.Added = r.time()
		case 14:
			c.Snoozed = r.time()
		case 15:
			var d reminders.Date
			r.nested(func(r *recordReader) {
				for f, ok := r.field(); ok; f, ok = r.field() {
					switch f {
					case 1:
						d.Label = r.str()
					case 2:
						d.Month = time.Month(r.int())
					case 3:
						d.Day = r.int()
					case 4:
						d.Year = r.int()
					case 5:
						d.Once = true
					default:
						r.unknown("date", f)
					}
				}
			})
			c.Dates = append(c.Dates, d)
		case 16:
			c.Learn.Pushed = r.int()
		case 17:
			c.Learn.Early = r.int()
		case 18:
			c.Learn.QuietLonger = r.time()
		case 19:
			c.Learn.QuietShorter = r.time()
		case 20:
			c.LastContact = r.time()
		case 21:
			c.LastKind = reminders.Kind(r.str())
		case 22:
			c.LastNote = r.str()
		case 23:
			c.Given = r.int()
		case 24:
			c.Received = r.int()
		case 25:
			c.LastGot = r.str()
		case 26:
			c.LastGotAt = r.time()
		case 27:
			c.LastGaveAt = r.time()
		case 28:
			c.LastGot = c.LastNote // written after it
		case 29:
			c.LastGotAt = c.LastContact // written after it
		default:
			r.unknown("contact", f)
		}
	}
	return r.done()
}

// interactionKinds numbers the kinds for field 9: a byte instead of the name.
var interactionKinds = []reminders.Kind{1: reminders.Met, 2: reminders.Gave, 3: reminders.Got, 4: reminders.Note}

// encodeInteraction is an interaction's stored value. Its id, its contact's
// id and when it happened are in its key (interactionKey), so they are left
// out; when it happened is written only to keep a zone offset, which the
// key does not hold. Schema 6 wrote fields 1 to 4 always; they are still read.
func encodeInteraction(i *reminders.Interaction) []byte {
	w := recordWriter{b: make([]byte, 0, 16+len(i.Text))}
	if code := slices.Index(interactionKinds, i.Kind); code > 0 {
		w.uint(9, uint64(code))
	} else {
		w.str(3, string(i.Kind))
	}
	if _, off := i.At.Zone(); off != 0 {
		w.time(4, i.At)
	}
	w.str(5, i.Text)
	if i.Logged.Equal(i.At) && sameOffset(i.Logged, i.At) {
		w.flag(8, true) // the common case, an entry logged as it happened
	} else {
		w.time(6, i.Logged)
	}
	w.uint(7, i.PromiseID)
	return w.b
}

// decodeInteraction reads an interaction's stored value, given what its key holds.
func decodeInteraction(v []byte, i *reminders.Interaction, contactID uint64, at time.Time, id uint64) error {
	*i = reminders.Interaction{ID: id, ContactID: contactID, At: at}
	r := recordReader{b: v}
	for f, ok := r.field(); ok; f, ok = r.field() {
		switch f {
		case 1:
			i.ID = r.uint()
		case 2:
			i.ContactID = r.uint()
		case 3:
			i.Kind = reminders.Kind(r.str())
		case 4:
			i.At = r.time()
		case 5:
			i.Text = r.str()
		case 6:
			i.Logged = r.time()
		case 7:
			i.PromiseID = r.uint()
		case 8:
			i.Logged = i.At // At comes first
		case 9:
			if code := r.uint(); code > 0 && code < uint64(len(interactionKinds)) {
				i.Kind = interactionKinds[code]
			} else {
				r.unknown("interaction kind", byte(min(code, 255)))
			}
		default:
			r.unknown("interaction", f)
		}
	}
	return r.done()
}

// encodePromise is a promise's stored value.
func encodePromise(p *reminders.Promise) []byte {
	w := recordWriter{b: make([]byte, 0, 40+len(p.What))}
	w.uint(1, p.ID)
	w.uint(2, p.ContactID)
	w.str(3, p.What)
	w.time(4, p.Due)
	w.time(5, p.Created)
	w.time(6, p.Done)
	return w.b
}

// decodePromise reads a promise's stored value.
func decodePromise(v []byte, p *reminders.Promise) error {
	*p = reminders.Promise{}
	r := recordReader{b: v}
	for f, ok := r.field(); ok; f, ok = r.field() {
		switch f {
		case 1:
			p.ID = r.uint()
		case 2:
			p.ContactID = r.uint()
		case 3:
			p.What = r.str()
		case 4:
			p.Due = r.time()
		case 5:
			p.Created = r.time()
		case 6:
			p.Done = r.time()
		default:
			r.unknown("promise", f)
		}
	}
	return r.done()
}

// encodeUndo is an undo record's stored value.
func encodeUndo(u *undoRecord) []byte {
	size := 32 + len(u.Label)
	for _, e := range u.Entries {
		size += 8 + len(e.Key) + len(e.Value)
	}
	w := recordWriter{b: make([]byte, 0, size)}
	w.str(1, u.Label)
	w.time(2, u.At)
	for _, e := range u.Entries {
		w.nested(3, func(w *recordWriter) {
			w.bytes(1, e.Key)
			if e.Absent {
				w.flag(3, true)
			} else {
				w.bytes(2, e.Value)
			}
		})
	}
	return w.b
}

// decodeUndo reads an undo record's stored value.
func decodeUndo(v []byte, u *undoRecord) error {
	*u = undoRecord{}
	r := recordReader{b: v}
	for f, ok := r.field(); ok; f, ok = r.field() {
		switch f {
		case 1:
			u.Label = r.str()
		case 2:
			u.At = r.time()
		case 3:
			var e undoEntry
			r.nested(func(r *recordReader) {
				for f, ok := r.field(); ok; f, ok = r.field() {
					switch f {
					case 1:
						e.Key = r.bytes()
					case 2:
						e.Value = r.bytes()
					case 3:
						e.Absent = true
					default:
						r.unknown("undo entry", f)
					}
				}
			})
			u.Entries = append(u.Entries, e)
		default:
			r.unknown("undo record", f)
		}
	}
	return r.done()
}

// encodeJob is a job's stored value, in the jobs bucket and the due index
// alike (schema 6 and before: JSON). Its kind and id are in both keys, so
// they are left out.
func encodeJob(j *reminders.Job) []byte {
	w := recordWriter{b: make([]byte, 0, 24+len(j.Holder))}
	w.time(1, j.Slot)
	if j.Due.Equal(j.Slot) && sameOffset(j.Due, j.Slot) && !j.Due.IsZero() {
		w.flag(3, true) // the common case: due at its slot
	} else {
		w.time(2, j.Due)
	}
	w.int(4, j.Attempts)
	w.time(5, j.Since)
	w.str(6, j.Holder)
	w.time(7, j.Lease)
	w.int(8, j.Claims)
	return w.b
}

// decodeJob reads a job's stored value, given its key's kind and id.
func decodeJob(v []byte, j *reminders.Job, kind reminders.JobKind, id string) error {
	*j = reminders.Job{Kind: kind, ID: id}
	r := recordReader{b: v}
	for f, ok := r.field(); ok; f, ok = r.field() {
		switch f {
		case 1:
			j.Slot = r.time()
		case 2:
			j.Due = r.time()
		case 3:
			j.Due = j.Slot // Slot comes first
		case 4:
			j.Attempts = r.int()
		case 5:
			j.Since = r.time()
		case 6:
			j.Holder = r.str()
		case 7:
			j.Lease = r.time()
		case 8:
			j.Claims = r.int()
		default:
			r.unknown("job", f)
		}
	}
	return r.done()
}
