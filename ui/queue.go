package ui

import (
	"image/color"
	"maps"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
	"dossier/report"
	"dossier/store"
	"dossier/store/programs"
	"dossier/store/requests"
	"dossier/translations"
)

// ScreenQueue is the institution's DIR queue.
var ScreenQueue = Screen{ID: "queue", Title: "queue.title", Help: "help.queue"}

// queueColumn is one column of the queue table: the columns share the
// table's width by weight, none under its minimum (queuetable.go).
type queueColumn struct {
	title       string              // catalog key
	sort        requests.SortColumn // "" for the selection column
	min, weight float32
}

// key names the column in the context kept (queuekeep.go).
func (c queueColumn) key() string {
	if c.sort == "" {
		return "select"
	}
	return string(c.sort)
}

// The minimums add up to 982 pixels with the lines between the columns:
// the whole table fits a window of 1024 in either language.
var queueColumns = []queueColumn{
	{"", "", 36, 0},
	{"queue.col.type", requests.SortType, 50, 0.45},
	{"queue.col.status", requests.SortStatus, 100, 1.6},
	{"queue.col.name", requests.SortName, 120, 1.8},
	{"queue.col.birth", requests.SortBirth, 92, 0.95},
	{"queue.col.client", requests.SortClientID, 90, 1.1},
	{"queue.col.studentno", requests.SortStudentNo, 80, 1},
	{"queue.col.evn", requests.SortEVN, 90, 1.15},
	{"queue.col.received", requests.SortReceived, 92, 0.9},
	{"queue.col.expires", requests.SortExpires, 92, 0.9},
	{"queue.col.assignee", requests.SortAssignee, 100, 1.6},
}

// queuePage is how many rows the table reads from the store at a time.
const queuePage = 50

// queueKeptPages bounds the pages held: the visible ones and a margin.
const queueKeptPages = 6

// queueView is the queue screen: filters over a virtualised table that
// pages its rows from the store as they scroll into view.
type queueView struct {
	env    *Env
	filter requests.QueueFilter

	ids      []domain.ID
	pages    map[int][]ens.Request
	loads    int // pages read from the store, for tests and the timing
	selected map[domain.ID]bool
	// refused holds, per request, why the desk's rule (a bulk action's
	// refusals, until the next one) or the server (a command it refused,
	// until the person marks it read) left it unchanged: its row says so.
	refused, bulkRefused map[domain.ID]error
	// refusedNames names the refused requests for refusals, the line
	// above the table that says each refusal in full (a row's cell is
	// too narrow for its reason).
	refusedNames map[domain.ID]string
	refusals     *widget.Label
	staff        []store.Account
	gen          int

	table *queueTable
	// widths are the columns' widths as laid out, userWidths those the
	// person set by dragging, by column key.
	widths     []float32
	userWidths map[string]float32
	// cursor is the row under the keyboard's cursor (-1: none), focused
	// whether the table has the keys; cursorText says in full what the
	// columns cut of that row.
	cursor     int
	focused    bool
	cursorText *widget.Label
	// by is the person whose queue this is; pendingTop the first row in
	// view to scroll back to once the rows show (-1: none); keepTimer
	// keeps the context when the person stops typing; left is set once
	// they left the queue.
	by         account.Actor
	pendingTop int
	keepTimer  *time.Timer
	left       bool
	// pendingCursor and pendingRequest are where the cursor goes back
	// to once the rows are read (-1: nowhere).
	pendingCursor  int
	pendingRequest domain.ID

	search                          *Entry
	typeSel, statusSel, assigneeSel *widget.Select
	expiring                        *widget.Check
	count, fault                    *widget.Label
	bulkSave, bulkAssign, pins      *widget.Button
	compliance                      *widget.Button
	print                           *widget.Button
	faultErr                        error
	// loaded counts the reloads that have shown their rows.
	loaded int
	// assignDialog asks for the colleague of a bulk Assign (tests).
	assignDialog *keyDialog
}

