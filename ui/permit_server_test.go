package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/domain/permit"
	"dossier/store/requests"
)

// TestWorkPermitThroughTheServer: through the screens, on desks connected
// to a real server: the school's DIR verifies the student; the student
// applies and pays with the sandbox card, and the status shows the
// server's receipt; an officer approves it on their desk; the student's
// message box says so, and the server has queued the letter that tells
// them a decision is waiting.
func TestWorkPermitThroughTheServer(t *testing.T) {
	srv := startSyncServer(t)
	school, dirPIN := srv.school(t)
	dir := freshDesk(t)
	connectDesk(t, dir, srv)
	dir.Show(ScreenEnrol)
	f := dir.view.(*credentialForm)
	f.pin.SetText(dirPIN)
	fillCredentials(f, "Dominique", "Roy", "dir.roy")
	test.Tap(f.submit)
	online(t, dir, "the DIR")

	stu := freshDesk(t)
	connectDesk(t, stu, srv)
	stu.Show(ScreenRegister)
	rf := stu.view.(*credentialForm)
	fillCredentials(rf, "Élodie", "Côté", "elodie.cote")
	rf.email.SetText("elodie@example.ca")
	test.Tap(rf.submit)
	online(t, stu, "the student")
	syncWait(t, stu, "the school", func() bool { _, err := stu.Store.Institution(school.ID); return err == nil })
	r, err := stu.Store.RaiseRequest(stu.Actor(), ens.Raise{Type: ens.EV, School: school.ID, Student: ens.Student{
		GivenNames: "Élodie", FamilyName: "Côté", BirthDate: domain.Date{Year: 2002, Month: 5, Day: 17}, ClientID: "12345678",
		Email: "elodie@example.ca"}})
	if err != nil {
		t.Fatal(err)
	}
	online(t, stu, "the student, request sent")
	syncWait(t, dir, "the request on the DIR's desk", func() bool { _, err := dir.Store.Request(dir.Actor(), r.ID); return err == nil })
	if _, err := dir.Store.Act(dir.Actor(), r.ID, ens.Action{Function: ens.Verify, Draft: allChecksMet()}, 0); err != nil {
		t.Fatal(err)
	}
	online(t, dir, "the DIR, verification sent")
	stu.Show(ScreenStudent)
	syncWaitNudging(t, stu, "the EVN on the student's desk", func() bool {
		v, ok := stu.view.(*studentView)
		if ok {
			v.refresh()
		}
		return ok && v.permit.Visible()
	})

	test.Tap(stu.view.(*studentView).permit)
	pv := stu.view.(*permitView)
	on := domain.DateOf(r.Received)
	for field, s := range map[string]string{"passportNumber": "FR1234567", "passportCountry": "France",
		"passportExpiry": on.AddYears(4).String(), "street": "21 rue Lasalle", "city": "Sudbury", "postalCode": "P3A 6B1",
		"program": "Génie civil", "studyStart": on.AddYears(-1).String(), "studyEnd": on.AddYears(2).String()} {
		pv.entries[field].SetText(s)
	}
	pv.province.SetSelected("ON")
	pv.consent.SetChecked(true)
	pv.declare.SetChecked(true)
	pv.card.number.SetText("5555 5555 5555 4444")
	pv.card.name.SetText("Élodie Côté")
	pv.card.expiry.SetText("12/" + time.Now().AddDate(3, 0, 0).Format("2006"))
	pv.card.cvc.SetText("123")
	pv.submit(requests.PermitFee().Cents)
	if len(pv.faults) > 0 {
		t.Fatalf("faults: %v", pv.faults)
	}
	syncWaitNudging(t, stu, "the server's receipt", func() bool {
		a, err := stu.Store.Permit(stu.Actor(), r.ID)
		return err == nil && a.Status == permit.Submitted && a.Receipt != nil
	})
	stu.Show(ScreenPermit)
	if shown := texts(stu.Window.Content()); !strings.Contains(shown, "Submitted") || !strings.Contains(shown, "sandbox") ||
		!strings.Contains(shown, "4444") {
		t.Fatalf("the student's status:\n%s", shown)
	}

	officer := officerOn(t, srv, "officer.one", "Pat")
	officer.Show(ScreenOfficerPermits)
	syncWaitNudging(t, officer, "the application on the officer's desk", func() bool {
		ov := officer.view.(*officerPermitsView)
		ov.e.refresh()
		return len(ov.apps) == 1
	})
	ov := officer.view.(*officerPermitsView)
	ov.choose(0)
	ov.record(ov.apps[0].ID, permit.Approve)
	online(t, officer, "the officer, decision sent")
	if rs, _ := officer.Store.Rejections(officer.Actor()); len(rs) != 0 {
		t.Fatalf("the decision was refused: %+v", rs[0].Error)
	}

	stu.Show(ScreenStudent)
	syncWaitNudging(t, stu, "the decision in the message box", func() bool {
		v := stu.view.(*studentView)
		v.refresh()
		for _, o := range v.messages.Objects {
			if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "was approved") {
				return true
			}
		}
		return false
	})
	mail, err := srv.sv.Store().DueMail(time.Now().Add(time.Hour), 50)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range mail {
		if m.Kind == requests.MailPermitDecided && m.To == "elodie@example.ca" && m.Lang == "en" {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d letters of the decision to the student: %+v", n, mail)
	}
}
