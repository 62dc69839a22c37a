package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/printcode"
	"dossier/internal/version"
	"dossier/store"
	"dossier/store/programs"
	"dossier/sync"
)

// Sizes of what the client sends and asks for at once.
const (
	PushBatch = 200
	// PushBytes bounds the payloads of one push (the server takes 16 MB
	// a request; a 10 MB passport is about 13.4 MB in JSON).
	PushBytes = 14 << 20
	// PageSize is the changes a pull asks for at a time: each page is
	// one transaction, held whole in memory (the journal's layer, then
	// bbolt's commit) while the next are fetched. Pages of 500 kept the
	// heap lower but took 12-15 % longer.
	PageSize = 1000
	// CatchUpCeiling is the heap's ceiling while a pull of more than one
	// page runs (heapfloor.Hold). The collector counts what a download
	// allocates while it marks as live: without it, the first download of
	// 100,000 requests, 15-20 MB live, grew to 45-63 MB of heap.
	CatchUpCeiling = 48 << 20
	// LongPoll is how long a pull waits at the server for news.
	LongPoll = 25 * time.Second
	// Every is the timer: a sync at least this often, whatever else happens.
	Every = time.Minute
)

// Status is what the desk's top bar shows.
type Status struct {
	Online   bool
	SignedIn bool
	Pending  int
	Rejected int
	// Conflicts are form fields merged with a losing value not yet read.
	Conflicts int
	LastSync  time.Time
	// Err is the last failure (coded), nil after a good sync.
	Err error
	// Done and Total count the records of a download under way (Total is
	// zero when none is).
	Done, Total int
	// Received counts the records the feed has written since the client
	// was opened: a screen listing records reloads when it moves.
	Received int
	// ServerVersion is the version the server last said it runs.
	ServerVersion string
}

// Client syncs one desk's store with one server. Its methods are safe for
// concurrent use.
type Client struct {
	st   programs.Desk
	http *http.Client
	pin  *pin
	base string
	// version is the desk's, sent with every request; minServer the
	// oldest server version it syncs with (internal/version).
	version, minServer string

	mu      gosync.Mutex
	access  string
	expires time.Time
	refresh string
	account domain.ID
	lang    string // SpeakLang
	// actor is account as it acts on this desk: whose rejections and
	// conflicts the status counts.
	actor    account.Actor
	status   Status
	onStatus func(Status)
	nudge    chan struct{}
	retry    chan struct{} // wakes the feed from a pause after a failure
	pullMu   gosync.Mutex  // one pull at a time: pages apply in order
	// waitMu guards ending, the cancel of the long-poll in flight: a
	// pull that must not wait (Sync, after paying) ends it rather than
	// queue behind it for up to LongPoll.
	waitMu  gosync.Mutex
	ending  context.CancelFunc
	hurried atomic.Int32 // pulls waiting that must not wait for news
	pushMu  gosync.Mutex
	// statusMu: one status update at a time, from reading the counts to
	// telling the app. The push and the pull both report; unserialised, a
	// pull's counts read before a push's answers could land after them,
	// and the bar would say "to send: 1" until the next long-poll ends.
	statusMu gosync.Mutex
	// renewMu: one renewal at a time. A refresh token works once, and the
	// server takes a second use for a theft and ends the session.
	renewMu gosync.Mutex
	// answerer answers the security question the server asks at a
	// sign-in the app makes in the background (SignIn).
	answerer Answerer
}

// Answerer answers a sign-in's security question (the person's own
// words): the app asks the person.
type Answerer func(ctx context.Context, question string) (string, error)

// SetAnswerer sets who answers the security question of the sign-ins
// SignIn makes; none (the default) makes them fail with ErrQuestionNeeded.
func (c *Client) SetAnswerer(a Answerer) {
	c.mu.Lock()
	c.answerer = a
	c.mu.Unlock()
}

// Open returns a client for the server the store was connected to; nil
// and no error when it never was (an offline-only desk).
func Open(st programs.Desk) (*Client, error) { return OpenWith(st, Options{}) }

