// Command schema6 writes the schema 6 fixture of the bolt store's upgrade
// tests: a small database made through the Store API by kith as it was
// before schema 7, and what that kith's Dump read from it. Regenerate it
// from a checkout of a schema 6 kith (commit 9f6b22a), never from a newer one:
//
//	git archive 9f6b22a | tar -x -C /tmp/k6 && cp -r storage/bolt/testdata/schema6 /tmp/k6/storage/bolt/testdata/
//	(cd /tmp/k6 && go run ./storage/bolt/testdata/schema6 -o /tmp/k6out) && gzip -9 /tmp/k6out/* && cp /tmp/k6out/* storage/bolt/testdata/
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

// T0 is the fixture's clock; the tests use it to find its request keys and
// undo records still fresh.
var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func main() {
	dir := flag.String("o", ".", "where to write schema6.db and schema6.jsonl")
	flag.Parse()
	if err := run(filepath.Join(*dir, "schema6.db"), filepath.Join(*dir, "schema6.jsonl")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(dbPath, dumpPath string) error {
	ctx := context.Background()
	s, err := bolt.Open(dbPath, bolt.Options{Now: func() time.Time { return t0 }})
	if err != nil {
		return err
	}
	defer s.Close()
	if bolt.SchemaVersion() != 6 {
		return fmt.Errorf("this kith writes schema %d; run this at a schema 6 commit", bolt.SchemaVersion())
	}
	berlin := time.FixedZone("", 3600)
	for n := range 12 {
		owner := reminders.Owner{Platform: reminders.PlatformSlack, Team: "T1", User: fmt.Sprintf("U%03d", n)}.ID()
		set := reminders.Settings{TimeZone: "Europe/Berlin", Name: fmt.Sprintf("Owner %d", n), Created: t0.AddDate(0, 0, -30), DM: "D1", Share: n%2 == 0,
			TagCadences: map[string]reminders.Cadence{"ai": {N: 2, Unit: reminders.Weeks}}}
		if n == 0 {
			set.Intros = []reminders.Intro{{ID: "i1", Asker: true, Peer: "slack:T1:U001", Query: "Acme", At: t0, State: "asked"}}
			set.Pending = &reminders.Pending{Question: 7, Text: "met jane", Contacts: []uint64{1, 2}, Asked: t0}
		}
		if err := s.Update(ctx, owner, reminders.Change{Now: t0.AddDate(0, 0, -30)}, func(tx reminders.OwnerTx) error { return tx.PutSettings(set) }); err != nil {
			return err
		}
		if n == 11 {
			continue // an owner with settings and nothing else
		}
		for c := range 6 {
			now := t0.Add(time.Duration(c-6) * time.Minute)
			err := s.Update(ctx, owner, reminders.Change{Key: fmt.Sprintf("req-%d-%d", n, c), Undo: fmt.Sprintf("add contact %d", c), Now: now}, func(tx reminders.OwnerTx) error {
				ct := reminders.Contact{
					Name: fmt.Sprintf("Contact %d of %d", c, n), Company: "Acme", Role: "CTO", Email: "x@example.com", URL: "https://example.com",
					Mention: fmt.Sprintf("UC%d", c), Tags: []string{"ai", "berlin"}, Note: "met at a conference ünïcödé",
					Cadence: reminders.Cadence{N: 3, Unit: reminders.Months}, Added: t0.AddDate(0, -2, 0),
					Snoozed: t0.AddDate(0, 0, 3).In(berlin),
					Dates:   []reminders.Date{{Label: "birthday", Month: time.February, Day: 29}, {Label: "wedding", Month: 6, Day: 1, Year: 2020, Once: true}},
					Learn:   reminders.Learning{Pushed: 1, Early: 2, QuietLonger: t0.Add(123456789)},
				}
				if c == 5 {
					ct = reminders.Contact{Name: fmt.Sprintf("Bare %d", n), Added: t0, Cadence: reminders.NeverCadence}
				}
				if err := tx.PutContact(&ct); err != nil {
					return err
				}
				p := reminders.Promise{ContactID: ct.ID, What: "send the deck", Due: t0.AddDate(0, 0, 7), Created: now}
				if err := tx.PutPromise(&p); err != nil {
					return err
				}
				for k, kind := range []reminders.Kind{reminders.Met, reminders.Gave, reminders.Got, reminders.Note} {
					at := now.Add(-time.Duration(k) * time.Hour)
					if k == 2 {
						at = at.In(berlin).Add(987654321)
					}
					in, err := reminders.NewInteraction(ct.ID, kind, at, now, fmt.Sprintf("%s number %d", kind, k))
					if err != nil {
						return err
					}
					if kind == reminders.Gave {
						in.PromiseID = p.ID
					}
					if err := tx.AddInteraction(&in); err != nil {
						return err
					}
					ct.Record(in)
				}
				if c%2 == 0 {
					p.Done = now
					if err := tx.PutPromise(&p); err != nil {
						return err
					}
				}
				return tx.PutContact(&ct)
			})
			if err != nil {
				return err
			}
		}
		// The last change renames a contact, so the undo record holds name
		// index entries and a contact's before-image.
		err := s.Update(ctx, owner, reminders.Change{Key: fmt.Sprintf("rename-%d", n), Undo: "rename", Now: t0}, func(tx reminders.OwnerTx) error {
			ct, err := tx.ContactByName(fmt.Sprintf("Contact 1 of %d", n))
			if err != nil {
				return err
			}
			ct.Name = fmt.Sprintf("Renamed %d", n)
			return tx.PutContact(&ct)
		})
		if err != nil {
			return err
		}
		if err := s.Join(ctx, reminders.NewTeamID(reminders.PlatformSlack, "T1"), owner); err != nil {
			return err
		}
		if err := s.PutJobs(ctx, reminders.Job{Kind: reminders.DigestJob, ID: string(owner), Slot: t0.AddDate(0, 0, 1), Due: t0.AddDate(0, 0, 1)}); err != nil {
			return err
		}
	}
	team := reminders.NewTeamID(reminders.PlatformSlack, "T1")
	if err := s.PutTeam(ctx, reminders.Team{ID: team, Channel: "C1", TimeZone: "Europe/Berlin", SetBy: "slack:T1:U000"}); err != nil {
		return err
	}
	if err := s.PutInstallation(ctx, reminders.Installation{Team: team, BotUser: "UBOT", Token: []byte{1, 2, 3}, Scopes: []string{"chat:write"}, InstalledBy: "U000", InstalledAt: t0}); err != nil {
		return err
	}
	if err := s.UseOnce(ctx, "state-1", t0, t0.Add(time.Hour)); err != nil {
		return err
	}
	// A second owner forgotten: nothing of theirs may come back.
	if err := s.DeleteOwner(ctx, "slack:T1:U002"); err != nil {
		return err
	}
	out, err := os.Create(dumpPath)
	if err != nil {
		return err
	}
	defer out.Close()
	enc := json.NewEncoder(out)
	return s.Dump(ctx, func(r reminders.Record) error { return enc.Encode(r) })
}
