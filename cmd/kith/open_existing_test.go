package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/storage/bolt"
)

// TestReadingSubCommandsNeedADatabase checks that export and backup of a
// mistyped KITH_DB fail with a sentence naming it, and create no file.
func TestReadingSubCommandsNeedADatabase(t *testing.T) {
	tests := []struct {
		name string
		args func(dir string) []string
	}{
		{"export", func(string) []string { return []string{"export"} }},
		{"export one owner", func(string) []string { return []string{"export", "--owner", "console:ada", "--format", "csv"} }},
		{"backup", func(dir string) []string { return []string{"backup", filepath.Join(dir, "copy.db")} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "typo.db")
			h := newMain(t, map[string]string{"KITH_DB": db}, nil, t0)
			if code := h.execute(t, tt.args(dir)...); code != 1 {
				t.Errorf("exit status %d, want 1", code)
			}
			if got := h.stderr.String(); !strings.Contains(got, "there is no database at "+db) {
				t.Errorf("said %q", got)
			}
			if h.stdout.String() != "" {
				t.Errorf("wrote %q", h.stdout)
			}
			for _, f := range []string{db, filepath.Join(dir, "copy.db")} {
				if _, err := os.Stat(f); err == nil {
					t.Errorf("%s was created", f)
				}
			}
		})
	}
}

// TestExportOpensReadOnly checks that export and backup only read the
// database: they run while another reader holds it, which a writable open
// (an exclusive lock) could not, and on a read-only mount where one can be made.
func TestExportOpensReadOnly(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "kith.db")
	consoleSession(t, db, t0, "add Jane Doe at Acme")

	reader, err := bolt.Open(db, bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if contact(t, export(t, db, "console:ada"), "Jane Doe").Company != "Acme" {
		t.Error("export beside a reader lost Jane's company")
	}
	if err := reader.Close(); err != nil {
		t.Fatal(err)
	}

	ro := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(ro, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "--bind", "-o", "ro", dir, ro).CombinedOutput(); err != nil {
		t.Skipf("cannot make a read-only mount here (%v: %s); the shared-lock check above stands in", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", ro).Run() })
	if err := os.WriteFile(filepath.Join(ro, "probe"), nil, 0o600); err == nil {
		t.Skip("the bind mount is writable here")
	}
	roDB := filepath.Join(ro, "kith.db")
	contact(t, export(t, roDB, "console:ada"), "Jane Doe")
	h := newMain(t, map[string]string{"KITH_DB": roDB}, nil, t0)
	if code := h.execute(t, "backup", filepath.Join(t.TempDir(), "copy.db")); code != 0 {
		t.Errorf("kith backup of a read-only mount exited %d: %s", code, h.stderr)
	}
}
