package bot_test

import (
	"strings"
	"testing"
)

// TestImportWithTypedName checks that a file name typed after import, with
// nothing attached, gets the sentence on how to attach a file rather than
// a bare usage line.
func TestImportWithTypedName(t *testing.T) {
	h := newHarness(t)
	ana := user("ana")
	for _, cmd := range []string{"import", "import Connections.csv", "import my contacts.vcf"} {
		m := h.do(ana, cmd)
		if !m.Error || !strings.Contains(m.Text, "on Slack share it with kith in a DM") {
			t.Errorf("%s replied %q", cmd, m.Text)
		}
	}
}
