package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/programs"
	"dossier/sync"
)

// TestAttackDocumentDownloads: the documents of a file, asked for by hand
// of the real dossierd: without a token, with a forged one, with IDs that
// do not read, by another applicant and by an officer while the file is a
// draft, each refused with its code and nothing of the document; the
// applicant receives their own bytes; an account asking over and over is
// stopped at the fetch limit with when to come back, and the others are
// not.
func TestAttackDocumentDownloads(t *testing.T) {
	hs := startFacts(t)
	p, rec := hs.oinpReadyToSubmit(t, "linh.docs")
	other := hs.registered(t, "zoe.docs", (programs.Desk).RegisterApplicant)
	officer, a := hs.signIn(hostileProgram, hostileProgramPassword)
	if a.status != http.StatusOK {
		t.Fatalf("officer sign-in: HTTP %d %s", a.status, a.code)
	}
	var passport oinp.Document
	for _, d := range rec.App.Documents {
		if d.Kind == "passport" {
			passport = d
		}
	}
	at := func(applicant, id domain.ID) string {
		return "/v1/files/" + applicant.String() + "/documents/" + id.String()
	}
	mine := at(p.by.Account, passport.ID)
	for _, c := range []struct {
		name, path, token string
		status            int
		code              domain.Code
	}{
		{"no token", mine, "", http.StatusUnauthorized, sync.ErrSignInNeeded},
		{"a forged token", mine, "not-a-token", http.StatusUnauthorized, sync.ErrTokenExpired},
		{"IDs that do not read", "/v1/files/JOID-1234567/documents/passport", p.tok.Access, http.StatusBadRequest, sync.ErrBadRequest},
		{"another applicant", mine, other.tok.Access, http.StatusForbidden, oinp.ErrNotDocumentReader},
		{"an officer, the file a draft", mine, officer.Access, http.StatusForbidden, oinp.ErrNotDocumentReader},
		{"the applicant, a document of no file", at(p.by.Account, other.by.Account), p.tok.Access, http.StatusNotFound, store.ErrNotFound},
		{"another applicant, their own ID with the passport", at(other.by.Account, passport.ID), other.tok.Access, http.StatusNotFound, store.ErrNotFound},
	} {
		got := hs.call("GET", c.path, c.token, nil)
		if got.status != c.status || got.code != c.code || bytes.Contains(got.body, []byte(`"content"`)) {
			t.Errorf("%s: HTTP %d %s, want %d %s", c.name, got.status, got.code, c.status, c.code)
		}
	}

	got := hs.call("GET", mine, p.tok.Access, nil)
	var f sync.DocumentFile
	if got.status != http.StatusOK || json.Unmarshal(got.body, &f) != nil {
		t.Fatalf("the applicant's own passport: HTTP %d %s", got.status, got.code)
	}
	content, err := p.st.DocumentContent(p.by, passport.ID)
	if err != nil || !bytes.Equal(f.Content, content) || f.SHA256 != passport.SHA256 || f.Type != "pdf" || f.Size != int64(len(content)) {
		t.Fatalf("the applicant received %q %s %s %d, want %q %s (%v)", f.Content, f.SHA256, f.Type, f.Size, content, passport.SHA256, err)
	}

	// Asking over and over, refused or not, meets the limit (the two
	// refusals above counted already).
	limited := 0
	for i := 0; i < store.DefaultFetchLimit.Burst+5; i++ {
		if a := hs.call("GET", mine, other.tok.Access, nil); a.status == http.StatusTooManyRequests {
			if a.code != sync.ErrRateLimited || a.retry == "" {
				t.Fatalf("over the limit: %s, Retry-After %q", a.code, a.retry)
			}
			limited++
		}
	}
	if limited < 5 || limited > 7 {
		t.Fatalf("%d of %d downloads refused over the limit of %d", limited, store.DefaultFetchLimit.Burst+5, store.DefaultFetchLimit.Burst)
	}
	if a := hs.call("GET", mine, p.tok.Access, nil); a.status != http.StatusOK {
		t.Fatalf("the applicant, after another account met its limit: HTTP %d %s", a.status, a.code)
	}
	hs.servesTheDIR()
}
