// Package server is dossierd's HTTP API: the JSON endpoints under /v1 that
// desks sign in, push their outbox and pull the change feed through. Every
// request is checked against the person's role and organisation by the
// store, with the same domain rules the desks use; every refusal to a
// signed-in person is audited, and the others counted; nothing personal
// is logged.
package server

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/domain/notice"
	"dossier/internal/version"
	"dossier/sync"
)

// Backend is the server's store, as the handlers use it: the embedded
// bbolt store (store.Server) or, later, PostgreSQL.
type Backend interface {
	// SignIn counts the attempt against the limits of the client's
	// address (from: host and port, as the connection gives it) and of the
	// user ID before it checks anything; refresh, a live refresh token of
	// the account, spares the owner the user ID's limit and pause.
	SignIn(userID, password string, device domain.ID, refresh, from string) (sync.Tokens, error)
	// KeepMailLang records, after userID signed in, the language their
	// desk speaks, which their letters are written in.
	KeepMailLang(userID, lang string) error
	// AnswerSignIn takes the answer to the security question a sign-in
	// was asked (its challenge) and hands out the tokens when it is right.
	AnswerSignIn(challenge, answer, from string) (sync.Tokens, error)
	// CredentialStart and ChangeCredential change the signed-in
	// person's user ID and password: the current password, the security
	// question, then the new credential (new tokens; the old ones end).
	CredentialStart(by account.Actor, password, from string) (sync.SignInChallenge, error)
	ChangeCredential(by account.Actor, device domain.ID, in sync.CredentialRequest, from string) (sync.Tokens, error)
	// RecoverStart, RecoverAnswer and RecoverReset recover a forgotten
	// password: the user ID, the security question, then the e-mailed
	// code and the new password. None tells whether the user ID exists.
	RecoverStart(userID, from string) (sync.SignInChallenge, error)
	RecoverAnswer(challenge, answer, from string) error
	RecoverReset(challenge, code, password, from string) error
	Refresh(token string) (sync.Tokens, error)
	// Authenticate returns the person a token stands for; with a refusal,
	// the person whose token it was, if known (revoked since), else none.
	Authenticate(token string) (account.Actor, domain.ID, error)
	// Register counts the attempt against the limit of the client's
	// address, as SignIn does.
	Register(cmd sync.Command, from string) (sync.Answer, error)
	// PushFrom applies the commands of by, sent from device: the computer
	// by's token was issued to, which every command is taken as made on.
	PushFrom(by account.Actor, device domain.ID, cmds []sync.Command) ([]sync.Answer, sync.HLC, error)
	Changes(by account.Actor, epoch domain.ID, after uint64, limit int) (sync.ChangesResponse, error)
	Changed() <-chan struct{}
	Request(by account.Actor, id domain.ID) (ens.Request, error)
	// Document sends an attached document's content to someone who may
	// read the applicant's file, counted against their fetch limit and
	// audited.
	Document(by account.Actor, applicant, id domain.ID) (sync.DocumentFile, error)
	Refused(by account.Actor, action string, entity domain.ID, code domain.Code) error
	// Verify answers anyone holding a printed document: what its code
	// was issued for. It counts the look-up against the limit of the
	// client's address (from) first.
	Verify(code, from string) (sync.Printed, error)
	// AuditOf is a person's audit history, for a program officer: the
	// newest entries, and how many earlier ones were left out.
	AuditOf(by account.Actor, person domain.ID) ([]sync.AuditEntry, int, error)
	// BackupTo streams a consistent copy of the store to the writer open
	// gives, for a program officer, one at a time, audited (bbolt only).
	BackupTo(by account.Actor, open func(size int64) io.Writer) (int64, error)
	// Check reports whether the store answers (/healthz).
	Check(ctx context.Context) error
	// Notices are the program's maintenance notices whose windows have
	// not ended: public, for a desk on its sign-in screen.
	Notices() ([]notice.Notice, error)
}