// Queue is the school's DIR queue.
func Queue(e *Env) fyne.CanvasObject { return newQueueView(e).content() }

func newQueueView(e *Env) *queueView {
	q := &queueView{env: e, pages: map[int][]ens.Request{}, selected: map[domain.ID]bool{},
		refused: map[domain.ID]error{}, bulkRefused: map[domain.ID]error{},
		filter: requests.QueueFilter{School: e.Account.Org, Sort: requests.SortReceived},
		cursor: -1, pendingTop: -1, pendingCursor: -1, by: e.Actor()}
	q.staff, _ = e.Store.Staff(e.Actor(), e.Account.Org)
	q.search = newEntry()
	q.search.OnChanged = func(string) { e.Touch(); q.filterChanged(); q.keepSoon() }
	// Enter in the search box goes to the rows it found.
	q.search.OnSubmitted = func(string) { e.Window.Canvas().Focus(q.table) }
	q.typeSel = widget.NewSelect(nil, func(string) { q.filterChanged(); q.keep() })
	choosePlaceholder(e, q.typeSel)
	q.statusSel = widget.NewSelect(nil, func(string) { q.filterChanged(); q.keep() })
	choosePlaceholder(e, q.statusSel)
	q.assigneeSel = widget.NewSelect(nil, func(string) { q.filterChanged(); q.keep() })
	choosePlaceholder(e, q.assigneeSel)
	q.expiring = widget.NewCheck("", func(bool) { q.filterChanged(); q.keep() })
	q.cursorText = widget.NewLabel("")
	q.cursorText.Wrapping = fyne.TextWrapWord
	q.cursorText.Hide()
	q.count = widget.NewLabel("")
	q.fault = errorLabel()
	q.refusals = widget.NewLabel("")
	q.refusals.Wrapping = fyne.TextWrapWord
	q.refusals.Importance = widget.WarningImportance
	q.refusals.Hide()
	q.bulkSave = widget.NewButton("", q.saveSelected)
	q.bulkAssign = widget.NewButton("", q.assignSelected)
	q.pins = widget.NewButton("", func() { e.Show(ScreenPINs) })
	q.compliance = widget.NewButton("", func() { e.Show(ScreenCompliance) })
	if e.Account.Role != account.DIR {
		q.pins.Hide()
	}
	// The desk starts on what is left to do.
	q.filter.Statuses = []ens.Status{ens.New, ens.InProgress, ens.AwaitingAcceptance}
	q.statusSel.Options = []string{"all", "open"}
	onStatus := q.statusSel.OnChanged
	q.statusSel.OnChanged = nil
	q.statusSel.SetSelectedIndex(1)
	q.statusSel.OnChanged = onStatus
	q.table = newQueueTable(q)
	q.table.CreateHeader = q.newHeader
	q.table.UpdateHeader = q.updateHeader
	q.table.OnSelected = func(id widget.TableCellID) { afterTap(func() { q.open(id) }) }
	q.widths = fitWidths(1000, nil)
	for i, w := range q.widths {
		q.table.SetColumnWidth(i, w)
	}
	e.OnRelabel(q.relabel)
	// The person's queue as they left it.
	q.restore()
	e.leave = q.leave
	e.search = func() { e.Window.Canvas().Focus(q.search) }
	// News from the server reloads the rows where the person is.
	e.refresh = func() { q.load(false) }
	q.reload()
	e.view = q
	return q
}

