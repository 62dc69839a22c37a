package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"dossier/domain/oinp"
	"dossier/store/applications"
)

// TestOfficerReturnsAFileAsIncomplete: §5.3 "If your application is found
// to be incomplete, it will not be processed and your application fee will
// be refunded." The officer returns a file from its screen (an empty reason
// refused, what was typed kept), the file's other actions then closed; the
// applicant reads that it was returned and refunded, without a Withdraw
// button. Another file's processing starts, and it can no longer be
// returned.
func TestOfficerReturnsAFileAsIncomplete(t *testing.T) {
	srv := startSyncServer(t)
	linh, linhRec := applicantOn(t, srv, "Linh", "Nguyen", "linh.nguyen", "Mississauga", "en")
	_, eloiseRec := applicantOn(t, srv, "Éloïse", "Côté-Lévesque", "eloise.cote", "Ottawa", "en")
	one := officerOn(t, srv, "officer.one", "Pat")
	syncWait(t, one, "both files on the officer's desk", func() bool {
		q, _ := one.Store.ProcessingQueue(one.Actor(), applications.FileFilter{})
		return len(q) == 2
	})

	one.Show(ScreenOfficerFile(linhRec.Applicant))
	v := fileView(t, one)
	if v.returnIncomplete.Disabled() || v.start.Disabled() {
		t.Fatal("a submitted file cannot be returned nor started")
	}
	test.Tap(v.returnIncomplete)
	test.Tap(v.incompleteSend)
	if l := v.incomplete.errors["reasons"]; l == nil || !l.Visible() {
		t.Fatalf("returned without a reason: %v", v.lastError)
	}
	v.incompleteReasons.SetText("The birth certificate's translation is not certified.")
	test.Tap(v.incompleteSend)
	v = fileView(t, one)
	if v.rec.App.ProcessingStatus() != oinp.StatusIncomplete || !v.approve.Disabled() || !v.returnIncomplete.Disabled() {
		t.Fatalf("not returned: %v", v.lastError)
	}
	online(t, one, "the officer, file returned")

	syncWait(t, linh, "the return on the applicant's desk", func() bool {
		rec, _, _ := linh.Store.Application(linh.Actor())
		return rec.App.Incomplete != nil
	})
	av, d := decisionOf(t, linh)
	text := texts(d.lines) + summaryText(av)
	if !strings.Contains(text, "found the application incomplete") || !strings.Contains(text, "refunded") {
		t.Fatalf("the applicant reads:\n%s", text)
	}
	if strings.Contains(text, "You may withdraw") {
		t.Fatalf("a returned file offers its withdrawal:\n%s", text)
	}

	one.Show(ScreenOfficerFile(eloiseRec.Applicant))
	v = fileView(t, one)
	test.Tap(v.start)
	test.Tap(findButton(t, one, "Confirm"))
	v = fileView(t, one)
	if v.rec.App.ProcessingStarted.IsZero() || !v.start.Disabled() || !v.returnIncomplete.Disabled() || v.approve.Disabled() {
		t.Fatalf("processing not started: %v", v.lastError)
	}
}