// OpenWith is Open with the trust options given.
func OpenWith(st programs.Desk, o Options) (*Client, error) {
	state, err := st.SyncState()
	if err != nil || state.Server == "" {
		return nil, err
	}
	c := newClient(st, state.Server, state.Fingerprint, o)
	c.refresh, c.account = state.Refresh, state.Account
	if a, err := st.Account(state.Account); err == nil {
		c.actor = a.Actor()
	}
	c.status.SignedIn = state.Refresh != ""
	c.status.LastSync = lastSync(&state, state.Account)
	return c, nil
}

// lastSync is when who's feed was last read here, or, with nobody
// signed in, when the desk last synced.
func lastSync(st *store.SyncState, who domain.ID) time.Time {
	if who.IsZero() {
		return st.LastSync
	}
	return st.Position(who).LastSync
}

func newClient(st programs.Desk, base, fingerprint string, o Options) *Client {
	p := &pin{v: fingerprint, roots: o.Roots}
	if u, err := url.Parse(base); err == nil {
		p.host = u.Hostname()
	}
	return &Client{st: st, pin: p, base: strings.TrimRight(base, "/"), version: version.Version, minServer: version.MinServer,
		http:  &http.Client{Transport: pinnedTransport(p), Timeout: LongPoll + 30*time.Second},
		nudge: make(chan struct{}, 1), retry: make(chan struct{}, 1)}
}

// Connect points the store at a server: it contacts the server and
// remembers it with the fingerprint of its key, which must be the one
// given. With no fingerprint, a certificate an authority vouches for (for
// that host) is trusted and no pin is kept; any other certificate is
// refused with ErrUnconfirmed carrying its fingerprint, before anything
// is sent, for the person to compare with the one the server's operator
// gave them and connect again with it. A different server than before
// starts the change feed from the beginning.
func Connect(ctx context.Context, st programs.Desk, server, fingerprint string) (*Client, error) {
	return ConnectWith(ctx, st, server, fingerprint, Options{})
}

// ConnectWith is Connect with the trust options given.
func ConnectWith(ctx context.Context, st programs.Desk, server, fingerprint string, o Options) (*Client, error) {
	u, err := url.Parse(server)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return nil, domain.FieldError(ErrServerURL, "server")
	}
	if fingerprint, err = normalFingerprint(fingerprint); err != nil {
		return nil, err
	}
	c := newClient(st, server, fingerprint, o)
	if err := c.do(ctx, http.MethodGet, "/healthz", nil, nil, false); err != nil {
		return nil, err
	}
	c.status.Online = true // it has just answered
	var newServer bool
	err = st.UpdateSyncState(func(s *store.SyncState) {
		newServer = s.Server != c.base
		if newServer || s.Fingerprint != c.pin.get() {
			*s = store.SyncState{}
		}
		s.Server, s.Fingerprint = c.base, c.pin.get()
	})
	if err == nil && newServer {
		// The server gives this computer its desk numbers from now on.
		err = st.ForgetDesks()
	}
	return c, err
}

