package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/notice"
	"dossier/translations"
)

// Maintenance notices: the banner every screen shows from notice.Lead
// before a window until its end, and the program officer's screen that
// schedules and withdraws them.

// noticeBanner is the strip under the top bar that announces the
// notices shown now, each with Hide.
type noticeBanner struct {
	content *fyne.Container
	// shown are the notices on show, with their phases, for tests.
	shown []shownNotice
	hide  map[domain.ID]*widget.Button
	text  map[domain.ID]*widget.Label
	sig   string
}

type shownNotice struct {
	notice.Notice
	phase notice.Phase
}

func newNoticeBanner(e *Env) *noticeBanner {
	b := &noticeBanner{content: container.NewVBox()}
	b.content.Hide()
	e.loadNotices()
	e.OnRelabel(func() { b.sig = ""; b.update(e) })
	return b
}

// loadNotices reads the notices the profile holds.
func (e *Env) loadNotices() {
	e.notices = nil
	if e.Store.Engine() == nil {
		return
	}
	if all, err := e.Store.Notices(); err == nil {
		e.notices = all
	}
}

// tickNotices runs each second (StartIdleWatch): the banner follows the
// clock, and a desk on its sign-in screen asks the server for its
// notices every ten minutes (a signed-in desk has them by the feed).
func (e *Env) tickNotices() {
	e.noticeTicks++
	if e.noticeTicks%600 == 0 && e.Session == nil && e.screen.ID == ScreenSignIn.ID {
		e.fetchNotices()
	}
	e.CheckNotices()
}

// CheckNotices shows the notices due at the desk's clock: it runs each
// second (tickNotices) and when the server's news has been written.
func (e *Env) CheckNotices() {
	if e.noticeBar != nil {
		e.noticeBar.update(e)
	}
}

// hiddenKey names, in the preferences, the notices a person hid: per
// person (nobody, on the sign-in screen), per notice and per phase, so
// that a notice hidden while announced shows again when its window
// starts.
func hiddenKey(e *Env) string {
	if e.Session == nil {
		return "notices.hidden.nobody"
	}
	return "notices.hidden." + e.Account.ID.String()
}

func hiddenEntry(n notice.Notice, p notice.Phase) string { return fmt.Sprintf("%s/%d", n.ID, p) }

func (b *noticeBanner) update(e *Env) {
	now := e.Now()
	hidden := e.App.Preferences().StringList(hiddenKey(e))
	var shown []shownNotice
	var sig strings.Builder
	for _, n := range notice.Shown(e.notices, now) {
		p := n.PhaseAt(now)
		if slices.Contains(hidden, hiddenEntry(n, p)) {
			continue
		}
		shown = append(shown, shownNotice{n, p})
		fmt.Fprintf(&sig, "%s/%d/%d;", n.ID, p, n.Version)
	}
	if sig.String() == b.sig && b.sig != "" {
		return
	}
	b.sig, b.shown = sig.String(), shown
	b.hide, b.text = map[domain.ID]*widget.Button{}, map[domain.ID]*widget.Label{}
	b.content.RemoveAll()
	for _, s := range shown {
		text := wrapped(noticeText(e, s.Notice, s.phase))
		text.Importance = widget.WarningImportance
		hide := widget.NewButton(e.T("notices.banner.hide"), func() {
			e.Touch()
			key := hiddenKey(e)
			list := append(e.App.Preferences().StringList(key), hiddenEntry(s.Notice, s.phase))
			if len(list) > 50 {
				list = list[len(list)-50:]
			}
			e.App.Preferences().SetStringList(key, list)
			b.update(e)
		})
		hide.Importance = widget.WarningImportance
		b.hide[s.ID], b.text[s.ID] = hide, text
		b.content.Add(container.NewBorder(nil, nil, nil, hide, text))
	}
	// An empty banner takes no room (not even the padding of its place).
	if len(shown) == 0 {
		b.content.Hide()
	} else {
		b.content.Show()
	}
	b.content.Refresh()
}

