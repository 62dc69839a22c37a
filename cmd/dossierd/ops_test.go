package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/internal/version"
	"dossier/store"
	"dossier/sync"
	"dossier/translations"
)

// TestMetricsOfARealServer runs dossierd serve --metrics and drives, over
// TLS, a sign-in refused, a push applied, a command refused, a long-poll
// held and one refused over the limit; every metric is then on /metrics
// (plain HTTP, its own address) with the right labels, and no label
// names anyone.
func TestMetricsOfARealServer(t *testing.T) {
	metricsAt := make(chan string, 1)
	hs := startHostile(t, connBounds{}, func(m *Main) {
		m.serveArgs = []string{"--metrics", "127.0.0.1:0", "--log-level", "debug"}
		m.metricsReady = metricsAt
	})
	maddr := <-metricsAt
	if strings.Contains(maddr, hs.addr) {
		t.Fatalf("metrics on the API's address %s", maddr)
	}

	// A sign-in refused.
	if _, a := hs.signIn(hostileUser, "not-the-password-1"); a.status != http.StatusUnauthorized {
		t.Fatalf("wrong password: HTTP %d %s", a.status, a.code)
	}
	// A push applied: the DIR issues a signatory's PIN on a desk, which
	// syncs; a student registers.
	dir := hs.dirSignedIn()
	if err := dir.c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, _, err := dir.st.IssuePIN(dir.by, account.PINRequest{Role: account.Signatory, Org: hs.schools()["A01"],
		GivenNames: "Jo", FamilyName: "Fortin"}); err != nil {
		t.Fatal(err)
	}
	if err := dir.c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	hs.student("stud.metrics")
	// A command refused: a registration, re-sent by the DIR as their own.
	tok := hs.signInAgain(hostileUser)
	reg := hs.signUpCommand("eve.metrics")
	ans := hs.pushAnswer(tok, reg)
	if ans.Outcome != sync.Rejected {
		t.Fatalf("the DIR pushing a registration: %+v", ans)
	}

	// Long-polls: MaxWaiting held at the end of the feed, one more
	// refused with 429.
	after := feedEnd(t, hs, tok)
	var wg gosync.WaitGroup
	statuses := make(chan int, 8)
	for range 4 {
		wg.Go(func() {
			statuses <- hs.call("GET", "/v1/changes?wait=3&"+after, tok, nil).status
		})
	}
	waitFor(t, "four long-polls held", func() bool {
		return metricValue(t, scrape(t, maddr), "dossierd_longpolls_in_flight", nil) == 4
	})
	if a := hs.call("GET", "/v1/changes?wait=3&"+after, tok, nil); a.status != http.StatusTooManyRequests {
		t.Fatalf("a fifth long-poll: HTTP %d", a.status)
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != http.StatusOK {
			t.Fatalf("a held long-poll ended with HTTP %d", s)
		}
	}

	body := scrape(t, maddr)
	for _, want := range []struct {
		name   string
		labels map[string]string
		min    float64
	}{
		{"dossierd_http_requests_total", map[string]string{"route": "POST /v1/signin", "method": "POST", "code": "401"}, 1},
		{"dossierd_http_requests_total", map[string]string{"route": "POST /v1/push", "method": "POST", "code": "200"}, 1},
		{"dossierd_http_requests_total", map[string]string{"route": "GET /v1/changes", "method": "GET", "code": "429"}, 1},
		{"dossierd_http_request_duration_seconds_count", map[string]string{"route": "GET /v1/changes"}, 5},
		{"dossierd_pushes_total", nil, 2},
		{"dossierd_commands_total", map[string]string{"kind": string(sync.KindIssuePIN), "outcome": "applied"}, 1},
		{"dossierd_commands_total", map[string]string{"kind": string(store.KindRegister), "outcome": "refused"}, 1},
		{"dossierd_feed_lag_changes_count", map[string]string{"poll": "long"}, 4},
		{"dossierd_feed_lag_changes_count", map[string]string{"poll": "short"}, 1},
		{"dossierd_signin_failures_total", map[string]string{"code": string(account.ErrSignInFailed)}, 1},
		{"dossierd_rate_limited_total", map[string]string{"route": "GET /v1/changes"}, 1},
		{"dossierd_store_commit_seconds_count", nil, 1},
	} {
		if got := metricValue(t, body, want.name, want.labels); got < want.min {
			t.Errorf("%s%v = %v, want at least %v", want.name, want.labels, got, want.min)
		}
	}
	if got := metricValue(t, body, "dossierd_longpolls_in_flight", nil); got != 0 {
		t.Errorf("long-polls in flight after they ended: %v", got)
	}
	for _, secret := range []string{hostileUser, "stud.metrics", "eve.metrics", "Tremblay", "Mallory", "Fortin", "127.0.0.1", tok} {
		if strings.Contains(body, secret) {
			t.Errorf("/metrics names %q", secret)
		}
	}
	// The API's address does not serve the metrics.
	if a := hs.call("GET", "/metrics", "", nil); a.status != http.StatusNotFound {
		t.Errorf("GET /metrics on the API: HTTP %d", a.status)
	}
}

