package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/programs"
	"dossier/store/storetest"
	"dossier/sync"
	"dossier/sync/client"
)

// hostileServer is the real dossierd serving on loopback, with one school
// and its DIR enrolled from a desk.
type hostileServer struct {
	t    testing.TB
	addr string
	fp   string
	http *http.Client
	logs *lockedBuffer
	pin  string
	// dir is the server's data folder; stop stops it (once: the test's
	// end does too), so that its file can be read.
	dir  string
	stop func()
}

// lockedBuffer is a log the server writes while the test reads it.
type lockedBuffer struct {
	mu gosync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

const (
	hostileUser     = "dir.hostile"
	hostilePassword = "Pass-word-123"
)

// startHostile runs dossierd serve with the connection bounds given (and
// opts applied to its Main) and enrols a DIR; the server stops at the end
// of the test.
func startHostile(tb testing.TB, bounds connBounds, opts ...func(*Main)) *hostileServer {
	tb.Helper()
	return startHostileWith(tb, bounds, false, opts...)
}

// The program's first account, made by dossierd admin create-program when
// startHostileWith is asked for it.
const (
	hostileProgram         = "program.one"
	hostileProgramPassword = "Program-pass-123"
)

// startHostileWith is startHostile, with the program's first account
// (hostileProgram) made before the server starts when program is set.
func startHostileWith(tb testing.TB, bounds connBounds, program bool, opts ...func(*Main)) *hostileServer {
	tb.Helper()
	dir := tb.TempDir()
	logs := &lockedBuffer{}
	answers := filepath.Join(tb.TempDir(), "answers")
	if err := os.WriteFile(answers, []byte("a?\none one\nb?\ntwo two\nc?\nthree three\nd?\nfour four\n"), 0o600); err != nil {
		tb.Fatal(err)
	}
	run := func(args ...string) string {
		tb.Helper()
		var out bytes.Buffer
		in, err := os.Open(answers)
		if err != nil {
			tb.Fatal(err)
		}
		defer in.Close()
		m := &Main{Stdout: &out, Stderr: logs, Stdin: in,
			Getenv: func(k string) string {
				if k == "DOSSIERD_ADMIN_PASSWORD" {
					return hostileProgramPassword
				}
				return ""
			}}
		if code := m.Run(append(args, "--lang", "en")); code != 0 {
			tb.Fatalf("%v: exit %d: %s", args, code, logs.String())
		}
		return out.String()
	}
	run("admin", "add-school", "--data", dir, "--name", "Collège Boréal", "--code", "A01", "--province", "ON")
	run("admin", "add-school", "--data", dir, "--name", "Lakeview College", "--code", "B02", "--province", "ON")
	if program {
		run("admin", "create-program", "--data", dir, "--user-id", hostileProgram, "--given-names", "Paul",
			"--family-name", "Ouellet")
	}
	pin := strings.Fields(strings.SplitN(run("admin", "issue-pin", "--data", dir, "--school", "A01"), ": ", 2)[1])[0]

	ready, stop := make(chan string, 1), make(chan struct{})
	served := make(chan int, 1)
	var serveOut bytes.Buffer
	m := &Main{Stdout: &serveOut, Stderr: logs, Getenv: func(string) string { return "" }, Ready: ready, Stop: stop,
		bounds: bounds, secrets: account.TestSecretParams}
	for _, o := range opts {
		o(m)
	}
	go func() {
		served <- m.Run(append([]string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--lang", "en"}, m.serveArgs...))
	}()
	hs := &hostileServer{t: tb, addr: <-ready, logs: logs, pin: pin,
		http: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: insecure()}}}
	hs.fp = strings.TrimSpace(strings.SplitN(strings.Split(serveOut.String(), "\n")[1], ": ", 2)[1])
	hs.dir = dir
	hs.stop = gosync.OnceFunc(func() {
		close(stop)
		select {
		case <-served:
		case <-time.After(20 * time.Second):
			tb.Error("no graceful stop")
		}
	})
	tb.Cleanup(hs.stop)
	d := hs.desk("dir")
	if err := d.c.Enrol(context.Background(), account.Enrolment{UserID: hostileUser, Password: hostilePassword,
		GivenNames: "Dana", FamilyName: "Roy", PIN: pin, AcceptTerms: true, Questions: hostileQuestions}); err != nil {
		tb.Fatal(err)
	}
	return hs
}

var hostileQuestions = [account.QuestionCount]account.SecurityQuestion{{Question: "a?", Answer: "one one"},
	{Question: "b?", Answer: "two two"}, {Question: "c?", Answer: "three three"}, {Question: "d?", Answer: "four four"}}

// hostileAnswers answers the security question of the tests' people, as
// they would at their desks.
var hostileAnswers = storetest.Answerer(hostileQuestions, [account.QuestionCount]account.SecurityQuestion{
	{Question: "a", Answer: "aaa"}, {Question: "b", Answer: "bbb"}, {Question: "c", Answer: "ccc"}, {Question: "d", Answer: "ddd"}})

// hostileDesk is a legitimate desk: a profile and its client.
type hostileDesk struct {
	st programs.Desk
	c  *client.Client
}

func (hs *hostileServer) desk(name string) hostileDesk {
	hs.t.Helper()
	st, err := programs.Create(filepath.Join(hs.t.TempDir(), name+".dossier"), "profile-pass", store.Options{KDF: store.TestKDF,
		Secrets: account.TestSecretParams, Rand: rand.Reader})
	if err != nil {
		hs.t.Fatal(err)
	}
	hs.t.Cleanup(func() { st.Close() })
	c, err := client.Connect(context.Background(), st, "https://"+hs.addr, hs.fp)
	if err != nil {
		hs.t.Fatal(err)
	}
	c.SetAnswerer(hostileAnswers)
	return hostileDesk{st, c}
}

// answer is one HTTP answer: status, Retry-After, and the error's code.
type answer struct {
	status int
	retry  string
	code   domain.Code
	body   []byte
}

// call sends body (bytes as they are, or JSON) to path with token.
func (hs *hostileServer) call(method, path, token string, body any) answer {
	hs.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		r = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, "https://"+hs.addr+path, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := hs.http.Do(req)
	if err != nil {
		hs.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out := answer{status: resp.StatusCode, retry: resp.Header.Get("Retry-After")}
	out.body, _ = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var er sync.ErrorResponse
	if json.Unmarshal(out.body, &er) == nil {
		out.code = er.Error.Code
	}
	return out
}

func (hs *hostileServer) signIn(user, pw string) (sync.Tokens, answer) {
	hs.t.Helper()
	a := hs.call("POST", "/v1/signin", "", sync.SignInRequest{UserID: user, Password: pw})
	var tok sync.Tokens
	if a.status == 200 {
		json.Unmarshal(a.body, &tok)
	}
	if tok.Challenge != nil {
		// The security question, answered as the person would.
		answer, _ := hostileAnswers(context.Background(), tok.Challenge.Question)
		a = hs.call("POST", "/v1/signin/answer", "", sync.AnswerRequest{Challenge: tok.Challenge.Token, Answer: answer})
		tok = sync.Tokens{}
		if a.status == 200 {
			json.Unmarshal(a.body, &tok)
		}
	}
	return tok, a
}

// dial opens a TLS connection to the server as a browser would.
func (hs *hostileServer) dial() *tls.Conn {
	hs.t.Helper()
	c, err := tls.Dial("tcp", hs.addr, insecure())
	if err != nil {
		hs.t.Fatal(err)
	}
	return c
}

// cutOff reports how long the server took to close c while it was fed a
// byte of msg every gap (then nothing): at most limit, or the test fails.
func cutOff(t *testing.T, c net.Conn, msg string, gap, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		io.Copy(io.Discard, c) // until the server closes (or answers and closes)
	}()
	for i := 0; i < len(msg); i++ {
		select {
		case <-closed:
			return time.Since(start)
		case <-time.After(gap):
		}
		if _, err := c.Write([]byte{msg[i]}); err != nil {
			break
		}
	}
	select {
	case <-closed:
	case <-time.After(limit):
		t.Fatalf("still connected after %v", limit)
	}
	return time.Since(start)
}

// TestHostileClients: each hostile input to a real dossierd gets a
// bounded, coded refusal, and the server answers the real person
// throughout.
func TestHostileClients(t *testing.T) {
	bounds := connBounds{ReadHeader: time.Second, Read: 2 * time.Second}
	hs := startHostile(t, bounds)
	// One sign-in for the subtests: the user ID's own limit (six at once)
	// is for the flood at the end.
	tok, _ := hs.signIn(hostileUser, hostilePassword)

	t.Run("oversized body said", func(t *testing.T) {
		a := hs.call("POST", "/v1/signin", "", bytes.Repeat([]byte("x"), 1<<20))
		if a.status != http.StatusRequestEntityTooLarge || a.code != sync.ErrTooLarge {
			t.Fatalf("1 MB sign-in: HTTP %d %s", a.status, a.code)
		}
	})
	t.Run("oversized body streamed", func(t *testing.T) {
		// 100 MB of one JSON string, chunked (no length said): the server
		// answers 413 at 16 MB and closes; the sender cannot push much
		// past it.
		c := hs.dial()
		defer c.Close()
		fmt.Fprintf(c, "POST /v1/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n{\"x\":\"\r\n", tok.Access)
		chunk := append([]byte(fmt.Sprintf("%x\r\n", 1<<16)), append(bytes.Repeat([]byte("a"), 1<<16), "\r\n"...)...)
		sent := 0
		start := time.Now()
		c.SetWriteDeadline(time.Now().Add(10 * time.Second))
		for sent < 100<<20 {
			n, err := c.Write(chunk)
			sent += n
			if err != nil {
				break
			}
		}
		if sent >= 100<<20 {
			t.Fatal("the server read 100 MB")
		}
		if sent < 16<<20 {
			// The write deadline passed before the limit was reached (a
			// machine too loaded to stream 16 MB in 10 s): the server
			// cut a slow body, which is not what this case checks.
			t.Skipf("only %.1f MB went in within the deadline: too slow to reach the limit", float64(sent)/(1<<20))
		}
		if limit := 16<<20 + 16<<20; sent > limit { // the limit, and loopback's socket buffers
			t.Fatalf("%d MB went in before the server closed", sent>>20)
		}
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err == nil && resp.StatusCode != http.StatusRequestEntityTooLarge {
			if time.Since(start) >= bounds.Read {
				// The read timeout cut the body before the size limit
				// was read (a machine too loaded to read 16 MB in time):
				// a defence, but not the one this case checks.
				t.Skipf("HTTP %d after the read timeout (%v): too slow to reach the limit", resp.StatusCode, bounds.Read)
			}
			t.Fatalf("HTTP %d", resp.StatusCode)
		}
		t.Logf("sent %.1f MB before the server closed", float64(sent)/(1<<20))
	})
	t.Run("malformed JSON", func(t *testing.T) {
		for _, tt := range []struct{ path, token, body string }{
			{"/v1/signin", "", `{"userID": "dir.hostile", "password": `},
			{"/v1/refresh", "", `["not", "an", "object"]`},
			{"/v1/register", "", "\x00\x01\x02"},
			{"/v1/push", tok.Access, `{"commands": [{"id": 12}]}`},
		} {
			a := hs.call("POST", tt.path, tt.token, []byte(tt.body))
			if a.status != http.StatusBadRequest || a.code != sync.ErrBadRequest {
				t.Errorf("%s %q: HTTP %d %s", tt.path, tt.body, a.status, a.code)
			}
		}
	})
	t.Run("slow-loris headers", func(t *testing.T) {
		// A byte of headers every 300 ms: cut off at ReadHeaderTimeout.
		took := cutOff(t, hs.dial(), "POST /v1/signin HTTP/1.1\r\nHost: x\r\nX-Slow: "+strings.Repeat("a", 100),
			300*time.Millisecond, bounds.ReadHeader+2*time.Second)
		if took < bounds.ReadHeader-100*time.Millisecond {
			t.Fatalf("cut off after %v, before the bound", took)
		}
		t.Logf("headers a byte at a time: cut off after %v", took.Round(10*time.Millisecond))
		// A connection that never shakes hands is cut off the same.
		raw, err := net.Dial("tcp", hs.addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("no handshake: cut off after %v", cutOff(t, raw, "\x16", 300*time.Millisecond,
			bounds.ReadHeader+2*time.Second).Round(10*time.Millisecond))
	})
	t.Run("slow-loris body", func(t *testing.T) {
		// Headers at once, then a byte of body every 300 ms: the request
		// is cut off at ReadTimeout.
		c := hs.dial()
		fmt.Fprintf(c, "POST /v1/signin HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
		t.Logf("body a byte at a time: cut off after %v", cutOff(t, c, strings.Repeat(" ", 1000), 300*time.Millisecond,
			bounds.Read+2*time.Second).Round(10*time.Millisecond))
	})
	t.Run("forged or expired access token", func(t *testing.T) {
		for _, tok := range []string{"", "forged", strings.Repeat("A", 43)} {
			a := hs.call("GET", "/v1/changes", tok, nil)
			if a.status != http.StatusUnauthorized || (a.code != sync.ErrTokenExpired && a.code != sync.ErrSignInNeeded) {
				t.Errorf("token %q: HTTP %d %s", tok, a.status, a.code)
			}
		}
	})
	t.Run("replayed refresh token", func(t *testing.T) {
		first, _ := hs.signIn(hostileUser, hostilePassword)
		a := hs.call("POST", "/v1/refresh", "", sync.RefreshRequest{Refresh: first.Refresh})
		var second sync.Tokens
		if a.status != 200 || json.Unmarshal(a.body, &second) != nil {
			t.Fatalf("refresh: HTTP %d", a.status)
		}
		if a := hs.call("POST", "/v1/refresh", "", sync.RefreshRequest{Refresh: first.Refresh}); a.status != http.StatusUnauthorized ||
			a.code != store.ErrTokenReplayed {
			t.Fatalf("replay: HTTP %d %s", a.status, a.code)
		}
		// The whole family is gone: the pair the first use gave too.
		if a := hs.call("GET", "/v1/changes", second.Access, nil); a.status != http.StatusUnauthorized {
			t.Fatalf("the family's access token after the replay: HTTP %d", a.status)
		}
		if a := hs.call("POST", "/v1/refresh", "", sync.RefreshRequest{Refresh: second.Refresh}); a.status != http.StatusUnauthorized {
			t.Fatalf("the family's refresh token after the replay: HTTP %d", a.status)
		}
	})
	t.Run("command for another organisation", func(t *testing.T) {
		var schools []store.Institution
		d := hs.desk("reader")
		if err := d.c.SignIn(context.Background(), domain.ID{}, hostileUser, hostilePassword); err != nil {
			t.Fatal(err)
		}
		if err := d.c.Sync(context.Background()); err != nil {
			t.Fatal(err)
		}
		schools, _ = d.st.Institutions()
		var other domain.ID
		for _, s := range schools {
			if s.Name == "Lakeview College" {
				other = s.ID
			}
		}
		var me store.PublicAccount
		json.Unmarshal(tok.Account, &me)
		hash, err := account.HashSecret("pin of another school", account.TestSecretParams, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		pinID, _ := domain.NewID(time.Now(), rand.Reader)
		pin := account.PIN{ID: pinID, Hash: hash, Org: other, Role: account.Signatory, IssuedBy: me.ID,
			Issued: time.Now(), Expires: time.Now().Add(time.Hour)}
		payload, _ := json.Marshal(sync.IssuePINPayload{PIN: pin})
		cmd := sync.Command{ID: domain.ID{1, 2, 3}, Kind: sync.KindIssuePIN, Entity: pin.ID, Actor: me.ID,
			Device: domain.ID{9}, HLC: sync.MakeHLC(time.Now(), 0), Payload: payload}
		a := hs.call("POST", "/v1/push", tok.Access, sync.PushRequest{Commands: []sync.Command{cmd}})
		var pr sync.PushResponse
		if a.status != 200 || json.Unmarshal(a.body, &pr) != nil || len(pr.Answers) != 1 {
			t.Fatalf("push: HTTP %d %s", a.status, a.body)
		}
		if ans := pr.Answers[0]; ans.Outcome != sync.Rejected || ans.Error.Code.Kind() != domain.KindForbidden {
			t.Fatalf("a PIN for another school: %+v %+v", ans, ans.Error)
		}
	})
	t.Run("sign-in flood", func(t *testing.T) {
		// From this one address: the limit's burst, then 429 with
		// Retry-After, the password not even checked.
		var first answer
		n := 0
		for ; n < 100; n++ {
			_, a := hs.signIn(fmt.Sprintf("guess%d", n), "wrong-password")
			if a.status == http.StatusTooManyRequests {
				first = a
				break
			}
			if a.code != account.ErrSignInFailed && a.code != account.ErrDelinked {
				t.Fatalf("attempt %d: HTTP %d %s", n+1, a.status, a.code)
			}
		}
		// Earlier subtests signed in from here too.
		if n > store.DefaultAddressLimit.Burst || first.code != sync.ErrTooMany || first.retry == "" {
			t.Fatalf("after %d attempts: HTTP %d %s, Retry-After %q", n, first.status, first.code, first.retry)
		}
		if _, a := hs.signIn(hostileUser, hostilePassword); a.status != http.StatusTooManyRequests {
			t.Fatalf("the right password from the flooding address: HTTP %d", a.status)
		}
		// The server answers everyone else meanwhile.
		if a := hs.call("GET", "/healthz", "", nil); a.status != 200 {
			t.Fatalf("healthz: HTTP %d", a.status)
		}
		// After the window (Retry-After says how long), the address is
		// served again: the real person signs in.
		var wait int
		fmt.Sscan(first.retry, &wait)
		if wait < 1 || time.Duration(wait)*time.Second > store.DefaultAddressLimit.Every+time.Second {
			t.Fatalf("Retry-After %q", first.retry)
		}
		time.Sleep(time.Duration(wait) * time.Second)
		if _, a := hs.signIn(hostileUser, hostilePassword); a.status != 200 {
			t.Fatalf("the real person after the window: HTTP %d %s", a.status, a.code)
		}
	})
	t.Run("enrolment flood", func(t *testing.T) {
		// Guessing PINs through /v1/register: each guess costs the server
		// a PIN check, so it counts against the address's limit as a
		// sign-in does — the burst, then 429, and the sign-ins from the
		// same address wait with it.
		var first answer
		n := 0
		pw, questions := testHashes(t, hostilePassword)
		for ; n < 100; n++ {
			payload, _ := json.Marshal(sync.EnrolPayload{Account: domain.ID{0xe0, byte(n)}, UserID: fmt.Sprintf("guess%d", n),
				GivenNames: "Guess", FamilyName: "Work", Password: pw, Questions: questions,
				At: time.Now(), PINCode: fmt.Sprintf("GUESS-%04d-PIN", n)})
			cmd := sync.Command{ID: domain.ID{0xe1, byte(n)}, Kind: sync.KindEnrol, Entity: domain.ID{0xe0, byte(n)},
				Actor: domain.ID{0xe0, byte(n)}, Device: domain.ID{9}, HLC: sync.MakeHLC(time.Now(), 0), Payload: payload}
			a := hs.call("POST", "/v1/register", "", cmd)
			if a.status == http.StatusTooManyRequests {
				first = a
				break
			}
			var ans sync.Answer
			if a.status != 200 || json.Unmarshal(a.body, &ans) != nil || ans.Outcome != sync.Rejected {
				t.Fatalf("guess %d: HTTP %d %s", n+1, a.status, a.body)
			}
		}
		if n > store.DefaultAddressLimit.Burst || first.code != sync.ErrTooMany || first.retry == "" {
			t.Fatalf("after %d guesses: HTTP %d %s, Retry-After %q", n, first.status, first.code, first.retry)
		}
		if _, a := hs.signIn(hostileUser, hostilePassword); a.status != http.StatusTooManyRequests {
			t.Fatalf("a sign-in from the address guessing PINs: HTTP %d", a.status)
		}
		if a := hs.call("GET", "/healthz", "", nil); a.status != 200 {
			t.Fatalf("healthz: HTTP %d", a.status)
		}
	})
	for _, secret := range []string{hostileUser, hostilePassword, hs.pin, "Dana", "Roy"} {
		if strings.Contains(hs.logs.String(), secret) {
			t.Fatalf("the log holds %q", secret)
		}
	}
}

// BenchmarkUnderAttack measures a legitimate desk's pushes (a student
// raising a request and pushing it, one at a time) against a real
// dossierd, quiet and then under attack: 200 slow-loris connections
// trickling headers, a sign-in flood from 16 loopback addresses with
// made-up user IDs (each attempt the limits let through costs the server
// a password check), and 2 senders of 20 MB bodies. It reports the
// pushes' p50 and p99 and what the attackers got.
func BenchmarkUnderAttack(b *testing.B) {
	for _, attacked := range []bool{false, true} {
		name := "quiet"
		if attacked {
			name = "attacked"
		}
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				underAttack(b, attacked)
			}
		})
	}
}

func underAttack(b *testing.B, attacked bool) {
	b.StopTimer()
	// The slow-loris connections come from the desk's own address here, and
	// the desk raises 200 requests: the connection caps and the creation
	// limits have their own attack tests (attack_limits_test.go).
	bounds := defaultConnBounds
	bounds.PerAddress = 1000
	hs := startHostile(b, bounds, func(m *Main) { m.creates = store.NoCreateLimits() })
	d := hs.desk("student")
	a, err := d.st.RegisterStudent(account.Registration{UserID: "eleve.bench", Password: hostilePassword,
		GivenNames: "Élodie", FamilyName: "Côté", AcceptTerms: true, Questions: hostileQuestions})
	if err != nil {
		b.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	if err := d.c.SignIn(ctx, a.ID, "eleve.bench", hostilePassword); err != nil {
		b.Fatal(err)
	}
	if err := d.c.Sync(ctx); err != nil {
		b.Fatal(err)
	}
	schools, _ := d.st.Institutions()
	var wg gosync.WaitGroup
	var counts attackCounts
	if attacked {
		hs.attack(ctx, &wg, &counts)
		time.Sleep(2 * time.Second) // let the attack build up
	}
	const pushes = 200
	lat := make([]time.Duration, 0, pushes)
	failed := 0
	b.StartTimer()
	for i := 0; i < pushes; i++ {
		if _, err := d.st.RaiseRequest(a.Actor(), benchRaise(schools[0].ID, i)); err != nil {
			b.Fatal(err)
		}
		// A push that fails is tried again at once, as the desk would
		// (sooner); its latency runs until it is through.
		start := time.Now()
		for try := 0; ; try++ {
			n, err := d.c.Push(ctx)
			if err == nil && n == 1 {
				break
			}
			failed++
			if try == 20 {
				b.Fatalf("push %d: %d, %v", i, n, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	stop()
	wg.Wait()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(failed), "push-retries")
	if attacked {
		b.ReportMetric(float64(counts.signIns.Load()), "signins")
		b.ReportMetric(float64(counts.limited.Load()), "signins-429")
		b.ReportMetric(float64(counts.tooLarge.Load()), "bodies-413")
		b.ReportMetric(float64(counts.lorisCut.Load()), "loris-cut")
	}
}

type attackCounts struct {
	signIns, limited, tooLarge, lorisCut atomic.Int64
}

// attack starts the attackers; they stop with ctx.
func (hs *hostileServer) attack(ctx context.Context, wg *gosync.WaitGroup, n *attackCounts) {
	const loris, flooders, bigSenders = 200, 16, 2
	for i := 0; i < loris; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				c, err := tls.Dial("tcp", hs.addr, insecure())
				if err != nil {
					time.Sleep(100 * time.Millisecond)
					continue
				}
				go func() { <-ctx.Done(); c.Close() }()
				io.WriteString(c, "POST /v1/push HTTP/1.1\r\nHost: x\r\n")
				for ctx.Err() == nil {
					time.Sleep(time.Second)
					if _, err := io.WriteString(c, "X"); err != nil {
						n.lorisCut.Add(1)
						break
					}
				}
				c.Close()
			}
		}()
	}
	for i := 0; i < flooders; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each flooder from its own loopback address.
			local := &net.TCPAddr{IP: net.IPv4(127, 0, 1, byte(1+i))}
			cl := &http.Client{Transport: &http.Transport{TLSClientConfig: insecure(),
				DialContext: (&net.Dialer{LocalAddr: local}).DialContext}}
			for j := 0; ctx.Err() == nil; j++ {
				body, _ := json.Marshal(sync.SignInRequest{UserID: fmt.Sprintf("nobody%d.%d", i, j), Password: "guess-guess-1"})
				req, _ := http.NewRequestWithContext(ctx, "POST", "https://"+hs.addr+"/v1/signin", bytes.NewReader(body))
				resp, err := cl.Do(req)
				if err != nil {
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				n.signIns.Add(1)
				if resp.StatusCode == http.StatusTooManyRequests {
					n.limited.Add(1)
				}
			}
		}()
	}
	for i := 0; i < bigSenders; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl := &http.Client{Transport: &http.Transport{TLSClientConfig: insecure()}}
			for ctx.Err() == nil {
				pr, pw := io.Pipe()
				go func() {
					pw.Write([]byte(`{"x":"`))
					chunk := bytes.Repeat([]byte("a"), 1<<16)
					for k := 0; k < 320 && ctx.Err() == nil; k++ {
						if _, err := pw.Write(chunk); err != nil {
							return
						}
					}
					pw.Close()
				}()
				req, _ := http.NewRequestWithContext(ctx, "POST", "https://"+hs.addr+"/v1/register", pr)
				resp, err := cl.Do(req)
				pr.Close()
				if err != nil {
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusRequestEntityTooLarge {
					n.tooLarge.Add(1)
				}
			}
		}()
	}
}

func benchRaise(school domain.ID, i int) ens.Raise {
	return ens.Raise{Type: ens.EV, School: school, Student: ens.Student{GivenNames: "Élodie",
		FamilyName: "Côté-" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)), BirthDate: domain.Date{Year: 2002, Month: 5, Day: 17},
		ClientID: domain.ClientID(fmt.Sprintf("%08d", 10000000+i)), Email: "e@example.ca"}}
}
