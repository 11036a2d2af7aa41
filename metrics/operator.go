package metrics

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// operator holds what an operator watches beside the traffic: HTTP by route
// and status, store commits, backups and delivery attempts.
type operator struct {
	httpRequests *prometheus.CounterVec
	httpLatency  *prometheus.HistogramVec
	commits      *prometheus.HistogramVec
	backups      *prometheus.CounterVec
	lastBackup   prometheus.Gauge
	deliveries   *prometheus.CounterVec
}

// commitBuckets run from a group commit on a fast disk to a stalled one.
var commitBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}

// storeOps are the label values of a store write.
var storeOps = []string{"update", "delete_owner", "team", "jobs"}

// deliveryKinds and deliveryOutcomes are the label values of a delivery attempt.
var (
	deliveryKinds    = []string{"dm", "post"}
	deliveryOutcomes = []string{"ok", "failed"}
)

func newOperator() operator {
	return operator{
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kith_http_requests_total",
			Help: "HTTP requests answered, by route (the path pattern, or other) and status code.",
		}, []string{"route", "code"}),
		httpLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kith_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route; the platforms give up after 3 seconds.",
			Buckets: latencyBuckets,
		}, []string{"route"}),
		commits: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kith_store_commit_seconds",
			Help:    "Time for a write to be durable in the store, by operation.",
			Buckets: commitBuckets,
		}, []string{"op"}),
		backups: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kith_backups_total",
			Help: "Hot backups attempted, by result: ok or failed.",
		}, []string{"result"}),
		lastBackup: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "kith_backup_last_success_timestamp_seconds",
			Help: "When the newest good backup was written (Unix seconds); 0 when there is none.",
		}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kith_delivery_attempts_total",
			Help: "Messages kith tried to send on its own (digests as DMs, summaries as posts), by platform, kind and outcome.",
		}, []string{"platform", "kind", "outcome"}),
	}
}

func (o operator) collectors() []prometheus.Collector {
	return []prometheus.Collector{o.httpRequests, o.httpLatency, o.commits, o.backups, o.lastBackup, o.deliveries}
}

// zero starts the series alerts look at, so rate() sees the first event.
func (o operator) zero() {
	for _, r := range []string{"ok", "failed"} {
		o.backups.WithLabelValues(r)
	}
	for _, p := range platforms {
		for _, k := range deliveryKinds {
			for _, out := range deliveryOutcomes {
				o.deliveries.WithLabelValues(p, k, out)
			}
		}
	}
}

// HTTP counts and times every request mux answers, labelled by the pattern
// it matched ("/slack/commands"), so a misconfigured signing secret shows as
// 401s on one route; a path no route matches counts as "other", so a
// scanner cannot create series.
func (m *Metrics) HTTP(mux *http.ServeMux) http.Handler {
	if m == nil {
		return mux
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		route := "other"
		if _, pattern := mux.Handler(r); pattern != "" {
			_, path, found := strings.Cut(pattern, " ")
			if !found {
				path = pattern
			}
			route = path
		}
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		mux.ServeHTTP(sw, r)
		m.httpRequests.WithLabelValues(route, strconv.Itoa(sw.status())).Inc()
		m.httpLatency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// statusWriter remembers the status code a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	code int
}

// WriteHeader records the code before passing it on.
func (s *statusWriter) WriteHeader(code int) {
	if s.code == 0 {
		s.code = code
	}
	s.ResponseWriter.WriteHeader(code)
}

// Write records the implicit 200 of a body written without a header.
func (s *statusWriter) Write(b []byte) (int, error) {
	if s.code == 0 {
		s.code = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer (Flush, deadlines).
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// status is the code answered; a handler that wrote nothing answered 200.
func (s *statusWriter) status() int {
	if s.code == 0 {
		return http.StatusOK
	}
	return s.code
}

// StoreCommit records how long a store write (update, delete_owner, team,
// jobs) took to become durable.
func (m *Metrics) StoreCommit(op string, d time.Duration) {
	if m == nil {
		return
	}
	m.commits.WithLabelValues(label(op, storeOps)).Observe(d.Seconds())
}

// BackupDone counts a backup attempt: err nil is a success.
func (m *Metrics) BackupDone(err error) {
	if m == nil {
		return
	}
	if err != nil {
		m.backups.WithLabelValues("failed").Inc()
		return
	}
	m.backups.WithLabelValues("ok").Inc()
}

// BackupNewest records when the newest good backup was written, at start
// from the files already there and after each success, so its age is right
// from the first scrape.
func (m *Metrics) BackupNewest(at time.Time) {
	if m == nil || at.IsZero() {
		return
	}
	m.lastBackup.Set(float64(at.UnixNano()) / 1e9)
}

// DeliveryAttempt counts one send kith made on its own: platform (slack,
// discord), kind (dm or post) and whether the platform took it.
func (m *Metrics) DeliveryAttempt(platform, kind string, err error) {
	if m == nil {
		return
	}
	outcome := "ok"
	if err != nil {
		outcome = "failed"
	}
	m.deliveries.WithLabelValues(label(platform, platforms), label(kind, deliveryKinds), outcome).Inc()
}
