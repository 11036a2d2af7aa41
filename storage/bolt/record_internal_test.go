package bolt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

// fill sets every field of v (a pointer), recursively, to a distinct
// non-zero value, so that a field the codec forgets comes back zero.
func fill(t *testing.T, v reflect.Value, n *int) {
	t.Helper()
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", *n))
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Uint64:
		v.SetUint(uint64(1000 + *n))
	case reflect.Uint8:
		v.SetUint(uint64(*n % 256))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fill(t, s.Index(i), n)
		}
		v.Set(s)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 1, 2, 3, 4, 5, *n, time.UTC)))
			return
		}
		for i := range v.NumField() {
			fill(t, v.Field(i), n)
		}
	default:
		t.Fatalf("fill: a %s field; teach fill and the codec about it", v.Type())
	}
}

// An empty tag, which the bot never makes but a store must keep as given
// (Postgres does), comes back in its place.
func TestRecordKeepsEmptyTags(t *testing.T) {
	c := reminders.Contact{ID: 1, Name: "Jane", Tags: []string{"", "investor", ""}}
	var got reminders.Contact
	if err := decodeContact(encodeContact(&c), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Tags, c.Tags) {
		t.Errorf("tags %q, want %q", got.Tags, c.Tags)
	}
}

// TestRecordRoundTrip encodes each stored type with every field set and
// reads it back whole: a field added to the domain without a field number
// in record.go fails here.
func TestRecordRoundTrip(t *testing.T) {
	var n int
	var c reminders.Contact
	fill(t, reflect.ValueOf(&c).Elem(), &n)
	var i reminders.Interaction
	fill(t, reflect.ValueOf(&i).Elem(), &n)
	var p reminders.Promise
	fill(t, reflect.ValueOf(&p).Elem(), &n)
	var j reminders.Job
	fill(t, reflect.ValueOf(&j).Elem(), &n)
	var u undoRecord
	fill(t, reflect.ValueOf(&u).Elem(), &n)
	u.Entries[0].Absent = false
	u.Entries[1].Absent, u.Entries[1].Value = true, nil
	u.Entries = append(u.Entries, undoEntry{Key: []byte("k"), Value: []byte{}}) // present but empty

	var c2 reminders.Contact
	var i2 reminders.Interaction
	var p2 reminders.Promise
	var u2 undoRecord
	var j2, dueJob, dueJob2 reminders.Job
	dueJob = j
	dueJob.Due, dueJob.Holder = dueJob.Slot, "" // due at its slot, stored once
	tests := []struct {
		name      string
		in, out   any
		roundTrip func() error
	}{
		{"contact", &c, &c2, func() error { return decodeContact(encodeContact(&c), &c2) }},
		{"interaction", &i, &i2, func() error { return readInteraction(interactionKey(i), encodeInteraction(&i), &i2) }},
		{"promise", &p, &p2, func() error { return decodePromise(encodePromise(&p), &p2) }},
		{"undo record", &u, &u2, func() error { return decodeUndo(encodeUndo(&u), &u2) }},
		{"job", &j, &j2, func() error { return readJob(jobKey(j.Kind, j.ID), encodeJob(&j), &j2) }},
		{"job in the due index", &dueJob, &dueJob2, func() error { return readDueJob(dueKey(dueJob), encodeJob(&dueJob), &dueJob2) }},
	}
	same := i
	same.Logged = same.At // stored once
	var same2 reminders.Interaction
	tests = append(tests, struct {
		name      string
		in, out   any
		roundTrip func() error
	}{"interaction logged as it happened", &same, &same2, func() error { return readInteraction(interactionKey(same), encodeInteraction(&same), &same2) }})
	// What they last got, written once when it is also the last note; a kind
	// stored as its number.
	gotLast := c
	gotLast.LastGot, gotLast.LastGotAt = gotLast.LastNote, gotLast.LastContact
	var gotLast2 reminders.Contact
	met := same
	met.Kind = reminders.Met
	var met2 reminders.Interaction
	tests = append(tests, []struct {
		name      string
		in, out   any
		roundTrip func() error
	}{
		{"contact whose last note is what they gave", &gotLast, &gotLast2, func() error { return decodeContact(encodeContact(&gotLast), &gotLast2) }},
		{"interaction of a known kind", &met, &met2, func() error { return readInteraction(interactionKey(met), encodeInteraction(&met), &met2) }},
	}...)
	if a, b := len(encodeContact(&gotLast)), len(encodeContact(&c))-len(c.LastGot); a >= b {
		t.Errorf("a contact whose last got is its last note takes %d bytes, %d with it written once", a, b)
	}
	for _, tc := range tests {
		if err := tc.roundTrip(); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !reflect.DeepEqual(tc.in, tc.out) {
			t.Errorf("%s: round trip\n got %+v\nwant %+v", tc.name, tc.out, tc.in)
		}
	}
	// Smaller than the JSON it replaces, which is the point.
	if j, _ := json.Marshal(c); len(encodeContact(&c)) >= len(j)/2 {
		t.Errorf("contact: %d bytes, JSON %d", len(encodeContact(&c)), len(j))
	}
}