func (q *queueView) content() fyne.CanvasObject {
	e := q.env
	filters := container.NewGridWithColumns(4, q.typeSel, q.statusSel, q.assigneeSel, q.expiring)
	// Print / Save as PDF: the queue as the filter shows it now.
	q.print = printButton(e, func() (report.Document, *translations.Translator, error) {
		f := q.filter
		doc, err := report.QueueExportOf(e.Store, e.Actor(), f, report.FilterText(e.Tr(), f))
		return doc, e.Tr(), err
	})
	bulk := container.NewHBox(q.bulkSave, q.bulkAssign, q.pins, q.compliance, q.print)
	// The count shares the title's line, so that the actions have the
	// whole width (in French they do not fit beside it at 1024 pixels).
	top := container.NewVBox(container.NewBorder(nil, nil, heading(e, "queue.title"), q.count), q.search, filters,
		container.NewBorder(nil, nil, nil, bulk), q.refusals, q.fault)
	table := container.New(fitColumns{q}, q.table)
	// The filters come before the table for Tab, which they would not
	// in container.NewBorder (it puts the middle first).
	head := container.NewPadded(top)
	return container.New(layout.NewBorderLayout(head, q.cursorText, nil, nil), head, table, q.cursorText)
}

// relabel sets every word and rebuilds the choice lists in the current
// language, keeping each choice where it was.
func (q *queueView) relabel() {
	e := q.env
	q.search.SetPlaceHolder(e.T("queue.search"))
	keep := func(s *widget.Select, opts []string) {
		i := s.SelectedIndex()
		cb := s.OnChanged
		s.OnChanged = nil
		s.Options = opts
		if i < 0 {
			i = 0
		}
		s.SetSelectedIndex(i)
		s.OnChanged = cb
		s.Refresh()
	}
	types := []string{e.T("queue.type.all")}
	for _, t := range ens.Types {
		types = append(types, t.Code()+" — "+e.T(t.MessageKey()))
	}
	keep(q.typeSel, types)
	statuses := []string{e.T("queue.status.all"), e.T("queue.status.open")}
	for _, s := range ens.Statuses {
		statuses = append(statuses, e.T(s.MessageKey()))
	}
	keep(q.statusSel, statuses)
	assignees := []string{e.T("queue.assignee.any"), e.T("queue.assignee.me")}
	for _, a := range q.staff {
		assignees = append(assignees, a.GivenNames+" "+a.FamilyName)
	}
	keep(q.assigneeSel, assignees)
	q.expiring.Text = e.T("queue.expiring")
	q.expiring.Refresh()
	q.bulkSave.SetText(e.T("queue.bulk.save"))
	q.bulkAssign.SetText(e.T("queue.bulk.assign"))
	q.pins.SetText(e.T("pins.title"))
	q.compliance.SetText(e.T("compliance.title"))
	q.showCount()
	q.showFault()
	q.showRefusals()
	q.showCursorText()
	q.table.Refresh()
	if q.filter.Sort == requests.SortName && q.filter.Language != e.Tr().Lang().Tag() {
		q.reload() // names order differently in French
	}
}

// refusedNames reads the names of the refused requests; a request that
// cannot be read is named by its ID.
func refusedNames(s programs.Desk, by account.Actor, refused map[domain.ID]error) map[domain.ID]string {
	names := map[domain.ID]string{}
	for id := range refused {
		names[id] = id.String()
		if rs, err := s.Requests(by, []domain.ID{id}); err == nil && len(rs) == 1 {
			names[id] = studentName(rs[0].Student)
		}
	}
	return names
}

// maxRefusalLines is how many refusals the line above the table says in
// full; the others are counted, their rows marked.
const maxRefusalLines = 4

// showRefusals says each refusal in full above the table, in the queue's
// order, those of requests the filter hides after them.
func (q *queueView) showRefusals() {
	e := q.env
	if len(q.refused) == 0 {
		q.refusals.Hide()
		return
	}
	order := make([]domain.ID, 0, len(q.refused))
	for _, id := range q.ids {
		if q.refused[id] != nil {
			order = append(order, id)
		}
	}
	var hidden []domain.ID
	for id := range q.refused {
		if !slices.Contains(order, id) {
			hidden = append(hidden, id)
		}
	}
	slices.SortFunc(hidden, func(a, b domain.ID) int { return strings.Compare(a.String(), b.String()) })
	order = append(order, hidden...)
	shown := order
	if len(order) > maxRefusalLines {
		shown = order[:maxRefusalLines-1]
	}
	lines := make([]string, 0, len(shown)+1)
	for _, id := range shown {
		lines = append(lines, "⚠ "+e.T("queue.bulk.refused", q.refusedNames[id], e.Tr().Error(q.refused[id])))
	}
	if len(shown) < len(order) {
		lines = append(lines, e.T("queue.refused.more", len(order)-len(shown)))
	}
	q.refusals.SetText(strings.Join(lines, "\n"))
	q.refusals.Show()
}

