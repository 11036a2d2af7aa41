package bot_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kith-bot/kith/reminders"
)

// TestLooseNamesWrite runs the same commands naming Jane Doe exactly and
// loosely, each way on its own database: every reply and everything stored
// after every step must be the same as with her exact name (a close
// spelling once its "Did you mean" is confirmed). The write path
// resolves names from the name index alone, so Jane's whole record (company,
// note, tags, mention) must also survive every command that changes her.
func TestLooseNamesWrite(t *testing.T) {
	forms := []struct{ kind, name string }{
		{"exact", "Jane Doe"},
		{"exact in another case", "jane DOE"},
		{"prefix", "jan"},
		{"word", "doe"},
		{"close spelling", "Jnae Doe"},
		{"quoted", `"jane doe"`},
		{"mention", "<@UJANE>"},
	}
	steps := []string{ // %[1]s is Jane's name as typed
		"met %[1]s yesterday : coffee",
		"met Bob, %[1]s",
		"gave %[1]s an intro to Ana",
		"got %[1]s feedback on my talk 3 days ago",
		"note %[1]s moving to Berlin",
		"promise %[1]s the deck by friday",
		"show %[1]s",
		"done %[1]s",
		"snooze %[1]s 2w",
		"every %[1]s monthly",
		"edit %[1]s role VP Engineering",
		"tag %[1]s #berlin",
		"untag %[1]s #investor",
		"remove %[1]s",
	}
	ana := user("ana")
	var want []string // the exact form's transcript: reply and snapshot of each step
	for _, f := range forms {
		t.Run(f.kind, func(t *testing.T) {
			h := newHarness(t)
			h.ok(ana, "add <@UJANE> Jane Doe at Acme as CTO #investor : met at KubeCon")
			h.ok(ana, "add Bob Lee")
			h.ok(ana, "add Ana Lima at Initech")
			h.ok(ana, "add Zoë Ångström")
			for i, step := range steps {
				cmd := fmt.Sprintf(step, f.name)
				m := h.do(ana, cmd)
				if m.Error {
					t.Fatalf("%s: %s", cmd, m.Text)
				}
				if f.kind == "close spelling" && !strings.HasPrefix(step, "show") {
					// A close spelling on a command that writes asks first;
					// once confirmed, all must be as with the exact name.
					if !strings.HasPrefix(m.Title, "Did you mean Jane Doe") {
						t.Fatalf("%s did not ask first: %+v", cmd, m)
					}
					if m = h.click(ana, m.Sections[0].Buttons[0]); m.Error || !m.Replace {
						t.Fatalf("%s, Yes: %+v", cmd, m)
					}
					m.Replace = false
				}
				got := fmt.Sprintf("%+v\n%s", m, h.snapshot(ana))
				if want == nil || len(want) <= i {
					if f.kind != "exact" {
						t.Fatal("the exact form did not run first")
					}
					want = append(want, got)
				} else if got != want[i] {
					t.Errorf("%s: differs from the exact name's %q:\n%s\nwant\n%s", cmd, fmt.Sprintf(step, "Jane Doe"), got, want[i])
				}
				if strings.HasPrefix(step, "remove") {
					continue
				}
				jane, _ := h.contact(ana, "jane doe")
				if jane.Company != "Acme" || jane.Mention != "UJANE" || jane.Note != "met at KubeCon" || jane.Added.IsZero() || jane.Role == "" {
					t.Fatalf("%s: Jane's record lost fields: %+v", cmd, jane)
				}
				if untagged := strings.HasPrefix(step, "untag"); jane.HasTag("investor") == untagged {
					t.Fatalf("%s: Jane's tags are %q", cmd, jane.Tags)
				}
			}
			var left []reminders.Contact
			_ = h.store.View(t.Context(), ana.ID(), func(tx reminders.OwnerTx) error {
				var err error
				left, err = tx.Contacts()
				return err
			})
			if len(left) != 3 {
				t.Errorf("after remove: %d contacts, want 3", len(left))
			}
		})
	}
}
