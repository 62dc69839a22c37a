package main

import (
	"context"
	"testing"

	"dossier/domain/account"
	"dossier/store"
	"dossier/sync"
)

// TestAttackRoleForm: the form a person's role is written in is one of
// three, decided by the server: a change of form with any other value, or
// a sign-up carrying one, is refused; a change aimed at someone else's
// account changes only the sender's own.
func TestAttackRoleForm(t *testing.T) {
	hs := startHostile(t, defaultConnBounds)
	d, da := hs.student("eve.form")
	victim, va := hs.student("sam.form")
	if _, err := d.st.UpdateForm(da, account.FormFeminine); err != nil {
		t.Fatal(err)
	}
	cmd := lastCommand(t, d.st, store.KindUpdateForm)
	tok := hs.signInAgain("eve.form")

	bad := cmd
	reshape(t, &bad, func(p *store.FormPayload) { p.Form = "x" })
	refusedWith(t, "an unknown form", hs.pushAnswer(tok, bad), account.ErrUnknownForm)

	// Aimed at the victim's account: the server changes the sender's own.
	aimed := cmd
	aimed.Entity = va.Account
	if ans := hs.pushAnswer(tok, aimed); ans.Outcome != sync.Applied && ans.Outcome != sync.Rejected {
		t.Fatalf("aimed: %+v", ans)
	}
	if err := victim.c.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if a, err := victim.st.Account(va.Account); err != nil || a.Form != account.FormNeutral {
		t.Fatalf("the victim's form after another's change: %q %v", a.Form, err)
	}

	// A sign-up carrying an unknown form.
	up := hs.signUpCommand("mal.form")
	reshape(t, &up, func(p *sync.EnrolPayload) { p.Form = "zz" })
	refusedWith(t, "a sign-up with an unknown form", hs.registerAnswer(up), account.ErrUnknownForm)
	hs.servesTheDIR()
}