// TestHealthChecksTheStore: /healthz says ok and the version, then 503
// with the reason's code once the store is closed under the server.
func TestHealthChecksTheStore(t *testing.T) {
	var main *Main
	hs := startHostile(t, connBounds{}, func(m *Main) { main = m })
	a := hs.call("GET", "/healthz", "", nil)
	var h sync.Health
	if a.status != http.StatusOK || json.Unmarshal(a.body, &h) != nil || h.Status != "ok" ||
		h.Version != version.Version || h.MinDesk != version.MinDesk {
		t.Fatalf("healthz: HTTP %d %s", a.status, a.body)
	}
	if err := main.store.Close(); err != nil {
		t.Fatal(err)
	}
	a = hs.call("GET", "/healthz", "", nil)
	h = sync.Health{}
	if a.status != http.StatusServiceUnavailable || json.Unmarshal(a.body, &h) != nil || h.Status != "unavailable" ||
		h.Reason != store.ErrStorage || h.Version != version.Version {
		t.Fatalf("healthz on a closed store: HTTP %d %s", a.status, a.body)
	}
	if !strings.Contains(hs.logs.String(), `"msg":"health"`) {
		t.Error("the health failure's cause is not in the log")
	}
}

// TestTooOldDeskIsTold: a desk stating a version older than the server
// serves is refused with 426 sync.version.old, both versions in the
// answer, whatever it asks; the person reads it in English and French.
// A newer desk, and a client stating none (a probe), are served; every
// answer says the server's version and minimum.
func TestTooOldDeskIsTold(t *testing.T) {
	hs := startHostile(t, connBounds{})
	send := func(path, v string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest("GET", "https://"+hs.addr+path, nil)
		if v != "" {
			req.Header.Set(sync.HeaderDeskVersion, v)
		}
		resp, err := hs.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	for _, path := range []string{"/healthz", "/v1/changes?after=0", "/v1/verify/ABCD"} {
		resp, body := send(path, "0.0.9")
		var er sync.ErrorResponse
		if resp.StatusCode != http.StatusUpgradeRequired || json.Unmarshal(body, &er) != nil ||
			er.Error.Code != sync.ErrDeskTooOld {
			t.Fatalf("%s from 0.0.9: HTTP %d %s", path, resp.StatusCode, body)
		}
		if resp.Header.Get(sync.HeaderServerVersion) != version.Version || resp.Header.Get(sync.HeaderMinDesk) != version.MinDesk {
			t.Errorf("%s: headers %v", path, resp.Header)
		}
		err := er.Error.Err()
		en := translations.New(translations.English).Error(err)
		fr := translations.New(translations.French).Error(err)
		for lang, msg := range map[string]string{"en": en, "fr": fr} {
			if !strings.Contains(msg, "0.0.9") || !strings.Contains(msg, version.MinDesk) || strings.Contains(msg, "sync.version.old") {
				t.Errorf("%s: %q", lang, msg)
			}
		}
		if !strings.Contains(en, "Install the new version") || !strings.Contains(fr, "Installez la nouvelle version") {
			t.Errorf("the message does not say what to do: %q / %q", en, fr)
		}
	}
	if resp, body := send("/healthz", "not-a-version"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("an unreadable version: HTTP %d %s", resp.StatusCode, body)
	}
	for _, v := range []string{"", version.MinDesk, "99.0.0"} {
		if resp, body := send("/healthz", v); resp.StatusCode != http.StatusOK ||
			resp.Header.Get(sync.HeaderServerVersion) != version.Version {
			t.Errorf("desk %q: HTTP %d %s", v, resp.StatusCode, body)
		}
	}
	if c := domain.ErrorCode(domain.Errorf(sync.ErrDeskTooOld, "0.0.9", version.MinDesk)); c != sync.ErrDeskTooOld {
		t.Fatal(c)
	}
}

// feedEnd reads tok's feed to its end and returns the query that waits
// there: the epoch and the cursor.
func feedEnd(t *testing.T, hs *hostileServer, tok string) string {
	t.Helper()
	var after uint64
	var epoch domain.ID
	for {
		q := fmt.Sprintf("/v1/changes?after=%d&limit=1000", after)
		if !epoch.IsZero() {
			q += "&epoch=" + epoch.String()
		}
		a := hs.call("GET", q, tok, nil)
		var page sync.ChangesResponse
		if a.status != 200 || json.Unmarshal(a.body, &page) != nil {
			t.Fatalf("changes: HTTP %d", a.status)
		}
		after, epoch = page.Next, page.Epoch
		if !page.More {
			return fmt.Sprintf("epoch=%s&after=%d", epoch, after)
		}
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !ok(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// scrape reads /metrics from the metrics address, in plain HTTP.
func scrape(t *testing.T, addr string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("metrics: HTTP %d %v", resp.StatusCode, err)
	}
	return string(b)
}

var sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$`)
var labelPair = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"`)

// metricValue is the sum of the samples of name whose labels include
// labels (nil: any); -1 when there is none.
func metricValue(t *testing.T, body, name string, labels map[string]string) float64 {
	t.Helper()
	sum, found := 0.0, false
	for line := range strings.SplitSeq(body, "\n") {
		m := sampleLine.FindStringSubmatch(line)
		if m == nil || m[1] != name {
			continue
		}
		have := map[string]string{}
		for _, p := range labelPair.FindAllStringSubmatch(m[2], -1) {
			have[p[1]] = p[2]
		}
		match := true
		for k, v := range labels {
			match = match && have[k] == v
		}
		if !match {
			continue
		}
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		sum, found = sum+v, true
	}
	if !found {
		return -1
	}
	return sum
}

// TestLogLevel: --log-level warn leaves out the line per request and the
// start; a level that is not one of the four is refused before serving.
func TestLogLevel(t *testing.T) {
	hs := startHostile(t, connBounds{}, func(m *Main) { m.serveArgs = []string{"--log-level", "WARN"} })
	if a := hs.call("GET", "/healthz", "", nil); a.status != http.StatusOK {
		t.Fatalf("healthz: HTTP %d", a.status)
	}
	hs.stop()
	logs := hs.logs.String()
	for _, line := range []string{`"msg":"request"`, `"msg":"start"`} {
		if strings.Contains(logs, line) {
			t.Errorf("--log-level warn logged %s", line)
		}
	}
	var stderr strings.Builder
	m := &Main{Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }}
	if code := m.Run([]string{"serve", "--data", t.TempDir(), "--log-level", "loud", "--lang", "en"}); code != 2 ||
		!strings.Contains(stderr.String(), "--log-level") {
		t.Errorf("--log-level loud: exit %d, %q", code, stderr.String())
	}
}
