package console_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kith-bot/kith/bot/console"
)

// TestImportPath checks that import names its file by path in the console,
// where nothing can be attached, and that a bad path is one sentence that
// never reaches the bot.
func TestImportPath(t *testing.T) {
	dir := t.TempDir()
	vcf := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Erin Walsh\r\nEND:VCARD\r\n"
	if err := os.WriteFile(filepath.Join(dir, "people.vcf"), []byte(vcf), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, line string
		file       string // the file the bot gets; "" means the bot is not asked
		say        string // in the output
	}{
		{"relative to Dir", "import people.vcf", "people.vcf", "ok: import"},
		{"absolute, quoted", `/kith import "` + filepath.Join(dir, "people.vcf") + `"`, "people.vcf", "ok: import"},
		{"no path", "import", "", "Type import and the path of the file"},
		{"missing", "import nothere.csv", "", "There is no file " + filepath.Join(dir, "nothere.csv")},
		{"a folder", "import " + dir, "", "is a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			out := run(t, rec, tt.line+"\n", func(c *console.Console) { c.Dir = dir })
			if !strings.Contains(out, tt.say) {
				t.Errorf("printed %q; want %q", out, tt.say)
			}
			if tt.file == "" {
				if len(rec.requests) != 0 {
					t.Errorf("the bot was asked %+v", rec.requests)
				}
				return
			}
			if len(rec.requests) != 1 {
				t.Fatalf("the bot was asked %d times", len(rec.requests))
			}
			r := rec.requests[0]
			if r.Text != "import" || r.File == nil || r.File.Name != tt.file || string(r.File.Data) != vcf {
				t.Errorf("the bot got text %q, file %+v", r.Text, r.File)
			}
		})
	}
}