func (q *queueView) showCount() {
	q.count.SetText(q.env.T("queue.count", len(q.ids), len(q.selected)))
}

func (q *queueView) showFault() {
	if q.faultErr == nil {
		q.fault.Hide()
		return
	}
	q.fault.SetText(q.env.Tr().Error(q.faultErr))
	q.fault.Show()
}

// filterChanged reads the filter widgets into the filter and reloads.
func (q *queueView) filterChanged() {
	q.readFilters()
	q.cursor = -1
	q.reload()
}

// readFilters reads the filter widgets into the filter.
func (q *queueView) readFilters() {
	f := &q.filter
	f.Search = strings.TrimSpace(q.search.Text)
	f.Types = nil
	if i := q.typeSel.SelectedIndex(); i > 0 {
		f.Types = []ens.Type{ens.Types[i-1]}
	}
	f.Statuses = nil
	switch i := q.statusSel.SelectedIndex(); {
	case i == 1:
		f.Statuses = []ens.Status{ens.New, ens.InProgress, ens.AwaitingAcceptance}
	case i > 1:
		f.Statuses = []ens.Status{ens.Statuses[i-2]}
	}
	f.Assignee = domain.ID{}
	switch i := q.assigneeSel.SelectedIndex(); {
	case i == 1:
		f.Assignee = q.env.Account.ID
	case i > 1:
		f.Assignee = q.staff[i-2].ID
	}
	f.ExpiringWithin = 0
	if q.expiring.Checked {
		f.ExpiringWithin = 7 * 24 * time.Hour
	}
}

// reload runs the filter off the UI goroutine: the store returns the
// ordered IDs, and the table reads rows page by page as they show.
func (q *queueView) reload() { q.load(true) }

// load runs the filter; top scrolls back to the first row (a new filter
// does, the server's news does not).
func (q *queueView) load(top bool) {
	q.gen++
	gen, f := q.gen, q.filter
	f.Language = q.env.Tr().Lang().Tag()
	q.filter.Language = f.Language
	by, s := q.env.Actor(), q.env.Store
	var ids []domain.ID
	var refused map[domain.ID]error
	names := map[domain.ID]string{}
	bulk := maps.Clone(q.bulkRefused)
	var err error
	q.env.Async(func() {
		if ids, err = s.QueueIDs(by, f); err == nil {
			refused, err = s.Refused(by)
		}
		if err == nil {
			if refused == nil {
				refused = map[domain.ID]error{}
			}
			maps.Copy(refused, bulk)
			names = refusedNames(s, by, refused)
		}
	}, func() {
		if gen != q.gen {
			return // a newer filter is on its way
		}
		q.faultErr = err
		q.showFault()
		if err != nil {
			return
		}
		q.ids = ids
		q.restoreCursor()
		q.refused, q.refusedNames = refused, names
		q.showRefusals()
		q.pages = map[int][]ens.Request{}
		q.table.Refresh()
		if top && q.pendingTop < 0 {
			q.table.ScrollToTop()
		}
		q.restoreScroll()
		q.showCount()
		q.loaded++
		if q.loaded == 1 {
			// Sorting by name needs every name; read them now, in
			// the background, so the first such sort is quick.
			go s.WarmSortKeys(by, f.School, f.Language)
		}
		if q.env.QueueShown != nil {
			q.env.QueueShown(len(q.ids))
		}
	})
}

func (q *queueView) size() (int, int) { return len(q.ids), len(queueColumns) }

