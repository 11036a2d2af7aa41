package transfer_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/transfer"
)

func TestImportLinkedIn(t *testing.T) {
	s := openStore(t)
	rep, err := transfer.Import(context.Background(), s, alice, "Connections.csv", fixture(t, "Connections.csv"), now)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 6 || rep.Merged != 0 || rep.Skipped != 2 {
		t.Fatalf("report = %+v, want 6 added, 0 merged, 2 skipped", rep)
	}
	wantReasons := []string{"row 8: no name", "row 11: Sam Doe: you already have a contact of that name"}
	for i, want := range wantReasons {
		if !strings.HasPrefix(rep.Reasons[i], want) {
			t.Errorf("reason %d = %q, want it to start with %q", i, rep.Reasons[i], want)
		}
	}
	got := contacts(t, s, alice)
	tests := []struct {
		name string
		want reminders.Contact
	}{
		{"Ada Example", reminders.Contact{Company: "Example Analytics Ltd", Role: "Head of Research", Email: "ada@example.com",
			URL: "https://www.linkedin.com/in/ada-example-000001", Added: day(2024, 3, 12)}},
		{"Grace Sample", reminders.Contact{Company: "Sample Systems", Role: "Director, Engineering",
			URL: "https://www.linkedin.com/in/grace-sample-000002", Added: day(2023, 1, 3)}},
		{"Linus Tester", reminders.Contact{Company: `Tester "Quality" & Co`, Role: "Sales, EMEA",
			URL: "https://www.linkedin.com/in/linus-tester-000003", Added: day(2022, 2, 28)}},
		{"Zoë Ünal", reminders.Contact{Company: "Ünal Design", Role: "Founder", Email: "zoe.unal@example.org",
			URL: "https://www.linkedin.com/in/zoe-unal-000005", Added: day(2020, 8, 15)}},
		{"Sam Doe", reminders.Contact{Company: "Acme Example", Role: "Engineer",
			URL: "https://www.linkedin.com/in/sam-doe-000006", Added: day(2019, 11, 7)}},
		{"Mira Placeholder", reminders.Contact{URL: "https://www.linkedin.com/in/mira-placeholder-000008", Added: now}},
	}
	for _, tt := range tests {
		c, ok := got[tt.name]
		if !ok {
			t.Errorf("%s was not imported; have %v", tt.name, keys(got))
			continue
		}
		tt.want.ID, tt.want.Name = c.ID, tt.name
		if !equalContact(c, tt.want) {
			t.Errorf("%s =\n %+v, want\n %+v", tt.name, c, tt.want)
		}
	}
	// "Connected On" is when the clock starts: the first nudge follows it.
	if next := got["Ada Example"].NextDue(reminders.DefaultCadence); !next.Equal(day(2024, 4, 11)) {
		t.Errorf("Ada's first due date = %v, want 30 days after Connected On", next)
	}
}

