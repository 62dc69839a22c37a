package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/sync/client"
)

// questionDialog is the security question the server asks for a sign-in
// to the server made after the person signed in here (the server came
// back after an offline sign-in; a new server on the sync screen): they
// answer it in a dialog over what they were doing.
type questionDialog struct {
	d        *keyDialog
	text     *widget.Label
	answer   *Entry
	answered bool // sent or dismissed
}

// askQuestion is the sync client's Answerer for the sign-ins it makes in
// the background. It waits for the person (or ctx); a dismissed dialog
// fails the sign-in with client.ErrQuestionNeeded, which the sync status
// then shows.
func (e *Env) askQuestion(ctx context.Context, question string) (string, error) {
	got := make(chan string, 1)
	e.post(func() {
		e.showQuestionDialog(question, func(answer string, ok bool) {
			if ok {
				got <- answer
			} else {
				close(got)
			}
		})
	})
	select {
	case a, ok := <-got:
		if !ok {
			return "", domain.Errorf(client.ErrQuestionNeeded)
		}
		return a, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// showQuestionDialog shows question and calls then once: with the answer,
// or with ok false when the person cancels.
func (e *Env) showQuestionDialog(question string, then func(answer string, ok bool)) {
	help := widget.NewLabel(e.T("signin.question.server"))
	help.Wrapping = fyne.TextWrapWord
	answer := newDialogEntry(e, false)
	q := &questionDialog{text: widget.NewLabelWithStyle(question, fyne.TextAlignLeading, fyne.TextStyle{Italic: true}),
		answer: &answer.Entry}
	q.text.Wrapping = fyne.TextWrapWord
	done := func(ok bool) {
		if !q.answered {
			q.answered = true
			then(q.answer.Text, ok)
		}
	}
	content := container.NewVBox(help, q.text, widget.NewLabel(e.T("signin.answer")), q.answer)
	q.d = newKeyDialog(e, dialogSpec{Title: e.T("signin.question.title"), Content: content, Text: []string{help.Text, question},
		Width: 520, OK: e.T("signin.answer.submit"), OnOK: func() error { done(true); return nil },
		OnCancel: func() { done(false) }})
	q.answer.OnSubmitted = func(string) { q.d.Confirm() }
	e.question = q
	q.d.Show()
	e.Window.Canvas().Focus(q.answer)
}
