package bolt_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"os"
	"testing"

	"github.com/kith-bot/kith/reminders"
)

// needles are the byte strings that would betray s in the file: s itself and
// its base64 forms at each alignment (byte slices are stored as base64 in JSON).
func needles(s string) [][]byte {
	out := [][]byte{[]byte(s)}
	for pad := range 3 {
		enc := base64.StdEncoding.EncodeToString(append(make([]byte, pad), s...))
		out = append(out, []byte(enc[4:len(enc)-4]))
	}
	return out
}

// TestForgetMeLeavesNoBytes checks the whole database file and a backup taken
// afterwards, byte by byte, for the forgotten owner's id and the distinctive
// words of their data, including bbolt's free pages.
func TestForgetMeLeavesNoBytes(t *testing.T) {
	s, path := open(t)
	const (
		gone   reminders.OwnerID = "slack:T1:UFORGETME7"
		kept   reminders.OwnerID = "slack:T1:UKEEPME"
		secret                   = "Zebulon Quixote-Farnsworth"
		note                     = "plans to leave Globex in spring"
	)
	team := reminders.NewTeamID(reminders.PlatformSlack, "T1")
	for _, o := range []reminders.OwnerID{gone, kept} {
		name := secret
		if o == kept {
			name = "Kept Contact"
		}
		c := reminders.Contact{Name: name, Company: "Globex", Note: note, Added: t0}
		// Several generations of each record, so that old copies sit in freed pages.
		for n := range 5 {
			err := s.Update(ctx, o, reminders.Change{Key: fmt.Sprintf("%s-%d", o, n), Undo: "met " + name, Now: t0}, func(tx reminders.OwnerTx) error {
				if n == 0 {
					c.ID = 0
				}
				c.Note = fmt.Sprintf("%s (%d)", note, n)
				if err := tx.PutContact(&c); err != nil {
					return err
				}
				i := reminders.Interaction{ContactID: c.ID, Kind: reminders.Gave, At: t0, Logged: t0, Text: "intro for " + name}
				if err := tx.AddInteraction(&i); err != nil {
					return err
				}
				if err := tx.PutPromise(&reminders.Promise{ContactID: c.ID, What: "deck for " + name, Created: t0}); err != nil {
					return err
				}
				return tx.PutSettings(reminders.Settings{Name: string(o) + " display", Share: true})
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Join(ctx, team, o); err != nil {
			t.Fatal(err)
		}
		if err := s.PutJobs(ctx, reminders.Job{Kind: reminders.DigestJob, ID: string(o), Due: t0, Slot: t0}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutTeam(ctx, reminders.Team{ID: team, Channel: "C1", SetBy: gone}); err != nil {
		t.Fatal(err)
	}

	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte(gone)) || !bytes.Contains(raw, []byte(secret)) {
		t.Fatal("the owner's data is not in the file before forgetting; the check below would prove nothing")
	}

	if err := s.DeleteOwner(ctx, gone); err != nil {
		t.Fatal(err)
	}
	var backup bytes.Buffer
	if _, err := s.Backup(ctx, &backup); err != nil {
		t.Fatal(err)
	}
	raw, err = os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"database file": raw, "backup": backup.Bytes()} {
		for _, word := range []string{string(gone), "UFORGETME7", secret, "Quixote"} {
			for _, needle := range needles(word) {
				if i := bytes.Index(data, needle); i >= 0 {
					t.Errorf("%s still holds %q (as %q) at byte %d (page %d)", name, word, needle, i, i/os.Getpagesize())
				}
			}
		}
	}
	// The other owner's data is whole.
	if !bytes.Contains(raw, []byte("Kept Contact")) || !bytes.Contains(raw, []byte(kept)) {
		t.Error("the kept owner's data is gone from the file")
	}
	if got, err := s.Team(ctx, team); err != nil || got.SetBy != "" || got.Channel != "C1" {
		t.Errorf("team after forgetting who set it up = %+v, %v", got, err)
	}
}
