package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/metrics"
	"github.com/kith-bot/kith/reminders"
	"github.com/kith-bot/kith/storage/bolt"
)

// A modal submission counts as the command it stands for: stored, sent back
// for a mistake, or repeated.
func TestModalSubmissionsAreCounted(t *testing.T) {
	store, err := bolt.Open(filepath.Join(t.TempDir(), "kith.db"), bolt.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := func() time.Time { return time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC) }
	m := metrics.New()
	h := instrumented{bot.New(store, bot.Options{Now: now}), m, now}
	ana := reminders.Owner{Platform: reminders.PlatformSlack, Team: "T1", User: "U1"}
	submit := func(key, name string) {
		h.Submit(context.Background(), bot.Submission{Owner: ana, Kind: bot.ModalAddContact, Key: key, Values: map[string]string{bot.InputName: name}})
	}
	submit("v1", "Jane Doe")
	submit("v1", "Jane Doe")
	submit("v2", " ")
	h.Submit(context.Background(), bot.Submission{Owner: ana, Kind: bot.ModalLogMeeting, Key: "v3", Values: map[string]string{bot.InputNames: "Jane"}})

	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		if f.GetName() != "kith_commands_total" {
			continue
		}
		for _, mt := range f.GetMetric() {
			key := ""
			for _, l := range mt.GetLabel() {
				key += l.GetName() + "=" + l.GetValue() + ","
			}
			got[key] = mt.GetCounter().GetValue()
		}
	}
	for key, want := range map[string]float64{
		"command=add,outcome=ok,":                           1,
		"command=add,outcome=" + reminders.EDUPLICATE + ",": 1,
		"command=add,outcome=" + reminders.EINVALID + ",":   1,
		"command=met,outcome=ok,":                           1,
	} {
		if got[key] != want {
			t.Errorf("%s = %v, want %v (all: %v)", key, got[key], want, got)
		}
	}
}