// row returns the request on row i, reading its page from the store the
// first time and forgetting pages far from it.
func (q *queueView) row(i int) (ens.Request, bool) {
	if i < 0 || i >= len(q.ids) {
		return ens.Request{}, false
	}
	p := i / queuePage
	rows, ok := q.pages[p]
	if !ok {
		end := min(len(q.ids), (p+1)*queuePage)
		var err error
		rows, err = q.env.Store.Requests(q.env.Actor(), q.ids[p*queuePage:end])
		if err != nil {
			q.faultErr = err
			q.showFault()
			return ens.Request{}, false
		}
		q.loads++
		for k := range q.pages {
			if k < p-queueKeptPages/2 || k > p+queueKeptPages/2 {
				delete(q.pages, k)
			}
		}
		q.pages[p] = rows
	}
	if j := i - p*queuePage; j < len(rows) {
		return rows[j], true
	}
	return ens.Request{}, false
}

func (q *queueView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	stack := o.(*fyne.Container)
	mark, check, label := stack.Objects[0].(*canvas.Rectangle), stack.Objects[1].(*tickBox), stack.Objects[2].(*cutLabel)
	var fill color.Color = color.Transparent
	if id.Row == q.cursor {
		fill = cursorColor(q.focused)
	}
	if mark.FillColor != fill {
		mark.FillColor = fill
		mark.Refresh()
	}
	r, ok := q.row(id.Row)
	if id.Col == 0 {
		label.Hide()
		check.Show()
		check.SetChecked(ok && q.selected[r.ID])
		check.onChanged = func(on bool) {
			q.env.Touch()
			if on {
				q.selected[r.ID] = true
			} else {
				delete(q.selected, r.ID)
			}
			q.showCount()
		}
		return
	}
	check.Hide()
	label.Show()
	if !ok {
		if label.Text != "" {
			label.SetText("")
		}
		return
	}
	// Setting a text measures it again: only when it changed.
	if text := q.cellText(&r, id.Col); text != label.Text {
		label.SetText(text)
	}
}

func (q *queueView) cellText(r *ens.Request, col int) string {
	e := q.env
	switch queueColumns[col].sort {
	case requests.SortType:
		return r.Type.Code()
	case requests.SortStatus:
		if err := q.refused[r.ID]; err != nil {
			return e.T("row.refused", e.Tr().Error(err))
		}
		return e.T(r.Status.MessageKey())
	case requests.SortName:
		return studentName(r.Student)
	case requests.SortBirth:
		return r.Student.BirthDate.String()
	case requests.SortClientID:
		return r.Student.ClientID.String()
	case requests.SortStudentNo:
		return r.Student.StudentNumber
	case requests.SortEVN:
		return string(r.EVN)
	case requests.SortReceived:
		return domain.DateOf(r.Received.Local()).String()
	case requests.SortExpires:
		if r.Status.Open() && !r.Expires.IsZero() {
			if r.Lapsed(e.Now()) {
				return e.T("request.expires.today")
			}
			return domain.DateOf(r.Expires.Local()).String()
		}
	case requests.SortAssignee:
		return q.staffName(r.Assignee)
	}
	return ""
}

func (q *queueView) staffName(id domain.ID) string {
	for _, a := range q.staff {
		if a.ID == id {
			return a.GivenNames + " " + a.FamilyName
		}
	}
	return ""
}

// studentName is how the queue writes a name: family name first.
func studentName(s ens.Student) string {
	if s.GivenNames == "" {
		return s.FamilyName
	}
	return s.FamilyName + ", " + s.GivenNames
}

func (q *queueView) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	b := o.(*queueHeader)
	c := queueColumns[id.Col]
	if c.title == "" {
		b.SetText("")
		b.onTapped = nil
		return
	}
	text := q.env.T(c.title)
	if q.filter.Sort == c.sort {
		text += map[bool]string{false: " ▲", true: " ▼"}[q.filter.Desc]
	}
	b.SetText(text)
	b.onTapped = func() { q.sortBy(c.sort) }
}

