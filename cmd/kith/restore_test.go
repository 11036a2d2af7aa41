package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// importPeople imports a LinkedIn CSV of the named people for console:ada.
func importPeople(t *testing.T, db string, people ...string) {
	t.Helper()
	data := "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
	for _, p := range people {
		first, last, _ := strings.Cut(p, " ")
		data += first + "," + last + ",,,Acme,Engineer,12 Jan 2026\n"
	}
	csv := filepath.Join(t.TempDir(), "Connections.csv")
	if err := os.WriteFile(csv, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	h := newMain(t, map[string]string{"KITH_DB": db}, nil, t0)
	if code := h.execute(t, "import", "--owner", "console:ada", csv); code != 0 {
		t.Fatalf("import exited %d: %s", code, h.stderr)
	}
}

// people returns the names of console:ada's contacts in db.
func people(t *testing.T, db string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, c := range export(t, db, "console:ada").Contacts {
		out[c.Name] = true
	}
	return out
}

func TestRestoreSubCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "kith.db")
	env := map[string]string{"KITH_DB": db}
	importPeople(t, db, "Jane Doe")
	bak := filepath.Join(dir, "kith-backup.db")
	if h := newMain(t, env, nil, t0); h.execute(t, "backup", bak) != 0 {
		t.Fatalf("backup failed: %s", h.stderr)
	}
	importPeople(t, db, "Bob Smith") // after the backup: the restore drops it

	// While a server holds the database, restore refuses and changes nothing.
	server := newMain(t, map[string]string{"KITH_DB": db, "KITH_HTTP_ADDR": ""}, nil, t0)
	ctx := context.Background()
	if err := server.ParseFlags(ctx, []string{"serve"}); err != nil {
		t.Fatal(err)
	}
	if err := server.Run(ctx); err != nil {
		t.Fatal(err)
	}
	h := newMain(t, env, nil, t0)
	code := h.execute(t, "restore", bak)
	if err := server.Close(); err != nil {
		t.Fatal(err)
	}
	if want := "kith: " + db + ": database is in use by another kith process; stop it, restore, then start it again.\n"; code != 1 || h.stderr.String() != want {
		t.Errorf("restore while serving exited %d with %q; want 1 with %q", code, h.stderr, want)
	}
	if got := people(t, db); !got["Bob Smith"] {
		t.Fatalf("a refused restore changed the database: %v", got)
	}

	// Stopped: the backup replaces the database, and the old one is kept.
	h = newMain(t, env, nil, t0)
	if code := h.execute(t, "restore", bak); code != 0 {
		t.Fatalf("restore exited %d: %s", code, h.stderr)
	}
	kept := db + ".before-restore-20260310T100000Z"
	if want := "Restored " + db + " from " + bak + "; the previous database is kept as " + kept + ".\n"; h.stdout.String() != want {
		t.Errorf("restore said %q, want %q", h.stdout, want)
	}
	if got := people(t, db); !got["Jane Doe"] || got["Bob Smith"] {
		t.Errorf("after restore the database holds %v; want only what the backup held", got)
	}
	if got := people(t, kept); !got["Bob Smith"] {
		t.Errorf("the kept database holds %v; want the changes made after the backup", got)
	}

	// Onto a new machine: nothing to keep.
	fresh := filepath.Join(dir, "fresh.db")
	h = newMain(t, map[string]string{"KITH_DB": fresh}, nil, t0)
	if code := h.execute(t, "restore", bak); code != 0 || !strings.Contains(h.stdout.String(), "there was no database there before") {
		t.Errorf("restore to a new path exited %d: %s%s", code, h.stdout, h.stderr)
	}
}

func TestRestoreRefuses(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "kith.db")
	importPeople(t, db, "Jane Doe")
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte(strings.Repeat("not a database\n", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string // in the one line on standard error
	}{
		{"not a kith backup", []string{"restore", notes}, 1, "is not a kith database backup"},
		{"no such file", []string{"restore", filepath.Join(dir, "missing.db")}, 1, "there is no file at"},
		{"the database itself", []string{"restore", db}, 2, "the BACKUP is the database itself"},
		{"no backup named", []string{"restore"}, 2, "kith restore needs exactly one BACKUP file"},
		{"two backups named", []string{"restore", notes, notes}, 2, "kith restore needs exactly one BACKUP file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newMain(t, map[string]string{"KITH_DB": db}, nil, t0)
			code := h.execute(t, tt.args...)
			first, _, _ := strings.Cut(h.stderr.String(), "\n")
			if code != tt.code || !strings.HasPrefix(first, "kith: ") || !strings.Contains(first, tt.want) || !strings.HasSuffix(first, ".") {
				t.Errorf("exited %d with %q; want %d and one sentence saying %q", code, h.stderr, tt.code, tt.want)
			}
			if h.stdout.String() != "" {
				t.Errorf("a refused restore printed %q", h.stdout)
			}
		})
	}
	if got := people(t, db); !got["Jane Doe"] || len(got) != 1 {
		t.Errorf("a refused restore changed the database: %v", got)
	}
	if old, _ := filepath.Glob(db + ".before-restore-*"); len(old) != 0 {
		t.Errorf("a refused restore moved the database: %v", old)
	}
}
