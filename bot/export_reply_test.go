package bot_test

import (
	"strings"
	"testing"
)

// TestExportReplyNamesItsFiles checks that the export reply describes the
// files attached, and promises a round trip only when the JSON file is one.
func TestExportReplyNamesItsFiles(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	h.ok(ana, "add Jane Doe")
	tests := []struct {
		cmd, want string
		json      bool
	}{
		{"export", "kith-contacts.csv and kith-export.json", true},
		{"export json", "kith-export.json", true},
		{"export csv", "kith-contacts.csv", false},
		{"export vcard", "kith-contacts.vcf", false},
	}
	for _, tt := range tests {
		m := h.ok(ana, tt.cmd)
		if !strings.Contains(m.Text, tt.want) {
			t.Errorf("%s replied %q; want it to name %q", tt.cmd, m.Text, tt.want)
		}
		if got := strings.Contains(m.Text, "JSON"); got != tt.json {
			t.Errorf("%s replied %q; mentions JSON: %v, want %v", tt.cmd, m.Text, got, tt.json)
		}
	}
}
