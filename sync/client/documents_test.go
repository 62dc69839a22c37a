package client_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/applications"
	"dossier/sync"
)

// passportScan is a scan of a passport as an applicant attaches it: a
// PDF of some size, with a line that would show in a profile holding it
// in clear.
func passportScan(t *testing.T) []byte {
	t.Helper()
	noise := make([]byte, 300<<10)
	if _, err := rand.Read(noise); err != nil {
		t.Fatal(err)
	}
	return append([]byte("%PDF-1.7\n% PASSPORT AB123456 NGUYEN LINH\n"), noise...)
}

// submittedWithPassport has an applicant on a new desk submit the
// example application with passport as their passport scan; with rep
// set, that representative (on their own desk) is appointed first and
// acts on the file.
func submittedWithPassport(t *testing.T, ts *testServer, user string, passport []byte, rep *desk) *desk {
	t.Helper()
	d := newDesk(t, ts, user)
	d.applicant(user)
	app := exampleApplication(t)
	if _, err := d.st.SaveApplication(d.by, *app); err != nil {
		t.Fatal(err)
	}
	reg, err := d.st.RegisterApplication(d.by)
	if err != nil {
		t.Fatal(err)
	}
	d.sync()
	if rep != nil {
		if err := rep.st.RequestRepresentation(rep.by, string(reg.App.FileNumber), app.Contact.Email); err != nil {
			t.Fatal(err)
		}
		rep.sync()
		d.sync()
		if _, err := d.st.DecideRepresentation(d.by, rep.by.Account, true); err != nil {
			t.Fatal(err)
		}
		d.sync()
		rep.sync()
	}
	attachMandatory(t, d, app, "passport")
	if _, _, err := d.st.AttachDocument(d.by, oinp.Document{Kind: "passport", Name: "passport.pdf"}, passport); err != nil {
		t.Fatal(err)
	}
	rec, _, _ := d.st.Application(d.by)
	fee := oinp.Evaluate(&rec.App, domain.DateOf(time.Now()), assets.OINPTables()).FeeCents
	card := oinp.Card{Number: "4111111111111111", Name: "Linh Nguyen", ExpMonth: 1, ExpYear: 2099, CVC: "123"}
	if _, err := d.st.SubmitApplication(d.by, card, fee); err != nil {
		t.Fatal(err)
	}
	d.sync()
	if rep != nil {
		rep.sync()
	}
	return d
}

