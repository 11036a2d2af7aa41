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