// Errors of connecting a desk.
var (
	// ErrServerURL is a server address that is not https://host[:port].
	ErrServerURL = domain.NewCode("sync.server.url", domain.KindInvalid)
	// ErrFingerprintFormat is a fingerprint that is not 64 hexadecimal
	// digits (pairs may be separated by colons, as dossierd prints it).
	ErrFingerprintFormat = domain.NewCode("sync.fingerprint.format", domain.KindInvalid)
	// ErrUnconfirmed is a server whose certificate no authority vouches
	// for, reached with no fingerprint: its argument is the fingerprint
	// of the key it showed, for the person to confirm. Nothing was sent.
	ErrUnconfirmed = domain.NewCode("sync.tls.unconfirmed", domain.KindConflict)
	// ErrPasswordNeeded: signing in to the server takes the person's
	// password again.
	ErrPasswordNeeded = domain.NewCode("sync.password.needed", domain.KindInvalid)
	// ErrEnrolOffline is an enrolment with a PIN this desk does not hold
	// while the server, which could check it, cannot be reached.
	ErrEnrolOffline = domain.NewCode("sync.enrol.offline", domain.KindInternal)
	// ErrServerTooOld is a server older than this desk syncs with; its
	// arguments are the server's version and the oldest the desk takes.
	// The desk syncs no further until the server is upgraded; a command
	// the server had applied meanwhile is answered the same when sent
	// again.
	ErrServerTooOld = domain.NewCode("sync.server.old", domain.KindConflict)
	// ErrSignInOffline is a sign-in to an account this desk does not
	// hold while the server, which holds it, cannot be reached.
	ErrSignInOffline = domain.NewCode("sync.sign-in.offline", domain.KindInternal)
	// ErrQuestionNeeded is a sign-in the server answered with a security
	// question that nobody was there to answer: sign in again.
	ErrQuestionNeeded = domain.NewCode("sync.sign-in.question", domain.KindUnauthorized)
	// ErrAnswerTooLarge is an answer from the server over MaxAnswer; its
	// argument is the bound in MiB. The desk kept none of it.
	ErrAnswerTooLarge = domain.NewCode("sync.answer.too-large", domain.KindInternal)
)

// Recount reads the figures of the status again (after the person marked
// a refusal or a conflict read) and reports them.
func (c *Client) Recount() { c.setStatus(func(*Status) {}) }

// OnStatus calls fn (from the client's goroutines) whenever the status
// changes, one call at a time and in order; fn must not block.
func (c *Client) OnStatus(fn func(Status)) {
	c.mu.Lock()
	c.onStatus = fn
	c.mu.Unlock()
}

// Status is the current status.
func (c *Client) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

func (c *Client) setStatus(fn func(*Status)) {
	c.statusMu.Lock()
	defer c.statusMu.Unlock()
	c.mu.Lock()
	who := c.actor
	c.mu.Unlock()
	counts, cerr := c.st.Counts(who)
	state, serr := c.st.SyncState()
	c.mu.Lock()
	fn(&c.status)
	if cerr == nil {
		c.status.Pending, c.status.Rejected, c.status.Conflicts = counts.Pending, counts.Rejected, counts.Conflicts
	}
	if serr == nil {
		c.status.LastSync = lastSync(&state, who.Account)
	}
	c.status.SignedIn = c.refresh != "" || c.access != ""
	st, fn2 := c.status, c.onStatus
	c.mu.Unlock()
	if fn2 != nil {
		fn2(st)
	}
}

// result records the outcome of a round trip in the status: any answer
// from the server means online.
func (c *Client) result(err error) error {
	c.setStatus(func(s *Status) {
		s.Err = err
		s.Online = err == nil || !errors.Is(err, sync.ErrOffline)
	})
	return err
}

// SignIn signs acct in to the server with the user ID and password they
// just signed in with on this desk, and answers the security question
// the server asks next with the client's Answerer. A registration or
// enrolment made offline goes first, so the server knows the account.
func (c *Client) SignIn(ctx context.Context, acct domain.ID, userID, password string) error {
	ch, err := c.SignInStart(ctx, acct, userID, password)
	if err != nil || ch == nil {
		return err
	}
	c.mu.Lock()
	ask := c.answerer
	c.mu.Unlock()
	if ask == nil {
		return c.result(domain.Errorf(ErrQuestionNeeded))
	}
	answer, err := ask(ctx, ch.Question)
	if err != nil {
		return err
	}
	return c.SignInAnswer(ctx, ch, userID, password, answer)
}

// SignInAnswer answers the security question of a sign-in SignInStart
// began, and signs the person in to the server when it is right. A wrong
// answer counts towards the de-link as a wrong password does.
func (c *Client) SignInAnswer(ctx context.Context, ch *sync.SignInChallenge, userID, password, answer string) error {
	var tok sync.Tokens
	err := c.do(ctx, http.MethodPost, "/v1/signin/answer", sync.AnswerRequest{Challenge: ch.Token, Answer: answer}, &tok, false)
	if err != nil {
		return c.result(err)
	}
	return c.signedIn(tok, userID, password)
}