// listedDocument is the document of kind on the file as the desk lists it.
func listedDocument(t *testing.T, a *oinp.Application, kind string) oinp.Document {
	t.Helper()
	for _, d := range a.Documents {
		if d.Kind == kind {
			return d
		}
	}
	t.Fatalf("no %s listed on the file", kind)
	return oinp.Document{}
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestOfficerOpensThePassport: the officer's desk lists the applicant's
// documents with the type, size and SHA-256 the server measured, fetches
// the passport scan on demand (the bytes the applicant attached), keeps it
// sealed (the profile's file never holds it in clear) and opens it again
// with the server stopped. The applicant's active representative opens it
// too; the server audits each download.
func TestOfficerOpensThePassport(t *testing.T) {
	ts := startServer(t)
	rep := newDesk(t, ts, "rep")
	rep.representative("sam.rep", "sam@consult.example")
	passport := passportScan(t)
	linh := submittedWithPassport(t, ts, "linh.nguyen", passport, rep)
	officer := officerNamed(t, ts, "officer.one", "Pat")
	ctx := context.Background()

	file, err := officer.st.FileFor(officer.by, linh.by.Account)
	if err != nil {
		t.Fatal(err)
	}
	listed := listedDocument(t, &file.App, "passport")
	if listed.Type != "pdf" || listed.Size != int64(len(passport)) || listed.SHA256 != sha256Hex(passport) {
		t.Fatalf("the officer's desk lists %s, %d bytes, %s", listed.Type, listed.Size, listed.SHA256)
	}
	if _, _, found, err := officer.st.LocalDocument(officer.by, linh.by.Account, listed.ID); err != nil || found {
		t.Fatalf("before opening it, the officer's desk holds the scan: %v %v", found, err)
	}
	doc, got, err := officer.c.OpenDocument(ctx, officer.st, officer.by, linh.by.Account, listed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, passport) || doc.SHA256 != sha256Hex(got) || doc.Kind != "passport" {
		t.Fatalf("the officer received %d bytes (%s), want %d (%s)", len(got), sha256Hex(got), len(passport), sha256Hex(passport))
	}
	// Kept sealed: the profile's file never holds the scan in clear.
	raw, err := os.ReadFile(officer.path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("PASSPORT AB123456")) || bytes.Contains(raw, passport[len(passport)-64:]) {
		t.Fatal("the officer's profile holds the passport in clear")
	}
	if _, _, found, err := officer.st.LocalDocument(officer.by, linh.by.Account, listed.ID); err != nil || !found {
		t.Fatalf("the officer's desk did not keep the scan: %v %v", found, err)
	}
	// Opened again with the server down: from the desk.
	ts.stop()
	if _, again, err := officer.c.OpenDocument(ctx, officer.st, officer.by, linh.by.Account, listed.ID); err != nil || !bytes.Equal(again, passport) {
		t.Fatalf("opened again offline: %d bytes, %v", len(again), err)
	}
	ts.start()

	// The applicant's representative opens it from their own desk.
	if _, byRep, err := rep.c.OpenDocument(ctx, rep.st, rep.by, linh.by.Account, listed.ID); err != nil || !bytes.Equal(byRep, passport) {
		t.Fatalf("the representative received %d bytes: %v", len(byRep), err)
	}

	// Once the applicant cancels them, the representative's desk no
	// longer holds the scan.
	if _, err := linh.st.CancelRepresentation(linh.by, rep.by.Account); err != nil {
		t.Fatal(err)
	}
	linh.sync()
	rep.sync()
	err = rep.st.View(func(tx *store.Tx) error {
		if tx.Bucket(store.AttachmentsBucket).Get(append(linh.by.Account[:], listed.ID[:]...)) != nil {
			t.Error("the cancelled representative's desk still holds the passport")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	history, _, err := ts.sv.AuditOf(officer.by, officer.by.Account)
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	for _, e := range history {
		if e.Action == "oinp.document.read" && e.Entity == linh.by.Account && e.Detail == "passport" {
			reads++
		}
	}
	if reads != 1 {
		t.Fatalf("the server audited %d downloads of the passport by the officer, want 1", reads)
	}
}

// TestDocumentsOnlyToTheirReaders: a representative not on the file,
// another applicant and an employer ask the server for the applicant's
// passport and are refused with oinp.document.reader, as is an officer
// asking for a draft's document; a document the file does not list is
// not found; each refusal is audited.
func TestDocumentsOnlyToTheirReaders(t *testing.T) {
	ts := startServer(t)
	farm, officer := approvedBusiness(t, ts)
	linh := submittedWithPassport(t, ts, "linh.nguyen", passportScan(t), nil)
	officer.sync()
	file, err := officer.st.FileFor(officer.by, linh.by.Account)
	if err != nil {
		t.Fatal(err)
	}
	passport := listedDocument(t, &file.App, "passport")
	ctx := context.Background()

	kim := newDesk(t, ts, "kim")
	kim.representative("kim.rep", "kim@law.example")
	kim.sync()
	zoe := newDesk(t, ts, "zoe")
	zoe.applicant("zoe.cote")
	_, draftDoc, err := zoe.st.AttachDocument(zoe.by, oinp.Document{Kind: "resume", Name: "cv.pdf"}, []byte("%PDF-1.4\ncv\n"))
	if err != nil {
		t.Fatal(err)
	}
	zoe.sync()

	for _, c := range []struct {
		name           string
		d              *desk
		applicant, doc domain.ID
		want           error
	}{
		{"a representative not on the file", kim, linh.by.Account, passport.ID, oinp.ErrNotDocumentReader},
		{"another applicant", zoe, linh.by.Account, passport.ID, oinp.ErrNotDocumentReader},
		{"an employer", farm, linh.by.Account, passport.ID, oinp.ErrNotDocumentReader},
		{"an officer, a draft's document", officer, zoe.by.Account, draftDoc.ID, oinp.ErrNotDocumentReader},
		{"an officer, a document the file does not list", officer, linh.by.Account, draftDoc.ID, store.ErrNotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			f, err := c.d.c.FetchDocument(ctx, c.applicant, c.doc)
			if !errors.Is(err, c.want) || len(f.Content) > 0 {
				t.Fatalf("the server answered %d bytes, %v; want %v", len(f.Content), err, c.want)
			}
			// Through the desk, the same answer (its own copy of the rule).
			if _, b, err := c.d.c.OpenDocument(ctx, c.d.st, c.d.by, c.applicant, c.doc); !errors.Is(err, c.want) || len(b) > 0 {
				t.Fatalf("the desk opened %d bytes, %v; want %v", len(b), err, c.want)
			}
		})
	}
	history, _, err := ts.sv.AuditOf(officer.by, kim.by.Account)
	if err != nil {
		t.Fatal(err)
	}
	refused := false
	for _, e := range history {
		refused = refused || e.Action == "refused.document" && e.Detail == string(oinp.ErrNotDocumentReader)
	}
	if !refused {
		t.Fatalf("the representative's refused download is not audited: %+v", history)
	}
}

// TestTamperedDownloadIsRefused: a download altered on its way — the
// bytes changed, and the SHA-256 the answer states changed to match — is
// refused by the officer's desk, which keeps nothing of it; the true
// bytes are kept once they arrive.
func TestTamperedDownloadIsRefused(t *testing.T) {
	ts := startServer(t)
	passport := passportScan(t)
	linh := submittedWithPassport(t, ts, "linh.nguyen", passport, nil)
	officer := officerNamed(t, ts, "officer.one", "Pat")
	file, err := officer.st.FileFor(officer.by, linh.by.Account)
	if err != nil {
		t.Fatal(err)
	}
	listed := listedDocument(t, &file.App, "passport")
	ts.setFault(func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
		if !strings.HasPrefix(r.URL.Path, "/v1/files/") {
			return false
		}
		r.Header.Del("Accept-Encoding")
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var f sync.DocumentFile
		if err := json.Unmarshal(rec.Body.Bytes(), &f); err != nil || len(f.Content) < 64 {
			t.Errorf("the server's answer: %v (%d bytes)", err, len(f.Content))
			return false
		}
		f.Content[40] ^= 0x01
		f.SHA256 = sha256Hex(f.Content)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(f)
		return true
	})
	ctx := context.Background()
	if _, got, err := officer.c.OpenDocument(ctx, officer.st, officer.by, linh.by.Account, listed.ID); !errors.Is(err, applications.ErrDocumentAltered) || got != nil {
		t.Fatalf("a tampered download: %d bytes, %v", len(got), err)
	}
	if _, _, found, err := officer.st.LocalDocument(officer.by, linh.by.Account, listed.ID); err != nil || found {
		t.Fatalf("the desk kept the tampered download: %v %v", found, err)
	}
	ts.setFault(nil)
	if _, got, err := officer.c.OpenDocument(ctx, officer.st, officer.by, linh.by.Account, listed.ID); err != nil || !bytes.Equal(got, passport) {
		t.Fatalf("the true download: %d bytes, %v", len(got), err)
	}
}

// TestDocumentDownloadsAreLimited: past the fetch limit, the server
// refuses a download with sync.rate.limited and when to come back; what
// the desk already holds still opens.
func TestDocumentDownloadsAreLimited(t *testing.T) {
	ts := startServer(t)
	ts.opt.Fetches = store.Limit{Burst: 2, Every: time.Hour}
	ts.restart()
	linh := submittedWithPassport(t, ts, "linh.nguyen", passportScan(t), nil)
	officer := officerNamed(t, ts, "officer.one", "Pat")
	file, err := officer.st.FileFor(officer.by, linh.by.Account)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	docs := file.App.Documents
	if len(docs) < 3 {
		t.Fatalf("%d documents", len(docs))
	}
	for _, d := range docs[:2] {
		if _, _, err := officer.c.OpenDocument(ctx, officer.st, officer.by, linh.by.Account, d.ID); err != nil {
			t.Fatalf("%s: %v", d.Kind, err)
		}
	}
	if _, _, err := officer.c.OpenDocument(ctx, officer.st, officer.by, linh.by.Account, docs[2].ID); !errors.Is(err, sync.ErrRateLimited) {
		t.Fatalf("a third download within the hour: %v", err)
	}
	if _, _, err := officer.c.OpenDocument(ctx, officer.st, officer.by, linh.by.Account, docs[0].ID); err != nil {
		t.Fatalf("a document the desk holds: %v", err)
	}
}
