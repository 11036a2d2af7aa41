package transfer_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/transfer"
)

// linkedIn writes a Connections.csv of n distinct connections.
func linkedIn(n int) []byte {
	var b strings.Builder
	b.WriteString("\ufeffNotes:\r\n\"Some email addresses are missing.\"\r\n\r\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n")
	for i := range n {
		fmt.Fprintf(&b, "First%d,Last%d,https://www.linkedin.com/in/person-%06d,,\"Company %d, Inc\",Engineer,12 Mar 2024\r\n", i, i, i, i%97)
	}
	return []byte(b.String())
}

// BenchmarkImportLinkedIn measures a first import of the largest file kith
// accepts and a repeat import of it (all merged, nothing written).
func BenchmarkImportLinkedIn(b *testing.B) {
	data := linkedIn(transfer.MaxImportContacts)
	s := openStore(b)
	b.Run("first", func(b *testing.B) {
		n := 0
		for b.Loop() {
			n++
			rep, err := transfer.Import(context.Background(), s, reminders.OwnerID(fmt.Sprintf("console:bench%d", n)), "Connections.csv", data, now)
			if err != nil || rep.Added != transfer.MaxImportContacts {
				b.Fatal(rep, err)
			}
		}
	})
	b.Run("again", func(b *testing.B) {
		if _, err := transfer.Import(context.Background(), s, "console:again", "Connections.csv", data, now); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			rep, err := transfer.Import(context.Background(), s, "console:again", "Connections.csv", data, now)
			if err != nil || rep.Unchanged != transfer.MaxImportContacts {
				b.Fatal(rep, err)
			}
		}
	})
}

// FuzzImport checks that no file makes Import panic or fail with anything
// but a sentence for the user.
func FuzzImport(f *testing.F) {
	for _, name := range []string{"Connections.csv", "apple.vcf", "google.vcf", "outlook.vcf", "vcard4.vcf", "kith-v1.json", "broken.vcf"} {
		f.Add(fixture(f, name))
	}
	s := openStore(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := transfer.Import(context.Background(), s, alice, "fuzz", data, now)
		if err != nil && reminders.ErrorCode(err) != reminders.EINVALID {
			t.Fatalf("Import = %v; want nil or EINVALID", err)
		}
	})
}