func (c *Client) signedIn(tok sync.Tokens, userID, password string) error {
	if err := c.keep(tok); err != nil {
		return c.result(err)
	}
	_, err := c.st.AdoptAccount(tok.Account, userID, password)
	return c.result(err)
}

// SignInStart sends the user ID and password: the server answers a
// right one with a security question to answer (SignInAnswer), or, for
// an account that keeps no answers, signs the person in at once (nil).
func (c *Client) SignInStart(ctx context.Context, acct domain.ID, userID, password string) (*sync.SignInChallenge, error) {
	pending, err := c.st.PendingFor(acct, PushBatch)
	if err != nil {
		return nil, err
	}
	for _, e := range pending {
		if !store.CreatesAccount(e.Command.Kind) {
			continue
		}
		if err := c.register(ctx, e); err != nil {
			return nil, err
		}
	}
	// The refresh token this desk holds for the person proves it is
	// theirs: the user ID's limit, which strangers can fill, does not stop
	// them (a de-link does).
	c.mu.Lock()
	refresh, lang := c.refresh, c.lang
	if c.account != acct {
		refresh = ""
	}
	c.mu.Unlock()
	var tok sync.Tokens
	err = c.do(ctx, http.MethodPost, "/v1/signin", sync.SignInRequest{UserID: userID, Password: password,
		Device: c.st.Device(), Refresh: refresh, Lang: lang}, &tok, false)
	if errors.Is(err, account.ErrDelinked) && !acct.IsZero() {
		// De-linked on the server or another desk, which this desk had
		// not heard yet: locked here too.
		if lerr := c.st.LockDelinked(acct); lerr != nil {
			return nil, c.result(lerr)
		}
	}
	if err != nil {
		return nil, c.result(err)
	}
	if tok.Challenge != nil {
		return tok.Challenge, nil
	}
	return nil, c.signedIn(tok, userID, password)
}

// CredentialStart begins a change of the signed-in person's user ID and
// password with their current password: the server asks a security
// question next (ChangeCredential).
func (c *Client) CredentialStart(ctx context.Context, password string) (*sync.SignInChallenge, error) {
	var ch sync.SignInChallenge
	if err := c.do(ctx, http.MethodPost, "/v1/credential/start", sync.CredentialStartRequest{Password: password}, &ch, true); err != nil {
		return nil, c.answered(err)
	}
	return &ch, nil
}

// ChangeCredential answers the question CredentialStart asked and gives
// the new user ID and password. The server ends every token of the
// account, on every computer; this one gets new ones, and keeps the new
// credential for signing in here.
func (c *Client) ChangeCredential(ctx context.Context, ch *sync.SignInChallenge, answer, userID, password string) error {
	var tok sync.Tokens
	err := c.do(ctx, http.MethodPost, "/v1/credential", sync.CredentialRequest{Challenge: ch.Token, Answer: answer,
		UserID: userID, Password: password}, &tok, true)
	if err != nil {
		return c.answered(err)
	}
	return c.signedIn(tok, userID, password)
}

// RecoverStart begins the recovery of a forgotten password: the server
// asks a security question (one for any user ID, known or not).
func (c *Client) RecoverStart(ctx context.Context, userID string) (*sync.SignInChallenge, error) {
	var ch sync.SignInChallenge
	if err := c.do(ctx, http.MethodPost, "/v1/recover/start", sync.RecoverRequest{UserID: userID}, &ch, false); err != nil {
		return nil, c.answered(err)
	}
	return &ch, nil
}

// RecoverAnswer answers the recovery's question: if the answer is right,
// the server mails a one-time code to the address on file. Its answer
// says nothing either way.
func (c *Client) RecoverAnswer(ctx context.Context, ch *sync.SignInChallenge, answer string) error {
	return c.answered(c.do(ctx, http.MethodPost, "/v1/recover/answer", sync.RecoverRequest{Challenge: ch.Token, Answer: answer}, nil, false))
}

