package ui

import (
	"errors"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/store/demo"
)

// TestDelinkEndsTheSessionOnTheOtherDesk: the DIR works at their desk
// and signs in on a laptop too; three wrong passwords on the laptop's
// sign-in screen de-link the enrolment there and tell the server at
// once. The DIR's desk, signed in, is refused at its next sync: its
// session ends, and the sign-in screen says to enrol again with a new
// PIN, which is refused there as well. Enrolling there with the new PIN
// from the program (online) brings back the same account.
func TestDelinkEndsTheSessionOnTheOtherDesk(t *testing.T) {
	srv := startSyncServer(t)
	school, pin := srv.school(t)
	desk := enrolDIR(t, srv, pin, "Dominique", "Roy", "dir.roy")
	dirID := desk.Account.ID

	laptop := freshDesk(t)
	connectDesk(t, laptop, srv)
	laptop.Show(ScreenSignIn)
	signInAs(t, laptop, "dir.roy", "a long password 1")
	if laptop.Session == nil || laptop.Account.ID != dirID {
		t.Fatalf("the laptop's sign-in: %v", laptop.Account.ID)
	}
	laptop.LogOut()
	for range 3 {
		signInAs(t, laptop, "dir.roy", "a wrong password 1")
	}
	if s := laptop.view.(*signIn); !strings.Contains(s.form.general.Text, "new PIN") {
		t.Fatalf("the laptop after three wrong passwords: %q", s.form.general.Text)
	}
	if _, err := srv.sv.SignIn("dir.roy", "a long password 1", domain.ID{}, "", ""); !errors.Is(err, account.ErrDelinked) {
		t.Fatalf("the server after the laptop's de-link: %v", err)
	}

	desk.SyncNow()
	syncWait(t, desk, "the desk's session to end", func() bool { return desk.Session == nil })
	s, ok := desk.view.(*signIn)
	if !ok || !s.notice.Visible() || !strings.Contains(s.notice.Text, "new PIN") {
		t.Fatalf("the desk after the de-link: %T", desk.view)
	}
	signInAs(t, desk, "dir.roy", "a long password 1")
	if desk.Session != nil || !strings.Contains(s.form.general.Text, "de-linked") {
		t.Fatalf("the desk signed in a de-linked DIR: %q", desk.view.(*signIn).form.general.Text)
	}

	// A new PIN from the program: the same DIR, enrolled again online.
	newPIN, _, err := srv.sv.IssueDIRPIN(school.ID, "", "")
	if err != nil {
		t.Fatal(err)
	}
	desk.Show(ScreenEnrol)
	f := desk.view.(*credentialForm)
	f.pin.SetText(newPIN)
	fillCredentials(f, "Dominique", "Roy", "dir.roy")
	test.Tap(f.submit)
	if desk.Session == nil || desk.Account.ID != dirID {
		t.Fatalf("enrolled again as %v (was %v): %q", desk.Account.ID, dirID, f.form.general.Text)
	}
	online(t, desk, "the DIR enrolled again")
}

// TestDIRSeesASignatoryDelinked: the DIR's list of signatories says which
// enrolment three failed sign-ins de-linked, and that it needs a new PIN.
func TestDIRSeesASignatoryDelinked(t *testing.T) {
	e, _, _ := desk(t, 0)
	for range 3 {
		signInAs(t, e, "sig1.beaulieu", "not the password")
	}
	signInAs(t, e, "dir.beaulieu", demo.Password)
	e.Show(ScreenPINs)
	v := e.view.(*pinsView)
	var lines []string
	for _, o := range v.staff.Objects {
		if c, ok := o.(*fyne.Container); ok {
			o = c.Objects[0]
		}
		if l, ok := o.(*widget.Label); ok {
			lines = append(lines, l.Text)
		}
	}
	n := 0
	for _, l := range lines {
		if strings.Contains(l, "de-linked on") && strings.Contains(l, "new PIN") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("de-linked lines: %d in %q", n, lines)
	}
}
