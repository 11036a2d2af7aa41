package storagetest

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/kith-bot/kith/reminders"
)

func testTeams(t *testing.T, s reminders.Store) {
	team := reminders.NewTeamID(reminders.PlatformSlack, "T1")
	_, err := s.Team(ctx, team)
	wantCode(t, err, reminders.ENOTFOUND)
	want := reminders.Team{ID: team, Channel: "C1", Schedule: "fridays 16:00", TimeZone: "Europe/Paris", SetBy: alice}
	if err := s.PutTeam(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Team(ctx, team); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Team = %+v, %v; want %+v", got, err, want)
	}
	want.Channel = ""
	if err := s.PutTeam(ctx, want); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Team(ctx, team); got.Channel != "" {
		t.Errorf("Team after replace = %+v", got)
	}

	other := reminders.NewTeamID(reminders.PlatformDiscord, "G9")
	joins := []struct {
		team  reminders.TeamID
		owner reminders.OwnerID
	}{{team, bob}, {team, alice}, {team, alice}, {other, alice}, {team, bob}}
	for _, j := range joins {
		if err := s.Join(ctx, j.team, j.owner); err != nil {
			t.Fatalf("Join(%s, %s): %v", j.team, j.owner, err)
		}
	}
	members, err := s.Members(ctx, team)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(members)
	if w := []reminders.OwnerID{bob, alice}; !slices.Equal(members, w) {
		t.Errorf("Members = %q, want %q once each", members, w)
	}
	if m, _ := s.Members(ctx, other); !slices.Equal(m, []reminders.OwnerID{alice}) {
		t.Errorf("Members(other) = %q", m)
	}
	// A team id that is a prefix of another shares no members.
	if m, _ := s.Members(ctx, "slack:T"); len(m) != 0 {
		t.Errorf("Members(prefix) = %q", m)
	}
}

func testJobs(t *testing.T, s reminders.Store) {
	_, err := s.Job(ctx, reminders.DigestJob, string(alice))
	wantCode(t, err, reminders.ENOTFOUND)
	digest := reminders.Job{Kind: reminders.DigestJob, ID: string(alice), Slot: t0, Due: t0}
	summary := reminders.Job{Kind: reminders.SummaryJob, ID: string(alice), Slot: t0, Due: t0.Add(time.Hour)}
	if err := s.PutJobs(ctx, digest, summary); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Job(ctx, reminders.DigestJob, string(alice)); err != nil || !reflect.DeepEqual(got, digest) {
		t.Errorf("Job = %+v, %v; want %+v", got, err, digest)
	}
	// Replacing moves the job in the due order: it is due once, at its new time.
	digest.Due, digest.Attempts = t0.Add(2*time.Hour), 1
	if err := s.PutJobs(ctx, digest); err != nil {
		t.Fatal(err)
	}
	due, err := s.DueJobs(ctx, t0.Add(3*time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(due, []reminders.Job{summary, digest}) {
		t.Errorf("DueJobs = %+v, want the summary then the moved digest", due)
	}
	if err := s.DeleteJob(ctx, reminders.DigestJob, string(alice)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteJob(ctx, reminders.DigestJob, "console:nobody"); err != nil {
		t.Errorf("deleting a missing job = %v", err)
	}
	_, err = s.Job(ctx, reminders.DigestJob, string(alice))
	wantCode(t, err, reminders.ENOTFOUND)
	if due, _ := s.DueJobs(ctx, t0.Add(3*time.Hour), 0); !reflect.DeepEqual(due, []reminders.Job{summary}) {
		t.Errorf("DueJobs after delete = %+v", due)
	}
}

func testDueJobs(t *testing.T, s reminders.Store) {
	var jobs []reminders.Job
	for i := range 50 {
		// Out of order, some due long ago, some in the future; one before 1970.
		off := time.Duration((i*37)%50-25) * time.Minute
		jobs = append(jobs, reminders.Job{Kind: reminders.DigestJob, ID: fmt.Sprintf("console:u%02d", i), Due: t0.Add(off), Slot: t0.Add(off)})
	}
	jobs = append(jobs, reminders.Job{Kind: reminders.SummaryJob, ID: "console:local", Due: time.Date(1969, 7, 20, 20, 17, 0, 0, time.UTC)})
	if err := s.PutJobs(ctx, jobs...); err != nil {
		t.Fatal(err)
	}
	var wantDue []reminders.Job
	for _, j := range jobs {
		if !j.Due.After(t0) {
			wantDue = append(wantDue, j)
		}
	}
	slices.SortFunc(wantDue, func(a, b reminders.Job) int { return a.Due.Compare(b.Due) })
	tests := []struct {
		limit int
		want  []reminders.Job
	}{{0, wantDue}, {5, wantDue[:5]}, {1, wantDue[:1]}, {1000, wantDue}}
	for _, tc := range tests {
		got, err := s.DueJobs(ctx, t0, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		for i := range got { // JSON round trips drop the monotonic clock and zone pointers
			got[i].Due, got[i].Slot = got[i].Due.UTC(), got[i].Slot.UTC()
		}
		if len(got) != len(tc.want) {
			t.Fatalf("DueJobs(limit %d) = %d jobs, want %d", tc.limit, len(got), len(tc.want))
		}
		for i := range got {
			if got[i].ID != tc.want[i].ID || !got[i].Due.Equal(tc.want[i].Due) {
				t.Errorf("DueJobs(limit %d)[%d] = %s at %s, want %s at %s", tc.limit, i, got[i].ID, got[i].Due, tc.want[i].ID, tc.want[i].Due)
			}
		}
	}
	if got, _ := s.DueJobs(ctx, time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), 0); len(got) != 0 {
		t.Errorf("DueJobs before everything = %+v", got)
	}
}