// RecoverReset sets the new password with the code the server mailed.
// The person then signs in with it (and answers a question).
func (c *Client) RecoverReset(ctx context.Context, ch *sync.SignInChallenge, code, password string) error {
	return c.answered(c.do(ctx, http.MethodPost, "/v1/recover/reset", sync.RecoverRequest{Challenge: ch.Token, Code: code,
		Password: password}, nil, false))
}

// answered records a round trip whose refusal the person reads where
// they acted (a wrong code, a password the rule refuses), not in the sync
// status: only that the server answered, or did not.
func (c *Client) answered(err error) error {
	if err == nil || errors.Is(err, sync.ErrOffline) {
		return c.result(err)
	}
	c.setStatus(func(s *Status) { s.Online = true })
	return err
}

// register sends a command that creates an account (it needs no token)
// and records the server's answer.
func (c *Client) register(ctx context.Context, e store.OutboxEntry) error {
	var ans sync.Answer
	if err := c.do(ctx, http.MethodPost, "/v1/register", e.Command, &ans, false); err != nil {
		return c.result(err)
	}
	return c.st.Acknowledge([]sync.Answer{ans}, 0)
}

// PushUnsigned sends the commands of this desk that go without a token
// (store.CreatesAccount), whoever is signed in or not: a de-link made on
// the sign-in screen reaches the server at once, not at the next
// person's sign-in. It returns how many were answered.
func (c *Client) PushUnsigned(ctx context.Context) (int, error) {
	c.pushMu.Lock()
	defer c.pushMu.Unlock()
	batch, err := c.st.PendingToPush(domain.ID{}, PushBatch)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range batch {
		if !store.CreatesAccount(e.Command.Kind) {
			continue
		}
		if err := c.register(ctx, e); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Enrol enrols a person with a PIN the server issued (a DIR's first PIN,
// given by the program), from a desk that has never seen it, then signs
// them in.
func (c *Client) Enrol(ctx context.Context, e account.Enrolment) error {
	cmd, err := c.st.EnrolCommand(e)
	if err != nil {
		return err
	}
	var ans sync.Answer
	if err := c.do(ctx, http.MethodPost, "/v1/register", cmd, &ans, false); err != nil {
		if errors.Is(err, sync.ErrOffline) {
			err = domain.Wrap(ErrEnrolOffline, err)
		}
		return c.result(err)
	}
	if ans.Outcome == sync.Rejected {
		return ans.Error.Err()
	}
	return c.SignIn(ctx, cmd.Actor, e.UserID, e.Password)
}

func (c *Client) keep(tok sync.Tokens) error {
	var a store.PublicAccount
	if err := json.Unmarshal(tok.Account, &a); err != nil {
		return domain.Wrap(sync.ErrServer, err)
	}
	c.mu.Lock()
	c.access, c.expires, c.refresh, c.account = tok.Access, tok.Expires, tok.Refresh, a.ID
	c.actor = account.Actor{Account: a.ID, Role: a.Role, Org: a.Org}
	c.mu.Unlock()
	return c.st.UpdateSyncState(func(s *store.SyncState) {
		s.KeepLegacyCursor()
		s.Refresh, s.Account = tok.Refresh, a.ID
	})
}

// SignOut forgets the tokens (the desk stays connected).
func (c *Client) SignOut() error {
	c.mu.Lock()
	c.access, c.refresh, c.account, c.actor = "", "", domain.ID{}, account.Actor{}
	c.mu.Unlock()
	err := c.st.UpdateSyncState(func(s *store.SyncState) {
		s.KeepLegacyCursor()
		s.Refresh, s.Account = "", domain.ID{}
	})
	c.setStatus(func(*Status) {})
	return err
}

// Account is the person the client syncs for (zero when signed out).
func (c *Client) Account() domain.ID {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.account
}

// token returns a valid access token, renewing it with the refresh token
// when it has expired.
func (c *Client) token(ctx context.Context) (string, error) {
	c.mu.Lock()
	access, expires := c.access, c.expires
	c.mu.Unlock()
	if access != "" && time.Until(expires) > 10*time.Second {
		return access, nil
	}
	c.renewMu.Lock()
	defer c.renewMu.Unlock()
	// Another call may have renewed it while this one waited.
	c.mu.Lock()
	access, expires, refresh := c.access, c.expires, c.refresh
	c.mu.Unlock()
	if access != "" && time.Until(expires) > 10*time.Second {
		return access, nil
	}
	if refresh == "" {
		return "", domain.Errorf(sync.ErrSignInNeeded)
	}
	var tok sync.Tokens
	if err := c.do(ctx, http.MethodPost, "/v1/refresh", sync.RefreshRequest{Refresh: refresh}, &tok, false); err != nil {
		if domain.ErrorCode(err).Kind() == domain.KindUnauthorized {
			c.mu.Lock()
			c.access, c.refresh = "", ""
			who := c.account
			c.mu.Unlock()
			_ = c.st.UpdateSyncState(func(s *store.SyncState) { s.Refresh = "" })
			if errors.Is(err, account.ErrDelinked) {
				// De-linked on the server or another desk: locked here
				// too, and the app ends the session.
				if lerr := c.st.LockDelinked(who); lerr != nil {
					return "", lerr
				}
				return "", err
			}
			return "", domain.Errorf(sync.ErrSignInNeeded)
		}
		return "", err
	}
	if err := c.keep(tok); err != nil {
		return "", err
	}
	return tok.Access, nil
}

// do makes one call; out receives the JSON answer. An authenticated call
// refused with 401 renews the token once and tries again.
func (c *Client) do(ctx context.Context, method, path string, in, out any, auth bool) error {
	for attempt := 0; ; attempt++ {
		err := c.once(ctx, method, path, in, out, auth)
		if auth && attempt == 0 && domain.ErrorCode(err) == sync.ErrTokenExpired {
			c.mu.Lock()
			c.access = ""
			c.mu.Unlock()
			continue
		}
		return err
	}
}

func (c *Client) once(ctx context.Context, method, path string, in, out any, auth bool) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return domain.Wrap(ErrServerURL, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(sync.HeaderDeskVersion, c.version)
	if auth {
		tok, err := c.token(ctx)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	hc := c.http
	if _, ok := out.(*backupSink); ok {
		// A backup takes as long as the store takes to send: bounded by
		// ctx only.
		cp := *c.http
		cp.Timeout = 0
		hc = &cp
	}
	resp, err := hc.Do(req)
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) {
			return de // the pinned certificate did not match
		}
		return domain.Wrap(sync.ErrOffline, err)
	}
	c.keepMigratedPin()
	defer func() {
		// Read to the end, so the connection (and its TLS session) is
		// used again rather than shaken hands for anew.
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
	}()
	if sv := resp.Header.Get(sync.HeaderServerVersion); sv != "" {
		c.mu.Lock()
		c.status.ServerVersion = sv
		c.mu.Unlock()
		if version.Compare(sv, c.minServer) < 0 {
			return domain.Errorf(ErrServerTooOld, sv, c.minServer)
		}
	}
	if resp.StatusCode != http.StatusOK {
		var er sync.ErrorResponse
		var err error
		if derr := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&er); derr != nil || er.Error.Code == "" {
			err = domain.Wrap(sync.ErrServer, fmt.Errorf("HTTP %d", resp.StatusCode))
		} else {
			err = er.Error.Err()
		}
		if at := retryAfter(resp.Header.Get("Retry-After"), time.Now()); !at.IsZero() {
			err = laterError{error: err, at: at}
		}
		return err
	}
	if out == nil {
		_, err := io.Copy(io.Discard, resp.Body)
		return err
	}
	if sink, ok := out.(*backupSink); ok {
		n, err := io.Copy(sink.w, resp.Body)
		*sink.n = n
		if err == nil && resp.ContentLength >= 0 && n != resp.ContentLength {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return domain.Wrap(sync.ErrOffline, err)
		}
		return nil
	}
	if h, ok := out.(headed); ok {
		h.header(resp.Header)
	}
	if resp.ContentLength > MaxAnswer {
		return domain.Errorf(ErrAnswerTooLarge, MaxAnswer>>20)
	}
	held := bodies.Get().(*[]byte)
	defer func() {
		if cap(*held) <= maxPooledBody {
			*held = (*held)[:0]
			bodies.Put(held)
		}
	}()
	b, over, err := readAnswer((*held)[:0], resp.Body, resp.ContentLength, MaxAnswer)
	*held = b
	if err != nil {
		return domain.Wrap(sync.ErrOffline, err)
	}
	if over {
		return domain.Errorf(ErrAnswerTooLarge, MaxAnswer>>20)
	}
	// Unmarshal copies what it keeps (strings, raw messages): the buffer
	// may be used again.
	if err := json.Unmarshal(b, out); err != nil {
		return domain.Wrap(sync.ErrOffline, err)
	}
	return nil
}

// readAnswer appends r to b, up to limit bytes, and reports whether r held
// more: an answer that runs past the bound (unzipped, where the server
// gzipped it) is refused, not held. b grows by doubling, never past the
// bound (128 MiB allocated in all on the way to 64); an answer of known
// length is read into one allocation.
func readAnswer(b []byte, r io.Reader, length int64, limit int) ([]byte, bool, error) {
	if length > 0 && length <= int64(limit) && int64(cap(b)) <= length {
		b = make([]byte, 0, length+1) // one more: the end is seen without growing
	}
	for {
		if len(b) >= limit {
			var one [1]byte
			n, err := io.ReadFull(r, one[:])
			if n > 0 {
				return b, true, nil
			}
			if err == io.EOF {
				return b, false, nil
			}
			return b, false, err
		}
		if len(b) == cap(b) {
			grown := make([]byte, len(b), min(max(2*cap(b), 4096), limit))
			copy(grown, b)
			b = grown
		}
		n, err := r.Read(b[len(b):min(cap(b), limit)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, false, nil
		}
		if err != nil {
			return b, false, err
		}
	}
}

// bodies are the buffers answers are read into, used again from answer to
// answer: a page of 1,000 changes is about 2 MB, which a decoder of its
// own grew to by doubling, page after page of a first download. A buffer
// grown past maxPooledBody (a large document) is left to the collector.
var bodies = gosync.Pool{New: func() any { return new([]byte) }}

const maxPooledBody = 8 << 20

// MaxAnswer bounds the JSON answer a desk reads from its server (a
// backup, which streams to a file, aside), so that a server gone wrong,
// or one that is not ours, cannot make the desk hold what it likes. The
// largest legitimate answers are a document (a scan of at most 10 MB,
// about 14 MB in base64) and a page of changes, which the server closes
// once it holds store.MaxChangesPageBytes (8 MiB) of data, plus one
// record of at most a form's bound.
const MaxAnswer = 64 << 20

// laterError is a refusal the server gave with Retry-After (over a rate
// limit, or away for maintenance): the request may be sent again from at.
type laterError struct {
	error
	at time.Time
}

func (e laterError) Unwrap() error { return e.error }

// RetryAt is when the server said to come back after err (its
// Retry-After), zero when it did not say.
func RetryAt(err error) time.Time {
	var l laterError
	if errors.As(err, &l) {
		return l.at
	}
	return time.Time{}
}

// maxRetryAfter bounds how long a Retry-After holds the desk back, so that
// a wrong header cannot keep it offline for days.
const maxRetryAfter = time.Hour

// retryAfter reads a Retry-After header: seconds, or an HTTP date.
func retryAfter(h string, now time.Time) time.Time {
	h = strings.TrimSpace(h)
	if h == "" {
		return time.Time{}
	}
	var at time.Time
	if secs, err := strconv.ParseInt(h, 10, 64); err == nil {
		if secs <= 0 {
			return time.Time{}
		}
		at = now.Add(time.Duration(min(secs, int64(maxRetryAfter/time.Second))) * time.Second)
	} else if t, err := http.ParseTime(h); err == nil && t.After(now) {
		at = t
	} else {
		return time.Time{}
	}
	if limit := now.Add(maxRetryAfter); at.After(limit) {
		at = limit
	}
	return at
}

// keepMigratedPin stores in the profile the key's pin that replaced a
// certificate's (see pin.verify), once the server has answered through it.
func (c *Client) keepMigratedPin() {
	old, now := c.pin.takeMigrated()
	if old == "" || c.st.Engine() == nil {
		return
	}
	_ = c.st.UpdateSyncState(func(s *store.SyncState) {
		if s.Server == c.base && strings.EqualFold(s.Fingerprint, old) {
			s.Fingerprint = now
		}
	})
}

// Verify asks the server what a printed document's code was issued for.
func (c *Client) Verify(ctx context.Context, code string) (sync.Printed, error) {
	var p sync.Printed
	clean, err := printcode.ParseCode(code)
	if err != nil {
		return p, err
	}
	err = c.do(ctx, http.MethodGet, "/v1/verify/"+clean, nil, &p, false)
	return p, err
}

// VerifyAt asks a server what a code was issued for, without a profile:
// for whoever holds a printed document. With a fingerprint the server's
// key must be that one; without, a certificate authority must vouch for
// it (ErrUnconfirmed otherwise).
func VerifyAt(ctx context.Context, server, fingerprint, code string) (sync.Printed, error) {
	u, err := url.Parse(server)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return sync.Printed{}, domain.FieldError(ErrServerURL, "server")
	}
	if fingerprint, err = normalFingerprint(fingerprint); err != nil {
		return sync.Printed{}, err
	}
	c := newClient(programs.Desk{}, server, fingerprint, Options{})
	c.http.Timeout = 30 * time.Second
	return c.Verify(ctx, code)
}

// AuditOf reads a person's audit history from the server (program
// officers only): the newest entries the server answers
// (store.MaxAuditAnswer), oldest first, and how many earlier ones it left
// out.
func (c *Client) AuditOf(ctx context.Context, person domain.ID) ([]sync.AuditEntry, int, error) {
	var out auditAnswer
	err := c.do(ctx, http.MethodGet, "/v1/audit/"+person.String(), nil, &out, true)
	return out.Entries, out.earlier, err
}

// headed is an answer that reads its HTTP header too (Client.once).
type headed interface{ header(http.Header) }

// auditAnswer is /v1/audit's answer: its entries, and from its header the
// count of earlier ones (0 from a server that leaves none out, or that
// predates the header).
type auditAnswer struct {
	Entries []sync.AuditEntry
	earlier int
}

func (a *auditAnswer) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &a.Entries) }

func (a *auditAnswer) header(h http.Header) {
	if n, err := strconv.Atoi(h.Get(sync.HeaderAuditEarlier)); err == nil && n > 0 {
		a.earlier = n
	}
}

// Backup writes to w a consistent copy of the server's store, taken
// while it serves (program officers only; bbolt only): the encrypted
// store, without its key file. A copy cut short is an error
// (sync.ErrOffline), never a shorter file reported as whole.
func (c *Client) Backup(ctx context.Context, w io.Writer) (int64, error) {
	var n int64
	err := c.do(ctx, http.MethodGet, "/v1/admin/backup", nil, &backupSink{w: w, n: &n}, true)
	return n, err
}

// backupSink is an answer body copied to w as it comes (Client.once).
type backupSink struct {
	w io.Writer
	n *int64
}

// SpeakLang sets the language the desk speaks ("en", "fr-CA"), which the
// next sign-in tells the server: the person's letters go in it.
func (c *Client) SpeakLang(lang string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lang = lang
}
