package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
