package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/bot"
	"github.com/kith-bot/kith/metrics"
	"github.com/kith-bot/kith/reminders"
)

// failingSender refuses every send, as a platform API that is down does.
type failingSender struct{}

func (failingSender) SendDM(context.Context, reminders.Owner, bot.Message) error {
	return errors.New("platform down")
}
func (failingSender) Post(context.Context, reminders.TeamID, string, bot.Message) error {
	return errors.New("platform down")
}
func (failingSender) PostDM(context.Context, reminders.Owner, string, bot.Message) error {
	return errors.New("platform down")
}
func (failingSender) OpenDM(context.Context, reminders.Owner) (string, error) {
	return "", errors.New("platform down")
}
func (failingSender) Posted(context.Context, reminders.TeamID, string, bot.Mark) (bool, error) {
	return false, errors.New("platform down")
}

// okDeliverer accepts every digest and summary.
type okDeliverer struct{}

func (okDeliverer) DeliverDigest(context.Context, reminders.Digest) error   { return nil }
func (okDeliverer) DeliverSummary(context.Context, reminders.Summary) error { return nil }

func TestFailedSendsAreAPIErrorsAndRetriesAreCounted(t *testing.T) {
	m := metrics.New()
	s := countingSender{failingSender{}, reminders.PlatformSlack, m}
	_ = s.SendDM(context.Background(), reminders.Owner{Platform: "slack", Team: "T", User: "U"}, bot.Message{})
	_ = s.Post(context.Background(), "slack:T", "C1", bot.Message{})

	now := time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC)
	d := countingDeliverer{okDeliverer{}, m, func() time.Time { return now }}
	entry := []reminders.DigestEntry{{Contact: reminders.Contact{Name: "Jane"}}}
	_ = d.DeliverDigest(context.Background(), reminders.Digest{Slot: now.Add(-5 * time.Minute), Entries: entry})
	_ = d.DeliverDigest(context.Background(), reminders.Digest{Slot: now.Add(-5 * time.Minute), Entries: entry, Attempts: 2})

	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		for _, mt := range f.GetMetric() {
			key := f.GetName()
			for _, l := range mt.GetLabel() {
				key += "," + l.GetName() + "=" + l.GetValue()
			}
			if c := mt.GetCounter(); c != nil {
				got[key] = c.GetValue()
			}
		}
	}
	for key, want := range map[string]float64{
		"kith_platform_api_errors_total,platform=slack": 2,
		"kith_digests_total,result=sent":                2,
		"kith_digests_total,result=retried":             1,
	} {
		if got[key] != want {
			t.Errorf("%s = %v, want %v", key, got[key], want)
		}
	}
}

// deferringDeliverer hands every delivery back, as the bot does while the
// platform's rate limit is paused for long; deferringSender is the adapter
// that says so.
type deferringDeliverer struct{}

func (deferringDeliverer) DeliverDigest(context.Context, reminders.Digest) error {
	return &reminders.Deferred{Wait: time.Minute}
}
func (deferringDeliverer) DeliverSummary(context.Context, reminders.Summary) error {
	return &reminders.Deferred{Wait: time.Minute}
}

type deferringSender struct{ failingSender }

func (deferringSender) PostDM(context.Context, reminders.Owner, string, bot.Message) error {
	return &reminders.Deferred{Wait: time.Minute}
}

// TestDeferredDeliveriesAreNotFailures: a delivery handed back while the
// platform is paused counts as deferred, not as a failed digest, a retry,
// a failed send or an API error, and its lag waits for the real delivery.
func TestDeferredDeliveriesAreNotFailures(t *testing.T) {
	m := metrics.New()
	s := countingSender{deferringSender{}, reminders.PlatformSlack, m}
	_ = s.PostDM(context.Background(), reminders.Owner{Platform: "slack", Team: "T", User: "U"}, "D1", bot.Message{})
	now := time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC)
	d := countingDeliverer{deferringDeliverer{}, m, func() time.Time { return now }}
	entry := []reminders.DigestEntry{{Contact: reminders.Contact{Name: "Jane"}}}
	_ = d.DeliverDigest(context.Background(), reminders.Digest{Slot: now.Add(-5 * time.Minute), Entries: entry, Attempts: 1})
	_ = d.DeliverSummary(context.Background(), reminders.Summary{Slot: now.Add(-5 * time.Minute)})
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		for _, mt := range f.GetMetric() {
			key := f.GetName()
			for _, l := range mt.GetLabel() {
				key += "," + l.GetName() + "=" + l.GetValue()
			}
			if c := mt.GetCounter(); c != nil {
				got[key] = c.GetValue()
			}
			if h := mt.GetHistogram(); h != nil {
				got[key] = float64(h.GetSampleCount())
			}
		}
	}
	for key, want := range map[string]float64{
		"kith_digests_total,result=deferred":            1,
		"kith_team_summaries_total,result=deferred":     1,
		"kith_digests_total,result=failed":              0,
		"kith_digests_total,result=retried":             0,
		"kith_team_summaries_total,result=failed":       0,
		"kith_platform_api_errors_total,platform=slack": 0,
		"kith_scheduler_lag_seconds":                    0,
	} {
		if got[key] != want {
			t.Errorf("%s = %v, want %v", key, got[key], want)
		}
	}
	for key, v := range got {
		if v != 0 && strings.HasPrefix(key, "kith_delivery_attempts_total") {
			t.Errorf("%s = %v: a deferred send counted as an attempt", key, v)
		}
	}
}

// repeatHandler answers every click as a repeat that changed nothing, as the
// bot answers a second click of a digest button.
type repeatHandler struct{ bot.Handler }

func (repeatHandler) Act(context.Context, bot.Action) bot.Message {
	return bot.Message{Text: "Already done", Replace: true, Code: reminders.EDUPLICATE}
}

func TestARepeatedClickCountsAsDuplicate(t *testing.T) {
	m := metrics.New()
	now := func() time.Time { return time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC) }
	h := instrumented{repeatHandler{}, m, now}
	h.Act(context.Background(), bot.Action{ID: bot.ActMet})
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "kith_commands_total" {
			continue
		}
		for _, mt := range f.GetMetric() {
			for _, l := range mt.GetLabel() {
				if l.GetName() == "outcome" && l.GetValue() != reminders.EDUPLICATE {
					t.Errorf("a repeated click counted as %q, want %q", l.GetValue(), reminders.EDUPLICATE)
				}
			}
		}
		return
	}
	t.Error("the click was not counted")
}
