package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain/account"
)

// formChoice is the choice of the form a person's role is written in, in
// French (account.Form): the neutral (épicène) wording, the feminine or
// the masculine. Registration and enrolment ask it; the sync screen, the
// person's own account settings, changes it.
type formChoice struct {
	radio *widget.RadioGroup
}

func newFormChoice(e *Env, current account.Form) *formChoice {
	c := &formChoice{radio: widget.NewRadioGroup(nil, nil)}
	c.radio.Horizontal = true
	at := 0
	for i, f := range account.Forms {
		if f == current {
			at = i
		}
	}
	e.OnRelabel(func() {
		if i := radioIndex(c.radio); i >= 0 {
			at = i
		}
		opts := make([]string, len(account.Forms))
		for i, f := range account.Forms {
			opts[i] = e.T(f.MessageKey())
		}
		c.radio.Options = opts
		c.radio.Selected = opts[at]
		c.radio.Refresh()
	})
	return c
}

// Form is the form chosen; neutral when there is no choice.
func (c *formChoice) Form() account.Form {
	if c == nil {
		return account.FormNeutral
	}
	if i := radioIndex(c.radio); i >= 0 {
		return account.Forms[i]
	}
	return account.FormNeutral
}

// roleFormBox is the person's own setting of their role's form: the
// choice, a word on what it does, and Save. Saving sends the change to
// the server (account.form) like any other, and the top bar shows the
// role in the new form at once.
type roleFormBox struct {
	choice *formChoice
	save   *widget.Button
	status *widget.Label
	box    fyne.CanvasObject
}

func newRoleFormBox(e *Env) *roleFormBox {
	b := &roleFormBox{choice: newFormChoice(e, e.Account.Form), status: widget.NewLabel("")}
	// A setting saved by its own button at once, not a form left half done.
	e.notKept(b.choice.radio)
	hint := wrapped("")
	b.save = widget.NewButton("", func() {
		e.Touch()
		a, err := e.Store.UpdateForm(e.Actor(), b.choice.Form())
		if err != nil {
			b.status.SetText(e.Tr().Error(err))
			return
		}
		e.Account = a
		e.SetLang(e.Tr().Lang()) // every word on show, the top bar's role included
		b.status.SetText(e.T("account.form.saved"))
		if e.Sync != nil {
			e.Sync.Nudge()
		}
	})
	e.OnRelabel(func() {
		hint.SetText(e.T("account.form.hint"))
		b.save.SetText(e.T("account.form.save"))
	})
	b.box = container.NewVBox(heading(e, "account.form"), hint, b.choice.radio, container.NewHBox(b.save, b.status))
	return b
}
