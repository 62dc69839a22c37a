package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"dossier/domain"
	"dossier/sync"
)

// showAuditHistory reads a person's audit history from the server (the
// program's record: a desk holds only its own trail) and lists it: when,
// who in what role, what was done. The entries hold IDs and codes only.
func showAuditHistory(e *Env, person domain.ID) {
	e.Touch()
	if e.Sync == nil {
		noticeDialog(e, e.T("officer.audit"), e.T("officer.audit.offline"))
		return
	}
	var entries []sync.AuditEntry
	var err error
	e.Async(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		entries, err = e.Sync.AuditOf(ctx, person)
	}, func() {
		e.lastAudit = entries
		if err != nil {
			noticeDialog(e, e.T("officer.audit"), e.Tr().Error(err))
			return
		}
		list := container.NewVBox()
		if len(entries) == 0 {
			list.Add(wrapped(e.T("officer.audit.none")))
		}
		for _, a := range entries {
			who := e.T("officer.audit.them")
			if a.Actor != person {
				who = e.T("officer.audit.other")
			}
			list.Add(wrapped(e.T("officer.audit.line", e.Tr().DateTime(a.At), who, a.Role, a.Action, a.Detail)))
		}
		scroll := container.NewVScroll(list)
		scroll.SetMinSize(fyne.NewSize(640, 420))
		newPlainDialog(e, e.T("officer.audit"), container.NewBorder(wrapped(e.T("officer.audit.intro")), nil, nil, nil, scroll)).Show()
	})
}