// sortBy sorts the queue by a column, the other way round when it is the
// column already sorted by: a click on its title, or its digit from the
// keyboard (queueTable.TypedRune).
func (q *queueView) sortBy(col requests.SortColumn) {
	q.env.Touch()
	if q.filter.Sort == col {
		q.filter.Desc = !q.filter.Desc
	} else {
		q.filter.Sort, q.filter.Desc = col, false
	}
	q.cursor = -1
	q.table.Refresh()
	q.reload()
	q.keep()
}

// open shows the request of the row tapped.
func (q *queueView) open(id widget.TableCellID) {
	q.table.UnselectAll()
	if id.Col == 0 {
		return
	}
	q.openRow(id.Row)
}

// openRow shows the request of row i, the cursor left on it.
func (q *queueView) openRow(i int) {
	if r, ok := q.row(i); ok {
		q.cursor = i
		q.env.Show(ScreenRequest(r.ID))
	}
}

func (q *queueView) selectedIDs() []domain.ID {
	var ids []domain.ID
	for _, id := range q.ids {
		if q.selected[id] {
			ids = append(ids, id)
		}
	}
	return ids
}

// saveSelected saves every selected request as one action; the expiry
// dates do not move.
func (q *queueView) saveSelected() {
	q.bulk(ensAction(ens.Save, domain.ID{}))
}

// assignSelected hands the selected requests to a colleague.
func (q *queueView) assignSelected() {
	e := q.env
	if len(q.selected) == 0 {
		q.tellNothingSelected()
		return
	}
	var names []string
	for _, a := range q.staff {
		names = append(names, a.GivenNames+" "+a.FamilyName)
	}
	pick := assignPicker(e, names)
	q.assignDialog = showDialog(e, dialogSpec{Title: e.T("queue.bulk.assign"), Content: pick, OK: e.T("queue.assign.confirm"),
		OnOK: func() error {
			if pick.SelectedIndex() < 0 {
				return domain.Errorf(errNobodyChosen)
			}
			q.bulk(ensAction(ens.Assign, q.staff[pick.SelectedIndex()].ID))
			return nil
		}})
}

// assignPicker is the list of colleagues Assign chooses from.
func assignPicker(e *Env, names []string) *widget.Select {
	pick := widget.NewSelect(names, nil)
	pick.PlaceHolder = e.T("queue.assign.choose")
	return pick
}

// errNobodyChosen is Assign confirmed before a colleague was chosen.
var errNobodyChosen = domain.NewCode("ui.assign.nobody", domain.KindInvalid)

func (q *queueView) tellNothingSelected() {
	noticeDialog(q.env, q.env.T("queue.title"), q.env.T("queue.bulk.none"))
}

func ensAction(f ens.Function, assignee domain.ID) ens.Action {
	return ens.Action{Function: f, Assignee: assignee}
}

func (q *queueView) bulk(a ens.Action) {
	e := q.env
	ids := q.selectedIDs()
	if len(ids) == 0 {
		q.tellNothingSelected()
		return
	}
	e.Touch()
	done, refused, err := e.Store.ActMany(e.Actor(), ids, a)
	if err != nil {
		q.faultErr = err
		q.showFault()
		return
	}
	msg := e.T("queue.bulk.done", len(done))
	// The rows refused stay ticked, and say why, for the person to see
	// and act on them; the others are done.
	q.selected, q.bulkRefused = map[domain.ID]bool{}, map[domain.ID]error{}
	for _, r := range refused {
		msg += "\n" + e.T("queue.bulk.refused", q.nameOf(r.ID), e.Tr().Error(r.Err))
		q.selected[r.ID], q.bulkRefused[r.ID] = true, r.Err
	}
	q.reload()
	noticeDialog(e, e.T(a.Function.MessageKey()), msg)
}

func (q *queueView) nameOf(id domain.ID) string {
	i := slices.Index(q.ids, id)
	if r, ok := q.row(i); ok {
		return studentName(r.Student)
	}
	return id.String()
}