// Limits on what one request may carry.
const (
	MaxPushBody     = 16 << 20
	MaxSmallBody    = 64 << 10
	MaxPushCommands = 1000
	// MaxWait is the longest a pull waits for news (long-poll).
	MaxWait = 30 * time.Second
	// MaxWaiting is how many long-polls one account may hold open at
	// once: a desk holds one, a person signed in on a few desks a few.
	// Each waiting pull reads the feed again at every commit, so
	// thousands on one token would take a core; the next is refused
	// with 429 (sync.ErrRateLimited) and Retry-After, and the desk's
	// pull loop tries again after its pause. Refusing the newest rather
	// than ending the oldest: a flood then costs nothing, and cannot
	// push the person's own desks off; a poll a desk left behind ends
	// by MaxWait at the latest, so the place comes back.
	MaxWaiting = 4
	// gzipOver is the body size from which answers are compressed.
	gzipOver = 8 << 10
)

// Handler serves the API.
type Handler struct {
	b   Backend
	log *slog.Logger
	mux *http.ServeMux

	mu      gosync.Mutex
	waiting map[domain.ID]int // long-polls open, by account

	// metrics, when set, counts what the handler serves (Instrument).
	metrics *Metrics
	// minDesk is the oldest desk version served (version.MinDesk).
	minDesk string
}

// Instrument has the handler record its requests in m.
func (h *Handler) Instrument(m *Metrics) { h.metrics = m }

// New returns the API's handler. log receives one line per request:
// method, route, status, duration and the acting account's opaque ID —
// never a body, a name, a token or a password.
func New(b Backend, log *slog.Logger) *Handler {
	h := &Handler{b: b, log: log, mux: http.NewServeMux(), waiting: map[domain.ID]int{}, minDesk: version.MinDesk}
	h.mux.HandleFunc("GET /healthz", h.health)
	h.mux.HandleFunc("POST /v1/signin", h.signIn)
	h.mux.HandleFunc("POST /v1/signin/answer", h.answer)
	h.mux.HandleFunc("POST /v1/credential/start", h.authed("credential", h.credentialStart))
	h.mux.HandleFunc("POST /v1/credential", h.authed("credential", h.credential))
	h.mux.HandleFunc("POST /v1/recover/start", h.recoverStart)
	h.mux.HandleFunc("POST /v1/recover/answer", h.recoverAnswer)
	h.mux.HandleFunc("POST /v1/recover/reset", h.recoverReset)
	h.mux.HandleFunc("POST /v1/refresh", h.refresh)
	h.mux.HandleFunc("POST /v1/register", h.register)
	h.mux.HandleFunc("POST /v1/push", h.authed("push", h.push))
	h.mux.HandleFunc("GET /v1/changes", h.authed("changes", h.changes))
	h.mux.HandleFunc("GET /v1/requests/{id}", h.authed("request", h.request))
	h.mux.HandleFunc("GET /v1/files/{applicant}/documents/{id}", h.authed("document", h.document))
	h.mux.HandleFunc("GET /v1/verify/{code}", h.verify)
	h.mux.HandleFunc("GET /v1/notices", h.notices)
	h.mux.HandleFunc("GET /v1/audit/{account}", h.authed("audit", h.audit))
	h.mux.HandleFunc("GET /v1/admin/backup", h.authed("backup", h.backup))
	return h
}

type statusWriter struct {
	http.ResponseWriter
	status int
	actor  domain.ID
}

// Unwrap lets http.ResponseController reach the connection's writer
// (a backup lifts its write deadline).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// ServeHTTP answers with the server's version and the oldest desk's it
// serves, refuses a desk older than that (sync.ErrDeskTooOld), and logs
// and counts each request after serving it.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	w.Header().Set(sync.HeaderServerVersion, version.Version)
	w.Header().Set(sync.HeaderMinDesk, h.minDesk)
	if err := h.deskVersion(r); err != nil {
		h.fail(sw, r, err)
	} else {
		ctx := context.WithValue(r.Context(), writerKey{}, sw)
		h.mux.ServeHTTP(sw, r.WithContext(ctx))
	}
	took := time.Since(start)
	attrs := []any{"method", r.Method, "route", route(r), "status", sw.status,
		"ms", float64(took.Microseconds()) / 1000}
	if !sw.actor.IsZero() {
		attrs = append(attrs, "account", sw.actor.String())
	}
	h.log.Info("request", attrs...)
	h.metrics.request(h.template(r), r.Method, sw.status, took)
}

