package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/applications"
	"dossier/store/programs"
	"dossier/sync"
	"dossier/sync/server"
)

// The attacks on the server's limits, each against the real dossierd
// over TLS on loopback with its production limits; each measures a DIR's
// normal push while the attack runs (docs/design.md, "Security: the server decides", quotes the p99).

// signedIn is someone signed in on a desk of the hostile server.
type signedIn struct {
	hostileDesk
	by account.Actor
}

// dirSignedIn signs the school's DIR in on a new desk.
func (hs *hostileServer) dirSignedIn() signedIn {
	hs.t.Helper()
	d := hs.desk("dir-" + strconv.Itoa(int(time.Now().UnixNano()%1e6)))
	if err := d.c.SignIn(context.Background(), domain.ID{}, hostileUser, hostilePassword); err != nil {
		hs.t.Fatal(err)
	}
	a, err := d.st.Account(d.c.Account())
	if err != nil {
		hs.t.Fatal(err)
	}
	return signedIn{d, a.Actor()}
}

// signUp registers someone on a desk (register: the store's
// RegisterStudent, RegisterApplicant or RegisterRepresentative) and signs
// them in to the server; the desk has synced.
func (hs *hostileServer) signUp(user, given, family, email string,
	register func(programs.Desk, account.Registration) (store.Account, error)) signedIn {
	hs.t.Helper()
	d := hs.desk(user)
	a, err := register(d.st, account.Registration{UserID: user, Password: hostilePassword, GivenNames: given,
		FamilyName: family, Email: email, AcceptTerms: true, Questions: hostileQuestions})
	if err != nil {
		hs.t.Fatal(err)
	}
	if err := d.c.SignIn(context.Background(), a.ID, user, hostilePassword); err != nil {
		hs.t.Fatal(err)
	}
	if err := d.c.Sync(context.Background()); err != nil {
		hs.t.Fatal(err)
	}
	return signedIn{d, a.Actor()}
}

// signInAgain signs user in again, for calls made by hand.
func (hs *hostileServer) signInAgain(user string) string {
	hs.t.Helper()
	tok, a := hs.signIn(user, hostilePassword)
	if a.status != 200 {
		hs.t.Fatalf("sign-in %s: HTTP %d %s", user, a.status, a.code)
	}
	return tok.Access
}

// pushByHand sends cmds and reads the answers (on 200).
func (hs *hostileServer) pushByHand(token string, cmds []sync.Command) (answer, []sync.Answer) {
	hs.t.Helper()
	a := hs.call("POST", "/v1/push", token, sync.PushRequest{Commands: cmds})
	var pr sync.PushResponse
	if a.status == 200 {
		if err := json.Unmarshal(a.body, &pr); err != nil {
			hs.t.Fatalf("push answer: %v", err)
		}
	}
	return a, pr.Answers
}

// handMade is a command made by hand, with a new ID.
func handMade(kind sync.Kind, by, entity domain.ID, payload any) sync.Command {
	raw, _ := json.Marshal(payload)
	id, _ := domain.NewID(time.Now(), rand.Reader)
	return sync.Command{ID: id, Kind: kind, Entity: entity, Actor: by, Device: domain.ID{9},
		HLC: sync.MakeHLC(time.Now(), 0), Payload: raw}
}

// pushTimer is the DIR's normal work during an attack: an e-mail change
// pushed, one push at a time, each timed.
type pushTimer struct {
	p    signedIn
	stop chan struct{}
	done chan struct{}

	mu     gosync.Mutex
	lat    []time.Duration
	failed []error
}

// pushesWanted is how many of the DIR's pushes an attack lasts for at the
// least, for a p99 worth quoting.
const pushesWanted = 100

// more reports whether the attack should go on: fewer pushes timed than
// pushesWanted (and not a minute yet: the DIR's pushes may be failing).
func (pt *pushTimer) more(start time.Time) bool {
	pt.mu.Lock()
	defer pt.mu.Unlock()
	return len(pt.lat) < pushesWanted && len(pt.failed) == 0 && time.Since(start) < time.Minute
}

