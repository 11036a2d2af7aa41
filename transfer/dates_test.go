package transfer_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/transfer"
)

// vCard BDAY and ANNIVERSARY become important dates, in the forms Apple,
// Google and vCard 4 write them; a kith export carries every date back.
func TestVCardDates(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	card := strings.Join([]string{
		"BEGIN:VCARD", "VERSION:3.0", "FN:Jane Doe", "BDAY:1990-05-03", "X-ANNIVERSARY:2015-06-20", "END:VCARD",
		"BEGIN:VCARD", "VERSION:3.0", "FN:Bob Lee", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29", "END:VCARD",
		"BEGIN:VCARD", "VERSION:4.0", "FN:Ana Ruiz", "BDAY:--1231", "ANNIVERSARY:20190901T000000Z", "END:VCARD",
		"BEGIN:VCARD", "VERSION:3.0", "FN:Zoe Bad", "BDAY:sometime", "END:VCARD",
	}, "\r\n") + "\r\n"
	if _, err := transfer.Import(ctx, s, alice, "contacts.vcf", []byte(card), now); err != nil {
		t.Fatal(err)
	}
	got := contacts(t, s, alice)
	want := map[string][]reminders.Date{
		"Jane Doe": {{Label: "birthday", Month: time.May, Day: 3, Year: 1990}, {Label: "anniversary", Month: time.June, Day: 20, Year: 2015}},
		"Bob Lee":  {{Label: "birthday", Month: time.February, Day: 29}},
		"Ana Ruiz": {{Label: "birthday", Month: time.December, Day: 31}, {Label: "anniversary", Month: time.September, Day: 1, Year: 2019}},
		"Zoe Bad":  nil,
	}
	for name, w := range want {
		if !slices.Equal(got[name].Dates, w) {
			t.Errorf("%s: dates %+v, want %+v", name, got[name].Dates, w)
		}
	}
	// Export as vCard and as kith JSON; both bring the dates to another owner.
	if err := s.Update(ctx, alice, reminders.Change{Now: now}, func(tx reminders.OwnerTx) error {
		c, err := tx.ContactByName("Ana Ruiz")
		if err != nil {
			return err
		}
		c.SetDate(reminders.Date{Label: "first day at Acme", Month: time.March, Day: 2})
		return tx.PutContact(&c)
	}); err != nil {
		t.Fatal(err)
	}
	vcf, err := transfer.Export(ctx, s, alice, "vcard")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"BDAY:1990-05-03\r\n", "BDAY:--02-29\r\n", "ANNIVERSARY:2019-09-01\r\n", "X-KITH-DATE;X-LABEL=first day at Acme:--03-02\r\n"} {
		if !strings.Contains(string(vcf), w) {
			t.Errorf("vCard export lacks %q:\n%s", w, vcf)
		}
	}
	js, err := transfer.Export(ctx, s, alice, "json")
	if err != nil {
		t.Fatal(err)
	}
	for file, data := range map[string][]byte{"kith.vcf": vcf, "kith.json": js} {
		s2 := openStore(t)
		if _, err := transfer.Import(ctx, s2, bob, file, data, now); err != nil {
			t.Fatal(err)
		}
		back := contacts(t, s2, bob)
		for name, c := range contacts(t, s, alice) {
			if !slices.Equal(back[name].Dates, c.Dates) {
				t.Errorf("%s: %s dates %+v, want %+v", file, name, back[name].Dates, c.Dates)
			}
		}
	}
}