// deskVersion refuses a desk that states a version older than the oldest
// the server serves, or one that does not read as a version; a request
// stating none is served (sync.HeaderDeskVersion).
func (h *Handler) deskVersion(r *http.Request) error {
	v := r.Header.Get(sync.HeaderDeskVersion)
	if v == "" {
		return nil
	}
	if !version.Valid(v) {
		return domain.FieldError(sync.ErrBadRequest, sync.HeaderDeskVersion)
	}
	if version.Compare(v, h.minDesk) < 0 {
		return domain.Errorf(sync.ErrDeskTooOld, v, h.minDesk)
	}
	return nil
}

// template is the route's pattern as the mux matched it ("GET
// /v1/requests/{id}"), or "unmatched": a metric's label never holds a
// path a client chose.
func (h *Handler) template(r *http.Request) string {
	if _, pattern := h.mux.Handler(r); pattern != "" {
		return pattern
	}
	return "unmatched"
}

type writerKey struct{}

// deviceKey holds, in a signed-in request's context, the device its
// token was issued to.
type deviceKey struct{}

// route is the path without anything a person could be identified by.
func route(r *http.Request) string {
	if strings.HasPrefix(r.URL.Path, "/v1/requests/") {
		return "/v1/requests/{id}"
	}
	if strings.HasPrefix(r.URL.Path, "/v1/files/") {
		return "/v1/files/{applicant}/documents/{id}"
	}
	if strings.HasPrefix(r.URL.Path, "/v1/verify/") {
		return "/v1/verify/{code}"
	}
	if strings.HasPrefix(r.URL.Path, "/v1/audit/") {
		return "/v1/audit/{account}"
	}
	return r.URL.Path
}

// health answers whether the server can serve: its store answers a read
// (and, on PostgreSQL, a ping) within healthTimeout; 503 with the reason's
// code when not. The cause goes to the log, never to the caller.
func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	out := sync.Health{Status: "ok", Version: version.Version, MinDesk: h.minDesk}
	if err := h.b.Check(ctx); err != nil {
		h.log.Error("health", "err", err.Error())
		out.Status, out.Reason = "unavailable", domain.ErrorCode(err)
		writeJSON(w, r, http.StatusServiceUnavailable, out)
		return
	}
	writeJSON(w, r, http.StatusOK, out)
}

// healthTimeout bounds /healthz's look at the store.
const healthTimeout = 5 * time.Second

// statusOf maps an error to an HTTP status: by its kind, but for the
// limits, which have statuses of their own.
func statusOf(err error) int {
	switch domain.ErrorCode(err) {
	case sync.ErrDeskTooOld:
		return http.StatusUpgradeRequired
	case sync.ErrTooLarge:
		return http.StatusRequestEntityTooLarge
	case sync.ErrTooMany, sync.ErrRateLimited:
		return http.StatusTooManyRequests
	}
	switch domain.ErrorCode(err).Kind() {
	case domain.KindInvalid:
		return http.StatusBadRequest
	case domain.KindNotFound:
		return http.StatusNotFound
	case domain.KindConflict:
		return http.StatusConflict
	case domain.KindUnauthorized:
		return http.StatusUnauthorized
	case domain.KindForbidden:
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status == http.StatusTooManyRequests {
		// When to come back, in whole seconds rounded up.
		var e *domain.Error
		if errors.As(err, &e) && len(e.Args) > 0 {
			if at, ok := e.Args[0].(time.Time); ok {
				wait := (time.Until(at) + time.Second - 1) / time.Second
				w.Header().Set("Retry-After", strconv.FormatInt(max(int64(wait), 1), 10))
			}
		}
	}
	if status == http.StatusInternalServerError {
		// The cause goes to the log (codes and Go errors, not input); the
		// person gets the code.
		h.log.Error("fault", "route", route(r), "err", err.Error())
		err = domain.Errorf(domain.ErrInternal)
	}
	writeJSON(w, r, status, sync.ErrorResponse{Error: *sync.EncodeError(err)})
}

// gzipWriters are used again from answer to answer: a new writer costs
// about 1.2 MB of tables to set up, and a first download of 100,000
// requests asks for 100 compressed pages.
var gzipWriters = gosync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if len(body) > gzipOver && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(status)
		zw := gzipWriters.Get().(*gzip.Writer)
		zw.Reset(w)
		zw.Write(body)
		zw.Close()
		zw.Reset(nil) // the pool keeps no connection
		gzipWriters.Put(zw)
		return
	}
	w.WriteHeader(status)
	w.Write(body)
}