// TestRecordTimes: instants survive with their zone offset, as in JSON, and
// times before 1970 and far ahead too.
func TestRecordTimes(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 2, 10, 0, 0, 123456789, time.FixedZone("", -5*3600-30*60)),
		time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(1960, 7, 1, 0, 0, 0, 0, time.FixedZone("", 3600)),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
	} {
		var got reminders.Interaction
		in := reminders.Interaction{At: at, Kind: reminders.Note}
		if err := readInteraction(interactionKey(in), encodeInteraction(&in), &got); err != nil {
			t.Fatal(err)
		}
		_, wantOff := at.Zone()
		_, gotOff := got.At.Zone()
		if !got.At.Equal(at) || gotOff != wantOff {
			t.Errorf("%v came back as %v", at, got.At)
		}
		var viaJSON reminders.Interaction
		j, _ := json.Marshal(in)
		_ = json.Unmarshal(j, &viaJSON)
		if got.At.String() != viaJSON.At.String() {
			t.Errorf("%v: %v here, %v through JSON", at, got.At, viaJSON.At)
		}
	}
}

// TestRecordMalformed: a damaged or foreign value is an error, never a panic
// or a half-read record passed off as whole.
func TestRecordMalformed(t *testing.T) {
	good := encodeContact(&reminders.Contact{ID: 3, Name: "Jane", Added: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)})
	for name, v := range map[string][]byte{
		"truncated":     good[:len(good)-2],
		"unknown field": append(append([]byte{}, good...), 200, 1),
		"bad length":    {2, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"json":          []byte(`{"id":3,"name":"Jane"}`),
	} {
		var c reminders.Contact
		if err := decodeContact(v, &c); err == nil {
			t.Errorf("%s: decoded as %+v", name, c)
		}
	}
}

// TestRecordID: record ids in keys sort as numbers, read back, and none is
// a prefix of another, so an id can be followed by more of a key.
func TestRecordID(t *testing.T) {
	ids := []uint64{0, 1, 2, 255, 256, 65535, 65536, 1<<32 - 1, 1 << 32, 1<<56 + 7, math.MaxUint64}
	for n, a := range ids {
		ka := recordID(a)
		got, rest, ok := parseRecordID(append(clone(ka), 'x'))
		if !ok || got != a || string(rest) != "x" {
			t.Errorf("recordID(%d) = %x read back as %d, %q, %v", a, ka, got, rest, ok)
		}
		for _, b := range ids[n+1:] {
			kb := recordID(b)
			if bytes.Compare(ka, kb) >= 0 {
				t.Errorf("recordID(%d) = %x does not sort before recordID(%d) = %x", a, ka, b, kb)
			}
			if bytes.HasPrefix(kb, ka) {
				t.Errorf("recordID(%d) = %x is a prefix of recordID(%d) = %x", a, ka, b, kb)
			}
		}
	}
	if len(recordID(300)) != 3 {
		t.Errorf("recordID(300) takes %d bytes, want 3", len(recordID(300)))
	}
	for _, bad := range [][]byte{nil, {9, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {3, 1}} {
		if _, _, ok := parseRecordID(bad); ok {
			t.Errorf("parseRecordID(%x) accepted it", bad)
		}
	}
}

// TestNameEntry: every name reads back from its index entry exactly, with
// its mention, whether it is stored as the capitals it adds to its key or
// whole; the common case takes a few bytes.
func TestNameEntry(t *testing.T) {
	for _, name := range []string{"Jane Doe", "JANE DOE", "jane", "Émile Zola", "Jane  Doe", " Jane", "İstanbul Friend", "X Æ A-12", "o'Brien McDonald", "ANNA-LENA von TROTHA", strings.Repeat("Ab", 100)} {
		for _, mention := range []string{"", "U0123ABC"} {
			c := reminders.Contact{ID: 300, Name: name, Mention: mention}
			k := nameKey(name)
			id, gotName, gotMention, err := parseNameEntry(k, nameEntry(&c))
			if err != nil || id != 300 || string(gotName) != name || string(gotMention) != mention {
				t.Errorf("%q, %q came back as %d, %q, %q, %v", name, mention, id, gotName, gotMention, err)
			}
		}
	}
	if v := nameEntry(&reminders.Contact{ID: 7, Name: "Jane Doe"}); len(v) > 5 {
		t.Errorf("the entry of Jane Doe takes %d bytes (%x), want at most 5", len(v), v)
	}
	for _, bad := range [][]byte{{1, 7, 3, 99}, {1, 7, 5, 0, 0}, {1, 7, 3, 4}, {1, 7, 9}, {1, 7}, {}} {
		if _, _, _, err := parseNameEntry(nameKey("jane doe"), bad); err == nil {
			t.Errorf("parseNameEntry(%x) accepted it", bad)
		}
	}
}
