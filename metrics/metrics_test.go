package metrics_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kith-bot/kith/metrics"
	"github.com/kith-bot/kith/reminders"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func TestCounters(t *testing.T) {
	m := metrics.New()
	m.ObserveCommand("add", "ok", 20*time.Millisecond)
	m.ObserveCommand("ADD", "ok", 4*time.Second)
	m.ObserveCommand("met", reminders.EINVALID, time.Millisecond)
	m.ObserveCommand("met", reminders.EINTERNAL, time.Millisecond)
	m.ObserveCommand("drop table contacts", "ok", time.Millisecond) // user text never becomes a label
	m.ObserveCommand("show", "weird", time.Millisecond)
	m.DigestSent()
	m.DigestSent()
	m.DigestFailed()
	m.DigestRetried()
	m.DigestPaused()
	m.SummarySent()
	m.APIError("slack")
	m.APIError("Discord")
	m.APIError("myspace")

	want := `
# HELP kith_commands_total Commands and button clicks handled, by command and outcome (ok or an error code).
# TYPE kith_commands_total counter
kith_commands_total{command="add",outcome="ok"} 2
kith_commands_total{command="met",outcome="internal"} 1
kith_commands_total{command="met",outcome="invalid"} 1
kith_commands_total{command="other",outcome="ok"} 1
kith_commands_total{command="show",outcome="other"} 1
# HELP kith_digests_total Digest deliveries by result: sent, failed (will be retried), retried (a later attempt of a failed one), paused (the platform can never reach the owner; their digests stop until their next command) or deferred (handed back unsent while the platform's rate limit is paused for long; not a failure).
# TYPE kith_digests_total counter
kith_digests_total{result="failed"} 1
kith_digests_total{result="paused"} 1
kith_digests_total{result="retried"} 1
kith_digests_total{result="sent"} 2
# HELP kith_team_summaries_total Team summary deliveries by result: sent, failed or deferred (handed back unsent while the platform's rate limit is paused for long).
# TYPE kith_team_summaries_total counter
kith_team_summaries_total{result="failed"} 0
kith_team_summaries_total{result="sent"} 1
# HELP kith_platform_api_errors_total Failed calls to a platform's API, by platform.
# TYPE kith_platform_api_errors_total counter
kith_platform_api_errors_total{platform="discord"} 1
kith_platform_api_errors_total{platform="other"} 1
kith_platform_api_errors_total{platform="slack"} 1
`
	names := []string{"kith_commands_total", "kith_digests_total", "kith_team_summaries_total", "kith_platform_api_errors_total"}
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
}

func TestHistograms(t *testing.T) {
	m := metrics.New()
	m.ObserveCommand("add", "ok", 20*time.Millisecond)
	m.ObserveCommand("add", "ok", 4*time.Second) // past Slack's 3s window
	m.SchedulerLag(90 * time.Second)
	m.SchedulerLag(-time.Second) // early counts as on time
	body := scrape(t, m.Handler())
	for _, want := range []string{
		`kith_command_duration_seconds_bucket{command="add",le="3"} 1`,
		`kith_command_duration_seconds_count{command="add"} 2`,
		`kith_scheduler_lag_seconds_bucket{le="1"} 1`,
		`kith_scheduler_lag_seconds_bucket{le="120"} 2`,
		`kith_scheduler_lag_seconds_sum 90`,
		"go_goroutines ", "process_cpu_seconds_total ", "go_build_info{",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /metrics lacks %q", want)
		}
	}
}

func TestNilIsSafe(t *testing.T) {
	var m *metrics.Metrics
	m.ObserveCommand("add", "ok", time.Second)
	m.DigestSent()
	m.DigestFailed()
	m.DigestRetried()
	m.SummarySent()
	m.SummaryFailed()
	m.SchedulerLag(time.Second)
	m.APIError("slack")
	if m.Registry() != nil {
		t.Error("a nil Metrics has a registry")
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("nil Handler answered %d, want 404", rec.Code)
	}
}

func TestInstancesAreIndependent(t *testing.T) {
	a, b := metrics.New(), metrics.New()
	a.DigestSent()
	if strings.Contains(scrape(t, b.Handler()), `kith_digests_total{result="sent"} 1`) {
		t.Error("a digest counted in one Metrics shows in another")
	}
}

// scrape GETs the handler and returns the body.
func scrape(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	res, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics = %d, %v", res.StatusCode, err)
	}
	return string(b)
}

// TestOperatorMetrics counts what an operator alerts on: requests by route
// and status (a body over the limit is a 413 on its route), backups and
// their age, and delivery attempts by platform, kind and outcome.
func TestOperatorMetrics(t *testing.T) {
	m := metrics.New()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack/commands", func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 4)); err != nil {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
			return
		}
		_, _ = w.Write([]byte("ok"))
	})
	srv := httptest.NewServer(m.HTTP(mux))
	defer srv.Close()
	for _, body := range []string{"ok", "far too long"} {
		resp, err := http.Post(srv.URL+"/slack/commands", "text/plain", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	for _, p := range []string{"/wp-login.php", "/slack/commands"} { // unknown path; known path, wrong method
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	m.BackupDone(nil)
	m.BackupDone(errors.New("disk full"))
	m.BackupNewest(time.Unix(1700000000, 0))
	m.DeliveryAttempt("slack", "dm", nil)
	m.DeliveryAttempt("discord", "post", errors.New("503"))
	m.DeliveryAttempt("irc", "smoke signal", nil)

	want := `
# HELP kith_http_requests_total HTTP requests answered, by route (the path pattern, or other) and status code.
# TYPE kith_http_requests_total counter
kith_http_requests_total{code="200",route="/slack/commands"} 1
kith_http_requests_total{code="404",route="other"} 1
kith_http_requests_total{code="405",route="other"} 1
kith_http_requests_total{code="413",route="/slack/commands"} 1
# HELP kith_backups_total Hot backups attempted, by result: ok or failed.
# TYPE kith_backups_total counter
kith_backups_total{result="failed"} 1
kith_backups_total{result="ok"} 1
# HELP kith_backup_last_success_timestamp_seconds When the newest good backup was written (Unix seconds); 0 when there is none.
# TYPE kith_backup_last_success_timestamp_seconds gauge
kith_backup_last_success_timestamp_seconds 1.7e+09
`
	names := []string{"kith_http_requests_total", "kith_backups_total", "kith_backup_last_success_timestamp_seconds"}
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
	deliveries := `
# HELP kith_delivery_attempts_total Messages kith tried to send on its own (digests as DMs, summaries as posts), by platform, kind and outcome.
# TYPE kith_delivery_attempts_total counter
kith_delivery_attempts_total{kind="dm",outcome="failed",platform="discord"} 0
kith_delivery_attempts_total{kind="dm",outcome="failed",platform="slack"} 0
kith_delivery_attempts_total{kind="dm",outcome="ok",platform="discord"} 0
kith_delivery_attempts_total{kind="dm",outcome="ok",platform="slack"} 1
kith_delivery_attempts_total{kind="other",outcome="ok",platform="other"} 1
kith_delivery_attempts_total{kind="post",outcome="failed",platform="discord"} 1
kith_delivery_attempts_total{kind="post",outcome="failed",platform="slack"} 0
kith_delivery_attempts_total{kind="post",outcome="ok",platform="discord"} 0
kith_delivery_attempts_total{kind="post",outcome="ok",platform="slack"} 0
`
	if err := testutil.GatherAndCompare(m.Registry(), strings.NewReader(deliveries), "kith_delivery_attempts_total"); err != nil {
		t.Error(err)
	}
}
