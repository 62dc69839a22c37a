package main

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"dossier/cmd/internal/cli"
	"dossier/domain"
	"dossier/internal/version"
	"dossier/store"
	"dossier/store/programs"
	"dossier/store/requests"
	"dossier/sync"
	"dossier/sync/client"
	"dossier/sync/server"
)

func (m *Main) serve(args []string) error {
	fs := cli.NewFlags("serve")
	data := fs.String("data", "", "")
	addr := fs.String("addr", ":8443", "")
	certFile := fs.String("cert", "", "")
	keyFile := fs.String("key", "", "")
	dbURL := fs.String("db", "", "")
	perAddress := fs.Int("max-conns-per-address", 0, "")
	total := fs.Int("max-conns", 0, "")
	loadTest := fs.Bool("load-test", false, "")
	metricsAddr := fs.String("metrics", "", "")
	logLevel := fs.String("log-level", "info", "")
	smtp := addMailFlags(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	level, ok := logLevels[strings.ToLower(*logLevel)]
	if !ok {
		return cli.Bad("cli.flag.value", "--log-level")
	}
	defer server.TuneGC(m.Getenv)()
	relay, relayed, err := m.relay(smtp)
	if err != nil {
		return err
	}
	m.loadTest = *loadTest
	if *data == "" {
		return cli.Bad("cli.flag.required", "--data")
	}
	if (*certFile == "") != (*keyFile == "") {
		return cli.Bad("dossierd.cert.pair")
	}
	if *perAddress < 0 {
		return cli.Bad("cli.flag.value", "--max-conns-per-address")
	}
	if *total < 0 {
		return cli.Bad("cli.flag.value", "--max-conns")
	}
	bounds := m.bounds.withDefaults()
	if *perAddress > 0 {
		bounds.PerAddress = *perAddress
	}
	if *total > 0 {
		bounds.Total = *total
	}
	if m.loadTest {
		bounds.PerAddress = bounds.Total
	}
	sv, err := m.openStore(*data, *dbURL)
	if err != nil {
		return err
	}
	defer sv.Close()
	m.store = sv
	cert, err := loadOrMakeCert(filepath.Join(*data, "tls"), *certFile, *keyFile)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(m.Stderr, &slog.HandlerOptions{Level: level}))
	if err := m.checkAudit(sv, log); err != nil {
		return err
	}
	// Requests run under base, which ends as shutdown begins, so long-polls
	// answer at once instead of holding the shutdown up.
	base, endRequests := context.WithCancel(context.Background())
	defer endRequests()
	api := server.New(sv, log)
	var metrics *http.Server
	var metricsAt string
	if *metricsAddr != "" {
		met := server.NewMetrics(func(k sync.Kind) bool { _, ok := store.CommandOf(k); return ok })
		api.Instrument(met)
		sv.ObserveCommits(met.Commit)
		defer sv.ObserveCommits(nil)
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			return domain.Wrap(ErrListen, err)
		}
		// Plain HTTP on an address of its own, for Prometheus on the
		// same machine or network: it says counts, never who.
		metrics = &http.Server{Handler: metricsMux(met), ReadHeaderTimeout: 10 * time.Second,
			ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
		go metrics.Serve(mln)
		defer metrics.Close()
		metricsAt = mln.Addr().String()
		if m.metricsReady != nil {
			m.metricsReady <- mln.Addr().String()
		}
	}
	srv := &http.Server{
		BaseContext:       func(net.Listener) context.Context { return base },
		Handler:           api,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: bounds.ReadHeader,
		ReadTimeout:       bounds.Read,
		WriteTimeout:      server.MaxWait + 30*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	raw, err := net.Listen("tcp", *addr)
	if err != nil {
		return domain.Wrap(ErrListen, err)
	}
	ln := capConns(raw, bounds.PerAddress, bounds.Total, log)
	m.conns = ln
	m.say("dossierd.listening", ln.Addr().String())
	m.say("dossierd.fingerprint", client.Fingerprint(cert.Certificate[0]))
	if metrics != nil {
		m.say("dossierd.metrics", metricsAt)
	}
	log.Info("start", "addr", ln.Addr().String(), "epoch", sv.Epoch().String(), "version", version.Version,
		"metrics", *metricsAddr != "")
	if m.loadTest {
		log.Warn("load test: the limits per account and per address are lifted")
	}
	if sv.Payments().IsSandbox() {
		log.Warn("payments: the OINP fees go through the sandbox processor: no money moves, and every receipt says sandbox")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if m.Stop != nil {
		go func() {
			select {
			case <-m.Stop:
				stop()
			case <-ctx.Done():
			}
		}()
	}
	swept := make(chan struct{})
	go func() {
		defer close(swept)
		sweep(ctx, sv, log)
	}()
	populated := make(chan struct{})
	go func() {
		defer close(populated)
		populate(ctx, sv, log, time.Now)
	}()
	expired := make(chan struct{})
	go func() {
		defer close(expired)
		expire(ctx, sv, log, expireEvery)
	}()
	mailed := make(chan struct{})
	go func() {
		defer close(mailed)
		sendMail(ctx, sv, relay, relayed, log)
	}()
	reminded := make(chan struct{})
	go func() {
		defer close(reminded)
		remind(ctx, sv, log, remindEvery)
	}()
	// The store closes after the list's and the expiry's current batches
	// have committed, and the letter being sent is recorded.
	defer func() {
		stop()
		<-populated
		<-expired
		<-swept
		<-mailed
		<-reminded
	}()
	served := make(chan error, 1)
	go func() { served <- srv.ServeTLS(ln, "", "") }()
	if m.Ready != nil {
		m.Ready <- ln.Addr().String()
	}
	select {
	case err := <-served:
		if !errors.Is(err, http.ErrServerClosed) {
			return domain.Wrap(ErrListen, err)
		}
	case <-ctx.Done():
	}
	// Graceful: finish what is under way (long-polls end at once), then
	// close the store.
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	endRequests()
	err = srv.Shutdown(shut)
	log.Info("stop")
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return domain.Wrap(ErrListen, err)
	}
	return nil
}

// connBounds are how long a client may take to send a request's headers
// (a TLS handshake included), and the whole request: a slow-loris client,
// sending a byte now and then to hold a connection, is cut off at the
// first, one trickling a body at the second. A push of 16 MB (the most a
// request may carry) needs 2 Mbit/s to arrive within the minute. And how
// many connections may be open from one address and overall (conncap.go;
// --max-conns-per-address, --max-conns).
type connBounds struct {
	ReadHeader, Read  time.Duration
	PerAddress, Total int
}

var defaultConnBounds = connBounds{ReadHeader: 10 * time.Second, Read: 60 * time.Second,
	PerAddress: DefaultConnsPerAddress, Total: DefaultConnsTotal}

// withDefaults fills the bounds not set with the defaults.
func (b connBounds) withDefaults() connBounds {
	if b.ReadHeader == 0 {
		b.ReadHeader = defaultConnBounds.ReadHeader
	}
	if b.Read == 0 {
		b.Read = defaultConnBounds.Read
	}
	if b.PerAddress == 0 {
		b.PerAddress = defaultConnBounds.PerAddress
	}
	if b.Total == 0 {
		b.Total = min(defaultConnBounds.Total, descriptorRoom())
	}
	return b
}

// logLevels are the levels --log-level takes.
var logLevels = map[string]slog.Level{"debug": slog.LevelDebug, "info": slog.LevelInfo, "warn": slog.LevelWarn,
	"error": slog.LevelError}

// metricsMux serves the metrics on /metrics, and nothing else.
func metricsMux(met *server.Metrics) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", met.Handler())
	return mux
}

