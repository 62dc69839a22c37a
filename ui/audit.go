package ui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/ens"
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
	var earlier int
	var err error
	e.Async(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		entries, earlier, err = e.Sync.AuditOf(ctx, person)
	}, func() {
		e.lastAudit = entries
		if err != nil {
			noticeDialog(e, e.T("officer.audit"), e.Tr().Error(err))
			return
		}
		auditHistoryDialog(e, person, entries, earlier).Show()
	})
}

// auditHistoryDialog lists a person's audit entries, oldest first, and
// says how many earlier ones the server left out (it answers the newest
// only: store.MaxAuditAnswer).
func auditHistoryDialog(e *Env, person domain.ID, entries []sync.AuditEntry, earlier int) *keyDialog {
	list := container.NewVBox()
	if len(entries) == 0 {
		list.Add(wrapped(e.T("officer.audit.none")))
	}
	if earlier > 0 {
		list.Add(wrapped(e.T("officer.audit.earlier", len(entries), earlier)))
	}
	for _, a := range entries {
		who := e.T("officer.audit.them")
		if a.Actor != person {
			who = e.T("officer.audit.other")
		}
		list.Add(wrapped(e.T("officer.audit.line", e.Tr().DateTime(a.At), who, auditRole(e, a.Role), auditAction(e, a.Action),
			auditDetail(e, a.Detail))))
	}
	scroll := container.NewVScroll(list)
	scroll.SetMinSize(fyne.NewSize(640, 420))
	return newPlainDialog(e, e.T("officer.audit"), container.NewBorder(wrapped(e.T("officer.audit.intro")), nil, nil, nil, scroll))
}

// auditAction words an audit entry's action (store/auditactions.go says
// what they can be); one nobody foresaw shows as recorded.
func auditAction(e *Env, action string) string {
	tr := e.Tr()
	if k := "audit.action." + action; tr.Has(k) {
		return e.T(k)
	}
	if kind, ok := strings.CutPrefix(action, "refused.sync."); ok {
		return e.T("audit.refused.command", auditAction(e, kind))
	}
	if kind, ok := strings.CutPrefix(action, "sync."); ok {
		if k := "audit.action." + kind; tr.Has(k) {
			return e.T(k)
		}
	}
	if what, ok := strings.CutPrefix(action, "refused."); ok {
		if k := "audit.refused." + what; tr.Has(k) {
			return e.T(k)
		}
	}
	if code, ok := strings.CutPrefix(action, "ens."); ok {
		if f, err := ens.ParseFunction(code); err == nil {
			return e.T("audit.action.ens.function", e.T(f.MessageKey()))
		}
	}
	return action
}

// auditRole words the role an entry was recorded under.
func auditRole(e *Env, role string) string {
	if r, err := account.ParseRole(role); err == nil {
		return e.T(r.MessageKey())
	}
	return role
}

// auditDetail words what the trail keeps beside an action where it can:
// a request's move from one status to another, a role. Counts, codes and
// kinds of document show as recorded.
func auditDetail(e *Env, detail string) string {
	if from, to, ok := strings.Cut(detail, "→"); ok {
		a, errA := ens.ParseStatus(from)
		b, errB := ens.ParseStatus(to)
		if errA == nil && errB == nil {
			return e.T(a.MessageKey()) + " → " + e.T(b.MessageKey())
		}
	}
	if r, err := account.ParseRole(detail); err == nil {
		return e.T(r.MessageKey())
	}
	return detail
}
