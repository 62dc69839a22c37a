package ui

import (
	"encoding/json"
	"slices"
	"time"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/requests"
)

// The queue as each person left it: search, filters, sort, the first row
// in view and the widths they gave the columns, kept sealed in the
// profile per person (a search can be a name), and found again on Back to
// the queue, on Home and at their next sign-in.

// queueSetting is the name the queue's context is kept under.
const queueSetting = "queue"

// queueContext is what is kept. Choices are kept by what they mean, not
// by their place in a list, which depends on the language and the staff.
type queueContext struct {
	Search string `json:"search,omitempty"`
	// Type is a request type's code; "" for every type.
	Type string `json:"type,omitempty"`
	// Status is "all", "open" (what is left to do) or a status's code.
	Status string `json:"status,omitempty"`
	// Assignee is "me", a colleague's account ID, or "" for anyone.
	Assignee string `json:"assignee,omitempty"`
	Expiring bool   `json:"expiring,omitempty"`
	Sort     string `json:"sort,omitempty"`
	Desc     bool   `json:"desc,omitempty"`
	Top      int    `json:"top,omitempty"`
	// Row is the keyboard cursor's row + 1 (0: none), Request its
	// request: back on the queue, the cursor is on that request, or on
	// the row that took its place (a request verified leaves the open
	// ones).
	Row     int                `json:"row,omitempty"`
	Request string             `json:"request,omitempty"`
	Widths  map[string]float32 `json:"widths,omitempty"`
}

// keepDelay is how long the queue waits after the last key typed in the
// search before keeping it: leaving the queue keeps it at once.
const keepDelay = 600 * time.Millisecond

// context reads the queue's context from its widgets.
func (q *queueView) context() queueContext {
	c := queueContext{Search: q.search.Text, Expiring: q.expiring.Checked, Sort: string(q.filter.Sort),
		Desc: q.filter.Desc, Status: "all", Widths: q.userWidths}
	if i := q.typeSel.SelectedIndex(); i > 0 {
		c.Type = ens.Types[i-1].Code()
	}
	switch i := q.statusSel.SelectedIndex(); {
	case i == 1:
		c.Status = "open"
	case i > 1:
		c.Status = ens.Statuses[i-2].Code()
	}
	switch i := q.assigneeSel.SelectedIndex(); {
	case i == 1:
		c.Assignee = "me"
	case i > 1:
		c.Assignee = q.staff[i-2].ID.String()
	}
	c.Top = q.topRow()
	if r, ok := q.row(q.cursor); ok {
		c.Row, c.Request = q.cursor+1, r.ID.String()
	}
	if q.pendingTop >= 0 {
		c.Top = q.pendingTop // not scrolled there yet
	}
	return c
}

// keep writes the queue's context for the person at once.
func (q *queueView) keep() {
	if q.keepTimer != nil {
		q.keepTimer.Stop()
		q.keepTimer = nil
	}
	if q.by.Account.IsZero() || q.env.Store.Engine() == nil {
		return
	}
	b, err := json.Marshal(q.context())
	if err != nil {
		return
	}
	// A context not kept costs the person their place, nothing else:
	// the queue goes on without it.
	_ = q.env.Store.SavePersonal(q.by, queueSetting, b)
}

// keepSoon keeps the context once the person stops typing.
func (q *queueView) keepSoon() {
	if q.keepTimer != nil {
		q.keepTimer.Stop()
	}
	q.keepTimer = time.AfterFunc(keepDelay, func() {
		q.env.post(func() {
			if !q.left {
				q.keep()
			}
		})
	})
}

// restoreCursor puts the cursor back on its request, or on the row
// that took its place, once the rows are read.
func (q *queueView) restoreCursor() {
	if q.pendingCursor < 0 {
		return
	}
	i := slices.Index(q.ids, q.pendingRequest)
	if i < 0 {
		i = min(q.pendingCursor, len(q.ids)-1)
	}
	q.cursor, q.pendingCursor = i, -1
}

// leave keeps the context as the person leaves the queue.
func (q *queueView) leave() {
	q.keep()
	q.left = true
}

// restore puts back the person's context, before the first load.
func (q *queueView) restore() {
	b, err := q.env.Store.Personal(q.by, queueSetting)
	if err != nil || b == nil {
		return
	}
	var c queueContext
	if json.Unmarshal(b, &c) != nil {
		return
	}
	set := func(f func()) {
		cbs := []func(string){q.typeSel.OnChanged, q.statusSel.OnChanged, q.assigneeSel.OnChanged}
		onSearch, onCheck := q.search.OnChanged, q.expiring.OnChanged
		q.typeSel.OnChanged, q.statusSel.OnChanged, q.assigneeSel.OnChanged = nil, nil, nil
		q.search.OnChanged, q.expiring.OnChanged = nil, nil
		f()
		q.typeSel.OnChanged, q.statusSel.OnChanged, q.assigneeSel.OnChanged = cbs[0], cbs[1], cbs[2]
		q.search.OnChanged, q.expiring.OnChanged = onSearch, onCheck
	}
	set(func() {
		q.search.SetText(c.Search)
		q.typeSel.SetSelectedIndex(0)
		if i := slices.IndexFunc(ens.Types, func(t ens.Type) bool { return t.Code() == c.Type }); i >= 0 {
			q.typeSel.SetSelectedIndex(i + 1)
		}
		switch c.Status {
		case "all":
			q.statusSel.SetSelectedIndex(0)
		case "open", "":
			q.statusSel.SetSelectedIndex(1)
		default:
			if i := slices.IndexFunc(ens.Statuses, func(s ens.Status) bool { return s.Code() == c.Status }); i >= 0 {
				q.statusSel.SetSelectedIndex(i + 2)
			}
		}
		q.assigneeSel.SetSelectedIndex(0)
		switch {
		case c.Assignee == "me":
			q.assigneeSel.SetSelectedIndex(1)
		case c.Assignee != "":
			if id, err := domain.ParseID(c.Assignee); err == nil {
				if i := slices.IndexFunc(q.staff, func(a store.Account) bool { return a.ID == id }); i >= 0 {
					q.assigneeSel.SetSelectedIndex(i + 2)
				}
			}
		}
		q.expiring.SetChecked(c.Expiring)
	})
	q.readFilters()
	if s := requests.SortColumn(c.Sort); slices.Contains(requests.SortColumns, s) {
		q.filter.Sort, q.filter.Desc = s, c.Desc
	}
	q.pendingTop = max(c.Top, 0)
	if c.Row > 0 {
		q.pendingCursor = c.Row - 1
		q.pendingRequest, _ = domain.ParseID(c.Request)
		// The keys go on where they left off.
		q.env.focusOnShow = q.table
	}
	q.userWidths = map[string]float32{}
	for k, w := range c.Widths {
		if slices.ContainsFunc(queueColumns, func(col queueColumn) bool { return col.key() == k }) && w > 0 && w < 2000 {
			q.userWidths[k] = w
		}
	}
}