// ErrListen is a failure to listen on the address given, or to serve.
var ErrListen = domain.NewCode("dossierd.listen", domain.KindInternal)

// sweep deletes expired tokens, and the sign-in and creation limits that
// are full again, every hour; and logs every minute the refusals to
// callers who were not signed in, which are counted, not audited
// (logRefusals).
func sweep(ctx context.Context, sv programs.Server, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	minute := time.NewTicker(time.Minute)
	defer minute.Stop()
	defer logRefusals(sv, log)
	for {
		select {
		case <-ctx.Done():
			return
		case <-minute.C:
			logRefusals(sv, log)
		case <-t.C:
			if n, err := sv.SweepTokens(); err != nil {
				log.Error("sweep", "err", err.Error())
			} else if n > 0 {
				log.Info("sweep", "expired", n)
			}
			if _, err := sv.SweepSignInLimits(); err != nil {
				log.Error("sweep", "err", err.Error())
			}
			if _, err := sv.SweepChallenges(); err != nil {
				log.Error("sweep", "err", err.Error())
			}
			sv.Sweep()
		}
	}
}

// logRefusals logs, in one line, how many refusals to callers who were
// not signed in each action and code got since the last line (none when
// there were none): counts only, nothing of who sent them.
func logRefusals(sv programs.Server, log *slog.Logger) {
	counts := sv.TakeRefusalCounts()
	if len(counts) == 0 {
		return
	}
	keys := slices.Sorted(maps.Keys(counts))
	attrs := make([]any, 0, 2*len(keys))
	for _, k := range keys {
		attrs = append(attrs, k, counts[k])
	}
	log.Info("refused without sign-in", attrs...)
}

// populate makes the Annual Compliance list at start and then once a day
// (DOMAIN.md §3: 15 October; a server that was down that day catches up,
// and a second run adds no one twice). It stops with ctx. The log holds
// counts only.
func populate(ctx context.Context, sv programs.Server, log *slog.Logger, now func() time.Time) {
	run := func() {
		if n, err := sv.PopulateComplianceContext(ctx, now()); err != nil {
			if ctx.Err() == nil {
				log.Error("compliance", "err", err.Error())
			}
		} else if n > 0 {
			log.Info("compliance", "raised", n)
		}
	}
	repeat(ctx, 24*time.Hour, run)
}

// repeat runs run at once, then every interval, until ctx ends: the
// server's own jobs (the compliance lists, expiry, reminders).
func repeat(ctx context.Context, every time.Duration, run func()) {
	run()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			run()
		}
	}
}

// expireEvery is how often dossierd looks for requests whose time has
// run out: a request expires within this long of its time, and a look
// that finds none writes nothing.
const expireEvery = time.Minute

// expire closes the open requests whose time has run out (DOMAIN.md §3:
// ens.Settings.ExpiryDays after they were received), by the server's
// clock, at start and then every interval, in batches that are each their
// own transaction (requests.Server.ExpireDue); every desk and the student
// learn it from the change feed. It stops with ctx, after the batch under
// way. The log holds counts only.
func expire(ctx context.Context, sv programs.Server, log *slog.Logger, every time.Duration) {
	run := func() {
		n, err := sv.ExpireDue(ctx, requests.ExpireBatch)
		if err != nil && ctx.Err() == nil {
			log.Error("expiry", "err", err.Error())
		}
		if n > 0 {
			log.Info("expiry", "expired", n)
		}
	}
	repeat(ctx, every, run)
}