// noticeText is the banner's words for n: the window in the desk's own
// time, that work goes on, and the program's own text.
func noticeText(e *Env, n notice.Notice, p notice.Phase) string {
	from, to := e.Tr().DateTime(n.From.Local()), e.Tr().DateTime(n.To.Local())
	text := e.T("notices.banner.ahead", from, to)
	if p == notice.During {
		text = e.T("notices.banner.during", to)
	}
	return text + " " + n.Text(e.Tr().Lang() == translations.French)
}

// inMaintenance reports whether a notice's window covers the desk's
// clock: the server is away on purpose, not unreachable.
func (e *Env) inMaintenance() (notice.Notice, bool) {
	return notice.Covering(e.notices, e.Now())
}

// fetchNotices reads, on the sign-in screen, the notices the server
// announces to anyone, and shows them.
func (e *Env) fetchNotices() {
	c := e.Sync
	if c == nil || e.Session != nil {
		return
	}
	var err error
	e.Async(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = c.FetchNotices(ctx)
	}, func() {
		if err != nil || e.Session != nil {
			return // offline: the notices held already show
		}
		e.loadNotices()
		e.CheckNotices()
	})
}

// ScreenNotices is the program officer's maintenance notices: schedule
// one, list them, withdraw one before its window.
var ScreenNotices = Screen{ID: "notices", Title: "notices.title", Help: "help.notices"}

// noticesView holds the screen's widgets, for tests.
type noticesView struct {
	e                *Env
	from, to, en, fr *Entry
	form             *labelled
	schedule         *widget.Button
	withdraw         map[domain.ID]*widget.Button
	lines            map[domain.ID]*widget.Label
	drafts           *DraftForm
}

// NoticesScreen builds the officer's notices screen.
func NoticesScreen(e *Env) fyne.CanvasObject {
	v := &noticesView{e: e, from: newEntry(), to: newEntry(), en: newMultiLineEntry(),
		fr: newMultiLineEntry(), withdraw: map[domain.ID]*widget.Button{}, lines: map[domain.ID]*widget.Label{}}
	e.view = v
	v.en.SetMinRowsVisible(2)
	v.fr.SetMinRowsVisible(2)
	v.en.Wrapping, v.fr.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
	v.drafts = e.Draft("notices", "")
	v.drafts.Entry("from", v.from)
	v.drafts.Entry("to", v.to)
	v.drafts.Entry("en", v.en)
	v.drafts.Entry("fr", v.fr)
	for _, w := range []*Entry{v.from, v.to, v.en, v.fr} {
		w.OnChanged = func(string) { e.Touch() }
	}
	e.focusOnShow = v.from
	v.form = newLabelled(e)
	v.form.add("notices.from", "from", v.from)
	v.form.add("notices.to", "to", v.to)
	v.form.add("notices.en", "en", v.en)
	v.form.add("notices.fr", "fr", v.fr)
	v.schedule = widget.NewButton("", v.submit)
	v.schedule.Importance = widget.HighImportance
	back := widget.NewButton("", func() { e.Show(ScreenOfficerFiles) })
	help := wrapped("")
	e.OnRelabel(func() {
		v.schedule.SetText(e.T("notices.schedule"))
		back.SetText(e.T("officer.files.title"))
		v.from.SetPlaceHolder(e.T("notices.time.placeholder"))
		v.to.SetPlaceHolder(e.T("notices.time.placeholder"))
		help.SetText(e.T("notices.intro", int(notice.Lead/time.Hour), int(notice.MaxWindow/time.Hour), notice.MaxText))
	})
	list := container.NewVBox()
	v.fillList(list)
	// The server's news (another officer's notice, a withdrawal) renews
	// the list only: what is being typed in the form stays.
	e.refresh = func() {
		list.RemoveAll()
		v.withdraw, v.lines = map[domain.ID]*widget.Button{}, map[domain.ID]*widget.Label{}
		v.fillList(list)
		list.Refresh()
	}
	top := container.NewBorder(nil, nil, nil, back, heading(e, "notices.title"))
	fields := v.form.box.Objects // from, to, English, French: two by two
	form := container.NewVBox(help, container.NewGridWithColumns(2, fields[0], fields[1]),
		container.NewGridWithColumns(2, fields[2], fields[3]), v.form.general,
		container.NewHBox(v.schedule), widget.NewSeparator(), heading(e, "notices.list"))
	return container.NewBorder(container.NewPadded(container.NewVBox(top, form)), nil, nil, nil,
		container.NewVScroll(container.NewPadded(list)))
}

