package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/report"
	"dossier/store/applications"
	"dossier/translations"
)

// ScreenOfficerFiles is the program officer's processing queue: the
// submitted OINP files, filtered, searched and opened (§5, §6).
var ScreenOfficerFiles = Screen{ID: "officer-files", Title: "officer.files.title", Help: "help.officer.files"}

// fileColumn is one column of the files table: its catalog key, its
// least width and its share of the rest (ui/queuetable.go).
type fileColumn struct {
	title       string
	min, weight float32
}

// The minimums add up to 744 pixels with the lines between: the list
// fits 1024 in either language, its columns widening with the window.
var fileColumns = []fileColumn{
	{"officer.files.col.file", 125, 1.2},
	{"officer.files.col.name", 150, 1.9},
	{"officer.files.col.status", 150, 1.9},
	{"officer.files.col.submitted", 92, 0.9},
	{"officer.files.col.gta", 115, 1.6},
	{"officer.files.col.due", 92, 0.9},
}

func fileSpecs() []colSpec {
	specs := make([]colSpec, len(fileColumns))
	for i, c := range fileColumns {
		specs[i] = colSpec{c.title, c.min, c.weight}
	}
	return specs
}

// gtaChoices are the GTA filter's choices after "any": in the GTA,
// outside it, not known (no work location that reads).
var gtaChoices = []oinp.YesNo{oinp.Yes, oinp.No, oinp.Unanswered}

// officerFilesView holds the queue's widgets, for tests.
type officerFilesView struct {
	e                       *Env
	status, stream, gta     *widget.Select
	from, to, search        *Entry
	fromErr, toErr          *widget.Label
	table                   *widget.Table
	count, fault            *widget.Label
	employers, print        *widget.Button
	notices                 *widget.Button
	schools                 *widget.Button
	permits                 *widget.Button
	rows                    []applications.FileSummary
	fromDate, toDate        domain.Date
	fromFault, toFault, err error
}

// OfficerFiles is the processing queue screen.
func OfficerFiles(e *Env) fyne.CanvasObject {
	v := &officerFilesView{e: e, search: newEntry(), from: newEntry(), to: newEntry(),
		fromErr: errorLabel(), toErr: errorLabel(), count: widget.NewLabel(""), fault: errorLabel()}
	e.view = v
	changed := func(string) { e.Touch(); v.reload() }
	v.status = widget.NewSelect(nil, changed)
	choosePlaceholder(e, v.status)
	v.stream = widget.NewSelect(nil, changed)
	choosePlaceholder(e, v.stream)
	v.gta = widget.NewSelect(nil, changed)
	// The search and the filters are the queue's context, not a draft.
	e.notKept(v.search, v.from, v.to, v.status, v.stream, v.gta)
	choosePlaceholder(e, v.gta)
	v.search.OnChanged = changed
	v.from.OnChanged = changed
	v.to.OnChanged = changed
	v.employers = widget.NewButton("", func() { e.Show(ScreenEmployerQueue) })
	v.notices = widget.NewButton("", func() { e.Show(ScreenNotices) })
	v.schools = widget.NewButton("", func() { e.Show(ScreenProgram) })
	v.permits = widget.NewButton("", func() { e.Show(ScreenOfficerPermits) })
	// Print / Save as PDF: the files as the filters show them now.
	v.print = printButton(e, func() (report.Document, *translations.Translator, error) {
		return report.FilesListFrom(v.rows, report.FilesFilterText(e.Tr(), v.filter())), e.Tr(), v.err
	})
	v.table = widget.NewTableWithHeaders(func() (int, int) { return len(v.rows), len(fileColumns) },
		func() fyne.CanvasObject { return newCutLabel(e.post) }, v.updateCell)
	v.table.ShowHeaderColumn = false
	v.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*widget.Label).SetText(e.T(fileColumns[id.Col].title))
		}
	}
	v.table.OnSelected = func(id widget.TableCellID) { afterTap(func() { v.open(id.Row) }) }
	for i, w := range shareWidths(1000, fileSpecs(), nil) {
		v.table.SetColumnWidth(i, w)
	}
	e.OnRelabel(v.relabel)
	e.search = func() { e.Window.Canvas().Focus(v.search) }
	// Enter in the search box goes to the files found (the arrows move
	// there, Space opens one).
	v.search.OnSubmitted = func(string) { e.Window.Canvas().Focus(v.table) }
	e.refresh = v.reload
	v.reload()

	dates := container.NewGridWithColumns(2, labelledBox(e, "officer.files.from", v.from, v.fromErr),
		labelledBox(e, "officer.files.to", v.to, v.toErr))
	filters := container.NewGridWithColumns(3, labelledBox(e, "officer.files.status", v.status, nil),
		labelledBox(e, "officer.files.stream", v.stream, nil), labelledBox(e, "officer.files.gta", v.gta, nil))
	// The program's other rooms go on a row of their own, so that the
	// heading's row fits 1024 px in French.
	top := container.NewVBox(container.NewBorder(nil, nil, nil, v.print, heading(e, "officer.files.title")),
		container.NewHBox(v.schools, v.permits, v.employers, v.notices), v.search, filters, dates, v.count, v.fault)
	// The columns share the width; the filters come before the table
	// for Tab (container.NewBorder would put the table first).
	head := container.NewPadded(top)
	table := container.New(sharedColumns{fileSpecs(), v.table}, v.table)
	return container.New(layout.NewBorderLayout(head, nil, nil, nil), head, table)
}