// readJSON decodes a body of at most limit bytes into v. A body that says
// it is longer is refused unread; one that runs past the limit is read no
// further, and its connection is closed after the answer.
func readJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) error {
	if r.ContentLength > limit {
		return domain.Errorf(sync.ErrTooLarge, limit)
	}
	body := http.MaxBytesReader(w, r.Body, limit)
	dec := json.NewDecoder(body)
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return domain.Errorf(sync.ErrTooLarge, limit)
		}
		return domain.Wrap(sync.ErrBadRequest, err)
	}
	if _, err := io.Copy(io.Discard, body); err != nil {
		return domain.Errorf(sync.ErrTooLarge, limit)
	}
	return nil
}

func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	var in sync.SignInRequest
	if err := readJSON(w, r, MaxSmallBody, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	tok, err := h.b.SignIn(in.UserID, in.Password, in.Device, in.Refresh, r.RemoteAddr)
	if err != nil {
		h.metrics.signInFailed(domain.ErrorCode(err))
		h.fail(w, r, err)
		return
	}
	if in.Lang != "" {
		if err := h.b.KeepMailLang(in.UserID, in.Lang); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	writeJSON(w, r, http.StatusOK, tok)
}

func (h *Handler) answer(w http.ResponseWriter, r *http.Request) {
	var in sync.AnswerRequest
	if err := readJSON(w, r, MaxSmallBody, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	tok, err := h.b.AnswerSignIn(in.Challenge, in.Answer, r.RemoteAddr)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, tok)
}

func (h *Handler) credentialStart(w http.ResponseWriter, r *http.Request, by account.Actor) {
	var in sync.CredentialStartRequest
	if err := readJSON(w, r, MaxSmallBody, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	ch, err := h.b.CredentialStart(by, in.Password, r.RemoteAddr)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, ch)
}

func (h *Handler) credential(w http.ResponseWriter, r *http.Request, by account.Actor) {
	var in sync.CredentialRequest
	if err := readJSON(w, r, MaxSmallBody, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	device, _ := r.Context().Value(deviceKey{}).(domain.ID)
	tok, err := h.b.ChangeCredential(by, device, in, r.RemoteAddr)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, tok)
}

func (h *Handler) recoverStart(w http.ResponseWriter, r *http.Request) {
	var in sync.RecoverRequest
	if err := readJSON(w, r, MaxSmallBody, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	ch, err := h.b.RecoverStart(in.UserID, r.RemoteAddr)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, ch)
}

func (h *Handler) recoverAnswer(w http.ResponseWriter, r *http.Request) {
	var in sync.RecoverRequest
	if err := readJSON(w, r, MaxSmallBody, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.b.RecoverAnswer(in.Challenge, in.Answer, r.RemoteAddr); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, struct{}{})
}

func (h *Handler) recoverReset(w http.ResponseWriter, r *http.Request) {
	var in sync.RecoverRequest
	if err := readJSON(w, r, MaxSmallBody, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.b.RecoverReset(in.Challenge, in.Code, in.Password, r.RemoteAddr); err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, struct{}{})
}

func (h *Handler) refresh(w http.ResponseWriter, r *http.Request) {
	var in sync.RefreshRequest
	if err := readJSON(w, r, MaxSmallBody, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	tok, err := h.b.Refresh(in.Refresh)
	if err != nil {
		_ = h.b.Refused(account.Actor{}, "refresh", domain.ID{}, domain.ErrorCode(err))
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, tok)
}

func (h *Handler) register(w http.ResponseWriter, r *http.Request) {
	var cmd sync.Command
	if err := readJSON(w, r, MaxSmallBody, &cmd); err != nil {
		h.fail(w, r, err)
		return
	}
	ans, err := h.b.Register(cmd, r.RemoteAddr)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, ans)
}

// authed wraps a handler that needs a signed-in person: a missing, unknown
// or expired token, or one of an account locked out since, gets 401, and
// the refusal is counted (Backend.Refused with no actor: in memory, not
// in the audit trail, so that a flood of bad tokens writes nothing).
func (h *Handler) authed(name string, next func(http.ResponseWriter, *http.Request, account.Actor)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || token == "" {
			_ = h.b.Refused(account.Actor{}, name, domain.ID{}, sync.ErrSignInNeeded)
			h.fail(w, r, domain.Errorf(sync.ErrSignInNeeded))
			return
		}
		by, device, err := h.b.Authenticate(token)
		if err != nil {
			// A known person's token (revoked since) is audited in their
			// name; an unknown token only counted.
			_ = h.b.Refused(by, name, domain.ID{}, domain.ErrorCode(err))
			h.fail(w, r, domain.Errorf(sync.ErrTokenExpired))
			return
		}
		if sw, ok := r.Context().Value(writerKey{}).(*statusWriter); ok {
			sw.actor = by.Account
		}
		next(w, r.WithContext(context.WithValue(r.Context(), deviceKey{}, device)), by)
	}
}

