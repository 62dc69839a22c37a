package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"dossier/domain"
	"dossier/sync"
)

// Metrics are dossierd's Prometheus metrics. Their labels are routes as
// templates ("GET /v1/requests/{id}"), HTTP statuses, command kinds, the
// outcomes and error codes: nothing that names a person, a record or an
// address. A nil *Metrics records nothing.
type Metrics struct {
	reg       *prometheus.Registry
	known     func(sync.Kind) bool
	requests  *prometheus.CounterVec
	durations *prometheus.HistogramVec
	pushes    prometheus.Counter
	commands  *prometheus.CounterVec
	feedLag   *prometheus.HistogramVec
	longPolls prometheus.Gauge
	signIns   *prometheus.CounterVec
	limited   *prometheus.CounterVec
	commits   prometheus.Histogram
}

// NewMetrics makes the metrics in a registry of their own, with the Go
// runtime's and the process's. known tells a command kind the server
// has from anything else a client may send, which is counted as
// "unknown" so that no client can add label values.
func NewMetrics(known func(sync.Kind) bool) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{reg: reg, known: known,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dossierd_http_requests_total",
			Help: "HTTP requests answered, by route template, method and status code."}, []string{"route", "method", "code"}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "dossierd_http_request_duration_seconds",
			Help:    "Time to answer a request, by route template (a long-poll's wait included).",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"route"}),
		pushes: prometheus.NewCounter(prometheus.CounterOpts{Name: "dossierd_pushes_total",
			Help: "Pushes of desks' outboxes the server answered."}),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dossierd_commands_total",
			Help: "Pushed commands, by kind and outcome (applied, merged, refused)."}, []string{"kind", "outcome"}),
		feedLag: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "dossierd_feed_lag_changes",
			Help:    "Changes waiting for a desk when its pull arrived (how far behind it was), by poll (long or short).",
			Buckets: []float64{0, 1, 10, 100, 1000, 5000}}, []string{"poll"}),
		longPolls: prometheus.NewGauge(prometheus.GaugeOpts{Name: "dossierd_longpolls_in_flight",
			Help: "Pulls waiting for news now."}),
		signIns: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dossierd_signin_failures_total",
			Help: "Sign-ins refused, by error code."}, []string{"code"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dossierd_rate_limited_total",
			Help: "Refusals over a rate limit (HTTP 429, or a pushed command over its creation limit), by route template."}, []string{"route"}),
		commits: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "dossierd_store_commit_seconds",
			Help:    "Time a write transaction took to commit once its work was done.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5}}),
	}
	reg.MustRegister(m.requests, m.durations, m.pushes, m.commands, m.feedLag, m.longPolls, m.signIns, m.limited,
		m.commits, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Commit records one commit's time (store.Server.ObserveCommits).
func (m *Metrics) Commit(d time.Duration) {
	if m != nil {
		m.commits.Observe(d.Seconds())
	}
}

func (m *Metrics) request(route, method string, status int, took time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.durations.WithLabelValues(route).Observe(took.Seconds())
	if status == http.StatusTooManyRequests {
		m.limited.WithLabelValues(route).Inc()
	}
}

func (m *Metrics) push(cmds []sync.Command, answers []sync.Answer) {
	if m == nil {
		return
	}
	m.pushes.Inc()
	for i, a := range answers {
		kind := "unknown"
		if i < len(cmds) && m.known != nil && m.known(cmds[i].Kind) {
			kind = string(cmds[i].Kind)
		}
		outcome := string(a.Outcome)
		if a.Outcome == sync.Rejected {
			outcome = "refused"
		}
		switch outcome {
		case string(sync.Applied), string(sync.Merged), "refused":
		default:
			outcome = "other"
		}
		m.commands.WithLabelValues(kind, outcome).Inc()
		if a.Error != nil && a.Error.Code == sync.ErrRateLimited {
			m.limited.WithLabelValues("POST /v1/push").Inc()
		}
	}
}

func (m *Metrics) signInFailed(code domain.Code) {
	if m != nil {
		m.signIns.WithLabelValues(string(code)).Inc()
	}
}

func (m *Metrics) lag(long bool, n int) {
	if m == nil {
		return
	}
	poll := "short"
	if long {
		poll = "long"
	}
	m.feedLag.WithLabelValues(poll).Observe(float64(n))
}

func (m *Metrics) waiting(delta float64) {
	if m != nil {
		m.longPolls.Add(delta)
	}
}