// labelledBox is a widget under its bold label, with its error beneath
// when it has one.
func labelledBox(e *Env, key string, w fyne.CanvasObject, errLbl *widget.Label) fyne.CanvasObject {
	box := container.NewVBox(heading(e, key), w)
	if errLbl != nil {
		box.Add(errLbl)
	}
	return box
}

// relabel words the screen and its choices, keeping each choice.
func (v *officerFilesView) relabel() {
	e := v.e
	v.search.SetPlaceHolder(e.T("officer.files.search"))
	v.from.SetPlaceHolder(e.T("format.date.placeholder"))
	v.to.SetPlaceHolder(e.T("format.date.placeholder"))
	v.employers.SetText(e.T("officer.employers.title"))
	v.notices.SetText(e.T("notices.title"))
	v.schools.SetText(e.T("program.title"))
	v.permits.SetText(e.T("permit.officer.open"))
	statuses := []string{e.T("officer.files.any")}
	for _, s := range oinp.FileStatuses[1:] {
		statuses = append(statuses, e.T(s.MessageKey()))
	}
	keepChoice(v.status, statuses)
	keepChoice(v.stream, []string{e.T("officer.files.any"), e.T(oinp.StreamInDemandSkills.MessageKey())})
	gta := []string{e.T("officer.files.any")}
	for _, g := range gtaChoices {
		gta = append(gta, e.T(gtaKey(g)))
	}
	keepChoice(v.gta, gta)
	v.showState()
	v.table.Refresh()
}

// keepChoice gives a select new options in another language, keeping the
// choice where it was (the first when none).
func keepChoice(s *widget.Select, opts []string) {
	i := max(s.SelectedIndex(), 0)
	cb := s.OnChanged
	s.OnChanged = nil
	s.Options = opts
	s.SetSelectedIndex(i)
	s.OnChanged = cb
	s.Refresh()
}

// gtaKey words where a job is as the GTA rule sees it.
func gtaKey(g oinp.YesNo) string {
	switch g {
	case oinp.Yes:
		return "officer.files.gta.yes"
	case oinp.No:
		return "officer.files.gta.no"
	}
	return "officer.files.gta.unknown"
}

// filter reads the widgets. A date that does not read is said under its
// field and not applied; what was typed stays.
func (v *officerFilesView) filter() applications.FileFilter {
	f := applications.FileFilter{Search: strings.TrimSpace(v.search.Text)}
	if i := v.status.SelectedIndex(); i > 0 {
		f.Statuses = []oinp.FileStatus{oinp.FileStatuses[i]}
	}
	if v.stream.SelectedIndex() > 0 {
		f.Stream = oinp.StreamInDemandSkills
	}
	if i := v.gta.SelectedIndex(); i > 0 {
		f.GTA = gtaChoices[i-1]
		f.GTAUnknown = f.GTA == oinp.Unanswered
	}
	v.fromDate, v.fromFault = optionalDate("from", v.from.Text)
	v.toDate, v.toFault = optionalDate("to", v.to.Text)
	f.From, f.To = v.fromDate, v.toDate
	return f
}

// optionalDate reads a YYYY-MM-DD field; empty is no date.
func optionalDate(field, text string) (domain.Date, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return domain.Date{}, nil
	}
	return domain.ParseDate(field, text)
}

// reload reads the queue as the filters say.
func (v *officerFilesView) reload() {
	v.rows, v.err = v.e.Store.ProcessingQueue(v.e.Actor(), v.filter())
	v.showState()
	v.table.UnselectAll()
	v.table.Refresh()
}

// showState shows the count and the faults in the current language.
func (v *officerFilesView) showState() {
	e := v.e
	v.count.SetText(e.T("officer.files.count", len(v.rows)))
	for _, x := range []struct {
		l   *widget.Label
		err error
	}{{v.fromErr, v.fromFault}, {v.toErr, v.toFault}, {v.fault, v.err}} {
		if x.err == nil {
			x.l.Hide()
			continue
		}
		x.l.SetText(e.Tr().Error(x.err))
		x.l.Show()
	}
}

func (v *officerFilesView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*cutLabel)
	if id.Row < 0 || id.Row >= len(v.rows) {
		l.SetText("")
		return
	}
	l.SetText(v.cellText(&v.rows[id.Row], id.Col))
}

func (v *officerFilesView) cellText(r *applications.FileSummary, col int) string {
	e := v.e
	switch col {
	case 0:
		return string(r.FileNumber)
	case 1:
		return strings.TrimSpace(r.FamilyName + ", " + r.GivenNames)
	case 2:
		return e.T(r.Status.MessageKey())
	case 3:
		return r.Submitted.String()
	case 4:
		if r.InGTA == oinp.Yes && r.Region != "" {
			return e.T("officer.files.gta.region", r.Region)
		}
		return e.T(gtaKey(r.InGTA))
	case 5:
		if r.NextDue.IsZero() {
			return "—"
		}
		return r.NextDue.String()
	}
	return ""
}

// open shows the file of row i.
func (v *officerFilesView) open(i int) {
	if i < 0 || i >= len(v.rows) {
		return
	}
	v.e.Touch()
	v.e.Show(ScreenOfficerFile(v.rows[i].Applicant))
}
