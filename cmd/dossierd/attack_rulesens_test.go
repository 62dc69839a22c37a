package main

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"dossier/domain/ens"
	"dossier/store/compliance"
	"dossier/sync"
)

// The attacks on the annual compliance rules: a DIR's desk sends a
// school's Annual Report on Ineligible Students for a year whose list the
// server has not drawn up. Such a report would be empty, and would lock
// the school's list of that year before anyone is on it: the school would
// escape the year's compliance. The server refuses it with the rule the
// desk runs (ens.SubmitComplianceReport), against the real dossierd over
// TLS on loopback.

// reportableYear is the latest year whose list the server has drawn up.
func reportableYear() int {
	year, open := ens.ComplianceYearOf(time.Now())
	if !open {
		year--
	}
	return year
}

// earlyReport has the DIR push their school's report for year, and
// asserts the push is answered (HTTP 200) with the refusal
// ens.compliance-year, that no report is on record for that year, and
// that the server still takes the DIR's report of a year whose list is
// drawn up.
func earlyReport(t *testing.T, year int) {
	t.Helper()
	hs := startFacts(t)
	dir := hs.signedIn(t, hs.desk("dir2"), [16]byte{}, hostileUser, hostilePassword)
	a, ans := hs.push(t, dir, compliance.KindSubmitComplianceReport, compliance.ComplianceReportID(dir.by.Org, year),
		compliance.ComplianceSubmitPayload{School: dir.by.Org, Year: year, At: time.Now()})
	if a.status != http.StatusOK {
		t.Fatalf("push: HTTP %d", a.status)
	}
	refusedWith(t, "a report before its list", ans, ens.ErrComplianceYear)
	dir.sync()
	if _, err := dir.st.ComplianceReport(dir.by, dir.by.Org, year); !errors.Is(err, ens.ErrComplianceNotReported) {
		t.Fatalf("a report of %d on record: %v", year, err)
	}
	hs.servesTheDIR()
	ok := reportableYear()
	if _, ans := hs.push(t, dir, compliance.KindSubmitComplianceReport, compliance.ComplianceReportID(dir.by.Org, ok),
		compliance.ComplianceSubmitPayload{School: dir.by.Org, Year: ok, At: time.Now()}); ans.Outcome != sync.Applied {
		t.Fatalf("the report of %d afterwards: %+v", ok, ans)
	}
}

// TestAttackReportNextYear: the report of the year after the list's.
func TestAttackReportNextYear(t *testing.T) {
	earlyReport(t, reportableYear()+1)
}

// TestAttackReportFarAhead: a report decades ahead (which the server
// took before, locking that year for the school).
func TestAttackReportFarAhead(t *testing.T) {
	earlyReport(t, 2099)
}

// TestAttackReportBeforeTheProgram: a year before any list.
func TestAttackReportBeforeTheProgram(t *testing.T) {
	earlyReport(t, 1999)
}
