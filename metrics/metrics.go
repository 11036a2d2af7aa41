// Package metrics is kith's Prometheus instrumentation: what GET /metrics
// serves. Every method is safe on a nil *Metrics, so code under test need
// not wire it.
package metrics

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/kith-bot/kith/bot/lang"
	"github.com/kith-bot/kith/reminders"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds kith's collectors in a registry of its own, so tests and
// several instances in one process never collide on the global one.
type Metrics struct {
	reg       *prometheus.Registry
	commands  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	digests   *prometheus.CounterVec
	summaries *prometheus.CounterVec
	lag       prometheus.Histogram
	apiErrors *prometheus.CounterVec
	operator
}

// latencyBuckets bracket the platforms' 3-second reply window: a command
// slower than 3s had to answer through a follow-up.
var latencyBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2, 3, 5, 10}

// lagBuckets run from a tick late (KITH_TICK is 1m) to a day late, after an outage.
var lagBuckets = []float64{1, 5, 15, 30, 60, 120, 300, 900, 3600, 4 * 3600, 24 * 3600}

// New returns kith's metrics with the Go runtime, process and build-info collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kith_commands_total",
			Help: "Commands and button clicks handled, by command and outcome (ok or an error code).",
		}, []string{"command", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kith_command_duration_seconds",
			Help:    "Time to handle a command, from receipt to reply.",
			Buckets: latencyBuckets,
		}, []string{"command"}),
		digests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kith_digests_total",
			Help: "Digest deliveries by result: sent, failed (will be retried), retried (a later attempt of a failed one), paused (the platform can never reach the owner; their digests stop until their next command) or deferred (handed back unsent while the platform's rate limit is paused for long; not a failure).",
		}, []string{"result"}),
		summaries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kith_team_summaries_total",
			Help: "Team summary deliveries by result: sent, failed or deferred (handed back unsent while the platform's rate limit is paused for long).",
		}, []string{"result"}),
		lag: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "kith_scheduler_lag_seconds",
			Help:    "How late scheduled work ran: when it ran minus when it was due.",
			Buckets: lagBuckets,
		}),
		apiErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kith_platform_api_errors_total",
			Help: "Failed calls to a platform's API, by platform.",
		}, []string{"platform"}),
		operator: newOperator(),
	}
	m.reg.MustRegister(m.operator.collectors()...)
	m.operator.zero()
	m.reg.MustRegister(m.commands, m.latency, m.digests, m.summaries, m.lag, m.apiErrors,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector(),
	)
	// Start every known series at zero, so rate() and alerts see the first event.
	for _, r := range []string{"sent", "failed", "retried"} {
		m.digests.WithLabelValues(r)
	}
	for _, r := range []string{"sent", "failed"} {
		m.summaries.WithLabelValues(r)
	}
	for _, p := range platforms {
		m.apiErrors.WithLabelValues(p)
	}
	return m
}

// Registry is where kith's collectors live, for adding more (a database
// collector, say) and for tests.
func (m *Metrics) Registry() *prometheus.Registry {
	if m == nil {
		return nil
	}
	return m.reg
}

// Handler serves the metrics in Prometheus' text format, for GET /metrics; on
// a nil *Metrics it answers 404.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// commandNames are the label values a command may have: the canonical verbs
// of the command language, the Less often button, and "unknown" for a word
// that is no command. Anything else counts as "other", so a typo typed by a
// user can never create a new time series.
var commandNames = append(lang.Names(), "less-often", "unknown")

// outcomes are the label values of a command's outcome.
var outcomes = []string{"ok", reminders.EINVALID, reminders.ENOTFOUND, reminders.ECONFLICT,
	reminders.EDUPLICATE, reminders.EUNAVAILABLE, reminders.EINTERNAL}

// platforms are the label values of an API error.
var platforms = []string{reminders.PlatformSlack, reminders.PlatformDiscord}

// label returns v in lower case when it is one of allowed, else "other".
func label(v string, allowed []string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	if slices.Contains(allowed, v) {
		return v
	}
	return "other"
}

// ObserveCommand counts one handled command with its outcome ("ok" or an
// error code) and how long it took.
func (m *Metrics) ObserveCommand(name, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	name = label(name, commandNames)
	m.commands.WithLabelValues(name, label(outcome, outcomes)).Inc()
	m.latency.WithLabelValues(name).Observe(d.Seconds())
}

// DigestSent counts a digest delivered.
func (m *Metrics) DigestSent() { m.digest("sent") }

// DigestFailed counts a digest delivery that failed and will be retried.
func (m *Metrics) DigestFailed() { m.digest("failed") }

// DigestPaused counts an owner whose digests were paused because the
// platform said a DM can never reach them.
func (m *Metrics) DigestPaused() { m.digest("paused") }

// DigestDeferred counts a digest handed back unsent because its platform's
// rate limit was paused for longer than a delivery waits; it goes out when
// the pause ends, so it is not a failure.
func (m *Metrics) DigestDeferred() { m.digest("deferred") }

// DigestRetried counts a later attempt at a digest that failed before.
func (m *Metrics) DigestRetried() { m.digest("retried") }

func (m *Metrics) digest(result string) {
	if m == nil {
		return
	}
	m.digests.WithLabelValues(result).Inc()
}

// SummarySent counts a team summary posted.
func (m *Metrics) SummarySent() {
	if m != nil {
		m.summaries.WithLabelValues("sent").Inc()
	}
}

// SummaryFailed counts a team summary that could not be posted.
func (m *Metrics) SummaryFailed() {
	if m != nil {
		m.summaries.WithLabelValues("failed").Inc()
	}
}

// SummaryDeferred counts a team summary handed back unsent while its
// platform's rate limit was paused.
func (m *Metrics) SummaryDeferred() {
	if m != nil {
		m.summaries.WithLabelValues("deferred").Inc()
	}
}

// SchedulerLag records how late a job ran (now minus its due time); work run
// early counts as on time.
func (m *Metrics) SchedulerLag(d time.Duration) {
	if m == nil {
		return
	}
	m.lag.Observe(max(d, 0).Seconds())
}

// APIError counts a failed call to a platform's API (slack, discord).
func (m *Metrics) APIError(platform string) {
	if m == nil {
		return
	}
	m.apiErrors.WithLabelValues(label(platform, platforms)).Inc()
}
