package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConsoleImportsAFileByPath imports a LinkedIn export and a vCard in the
// console by typing their paths, and reads the contacts back.
func TestConsoleImportsAFileByPath(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "kith.db")
	csv := "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" +
		"Carla,Mendes,https://www.linkedin.com/in/carla-example,,Initech,Head of Data,12 Mar 2024\n"
	vcf := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Erin Walsh\r\nORG:Umbrella\r\nEND:VCARD\r\n"
	for name, data := range map[string]string{"Connections.csv": csv, "people.vcf": vcf} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out := consoleSession(t, db, t0,
		"import "+filepath.Join(dir, "Connections.csv"),
		"import "+filepath.Join(dir, "people.vcf"),
		"import "+filepath.Join(dir, "people.vcf"))
	for _, want := range []string{
		"Imported Connections.csv: 1 added",
		"Imported people.vcf: 1 added",
		"Imported people.vcf: 0 added, 0 merged, 0 skipped; 1 was already up to date.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("console printed %q; want %q", out, want)
		}
	}
	doc := export(t, db, "console:ada")
	if c := contact(t, doc, "Carla Mendes"); c.Company != "Initech" {
		t.Errorf("Carla's company is %q", c.Company)
	}
	contact(t, doc, "Erin Walsh")
}

// TestConsoleReimportRestoresSettings exports, forgets and re-imports in the
// console: the exported settings come back as they do through kith import
// into a new owner, although the console's first command after forget-me
// took the machine's zone.
func TestConsoleReimportRestoresSettings(t *testing.T) {
	t.Setenv("TZ", "Asia/Tokyo")
	dir := t.TempDir()
	db := filepath.Join(dir, "kith.db")
	consoleSession(t, db, t0, "settings tz Europe/Berlin", "settings digest mondays 08:30", "add Jane Doe at Acme")
	file := filepath.Join(dir, "kith-export.json")
	h := newMain(t, map[string]string{"KITH_DB": db}, nil, t0)
	if code := h.execute(t, "export", "--owner", "console:ada", "-o", file); code != 0 {
		t.Fatalf("kith export exited %d: %s", code, h.stderr)
	}
	out := consoleSession(t, db, t0, "forget-me", "1", "import "+file, "settings")
	if !strings.Contains(out, "Deleted all your kith data") {
		t.Fatalf("forget-me did not delete:\n%s", out)
	}
	_, after, _ := strings.Cut(out, "Imported kith-export.json")
	for _, want := range []string{"Europe/Berlin", "mondays 08:30"} {
		if !strings.Contains(after, want) {
			t.Errorf("settings after the re-import lack %q:\n%s", want, after)
		}
	}
	if doc := export(t, db, "console:ada"); doc.Settings.TimeZone != "Europe/Berlin" {
		t.Errorf("stored zone %q, want Europe/Berlin", doc.Settings.TimeZone)
	}
}

// TestConsoleForgetKeepThenDelete types the numbers of both forget-me
// choices, Keep first: the console keeps the other number pressable, so the
// bot must refuse it.
func TestConsoleForgetKeepThenDelete(t *testing.T) {
	db := filepath.Join(t.TempDir(), "kith.db")
	out := consoleSession(t, db, t0, "add Jane Doe at Acme", "forget-me", "2", "1")
	if !strings.Contains(out, "Nothing was deleted") || !strings.Contains(out, "already answered") {
		t.Errorf("console printed:\n%s", out)
	}
	contact(t, export(t, db, "console:ada"), "Jane Doe")
}

// TestConsolePressingTwiceActsOnce presses a digest's Met twice by its
// number: the second press must reach the same button, which says it was
// already done, not the button that took its place when the digest was
// reprinted without the contact just met.
func TestConsolePressingTwiceActsOnce(t *testing.T) {
	db := filepath.Join(t.TempDir(), "kith.db")
	out := consoleSession(t, db, t0,
		"add Alice A every 1w", "add Bob B every 1w", "add Carol C every 1w",
		`met "Alice A" 3 weeks ago`, `met "Bob B" 3 weeks ago`, `met "Carol C" 3 weeks ago`,
		"digest", "1", "1")
	if !strings.Contains(out, "Already done: that was handled before, so nothing changed. (met Alice A)") {
		t.Errorf("the second press of [1] did not say it was already done:\n%s", out)
	}
	doc := export(t, db, "console:ada")
	for name, want := range map[string]int{"Alice A": 2, "Bob B": 1, "Carol C": 1} {
		if got := len(contact(t, doc, name).History); got != want {
			t.Errorf("%s has %d meetings, want %d:\n%s", name, got, want, out)
		}
	}
}