func (hs *hostileServer) timePushes(p signedIn) *pushTimer {
	pt := &pushTimer{p: p, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(pt.done)
		for i := 0; ; i++ {
			select {
			case <-pt.stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			if _, err := p.st.UpdateEmail(p.by, fmt.Sprintf("dana.%d@example.ca", i)); err != nil {
				pt.mu.Lock()
				pt.failed = append(pt.failed, err)
				pt.mu.Unlock()
				return
			}
			start := time.Now()
			n, err := p.c.Push(context.Background())
			pt.mu.Lock()
			if err != nil || n != 1 {
				pt.failed = append(pt.failed, fmt.Errorf("push %d: %d, %v", i, n, err))
			} else {
				pt.lat = append(pt.lat, time.Since(start))
			}
			pt.mu.Unlock()
		}
	}()
	return pt
}

// end stops the pushes and checks them: every one answered, the p99
// within bound; it logs p50 and p99 under name.
func (pt *pushTimer) end(t *testing.T, name string) {
	t.Helper()
	close(pt.stop)
	<-pt.done
	if len(pt.failed) > 0 {
		t.Fatalf("%s: the DIR's pushes failed: %v", name, pt.failed)
	}
	if len(pt.lat) < 20 {
		t.Fatalf("%s: %d pushes only", name, len(pt.lat))
	}
	slices.Sort(pt.lat)
	p50, p99 := pt.lat[len(pt.lat)/2], pt.lat[(len(pt.lat)*99+99)/100-1]
	t.Logf("%s: the DIR's push p50 %v, p99 %v (%d pushes)", name, p50.Round(100*time.Microsecond),
		p99.Round(100*time.Microsecond), len(pt.lat))
	if p99 > 3*time.Second {
		t.Fatalf("%s: p99 %v", name, p99)
	}
}

// dirStillPushes checks the server answers the DIR's normal push afterwards.
func dirStillPushes(t *testing.T, p signedIn) {
	t.Helper()
	if _, err := p.st.UpdateEmail(p.by, "dana.after@example.ca"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if n, err := p.c.Push(context.Background()); err != nil || n != 1 {
		t.Fatalf("the DIR's push afterwards: %d, %v", n, err)
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("the DIR's push afterwards took %v", took)
	}
}

// clientFrom is a client whose connections come from the loopback address ip.
func clientFrom(ip string, h2 bool) *http.Client {
	return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{TLSClientConfig: insecure(), ForceAttemptHTTP2: h2,
		DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}).DialContext}}
}

