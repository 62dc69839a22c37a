package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/translations"
)

// schedulesTab shows Schedules A to D (Appendix 5) in the reader's
// language, each to open and read, and under each the agreement of every
// person who must give it: their full name and "I agree".
func schedulesTab(v *appView) {
	e, f, a := v.e, v.form, &v.s.app
	f.note("oinp.schedules.text")
	if e.rep() {
		f.note("oinp.rep.schedules")
	}
	due := oinp.SchedulesDue(a, a.CheckDate(domain.DateOf(e.Now())))
	for _, letter := range oinp.Schedules {
		var people []int
		for _, d := range due {
			if d.Schedule == letter {
				people = append(people, d.Person)
			}
		}
		if len(people) == 0 {
			continue
		}
		item := widget.NewAccordionItem("", wrapped(""))
		acc := widget.NewAccordion(item)
		e.OnRelabel(func() {
			title, body := scheduleText(letter, e.Tr().Lang())
			item.Title = title
			item.Detail.(*widget.Label).SetText(body)
			acc.Refresh()
		})
		f.box.Add(widget.NewSeparator())
		f.box.Add(acc)
		for _, person := range people {
			v.agreement(letter, person)
		}
	}
}

// agreement is one person's agreement to a schedule: the name they type
// and the box they tick; ticking records the day.
func (v *appView) agreement(letter string, person int) {
	e, f, a := v.e, v.form, &v.s.app
	field := oinp.AgreementField(letter, person)
	find := func() int {
		return slices.IndexFunc(a.Agreements, func(x oinp.Agreement) bool { return x.Schedule == letter && x.Person == person })
	}
	name := newEntry()
	agree := widget.NewCheck("", nil)
	if i := find(); i >= 0 {
		name.SetText(a.Agreements[i].Name)
		agree.Checked = !a.Agreements[i].Agreed.IsZero()
	}
	// A name typed without the box ticked is kept too, not yet agreed
	// (no day): it comes back on the tab, and the file still lacks the
	// agreement.
	update := func() {
		v.s.touch(e)
		i, typed := find(), strings.TrimSpace(name.Text)
		switch {
		case i < 0 && (agree.Checked || typed != ""):
			x := oinp.Agreement{Schedule: letter, Person: person, Name: typed}
			if agree.Checked {
				x.Agreed = domain.DateOf(e.Now())
			}
			a.Agreements = append(a.Agreements, x)
		case i < 0:
		case !agree.Checked && typed == "":
			a.Agreements = slices.Delete(a.Agreements, i, i+1)
		default:
			x := &a.Agreements[i]
			x.Name = typed
			if !agree.Checked {
				x.Agreed = domain.Date{}
			} else if x.Agreed.IsZero() {
				x.Agreed = domain.DateOf(e.Now())
			}
		}
	}
	e.keptByWorkingCopy(name, agree)
	name.OnChanged = func(string) { update() }
	agree.OnChanged = func(bool) { update() }
	lbl := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	lbl.Wrapping = fyne.TextWrapWord
	e.OnRelabel(func() {
		who := oinp.PersonName(a, person)
		lbl.SetText(e.T("oinp.schedules.who", who, letter))
		name.SetPlaceHolder(e.T("oinp.schedules.name"))
		agree.Text = e.T("oinp.schedules.agree", letter)
		agree.Refresh()
	})
	errLbl := errorLabel()
	f.errs[field] = errLbl
	f.focus[field] = name
	f.set[field] = func(s string) {
		name.SetText(s)
		agree.SetChecked(true)
	}
	if e.rep() {
		name.Disable() // each person agrees from their own account
		agree.Disable()
	}
	f.box.Add(container.NewVBox(lbl, name, agree, errLbl))
}

// scheduleText is a schedule's title and text in a language (the files of
// assets/oinp/schedules, from the guide's Appendix 5).
func scheduleText(letter string, lang translations.Lang) (title, body string) {
	code := "en"
	if lang == translations.French {
		code = "fr"
	}
	b, err := assets.Schedules.ReadFile("oinp/schedules/" + letter + "." + code + ".txt")
	if err != nil {
		return letter, ""
	}
	title, body, _ = strings.Cut(strings.TrimSpace(string(b)), "\n")
	return title, strings.TrimSpace(body)
}
