package postgres

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// undoRecord.marshal writes what json.Marshal writes, up to the spacing
// inside the before-images it copies, which jsonb does not keep.
func TestUndoRecordMarshal(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 5, time.FixedZone("x", 3600))
	for _, rec := range []undoRecord{
		{Label: `met "Jane" <b> & \ é`, At: at, Entries: []undoEntry{
			{ref: ref{kindContact, 7}, Value: json.RawMessage(`{"id": 7, "name": "Jane", "tags": ["a", "b"]}`)},
			{ref: ref{kindInteraction, 8}, Absent: true},
			{ref: ref{kindSettings, 0}, Value: json.RawMessage(`null`)},
		}},
		{Label: "nothing", At: at},
		{Label: "empty", At: at, Entries: []undoEntry{}},
	} {
		got, err := rec.marshal()
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("%s: %v", got, err)
		}
		if err := json.Unmarshal(want, &w); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("marshal = %s\njson.Marshal = %s", got, want)
		}
	}
}