// TestAttackConnectionFlood: idle TLS connections from one address beyond
// the cap (64) are closed as soon as they are accepted; the server answers
// the DIR from another address throughout; when the idle ones close, the
// count goes back down and the address is served again.
func TestAttackConnectionFlood(t *testing.T) {
	var m *Main
	hs := startHostile(t, connBounds{}, func(x *Main) { m = x })
	dir := hs.dirSignedIn()
	// The same pushes with no attack, to compare.
	pt := hs.timePushes(dir)
	for start := time.Now(); pt.more(start); {
		time.Sleep(50 * time.Millisecond)
	}
	pt.end(t, "quiet")
	pt = hs.timePushes(dir)

	const attacker = "127.0.0.2"
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(attacker)}, Timeout: 5 * time.Second}
	var open []*tls.Conn
	refused := 0
	// The held connections send no request: the server cuts each at its
	// header timeout, which frees its place. The flood below stops before
	// the first is cut, however slow the machine.
	held := time.Now()
	for range DefaultConnsPerAddress + 40 {
		c, err := tls.DialWithDialer(dialer, "tcp", hs.addr, insecure())
		if err != nil {
			refused++
			continue
		}
		open = append(open, c)
	}
	if len(open) != DefaultConnsPerAddress || refused != 40 {
		t.Fatalf("%d connections held, %d refused; want %d and 40", len(open), refused, DefaultConnsPerAddress)
	}
	if _, n := m.conns.counts(attacker); n != DefaultConnsPerAddress {
		t.Fatalf("the listener counts %d from the attacker", n)
	}
	// A held connection is a real one: it is answered.
	fmt.Fprintf(open[0], "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	open[0].SetReadDeadline(time.Now().Add(5 * time.Second))
	if line, _ := io.ReadAll(io.LimitReader(open[0], 12)); string(line) != "HTTP/1.1 200" {
		t.Fatalf("a held connection: %q", line)
	}
	// The attacker goes on: every new connection is closed at once.
	for start := time.Now(); pt.more(start) && time.Since(held) < defaultConnBounds.ReadHeader-2*time.Second; {
		if c, err := tls.DialWithDialer(dialer, "tcp", hs.addr, insecure()); err == nil {
			c.Close()
			t.Fatal("a connection over the cap was served")
		}
	}
	pt.end(t, "connection flood")

	for _, c := range open {
		c.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, n := m.conns.counts(attacker); n == 0 {
			break
		}
		if time.Now().After(deadline) {
			_, n := m.conns.counts(attacker)
			t.Fatalf("%d still counted after the connections closed", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	c, err := tls.DialWithDialer(dialer, "tcp", hs.addr, insecure())
	if err != nil {
		t.Fatalf("the address after its connections closed: %v", err)
	}
	c.Close()
	dirStillPushes(t, dir)
}

// TestAttackLongPollFlood: a hundred long-polls on one token, over one
// HTTP/2 connection (which the connection caps do not see): MaxWaiting are
// held, the rest refused at once with 429 sync.rate.limited and
// Retry-After; the DIR's pushes are answered meanwhile, and once the
// flood stops, a long-poll on that account is held again.
func TestAttackLongPollFlood(t *testing.T) {
	hs := startHostile(t, connBounds{})
	dir := hs.dirSignedIn()
	tok := hs.signInAgain(hostileUser)
	cl := clientFrom("127.0.0.1", true)

	// The end of the DIR's feed: a long-poll from there waits.
	var epoch domain.ID
	var after uint64
	for {
		a := hs.call("GET", fmt.Sprintf("/v1/changes?after=%d&limit=1000", after), tok, nil)
		var page sync.ChangesResponse
		if a.status != 200 || json.Unmarshal(a.body, &page) != nil {
			t.Fatalf("changes: HTTP %d", a.status)
		}
		epoch, after = page.Epoch, page.Next
		if !page.More {
			break
		}
	}
	poll := func(ctx context.Context, wait int) (int, string, domain.Code) {
		req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("https://%s/v1/changes?epoch=%s&after=%d&wait=%d",
			hs.addr, epoch, after, wait), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := cl.Do(req)
		if err != nil {
			if ctx.Err() == nil {
				t.Errorf("a long-poll: %v", err)
			}
			return 0, "", ""
		}
		defer resp.Body.Close()
		var er sync.ErrorResponse
		json.NewDecoder(resp.Body).Decode(&er)
		return resp.StatusCode, resp.Header.Get("Retry-After"), er.Error.Code
	}

	// One connection first, which the flood's streams then share.
	if resp, err := cl.Get("https://" + hs.addr + "/healthz"); err != nil || resp.ProtoMajor != 2 {
		t.Fatalf("HTTP/2: %v", err)
	} else {
		resp.Body.Close()
	}
	const polls = 100
	type result struct {
		status int
		retry  string
		code   domain.Code
		took   time.Duration
	}
	results := make(chan result, polls)
	for range polls {
		go func() {
			start := time.Now()
			s, r, c := poll(context.Background(), 4)
			results <- result{s, r, c, time.Since(start)}
		}()
	}
	held, refused := 0, 0
	for range polls {
		r := <-results
		switch {
		case r.status == http.StatusTooManyRequests && r.code == sync.ErrRateLimited && r.retry != "":
			refused++
			if r.took > 2*time.Second {
				t.Errorf("a refusal took %v", r.took)
			}
		case r.status == 200:
			held++
		default:
			t.Fatalf("a long-poll: HTTP %d %s", r.status, r.code)
		}
	}
	if held != server.MaxWaiting || refused != polls-server.MaxWaiting {
		t.Fatalf("%d held, %d refused; want %d held", held, refused, server.MaxWaiting)
	}

	// The attacker keeps at it while the DIR works.
	ctx, stop := context.WithCancel(context.Background())
	var wg gosync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				poll(ctx, 30)
			}
		}()
	}
	pt := hs.timePushes(dir)
	for start := time.Now(); pt.more(start); {
		time.Sleep(100 * time.Millisecond)
	}
	pt.end(t, "long-poll flood")
	stop()
	wg.Wait()

	// The flood over, the account's long-poll is held again (and answered
	// by news: the DIR's next change).
	got := make(chan int, 1)
	go func() { s, _, _ := poll(context.Background(), 10); got <- s }()
	time.Sleep(300 * time.Millisecond)
	dirStillPushes(t, dir)
	select {
	case s := <-got:
		if s != 200 {
			t.Fatalf("a long-poll after the flood: HTTP %d", s)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the long-poll after the flood never answered")
	}
}

// TestAttackRequestFlood: a student's desk with more raises than the
// burst in its outbox pushes the burst and is told 429 sync.rate.limited
// with Retry-After, nothing lost from its outbox; the same student
// pushing thousands of raises by hand gets 429 at once, every time; the
// server holds the burst only, and the DIR's pushes are answered during
// and after.
func TestAttackRequestFlood(t *testing.T) {
	hs := startHostile(t, connBounds{})
	dir := hs.dirSignedIn()
	st := hs.signUp("eleve.flood", "Élodie", "Côté", "", (programs.Desk).RegisterStudent)
	schools, _ := st.st.Institutions()
	burst := store.DefaultCreateLimits[store.CreatesRequest].Burst

	var raised []ens.Request
	for i := range burst + 5 {
		r, err := st.st.RaiseRequest(st.by, benchRaise(schools[0].ID, i))
		if err != nil {
			t.Fatal(err)
		}
		raised = append(raised, r)
	}
	n, err := st.c.Push(context.Background())
	if domain.ErrorCode(err) != sync.ErrRateLimited {
		t.Fatalf("the desk's push: %d, %v", n, err)
	}
	if pending, _ := st.st.PendingToPush(st.by.Account, 1000); len(pending) != burst+5 {
		t.Fatalf("the outbox holds %d of %d", len(pending), burst+5)
	}

	tok := hs.signInAgain("eleve.flood")
	pt := hs.timePushes(dir)
	start := time.Now()
	limited := 0
	for batch := 0; batch < 20 || pt.more(start); batch++ {
		cmds := make([]sync.Command, 100)
		for i := range cmds {
			raise := benchRaise(schools[0].ID, 1000+batch*100+i)
			cmds[i] = handMade(sync.KindRaiseRequest, st.by.Account, minted(domain.ID{0xf1, byte(batch >> 8), byte(batch), byte(i)}),
				sync.RaisePayload{Raise: raise, At: time.Now()})
		}
		a, _ := hs.pushByHand(tok, cmds)
		if a.status != http.StatusTooManyRequests || a.code != sync.ErrRateLimited || a.retry == "" {
			t.Fatalf("flood push %d: HTTP %d %s, Retry-After %q", batch, a.status, a.code, a.retry)
		}
		if wait, _ := strconv.Atoi(a.retry); wait < 1 || wait > 60 {
			t.Fatalf("Retry-After %q", a.retry)
		}
		limited++
	}
	t.Logf("%d raises in %d pushes: all answered 429 in %v", 100*limited, limited, time.Since(start).Round(time.Millisecond))
	pt.end(t, "request flood")

	for i, r := range raised {
		a := hs.call("GET", "/v1/requests/"+r.ID.String(), tok, nil)
		if want := i < burst; (a.status == 200) != want {
			t.Fatalf("raise %d on the server: HTTP %d", i+1, a.status)
		}
	}
	dirStillPushes(t, dir)
}

// TestAttackHugeName: a 12 MB name is refused before it is read as a
// name (its command over the raise's payload bound: sync.too-large), a
// 17 MB one at the door (413), a 101-character one with the field's code
// (name.too-long); the student's next raise is applied.
func TestAttackHugeName(t *testing.T) {
	hs := startHostile(t, connBounds{})
	dir := hs.dirSignedIn()
	st := hs.signUp("eleve.nom", "Élodie", "Côté", "", (programs.Desk).RegisterStudent)
	schools, _ := st.st.Institutions()
	tok := hs.signInAgain("eleve.nom")
	raise := func(n int, family string) sync.Command {
		r := benchRaise(schools[0].ID, n)
		r.Student.FamilyName = family
		return handMade(sync.KindRaiseRequest, st.by.Account, minted(domain.ID{0xf2, byte(n)}), sync.RaisePayload{Raise: r, At: time.Now()})
	}
	pt := hs.timePushes(dir)
	a, answers := hs.pushByHand(tok, []sync.Command{raise(1, strings.Repeat("A", 12<<20)), raise(2, "Côté")})
	if a.status != 200 || len(answers) != 2 {
		t.Fatalf("12 MB name: HTTP %d %s", a.status, a.code)
	}
	if ans := answers[0]; ans.Outcome != sync.Rejected || ans.Error.Code != sync.ErrTooLarge {
		t.Fatalf("12 MB name: %+v %+v", ans, ans.Error)
	}
	if ans := answers[1]; ans.Outcome != sync.Applied {
		t.Fatalf("the raise after it: %+v %+v", ans, ans.Error)
	}
	if a, _ := hs.pushByHand(tok, []sync.Command{raise(3, strings.Repeat("A", 17<<20))}); a.status != http.StatusRequestEntityTooLarge ||
		a.code != sync.ErrTooLarge {
		t.Fatalf("17 MB name: HTTP %d %s", a.status, a.code)
	}
	if a := hs.call("POST", "/v1/register", "", []byte(`{"payload":{"familyName":"`+strings.Repeat("A", 12<<20)+`"}}`)); a.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("12 MB name signing up: HTTP %d %s", a.status, a.code)
	}
	_, answers = hs.pushByHand(tok, []sync.Command{raise(4, strings.Repeat("é", domain.MaxNameLength+1))})
	if len(answers) != 1 || answers[0].Error == nil || answers[0].Error.Code != domain.ErrNameTooLong ||
		answers[0].Error.Field != "familyName" {
		t.Fatalf("101 characters: %+v", answers)
	}
	_, answers = hs.pushByHand(tok, []sync.Command{raise(5, strings.Repeat("é", domain.MaxNameLength))})
	if len(answers) != 1 || answers[0].Outcome != sync.Applied {
		t.Fatalf("100 characters: %+v", answers)
	}
	// The attacker goes on, 12 and 17 MB at a time: refused each time
	// (the raises' own limit answers 429 once the burst is spent).
	for n, start := 6, time.Now(); pt.more(start); n++ {
		size := 12 << 20
		if n%2 == 0 {
			size = 17 << 20
		}
		a, answers := hs.pushByHand(tok, []sync.Command{raise(n, strings.Repeat("A", size))})
		refused := a.status == http.StatusRequestEntityTooLarge || a.status == http.StatusTooManyRequests ||
			(a.status == 200 && len(answers) == 1 && answers[0].Outcome == sync.Rejected)
		if !refused {
			t.Fatalf("%d MB name: HTTP %d %s %+v", size>>20, a.status, a.code, answers)
		}
	}
	pt.end(t, "huge names")
	dirStillPushes(t, dir)
}