// fillList lists every notice, the latest window first, with Withdraw on
// those whose windows have not started.
func (v *noticesView) fillList(list *fyne.Container) {
	e := v.e
	all, err := e.Store.Notices()
	if err != nil {
		list.Add(wrapped(e.Tr().Error(err)))
		return
	}
	if len(all) == 0 {
		list.Add(wrapped(e.T("notices.none")))
	}
	now := e.Now()
	for _, n := range all {
		line := wrapped("")
		e.OnRelabel(func() { line.SetText(v.lineText(n, now)) })
		v.lines[n.ID] = line
		if !n.Withdrawn.IsZero() || !now.Before(n.From) {
			list.Add(line)
			continue
		}
		w := widget.NewButton("", func() { v.withdrawNotice(n) })
		e.OnRelabel(func() { w.SetText(e.T("notices.withdraw")) })
		v.withdraw[n.ID] = w
		list.Add(container.NewBorder(nil, nil, nil, w, line))
	}
}

func (v *noticesView) lineText(n notice.Notice, now time.Time) string {
	e := v.e
	state := "notices.state.scheduled"
	switch {
	case !n.Withdrawn.IsZero():
		state = "notices.state.withdrawn"
	case !now.Before(n.To):
		state = "notices.state.over"
	case !now.Before(n.From):
		state = "notices.state.now"
	}
	return e.T("notices.line", e.Tr().DateTime(n.From.Local()), e.Tr().DateTime(n.To.Local()), e.T(state)) +
		"\n" + n.Text(e.Tr().Lang() == translations.French)
}

// noticeTimeLayouts are how the officer may write a time: their own.
var noticeTimeLayouts = []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15h04"}

func parseNoticeTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range noticeTimeLayouts {
		if t, err := time.ParseInLocation(l, s, time.Local); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func (v *noticesView) submit() {
	e := v.e
	e.Touch()
	// Every mistake at once, by the checks the notice's rule runs; the
	// program still decides.
	var errs []error
	from, ok := parseNoticeTime(v.from.Text)
	if !ok {
		errs = append(errs, fieldFault{"from", "notices.time.format"})
	}
	to, ok := parseNoticeTime(v.to.Text)
	if !ok {
		errs = append(errs, fieldFault{"to", "notices.time.format"})
	}
	if errs = append(errs, notice.Errors(from, to, v.en.Text, v.fr.Text, e.Now())...); len(errs) > 0 {
		v.form.setFault(errors.Join(errs...))
		return
	}
	if _, err := e.Store.ScheduleNotice(e.Actor(), from, to, v.en.Text, v.fr.Text); err != nil {
		v.form.setFault(err) // what was typed stays
		return
	}
	v.drafts.Saved()
	e.Show(ScreenNotices)
}

func (v *noticesView) withdrawNotice(n notice.Notice) {
	e := v.e
	confirmDialog(e, e.T("notices.withdraw"), e.T("notices.withdraw.confirm", e.Tr().DateTime(n.From.Local())), func() {
		if _, err := e.Store.WithdrawNotice(e.Actor(), n.ID); err != nil {
			noticeDialog(e, e.T("notices.title"), e.Tr().Error(err))
			return
		}
		e.Show(ScreenNotices)
	})
}

// covered reports whether a maintenance window covers the desk's clock.
func (e *Env) covered() bool {
	_, ok := e.inMaintenance()
	return ok
}
