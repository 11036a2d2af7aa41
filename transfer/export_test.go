package transfer_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/transfer"
)

// seed gives an owner settings, contacts, history and promises, through the
// same calls the bot makes.
func seed(t testing.TB, s reminders.Store, owner reminders.OwnerID) {
	t.Helper()
	ago := func(d int) time.Time { return now.AddDate(0, 0, -d) }
	err := s.Update(context.Background(), owner, reminders.Change{Now: now}, func(tx reminders.OwnerTx) error {
		err := tx.PutSettings(reminders.Settings{TimeZone: "Europe/Berlin", Digest: "mondays 08:30",
			Cadence: reminders.Cadence{N: 2, Unit: reminders.Weeks}, Max: 7, Share: true, Name: "Alice", DM: "D0001"})
		if err != nil {
			return err
		}
		jane := reminders.Contact{Name: "Jane Doe", Company: "Acme", Role: "CTO", Email: "jane@example.com",
			URL: "https://example.com/jane", Tags: []string{"investor", "berlin"}, Note: "=HYPERLINK(\"x\")\nsecond line",
			Cadence: reminders.Cadence{N: 1, Unit: reminders.Months}, Added: ago(200), Snoozed: now.AddDate(0, 0, 5)}
		bob := reminders.Contact{Name: "Bob Roe", Cadence: reminders.NeverCadence, Added: ago(50)}
		cy := reminders.Contact{Name: "Cy", Added: ago(10)}
		for _, c := range []*reminders.Contact{&jane, &bob, &cy} {
			if err := tx.PutContact(c); err != nil {
				return err
			}
		}
		kept := reminders.Promise{ContactID: jane.ID, What: "send the deck", Due: ago(20), Created: ago(40), Done: ago(30)}
		open := reminders.Promise{ContactID: jane.ID, What: "intro to Bob", Due: now.AddDate(0, 0, 3), Created: ago(5)}
		for _, p := range []*reminders.Promise{&kept, &open} {
			if err := tx.PutPromise(p); err != nil {
				return err
			}
		}
		for _, h := range []struct {
			c    *reminders.Contact
			kind reminders.Kind
			at   time.Time
			text string
			prom uint64
		}{
			{&jane, reminders.Met, ago(100), "coffee", 0},
			{&jane, reminders.Got, ago(60), "an intro to a VC", 0},
			{&jane, reminders.Gave, ago(30), "send the deck", kept.ID},
			{&jane, reminders.Note, ago(2), "moving to Lisbon", 0},
			{&bob, reminders.Met, ago(45), "", 0},
		} {
			i, err := reminders.NewInteraction(h.c.ID, h.kind, h.at, now, h.text)
			if err != nil {
				return err
			}
			i.PromiseID = h.prom
			if err := tx.AddInteraction(&i); err != nil {
				return err
			}
			h.c.Record(i)
		}
		for _, c := range []*reminders.Contact{&jane, &bob} {
			if err := tx.PutContact(c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// comparable strips what differs between two owners holding the same data:
// ids (replaced by positions), the owner and platform details of settings.
func comparable(t testing.TB, data []byte) transfer.Document {
	t.Helper()
	var d transfer.Document
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	d.Owner = ""
	d.Settings.Name, d.Settings.DM, d.Settings.TZNoted, d.Settings.Created = "", "", false, time.Time{}
	for n := range d.Contacts {
		c := &d.Contacts[n]
		c.ID = 0
		pos := map[uint64]uint64{}
		for k := range c.Promises {
			pos[c.Promises[k].ID] = uint64(k + 1)
			c.Promises[k].ID, c.Promises[k].ContactID = 0, 0
		}
		for k := range c.History {
			h := &c.History[k]
			h.ID, h.ContactID, h.PromiseID = 0, 0, pos[h.PromiseID]
		}
	}
	return d
}

func TestJSONRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	seed(t, s, alice)
	exported, err := transfer.Export(ctx, s, alice, "json")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := transfer.Import(ctx, s, bob, "kith-alice.json", exported, now)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 3 || !rep.SettingsImported {
		t.Fatalf("report = %+v, want 3 added and settings taken", rep)
	}
	again, err := transfer.Export(ctx, s, bob, "json")
	if err != nil {
		t.Fatal(err)
	}
	want, got := comparable(t, exported), comparable(t, again)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", got, want)
	}
	if len(want.Contacts) != 3 || len(want.Contacts[2].History) != 4 || want.Contacts[2].History[1].PromiseID != 1 {
		t.Fatalf("the seed is not what this test expects: %+v", want.Contacts)
	}

	// Importing the export into its own owner, or again, adds nothing.
	for _, owner := range []reminders.OwnerID{alice, bob} {
		rep, err := transfer.Import(ctx, s, owner, "kith-alice.json", exported, now)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Added != 0 || rep.Unchanged != 3 || rep.SettingsImported {
			t.Errorf("re-import into %s = %+v, want 3 unchanged", owner, rep)
		}
	}
}

func TestJSONMergeAddsMissingHistory(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	seed(t, s, alice)
	exported, err := transfer.Export(ctx, s, alice, "json")
	if err != nil {
		t.Fatal(err)
	}
	// Bob already knows Jane, with one meeting of his own and none of Alice's.
	err = s.Update(ctx, bob, reminders.Change{Now: now}, func(tx reminders.OwnerTx) error {
		if err := tx.PutSettings(reminders.Settings{TimeZone: "Asia/Tokyo"}); err != nil {
			return err
		}
		c := reminders.Contact{Name: "JANE DOE", Added: now.AddDate(0, 0, -3)}
		if err := tx.PutContact(&c); err != nil {
			return err
		}
		i, _ := reminders.NewInteraction(c.ID, reminders.Met, now.AddDate(0, 0, -1), now, "lunch")
		if err := tx.AddInteraction(&i); err != nil {
			return err
		}
		c.Record(i)
		return tx.PutContact(&c)
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := transfer.Import(ctx, s, bob, "kith-alice.json", exported, now)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 2 || rep.Merged != 1 || rep.Unchanged != 0 || rep.SettingsImported {
		t.Fatalf("report = %+v, want 2 added, Jane merged, Bob's own settings kept", rep)
	}
	err = s.View(ctx, bob, func(tx reminders.OwnerTx) error {
		jane, err := tx.ContactByName("jane doe")
		if err != nil {
			return err
		}
		hist, err := tx.History(jane.ID, 0)
		if err != nil {
			return err
		}
		proms, err := tx.Promises(jane.ID)
		if err != nil {
			return err
		}
		if len(hist) != 5 || len(proms) != 2 {
			t.Errorf("Jane has %d interactions and %d promises, want 5 and 2", len(hist), len(proms))
		}
		// Derived fields follow the whole history: his lunch is the latest contact.
		if jane.Given != 1 || jane.Received != 1 || jane.LastNote != "lunch" || jane.Company != "Acme" {
			t.Errorf("merged Jane = %+v", jane)
		}
		for _, h := range hist {
			if h.Kind == reminders.Gave && (h.PromiseID == 0 || !slicesHasID(proms, h.PromiseID)) {
				t.Errorf("the kept promise's gave points at %d, not one of Jane's promises", h.PromiseID)
			}
		}
		s, err := tx.Settings()
		if s.TimeZone != "Asia/Tokyo" {
			t.Errorf("Bob's settings were overwritten: %+v", s)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func slicesHasID(ps []reminders.Promise, id uint64) bool {
	for _, p := range ps {
		if p.ID == id {
			return true
		}
	}
	return false
}

func TestExportAll(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	seed(t, s, alice)
	seed(t, s, bob)
	var buf bytes.Buffer
	if err := transfer.ExportAll(ctx, s, &buf); err != nil {
		t.Fatal(err)
	}
	var a transfer.Archive
	if err := json.Unmarshal(buf.Bytes(), &a); err != nil {
		t.Fatalf("ExportAll wrote invalid JSON: %v", err)
	}
	if a.Format != "kith" || len(a.Owners) != 2 {
		t.Fatalf("archive = %s %d owners, want kith with 2", a.Format, len(a.Owners))
	}
	for _, d := range a.Owners {
		one, err := transfer.Export(ctx, s, d.Owner, "json")
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := json.Marshal(d); !reflect.DeepEqual(comparable(t, got), comparable(t, one)) {
			t.Errorf("%s in the archive differs from its own export", d.Owner)
		}
	}
	// An empty database is an empty, valid archive.
	buf.Reset()
	if err := transfer.ExportAll(ctx, openStore(t), &buf); err != nil || !json.Valid(buf.Bytes()) {
		t.Errorf("empty ExportAll = %q, %v", buf.String(), err)
	}
}

// A command waiting on "Did you mean…?" is not exported.
func TestExportLeavesOutPendingQuestion(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	seed(t, s, alice)
	err := s.Update(ctx, alice, reminders.Change{Now: now}, func(tx reminders.OwnerTx) error {
		st, err := tx.Settings()
		if err != nil {
			return err
		}
		st.Pending = &reminders.Pending{Question: 7, Text: "met Jnae at lunch", Contacts: []uint64{1}, Asked: now}
		return tx.PutSettings(st)
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := transfer.Export(ctx, s, alice, "json")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("Jnae")) || bytes.Contains(out, []byte(`"pending"`)) {
		t.Errorf("export holds the pending command:\n%s", out)
	}
}

func TestExportCSV(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	seed(t, s, alice)
	data, err := transfer.Export(ctx, s, alice, "csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "Name" {
		t.Fatalf("CSV has %d rows, header %v; want a header and 3 contacts", len(rows), rows[0])
	}
	jane := map[string]string{}
	for i, h := range rows[0] {
		jane[h] = rows[3][i] // ordered by name: Bob Roe, Cy, Jane Doe
	}
	want := map[string]string{"Name": "Jane Doe", "Tags": "#investor #berlin", "Cadence": "1m",
		"Note": "'=HYPERLINK(\"x\")\nsecond line", "Added": "2025-08-13", "Last contact": "2026-01-30", "Last kind": "gave",
		"Balance": "0", "Next due": "2026-03-06", "Open promises": "intro to Bob (by 2026-03-04)"}
	for k, v := range want {
		if jane[k] != v {
			t.Errorf("Jane's %s = %q, want %q", k, jane[k], v)
		}
	}
	// The CSV imports back: the contact fields, not the history.
	rep, err := transfer.Import(ctx, s, bob, "kith.csv", data, now)
	if err != nil || rep.Added != 3 {
		t.Fatalf("re-import = %+v, %v; want 3 added", rep, err)
	}
	a, b := contacts(t, s, alice), contacts(t, s, bob)
	for name, c := range a {
		got := b[name]
		c.ID, c.Added = got.ID, day(c.Added.Year(), c.Added.Month(), c.Added.Day())
		if !equalContact(got, c) {
			t.Errorf("%s after CSV round trip =\n %+v, want\n %+v", name, got, c)
		}
	}
}

func TestExportVCard(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	seed(t, s, alice)
	data, err := transfer.Export(ctx, s, alice, "vcard")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, want := range []string{"BEGIN:VCARD\r\nVERSION:3.0\r\n", "FN:Jane Doe\r\n", "N:Doe;Jane;;;\r\n",
		"EMAIL;TYPE=INTERNET:jane@example.com\r\n", "CATEGORIES:investor\r\nCATEGORIES:berlin\r\n", "NOTE:=HYPERLINK(\"x\")\\nsecond line\r\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("vCard lacks %q:\n%s", want, text)
		}
	}
	if n := strings.Count(text, "BEGIN:VCARD"); n != 3 {
		t.Errorf("%d cards, want 3", n)
	}
	if _, err := transfer.Import(ctx, s, bob, "kith.vcf", data, now); err != nil {
		t.Fatal(err)
	}
	a, b := contacts(t, s, alice), contacts(t, s, bob)
	for name, c := range a {
		got := b[name]
		c.ID, c.Added, c.Cadence = got.ID, now, reminders.Cadence{}
		if !equalContact(got, c) {
			t.Errorf("%s after vCard round trip =\n %+v, want\n %+v", name, got, c)
		}
	}
}

func TestExportBadFormat(t *testing.T) {
	_, err := transfer.Export(context.Background(), openStore(t), alice, "xlsx")
	if reminders.ErrorCode(err) != reminders.EINVALID || !strings.Contains(reminders.ErrorMessage(err), "use json, csv or vcard") {
		t.Errorf("Export(xlsx) = %v, want EINVALID naming the formats", err)
	}
}

func TestImportVersion1Export(t *testing.T) {
	// testdata/kith-v1.json pins the first export format: kith must read it for as long as it runs.
	s := openStore(t)
	rep, err := transfer.Import(context.Background(), s, alice, "kith-v1.json", fixture(t, "kith-v1.json"), now)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 2 || !rep.SettingsImported {
		t.Fatalf("report = %+v", rep)
	}
	c := contacts(t, s, alice)["Jane Doe"]
	if c.Given != 1 || c.LastKind != reminders.Gave || c.Cadence != (reminders.Cadence{N: 1, Unit: reminders.Months}) || c.LastContact.IsZero() {
		t.Errorf("Jane = %+v", c)
	}
}