// TestAttackControlCharacters: names pushed with a right-to-left override,
// isolates, zero-width and control characters are stored without them;
// a representative asking for a file with a made-up name and e-mail in
// the command is shown to the applicant by their account's name and
// e-mail.
func TestAttackControlCharacters(t *testing.T) {
	hs := startHostile(t, connBounds{})
	dir := hs.dirSignedIn()
	st := hs.signUp("eleve.ctl", "Élodie", "Côté", "", (programs.Desk).RegisterStudent)
	schools, _ := st.st.Institutions()
	tok := hs.signInAgain("eleve.ctl")
	r := benchRaise(schools[0].ID, 7)
	r.Student.FamilyName = "Cô\u202ete\x00\u200b\u2066-Roy\u2069\x1b"
	r.Student.GivenNames = "\u200fÉlo\u0085die\t"
	cmd := handMade(sync.KindRaiseRequest, st.by.Account, minted(domain.ID{0xf3}), sync.RaisePayload{Raise: r, At: time.Now()})
	if _, answers := hs.pushByHand(tok, []sync.Command{cmd}); len(answers) != 1 || answers[0].Outcome != sync.Applied {
		t.Fatalf("raise: %+v", answers)
	}
	a := hs.call("GET", "/v1/requests/"+cmd.Entity.String(), tok, nil)
	var got ens.Request
	if a.status != 200 || json.Unmarshal(a.body, &got) != nil {
		t.Fatalf("read back: HTTP %d", a.status)
	}
	if got.Student.FamilyName != "Côte-Roy" || got.Student.GivenNames != "Élo die" {
		t.Fatalf("stored %q %q", got.Student.GivenNames, got.Student.FamilyName)
	}

	// An applicant with a file, and a representative whose command names
	// someone else, hidden behind an override.
	app := hs.signUp("linh.ctl", "Linh", "Nguyen", "linh@example.ca", (programs.Desk).RegisterApplicant)
	if _, err := app.st.SaveApplication(app.by, oinp.Application{Contact: oinp.Contact{Email: "linh@example.ca"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := app.st.RegisterApplication(app.by); err != nil {
		t.Fatal(err)
	}
	if err := app.c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	rep := hs.signUp("sam.ctl", "Sam", "Rep", "sam@consult.example", (programs.Desk).RegisterRepresentative)
	got2, _, _ := app.st.Application(app.by)
	file := got2.App.FileNumber
	ask := handMade(applications.KindRepRequest, rep.by.Account, rep.by.Account, applications.RepRequestPayload{FileNumber: file,
		Email: "linh@example.ca", Name: "Ontario Program \u202eecifho\u202c", RepEmail: "help\u202e@program.example"})
	if _, answers := hs.pushByHand(hs.signInAgain("sam.ctl"), []sync.Command{ask}); len(answers) != 1 || answers[0].Outcome != sync.Applied {
		t.Fatalf("representation request: %+v", answers)
	}
	if err := app.c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	got2, _, _ = app.st.Application(app.by)
	if reps := got2.App.Representatives; len(reps) != 1 || reps[0].Name != "Sam Rep" || reps[0].Email != "sam@consult.example" {
		t.Fatalf("the applicant reads %+v", reps)
	}
	dirStillPushes(t, dir)
}

// TestAttackRepMatchGuessing: a representative guessing which e-mail
// goes with which file number is told "no match" ten times, then
// store.oinp.rep.misses — even for the right pair; past the class's burst
// of requests, the pushes are answered 429. The DIR is served throughout.
func TestAttackRepMatchGuessing(t *testing.T) {
	hs := startHostile(t, connBounds{})
	dir := hs.dirSignedIn()
	app := hs.signUp("linh.guess", "Linh", "Nguyen", "linh@example.ca", (programs.Desk).RegisterApplicant)
	if _, err := app.st.SaveApplication(app.by, oinp.Application{Contact: oinp.Contact{Email: "linh@example.ca"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := app.st.RegisterApplication(app.by); err != nil {
		t.Fatal(err)
	}
	if err := app.c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec, _, _ := app.st.Application(app.by)
	rep := hs.signUp("sam.guess", "Sam", "Rep", "sam@consult.example", (programs.Desk).RegisterRepresentative)
	tok := hs.signInAgain("sam.guess")
	ask := func(email string) (answer, []sync.Answer) {
		return hs.pushByHand(tok, []sync.Command{handMade(applications.KindRepRequest, rep.by.Account, rep.by.Account,
			applications.RepRequestPayload{FileNumber: rec.App.FileNumber, Email: email})})
	}
	pt := hs.timePushes(dir)
	misses := store.DefaultRepMissLimit.Burst
	for i := range misses {
		if _, answers := ask(fmt.Sprintf("guess%d@example.ca", i)); len(answers) != 1 || answers[0].Error == nil ||
			answers[0].Error.Code != applications.ErrRepNoMatch {
			t.Fatalf("guess %d: %+v", i+1, answers)
		}
	}
	if _, answers := ask("linh@example.ca"); len(answers) != 1 || answers[0].Error == nil || answers[0].Error.Code != store.ErrRepMisses {
		t.Fatalf("the right pair after %d misses: %+v", misses, answers)
	}
	var last answer
	n := misses + 1
	for ; n < 100; n++ {
		if last, _ = ask(fmt.Sprintf("more%d@example.ca", n)); last.status != 200 {
			break
		}
	}
	if n != store.DefaultCreateLimits[store.CreatesRepMatch].Burst || last.status != http.StatusTooManyRequests ||
		last.code != sync.ErrRateLimited || last.retry == "" {
		t.Fatalf("after %d requests: HTTP %d %s", n, last.status, last.code)
	}
	for start := time.Now(); pt.more(start); {
		if a, _ := ask("linh@example.ca"); a.status != http.StatusTooManyRequests {
			t.Fatalf("guessing on: HTTP %d", a.status)
		}
	}
	pt.end(t, "representation guessing")
	if got, _, _ := app.st.Application(app.by); len(got.App.Representatives) != 0 {
		t.Fatalf("the file has %+v", got.App.Representatives)
	}
	dirStillPushes(t, dir)
}

// TestAttackVerifyLookupFlood: verification look-ups from one address
// get the limit's burst of answers, then 429 sync.rate.limited with
// Retry-After and no look-up; another address is answered meanwhile, and
// so is the DIR.
func TestAttackVerifyLookupFlood(t *testing.T) {
	hs := startHostile(t, connBounds{})
	dir := hs.dirSignedIn()
	pt := hs.timePushes(dir)
	flood := clientFrom("127.0.0.5", false)
	get := func(cl *http.Client, code string) (int, string, domain.Code) {
		resp, err := cl.Get("https://" + hs.addr + "/v1/verify/" + code)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var er sync.ErrorResponse
		json.NewDecoder(resp.Body).Decode(&er)
		return resp.StatusCode, resp.Header.Get("Retry-After"), er.Error.Code
	}
	answered, limited := 0, 0
	burst := store.DefaultVerifyLimit.Burst
	start := time.Now()
	for i := 0; i < 1000 || pt.more(start); i++ {
		status, retry, code := get(flood, fmt.Sprintf("ABCD-EFGH-%04d-JKMN", i))
		switch {
		case status == http.StatusTooManyRequests:
			if code != sync.ErrRateLimited || retry == "" || i < burst {
				t.Fatalf("look-up %d: HTTP %d %s, Retry-After %q", i+1, status, code, retry)
			}
			limited++
		default:
			answered++
		}
	}
	// The bucket refills one look-up every two seconds while the flood
	// runs.
	refill := int(time.Since(start)/store.DefaultVerifyLimit.Every) + 1
	if answered < burst || answered > burst+refill {
		t.Fatalf("%d answered, %d refused in %v", answered, limited, time.Since(start))
	}
	t.Logf("%d look-ups from one address: %d answered, %d refused in %v", answered+limited, answered, limited,
		time.Since(start).Round(time.Millisecond))
	if status, _, code := get(clientFrom("127.0.0.6", false), "ABCD-EFGH-0000-JKMN"); status == http.StatusTooManyRequests {
		t.Fatalf("another address: HTTP %d %s", status, code)
	}
	pt.end(t, "verification flood")
	dirStillPushes(t, dir)
}

// minted gives id the shape of the IDs desks mint (a version 7 UUID), which
// the server asks of every record a command creates.
func minted(id domain.ID) domain.ID {
	id[6], id[8] = 0x70|id[6]&0x0f, 0x80|id[8]&0x3f
	return id
}