func TestImportVCards(t *testing.T) {
	tests := []struct {
		file    string
		added   int
		reasons []string
		want    map[string]reminders.Contact
	}{
		{file: "apple.vcf", added: 3, want: map[string]reminders.Contact{
			"Ada Example": {Company: "Example Analytics Ltd", Role: "Head of Research", Email: "ada@example.com",
				URL: "https://example.com/ada", Note: "Met at the data meetup.\nLikes sailing, chess and long walks along the river after the conference dinner."},
			"Example Bakery": {Company: "Example Bakery", Email: "orders@bakery.example"},
			"Zoë Ünal":       {Company: "Ünal Design", URL: "https://www.linkedin.com/in/zoe-unal-000005"},
		}},
		{file: "google.vcf", added: 2, reasons: []string{"card 2: no name"}, want: map[string]reminders.Contact{
			"Grace Sample": {Company: "Sample Systems", Role: "CTO", Email: "grace.sample@example.net",
				URL: "https://sample.example/grace", Note: "Introduced by Ada; wants to hire.", Tags: []string{"founders", "close-friends"}},
			"Ravi Mock": {Company: "Mock Labs", Email: "ravi@example.com"},
		}},
		{file: "outlook.vcf", added: 2, want: map[string]reminders.Contact{
			"Linus Tester": {Company: "Tester & Co", Role: "Account Manager", Email: "linus.tester@example.org",
				URL: "http://www.tester.example/", Note: "Met at the expo in München.\nOwes me a call back about the pilot."},
			"Ravi Mock": {Company: "Mock Labs", Role: "Researcher", Email: "ravi@example.com"},
		}},
		{file: "vcard4.vcf", added: 1, reasons: []string{"card 2: a group, not a person"}, want: map[string]reminders.Contact{
			"Mira Placeholder": {Company: "Placeholder GmbH", Role: "Engineer", Email: "mira@example.com",
				URL: "https://placeholder.example", Note: "Speaks at conferences.", Tags: []string{"conference", "berlin"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			s := openStore(t)
			rep, err := transfer.Import(context.Background(), s, alice, tt.file, fixture(t, tt.file), now)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Added != tt.added || rep.Skipped != len(tt.reasons) || !slices.Equal(rep.Reasons, tt.reasons) {
				t.Fatalf("report = %+v, want %d added and reasons %q", rep, tt.added, tt.reasons)
			}
			got := contacts(t, s, alice)
			for name, want := range tt.want {
				c, ok := got[name]
				if !ok {
					t.Errorf("%s was not imported; have %v", name, keys(got))
					continue
				}
				want.ID, want.Name, want.Added = c.ID, name, now
				if !equalContact(c, want) {
					t.Errorf("%s =\n %+v, want\n %+v", name, c, want)
				}
			}
		})
	}
}

func TestImportTwiceAddsNothing(t *testing.T) {
	for _, file := range []string{"Connections.csv", "apple.vcf", "google.vcf", "outlook.vcf", "vcard4.vcf"} {
		t.Run(file, func(t *testing.T) {
			s := openStore(t)
			first, err := transfer.Import(context.Background(), s, alice, file, fixture(t, file), now)
			if err != nil {
				t.Fatal(err)
			}
			before := exportJSON(t, s, alice)
			second, err := transfer.Import(context.Background(), s, alice, file, fixture(t, file), now.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if second.Added != 0 || second.Merged != 0 || second.Unchanged != first.Added || second.Skipped != first.Skipped {
				t.Errorf("second import = %+v after %+v; want nothing added, every contact merged unchanged", second, first)
			}
			if after := exportJSON(t, s, alice); after != before {
				t.Errorf("second import changed data:\n%s\nwas\n%s", after, before)
			}
			// The second import wrote nothing, so undo still names the first.
			label := undo(t, s, alice, now.Add(2*time.Minute))
			if want := fmt.Sprintf("import of %d contact%s from %s", first.Added, map[bool]string{true: "s"}[first.Added != 1], file); label != want {
				t.Errorf("undo = %q, want %q", label, want)
			}
			if n := len(contacts(t, s, alice)); n != 0 {
				t.Errorf("after undo %d contacts remain, want 0", n)
			}
		})
	}
}

func TestImportMerges(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	// An existing contact whose company was set by hand, and a different Ravi Mock.
	err := s.Update(ctx, alice, reminders.Change{Now: now}, func(tx reminders.OwnerTx) error {
		for _, c := range []reminders.Contact{
			{Name: "ada example", Company: "Set By Hand", Added: now},
			{Name: "Ravi Mock", Email: "ravi@elsewhere.example", Added: now},
		} {
			if err := tx.PutContact(&c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		file                   string
		added, merged, skipped int
		reason                 string
	}{
		// Ada by name (no email on either side yet); the rest new, Sam's twin skipped.
		{"Connections.csv", 5, 1, 2, ""},
		// Ada by email, filling fields; Zoë by her LinkedIn profile URL,
		// bringing nothing new, so she is not counted as merged; the bakery is new.
		{"apple.vcf", 1, 1, 0, ""},
		// Linus by name (his homepage is no clash with his LinkedIn profile);
		// this Ravi's email differs from the one kept: a different person.
		{"outlook.vcf", 0, 1, 1, "card 2: Ravi Mock: you already have a contact of that name with a different email or URL"},
	}
	for _, st := range steps {
		rep, err := transfer.Import(ctx, s, alice, st.file, fixture(t, st.file), now)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Added != st.added || rep.Merged != st.merged || rep.Skipped != st.skipped {
			t.Errorf("%s: report = %+v, want %d added, %d merged, %d skipped", st.file, rep, st.added, st.merged, st.skipped)
		}
		if st.reason != "" && !slices.ContainsFunc(rep.Reasons, func(r string) bool { return strings.HasPrefix(r, st.reason) }) {
			t.Errorf("%s: reasons %q lack %q", st.file, rep.Reasons, st.reason)
		}
	}
	got := contacts(t, s, alice)
	ada := got["ada example"]
	want := reminders.Contact{ID: ada.ID, Name: "ada example", Company: "Set By Hand", Role: "Head of Research",
		Email: "ada@example.com", URL: "https://www.linkedin.com/in/ada-example-000001", Added: now,
		Note: "Met at the data meetup.\nLikes sailing, chess and long walks along the river after the conference dinner."}
	if !equalContact(ada, want) {
		t.Errorf("merged Ada =\n %+v, want\n %+v (empty fields filled, nothing overwritten)", ada, want)
	}
	if got["Ravi Mock"].Email != "ravi@elsewhere.example" {
		t.Errorf("Ravi Mock was overwritten: %+v", got["Ravi Mock"])
	}
	if len(got) != 8 {
		t.Errorf("%d contacts, want 8: %v", len(got), keys(got))
	}
}

func TestImportBadInputChangesNothing(t *testing.T) {
	tooMany := "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n" +
		strings.Repeat("A,B,,,,,\r\n", transfer.MaxImportContacts+1)
	tests := []struct {
		name string
		data []byte
		want string // in the message
	}{
		{"spreadsheet.csv", fixture(t, "spreadsheet.csv"), "not a LinkedIn Connections.csv, a vCard or a kith export"},
		{"broken.vcf", fixture(t, "broken.vcf"), "card 1 of that vCard file is broken"},
		{"other.json", fixture(t, "other.json"), "not a LinkedIn Connections.csv"},
		{"empty.csv", []byte(" \r\n"), "that file is empty"},
		{"photo.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01"), "not a LinkedIn Connections.csv"},
		{"huge.csv", make([]byte, transfer.MaxImportBytes+1), "larger than 10 MiB"},
		{"many.csv", []byte(tooMany), "more than the 20000"},
		{"future.json", []byte(`{"format":"kith","version":99,"contacts":[]}`), "newer than this kith reads"},
		{"damaged.json", []byte(`{"format":"kith","version":1,"contacts":{"name":1}}`), "that kith export is damaged"},
		{"archive.json", []byte(`{"format":"kith","version":1,"owners":[{},{}]}`), "holds 2 owners"},
		{"never.json", []byte(`{"format":"kith","version":1,"settings":{"digest":"0 9 31 2 *"},"contacts":[{"name":"Ann Lee"}]}`), "digest schedule \"0 9 31 2 *\" is not one kith can use"},
	}
	s := openStore(t)
	if _, err := transfer.Import(context.Background(), s, alice, "apple.vcf", fixture(t, "apple.vcf"), now); err != nil {
		t.Fatal(err)
	}
	before := exportJSON(t, s, alice)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := transfer.Import(context.Background(), s, alice, tt.name, tt.data, now)
			if reminders.ErrorCode(err) != reminders.EINVALID {
				t.Fatalf("Import = %+v, %v; want an EINVALID error", rep, err)
			}
			msg := reminders.ErrorMessage(err)
			if !strings.Contains(msg, tt.want) || !strings.HasSuffix(msg, ".") || strings.Contains(msg, "\n") {
				t.Errorf("message %q: want one sentence containing %q", msg, tt.want)
			}
			if after := exportJSON(t, s, alice); after != before {
				t.Errorf("bad input changed data")
			}
		})
	}
	if _, err := transfer.Import(context.Background(), s, "nobody", "apple.vcf", fixture(t, "apple.vcf"), now); reminders.ErrorCode(err) != reminders.EINVALID {
		t.Errorf("import for a malformed owner = %v, want EINVALID", err)
	}
}

func TestImportWindows1252(t *testing.T) {
	s := openStore(t)
	data := []byte("First Name,Last Name,Company\r\nZo\xeb,M\xfcller,Caf\xe9 \x80 Co\r\n")
	if _, err := transfer.Import(context.Background(), s, alice, "legacy.csv", data, now); err != nil {
		t.Fatal(err)
	}
	if c, ok := contacts(t, s, alice)["Zoë Müller"]; !ok || c.Company != "Café € Co" {
		t.Errorf("contacts = %v, want Zoë Müller of Café € Co", contacts(t, s, alice))
	}
}

// equalContact compares the fields an import sets.
func equalContact(a, b reminders.Contact) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Company == b.Company && a.Role == b.Role && a.Email == b.Email &&
		a.URL == b.URL && a.Note == b.Note && slices.Equal(a.Tags, b.Tags) && a.Added.Equal(b.Added) &&
		a.Cadence == b.Cadence
}

// keys lists a map's names, for messages.
func keys(m map[string]reminders.Contact) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// exportJSON returns the owner's JSON export as text.
func exportJSON(t testing.TB, s reminders.Store, owner reminders.OwnerID) string {
	t.Helper()
	b, err := transfer.Export(context.Background(), s, owner, "json")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// undo undoes the owner's last change and returns what it was.
func undo(t testing.TB, s reminders.Store, owner reminders.OwnerID, at time.Time) string {
	t.Helper()
	var label string
	err := s.Update(context.Background(), owner, reminders.Change{Now: at}, func(tx reminders.OwnerTx) error {
		var err error
		label, err = tx.Undo(at)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return label
}
