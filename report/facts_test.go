package report

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/domain/printcode"
	"dossier/store/applications"
	"dossier/translations"
)

// TestServerComputesTheFactsPrinted: for every document printed from an
// OINP file, the facts the server computes from the file
// (printcode.FileFacts) are the very facts the document prints, in every
// state the file prints it from; and a document the file's state does not
// allow is refused by both alike.
func TestServerComputesTheFactsPrinted(t *testing.T) {
	a := demoApplication(t)
	nominated := *a
	nominated.Nomination = &oinp.Nomination{Nominated: domain.Date{Year: 2026, Month: time.September, Day: 1},
		Certificate: "ON-IDS-2026-00417", Expires: domain.Date{Year: 2027, Month: time.March, Day: 1}}
	refused := *a
	refused.Decision = &oinp.Decision{Outcome: oinp.OutcomeRefused, Reasons: []string{"one", "two"},
		Notified: domain.Date{Year: 2026, Month: time.August, Day: 3}}
	unsubmitted := *a
	unsubmitted.Submitted, unsubmitted.Payment = domain.Date{}, nil
	applicant := domain.ID{1, 2, 3}
	tr := translations.New(translations.English)
	for name, app := range map[string]*oinp.Application{"submitted": a, "nominated": &nominated, "refused": &refused, "draft": &unsubmitted} {
		for _, kind := range []Kind{KindApplicationSummary, KindNominationLetter, KindWorkPermitLetter, KindCertificate,
			KindRefusalLetter, KindFeeReceipt} {
			doc, derr := ApplicationDocument(kind, applications.ApplicationRecord{Applicant: applicant, App: *app}, tr, printedOn)
			facts, ferr := printcode.FileFacts(kind, app, printedOn, assets.OINPTables())
			if domain.ErrorCode(derr) != domain.ErrorCode(ferr) {
				t.Errorf("%s %s: the desk says %v, the server %v", name, kind, derr, ferr)
				continue
			}
			if derr != nil {
				continue
			}
			if diff := cmp.Diff(doc.Facts(), facts); diff != "" {
				t.Errorf("%s %s: the server's facts differ from the printed ones (-printed +server):\n%s", name, kind, diff)
			}
			if s, ok := doc.(Sourced); !ok || s.PrintedFrom() != applicant {
				t.Errorf("%s %s: the document does not name the file it was printed from", name, kind)
			}
		}
	}
	if _, err := printcode.FileFacts(KindQueueExport, a, printedOn, assets.OINPTables()); domain.ErrorCode(err) != printcode.ErrKind {
		t.Errorf("a list is not printed from a file: %v", err)
	}
}