func (h *Handler) push(w http.ResponseWriter, r *http.Request, by account.Actor) {
	var in sync.PushRequest
	if err := readJSON(w, r, MaxPushBody, &in); err != nil {
		h.fail(w, r, err)
		return
	}
	if len(in.Commands) > MaxPushCommands {
		h.fail(w, r, domain.Errorf(sync.ErrTooLarge, MaxPushCommands))
		return
	}
	device, _ := r.Context().Value(deviceKey{}).(domain.ID)
	answers, hlc, err := h.b.PushFrom(by, device, in.Commands)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.metrics.push(in.Commands, answers)
	writeJSON(w, r, http.StatusOK, sync.PushResponse{Answers: answers, HLC: hlc})
}

func (h *Handler) changes(w http.ResponseWriter, r *http.Request, by account.Actor) {
	q := r.URL.Query()
	var epoch domain.ID
	if e := q.Get("epoch"); e != "" {
		var err error
		if epoch, err = domain.ParseID(e); err != nil {
			h.fail(w, r, domain.FieldError(sync.ErrBadRequest, "epoch"))
			return
		}
	}
	after, err1 := parseUint(q.Get("after"))
	limit, err2 := parseUint(q.Get("limit"))
	wait, err3 := parseUint(q.Get("wait"))
	if err1 != nil || err2 != nil || err3 != nil {
		h.fail(w, r, domain.Errorf(sync.ErrBadRequest))
		return
	}
	deadline := time.Now().Add(min(time.Duration(wait)*time.Second, MaxWait))
	if wait > 0 {
		if !h.startWaiting(by.Account) {
			h.fail(w, r, domain.Errorf(sync.ErrRateLimited, time.Now().Add(waitingRetry)))
			return
		}
		defer h.stopWaiting(by.Account)
	}
	for first := true; ; first = false {
		// Take the bell before reading, so a commit between the read and
		// the wait still wakes us.
		bell := h.b.Changed()
		page, err := h.b.Changes(by, epoch, after, int(limit))
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if first {
			h.metrics.lag(wait > 0, len(page.Changes))
		}
		remaining := time.Until(deadline)
		if len(page.Changes) > 0 || page.Reset || remaining <= 0 {
			writeJSON(w, r, http.StatusOK, page)
			return
		}
		t := time.NewTimer(remaining)
		select {
		case <-bell:
			t.Stop()
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
}

// waitingRetry is when a long-poll refused over MaxWaiting is told to
// come back: by then one of the account's others has likely answered.
const waitingRetry = 5 * time.Second

// startWaiting counts a long-poll of acct, or reports false when the
// account holds MaxWaiting already.
func (h *Handler) startWaiting(acct domain.ID) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.waiting[acct] >= MaxWaiting {
		return false
	}
	h.waiting[acct]++
	h.metrics.waiting(1)
	return true
}

func (h *Handler) stopWaiting(acct domain.ID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.metrics.waiting(-1)
	if h.waiting[acct]--; h.waiting[acct] <= 0 {
		delete(h.waiting, acct)
	}
}

func parseUint(s string) (uint64, error) {
	if s == "" {
		return 0, nil
	}
	return strconv.ParseUint(s, 10, 64)
}

func (h *Handler) request(w http.ResponseWriter, r *http.Request, by account.Actor) {
	id, err := domain.ParseID(r.PathValue("id"))
	if err != nil {
		h.fail(w, r, domain.FieldError(sync.ErrBadRequest, "id"))
		return
	}
	req, err := h.b.Request(by, id)
	if err != nil {
		if k := domain.ErrorCode(err).Kind(); k == domain.KindForbidden || k == domain.KindNotFound {
			_ = h.b.Refused(by, "request", id, domain.ErrorCode(err))
		}
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, req)
}

// document sends a document of an applicant's file to someone who may
// read it; a refusal (not a reader, no such document) is audited as the
// request's are. The answer is the document's bytes in JSON: at most
// 10 MB, 13.4 MB in base64, compressed when the desk takes gzip.
func (h *Handler) document(w http.ResponseWriter, r *http.Request, by account.Actor) {
	applicant, err1 := domain.ParseID(r.PathValue("applicant"))
	id, err2 := domain.ParseID(r.PathValue("id"))
	if err1 != nil || err2 != nil {
		h.fail(w, r, domain.FieldError(sync.ErrBadRequest, "id"))
		return
	}
	f, err := h.b.Document(by, applicant, id)
	if err != nil {
		if k := domain.ErrorCode(err).Kind(); k == domain.KindForbidden || k == domain.KindNotFound {
			_ = h.b.Refused(by, "document", applicant, domain.ErrorCode(err))
		}
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, f)
}

// verify answers a verification code without an account: whoever holds a
// printed document (an IRCC officer, an employer) may check it. The codes
// are 75 bits and say nothing without the document in hand.
func (h *Handler) verify(w http.ResponseWriter, r *http.Request) {
	p, err := h.b.Verify(r.PathValue("code"), r.RemoteAddr)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, p)
}

