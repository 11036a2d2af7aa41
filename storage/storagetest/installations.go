package storagetest

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

func testInstallations(t *testing.T, s reminders.Store) {
	t1 := reminders.NewTeamID(reminders.PlatformSlack, "T1")
	t2 := reminders.NewTeamID(reminders.PlatformSlack, "T2")
	_, err := s.Installation(ctx, t1)
	wantCode(t, err, reminders.ENOTFOUND)
	if all, err := s.Installations(ctx); err != nil || len(all) != 0 {
		t.Fatalf("Installations of an empty store = %v, %v", all, err)
	}
	wantCode(t, s.PutInstallation(ctx, reminders.Installation{Token: []byte{1}}), reminders.EINVALID)

	one := reminders.Installation{Team: t1, Enterprise: "E1", BotUser: "UBOT1", Token: []byte{0, 1, 2, 0xff},
		Scopes: []string{"chat:write", "commands"}, InstalledBy: "UADMIN", InstalledAt: t0}
	two := reminders.Installation{Team: t2, BotUser: "UBOT2", Token: []byte{9}, InstalledAt: t0.Add(time.Hour)}
	for _, in := range []reminders.Installation{two, one} {
		if err := s.PutInstallation(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Installation(ctx, t1)
	if err != nil || !reflect.DeepEqual(got, one) {
		t.Errorf("Installation(T1) = %+v, %v; want %+v", got, err, one)
	}
	// A reinstall replaces the token; an uninstall keeps the record without it.
	one.Token, one.InstalledAt = []byte{7, 7}, t0.Add(day)
	if err := s.PutInstallation(ctx, one); err != nil {
		t.Fatal(err)
	}
	two.Token, two.Uninstalled = nil, t0.Add(2*day)
	if err := s.PutInstallation(ctx, two); err != nil {
		t.Fatal(err)
	}
	all, err := s.Installations(ctx)
	if err != nil || !reflect.DeepEqual(all, []reminders.Installation{one, two}) {
		t.Errorf("Installations = %+v, %v; want %+v", all, err, []reminders.Installation{one, two})
	}
	if all[1].Active() || !all[0].Active() {
		t.Errorf("Active = %v, %v; want the uninstalled one inactive", all[0].Active(), all[1].Active())
	}
}

func testDeleteTeam(t *testing.T, s reminders.Store) {
	gone := reminders.NewTeamID(reminders.PlatformSlack, "T1")
	kept := reminders.NewTeamID(reminders.PlatformSlack, "T2")
	carol := reminders.OwnerID("slack:T2:UCAROL")
	for _, tm := range []reminders.TeamID{gone, kept} {
		if err := s.PutTeam(ctx, reminders.Team{ID: tm, Channel: "C1"}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutJobs(ctx, reminders.Job{Kind: reminders.SummaryJob, ID: string(tm), Slot: t0, Due: t0}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutInstallation(ctx, reminders.Installation{Team: tm, Token: []byte{1}, InstalledAt: t0, Uninstalled: t0}); err != nil {
			t.Fatal(err)
		}
	}
	for _, j := range []struct {
		team  reminders.TeamID
		owner reminders.OwnerID
	}{{gone, alice}, {kept, carol}} {
		if err := s.Join(ctx, j.team, j.owner); err != nil {
			t.Fatal(err)
		}
	}
	addContact(t, s, alice, "Jane")

	if err := s.DeleteTeam(ctx, gone); err != nil {
		t.Fatal(err)
	}
	_, err := s.Team(ctx, gone)
	wantCode(t, err, reminders.ENOTFOUND)
	_, err = s.Installation(ctx, gone)
	wantCode(t, err, reminders.ENOTFOUND)
	_, err = s.Job(ctx, reminders.SummaryJob, string(gone))
	wantCode(t, err, reminders.ENOTFOUND)
	if m, err := s.Members(ctx, gone); err != nil || len(m) != 0 {
		t.Errorf("Members of a deleted team = %q, %v", m, err)
	}
	// The owners' own data is DeleteOwner's to remove, and the other team is untouched.
	if names := contactNames(t, s, alice); !slices.Equal(names, []string{"Jane"}) {
		t.Errorf("Alice's contacts after DeleteTeam = %q", names)
	}
	if _, err := s.Team(ctx, kept); err != nil {
		t.Errorf("the other team: %v", err)
	}
	if _, err := s.Installation(ctx, kept); err != nil {
		t.Errorf("the other installation: %v", err)
	}
	if m, _ := s.Members(ctx, kept); !slices.Equal(m, []reminders.OwnerID{carol}) {
		t.Errorf("Members of the other team = %q", m)
	}
	if err := s.DeleteOwner(ctx, alice); err != nil {
		t.Errorf("DeleteOwner after DeleteTeam: %v", err)
	}

	// An installation that is active again (a reinstall racing the deletion) stays.
	if err := s.PutInstallation(ctx, reminders.Installation{Team: kept, Token: []byte{2}, InstalledAt: t0.Add(day)}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTeam(ctx, kept); err != nil {
		t.Fatal(err)
	}
	if in, err := s.Installation(ctx, kept); err != nil || !in.Active() {
		t.Errorf("active installation after DeleteTeam = %+v, %v; want it kept", in, err)
	}
	if err := s.DeleteTeam(ctx, reminders.NewTeamID(reminders.PlatformSlack, "TNONE")); err != nil {
		t.Errorf("DeleteTeam of an unknown team = %v", err)
	}
}

func testUseOnce(t *testing.T, s reminders.Store) {
	until := t0.Add(10 * time.Minute)
	if err := s.UseOnce(ctx, "state:a", t0, until); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.UseOnce(ctx, "state:a", t0.Add(time.Minute), until), reminders.EDUPLICATE)
	if err := s.UseOnce(ctx, "state:b", t0, until); err != nil {
		t.Errorf("another key: %v", err)
	}
	// Past its time the key is forgotten and may be recorded afresh.
	if err := s.UseOnce(ctx, "state:a", until, until.Add(time.Minute)); err != nil {
		t.Errorf("after its time: %v", err)
	}
	wantCode(t, s.UseOnce(ctx, "", t0, until), reminders.EINVALID)

	// Of concurrent uses of one key exactly one succeeds.
	const n = 8
	errs := make(chan error, n)
	for range n {
		go func() { errs <- s.UseOnce(ctx, "state:c", t0, until) }()
	}
	ok := 0
	for range n {
		if err := <-errs; err == nil {
			ok++
		} else {
			wantCode(t, err, reminders.EDUPLICATE)
		}
	}
	if ok != 1 {
		t.Errorf("%d of %d concurrent uses succeeded, want 1", ok, n)
	}
}

// Forgetting the owner who installed kith clears their name from the
// installation, which stays; another workspace's installer is kept.
func testForgetInstaller(t *testing.T, s reminders.Store) {
	t1 := reminders.NewTeamID(reminders.PlatformSlack, "T1")
	t2 := reminders.NewTeamID(reminders.PlatformSlack, "T2")
	for _, tm := range []reminders.TeamID{t1, t2} {
		if err := s.PutInstallation(ctx, reminders.Installation{Team: tm, Token: []byte{1}, InstalledBy: "UALICE", InstalledAt: t0}); err != nil {
			t.Fatal(err)
		}
	}
	addContact(t, s, alice, "Jane") // alice is slack:T1:UALICE
	if err := s.DeleteOwner(ctx, alice); err != nil {
		t.Fatal(err)
	}
	if in, err := s.Installation(ctx, t1); err != nil || in.InstalledBy != "" || !in.Active() || len(in.Token) == 0 {
		t.Errorf("installation after its installer forgot themselves = %+v, %v; want it kept without their id", in, err)
	}
	if in, err := s.Installation(ctx, t2); err != nil || in.InstalledBy != "UALICE" {
		t.Errorf("another workspace's installation = %+v, %v; want it untouched", in, err)
	}
}
