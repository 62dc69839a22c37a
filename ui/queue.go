package ui

import (
	"maps"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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

// queueColumn is one column of the queue table.
type queueColumn struct {
	title string              // catalog key
	sort  requests.SortColumn // "" for the selection column
	width float32
}

var queueColumns = []queueColumn{
	{"", "", 36},
	{"queue.col.type", requests.SortType, 50},
	{"queue.col.status", requests.SortStatus, 172},
	{"queue.col.name", requests.SortName, 175},
	{"queue.col.birth", requests.SortBirth, 98},
	{"queue.col.client", requests.SortClientID, 115},
	{"queue.col.studentno", requests.SortStudentNo, 105},
	{"queue.col.evn", requests.SortEVN, 118},
	{"queue.col.received", requests.SortReceived, 92},
	{"queue.col.expires", requests.SortExpires, 92},
	{"queue.col.assignee", requests.SortAssignee, 168},
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

	table                           *widget.Table
	search                          *widget.Entry
	typeSel, statusSel, assigneeSel *widget.Select
	expiring                        *widget.Check
	count, fault                    *widget.Label
	bulkSave, bulkAssign, pins      *widget.Button
	compliance                      *widget.Button
	print                           *widget.Button
	faultErr                        error
	// loaded counts the reloads that have shown their rows.
	loaded int
}

// Queue is the school's DIR queue.
func Queue(e *Env) fyne.CanvasObject { return newQueueView(e).content() }

func newQueueView(e *Env) *queueView {
	q := &queueView{env: e, pages: map[int][]ens.Request{}, selected: map[domain.ID]bool{},
		refused: map[domain.ID]error{}, bulkRefused: map[domain.ID]error{},
		filter: requests.QueueFilter{School: e.Account.Org, Sort: requests.SortReceived}}
	q.staff, _ = e.Store.Staff(e.Actor(), e.Account.Org)
	q.search = widget.NewEntry()
	q.search.OnChanged = func(string) { e.Touch(); q.filterChanged() }
	q.typeSel = widget.NewSelect(nil, func(string) { q.filterChanged() })
	choosePlaceholder(e, q.typeSel)
	q.statusSel = widget.NewSelect(nil, func(string) { q.filterChanged() })
	choosePlaceholder(e, q.statusSel)
	q.assigneeSel = widget.NewSelect(nil, func(string) { q.filterChanged() })
	choosePlaceholder(e, q.assigneeSel)
	q.expiring = widget.NewCheck("", func(bool) { q.filterChanged() })
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
	q.table = widget.NewTableWithHeaders(q.size, q.newCell, q.updateCell)
	q.table.ShowHeaderColumn = false
	q.table.CreateHeader = func() fyne.CanvasObject { return widget.NewButton("", nil) }
	q.table.UpdateHeader = q.updateHeader
	q.table.OnSelected = q.open
	for i, c := range queueColumns {
		q.table.SetColumnWidth(i, c.width)
	}
	e.OnRelabel(q.relabel)
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
	return container.NewBorder(container.NewPadded(top), nil, nil, nil, q.table)
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
	q.reload()
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
		q.refused, q.refusedNames = refused, names
		q.showRefusals()
		q.pages = map[int][]ens.Request{}
		q.table.Refresh()
		if top {
			q.table.ScrollToTop()
		}
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

func (q *queueView) newCell() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return container.NewStack(widget.NewCheck("", nil), l)
}

func (q *queueView) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	stack := o.(*fyne.Container)
	check, label := stack.Objects[0].(*widget.Check), stack.Objects[1].(*widget.Label)
	r, ok := q.row(id.Row)
	if id.Col == 0 {
		label.Hide()
		check.Show()
		check.OnChanged = nil
		check.SetChecked(ok && q.selected[r.ID])
		check.OnChanged = func(on bool) {
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
		label.SetText("")
		return
	}
	label.SetText(q.cellText(&r, id.Col))
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
	b := o.(*widget.Button)
	c := queueColumns[id.Col]
	b.Importance = widget.LowImportance
	if c.title == "" {
		b.SetText("")
		b.OnTapped = nil
		return
	}
	text := q.env.T(c.title)
	if q.filter.Sort == c.sort {
		text += map[bool]string{false: " ▲", true: " ▼"}[q.filter.Desc]
	}
	b.SetText(text)
	b.OnTapped = func() {
		q.env.Touch()
		if q.filter.Sort == c.sort {
			q.filter.Desc = !q.filter.Desc
		} else {
			q.filter.Sort, q.filter.Desc = c.sort, false
		}
		q.table.Refresh()
		q.reload()
	}
}

// open shows the request of the row tapped.
func (q *queueView) open(id widget.TableCellID) {
	q.table.UnselectAll()
	if id.Col == 0 {
		return
	}
	if r, ok := q.row(id.Row); ok {
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
	pick := widget.NewSelect(names, nil)
	choosePlaceholder(e, pick)
	dialog.NewCustomConfirm(e.T("queue.bulk.assign"), e.T("queue.assign.confirm"), e.T("shell.cancel"), pick, func(ok bool) {
		if !ok || pick.SelectedIndex() < 0 {
			return
		}
		q.bulk(ensAction(ens.Assign, q.staff[pick.SelectedIndex()].ID))
	}, e.Window).Show()
}

func (q *queueView) tellNothingSelected() {
	dialog.NewCustom(q.env.T("queue.title"), q.env.T("shell.close"), widget.NewLabel(q.env.T("queue.bulk.none")), q.env.Window).Show()
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
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	dialog.NewCustom(e.T(a.Function.MessageKey()), e.T("shell.close"), text, e.Window).Show()
}

func (q *queueView) nameOf(id domain.ID) string {
	i := slices.Index(q.ids, id)
	if r, ok := q.row(i); ok {
		return studentName(r.Student)
	}
	return id.String()
}