// notices answers anyone with the maintenance notices to come: what a
// desk shows on its sign-in screen before anyone has signed in. It only
// reads, and the answer is bounded (notices.MaxPublic).
func (h *Handler) notices(w http.ResponseWriter, r *http.Request) {
	list, err := h.b.Notices()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, sync.NoticesResponse{Notices: list})
}

// audit gives a program officer a person's audit history; anyone else is
// refused, and the refusal audited.
// backup streams a copy of the store to a program officer (dossierd admin
// backup --server). The copy is the encrypted store as it is on disk;
// nothing of it is logged. It may take longer than the server's write
// timeout, so that deadline is lifted for this answer; a refusal comes
// before any byte of it.
func (h *Handler) backup(w http.ResponseWriter, r *http.Request, by account.Actor) {
	started := false
	_, err := h.b.BackupTo(by, func(size int64) io.Writer {
		started = true
		_ = http.NewResponseController(w).SetWriteDeadline(time.Time{})
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		return w
	})
	if err == nil {
		return
	}
	if started {
		// Cut short: the client sees fewer bytes than announced.
		h.log.Warn("backup cut short", "code", string(domain.ErrorCode(err)))
		return
	}
	if domain.ErrorCode(err).Kind() == domain.KindForbidden {
		_ = h.b.Refused(by, "backup", domain.ID{}, domain.ErrorCode(err))
	}
	h.fail(w, r, err)
}

func (h *Handler) audit(w http.ResponseWriter, r *http.Request, by account.Actor) {
	id, err := domain.ParseID(r.PathValue("account"))
	if err != nil {
		h.fail(w, r, domain.FieldError(sync.ErrBadRequest, "account"))
		return
	}
	entries, earlier, err := h.b.AuditOf(by, id)
	if err != nil {
		if domain.ErrorCode(err).Kind() == domain.KindForbidden {
			_ = h.b.Refused(by, "audit", id, domain.ErrorCode(err))
		}
		h.fail(w, r, err)
		return
	}
	if earlier > 0 {
		w.Header().Set(sync.HeaderAuditEarlier, strconv.Itoa(earlier))
	}
	writeJSON(w, r, http.StatusOK, entries)
}
