package ui

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"dossier/domain"
	"dossier/domain/ens"
	"dossier/store"
	"dossier/store/applications"
	"dossier/sync"
	"dossier/sync/client"
)

// ScreenSync is the link to the server: its address and certificate, the
// state of the sync, and what the server refused or merged.
var ScreenSync = Screen{ID: "sync", Title: "sync.title", Help: "help.sync"}

// connectTimeout bounds the first contact with a server.
const connectTimeout = 30 * time.Second

// syncView holds the sync screen's widgets, for tests.
type syncView struct {
	env                      *Env
	status, link             *widget.Label
	server, fingerprint, pwd *Entry
	form                     *labelled
	connect, now, change     *widget.Button
	formBox                  *fyne.Container
	// changing is set once the person asked to change the settings.
	changing              bool
	rejections, conflicts *fyne.Container
	// rejected and conflicting are the rows on show, for tests.
	rejected    []store.Rejection
	conflicting []store.ConflictRecord
	// shown is the fingerprint on show in the confirmation (in blocks),
	// for tests.
	shown *widget.Label
	// roleForm is the person's choice of their role's form in French.
	roleForm *roleFormBox
}

// SyncScreen shows and changes the profile's link to its server.
func SyncScreen(e *Env) fyne.CanvasObject { return newSyncView(e).content() }

func newSyncView(e *Env) *syncView {
	v := &syncView{env: e, status: widget.NewLabel(""), link: widget.NewLabel(""),
		server: newEntry(), fingerprint: newEntry(), pwd: newPasswordEntry(),
		form: newLabelled(e), rejections: container.NewVBox(), conflicts: container.NewVBox()}
	v.status.Wrapping = fyne.TextWrapWord
	v.link.Wrapping = fyne.TextWrapWord
	if st, err := e.Store.SyncState(); err == nil {
		v.server.SetText(st.Server)
		v.fingerprint.SetText(st.Fingerprint)
	}
	v.server.SetPlaceHolder("https://dossier.example.ca:8443")
	v.form.add("sync.server", "server", v.server)
	v.form.add("sync.fingerprint", "fingerprint", v.fingerprint)
	if e.Session != nil {
		v.form.add("sync.password", "password", v.pwd)
		v.pwd.OnSubmitted = func(string) { v.submit() }
	}
	v.connect = widget.NewButton("", v.submit)
	v.connect.Importance = widget.HighImportance
	v.now = widget.NewButton("", e.SyncNow)
	v.change = widget.NewButton("", func() {
		e.Touch()
		v.changing = true
		v.showForm()
	})
	e.OnRelabel(func() {
		v.fingerprint.SetPlaceHolder(e.T("sync.fingerprint.hint"))
		if e.Session != nil {
			v.connect.SetText(e.T("sync.connect.signin"))
		} else {
			v.connect.SetText(e.T("sync.connect"))
		}
		v.now.SetText(e.T("sync.now"))
		v.showStatus()
		v.fillLists()
	})
	d := e.Draft("sync.connect", "")
	d.Entry("server", v.server)
	d.Entry("fingerprint", v.fingerprint)
	d.Skip(v.pwd)
	e.view = v
	e.refresh = v.fillLists
	return v
}

func (v *syncView) content() fyne.CanvasObject {
	e := v.env
	back := widget.NewButton("", e.GoHome)
	intro := widget.NewLabel("")
	intro.Wrapping = fyne.TextWrapWord
	e.OnRelabel(func() {
		back.SetText(e.T("sync.back"))
		intro.SetText(e.T("sync.intro"))
		if e.Session != nil {
			v.change.SetText(e.T("sync.change"))
		} else {
			v.change.SetText(e.T("sync.change.server"))
		}
	})
	v.formBox = container.NewVBox(intro, v.form.box, v.form.general)
	body := container.NewVBox(heading(e, "sync.title"), v.status, container.NewHBox(v.now))
	if e.Session != nil {
		// What the person has to read comes first; the server's
		// settings are set once.
		body.Add(widget.NewSeparator())
		body.Add(heading(e, "sync.rejections.title"))
		body.Add(v.rejections)
		if readsConflicts(e.Account.Role) {
			body.Add(heading(e, "sync.conflicts.title"))
			body.Add(v.conflicts)
		}
	}
	if e.Session != nil {
		// The person's own settings: the form of their role in French.
		v.roleForm = newRoleFormBox(e)
		body.Add(widget.NewSeparator())
		body.Add(v.roleForm.box)
	}
	body.Add(widget.NewSeparator())
	body.Add(heading(e, "sync.server.title"))
	body.Add(v.link)
	body.Add(v.formBox)
	buttons := container.NewHBox(v.connect, v.change)
	if e.Session != nil {
		// The person's own credential, which the server keeps.
		cred := widget.NewButton("", func() { e.Touch(); e.Show(ScreenCredential) })
		e.OnRelabel(func() { cred.SetText(e.T("credential.open")) })
		buttons.Add(cred)
	}
	buttons.Add(back)
	body.Add(buttons)
	v.showForm()
	return container.NewVScroll(container.NewPadded(body))
}

// showForm shows the connection form when it is needed — no server yet,
// or not signed in to it — and otherwise keeps it behind "Change".
func (v *syncView) showForm() {
	if v.formBox == nil {
		return
	}
	e := v.env
	settled := e.Sync != nil && (e.Session == nil || e.syncStatus.SignedIn)
	if settled && !v.changing {
		v.formBox.Hide()
		v.connect.Hide()
		v.change.Show()
	} else {
		v.formBox.Show()
		v.connect.Show()
		v.change.Hide()
	}
}

// showStatus writes the link and the state of the sync.
func (v *syncView) showStatus() {
	e, s := v.env, v.env.syncStatus
	text, _ := syncSummary(e, s)
	if n, ok := e.inMaintenance(); ok && s.Err != nil && errors.Is(s.Err, sync.ErrOffline) {
		// The server is away on purpose: say so, not "unreachable".
		text += "\n" + e.T("sync.maintenance", e.Tr().DateTime(n.To.Local()))
	} else if s.Err != nil {
		text += "\n" + e.Tr().Error(s.Err)
	}
	v.status.SetText(text)
	v.showForm()
	if e.Sync != nil && e.Session != nil && s.SignedIn {
		v.now.Show()
	} else {
		v.now.Hide()
	}
	st, err := e.Store.SyncState()
	switch {
	case err != nil:
		v.link.SetText(e.Tr().Error(err))
	case st.Server == "":
		v.link.SetText(e.T("sync.link.none"))
	case st.Fingerprint == "":
		v.link.SetText(e.T("sync.link.vouched", st.Server))
	default:
		v.link.SetText(e.T("sync.link", st.Server, strings.Join(fingerprintBlocks(st.Fingerprint), " ")))
	}
}

// fingerprintBlocks cuts a fingerprint into blocks of four digits, for
// the eye to compare, character by character, with the one the server's
// operator gave (dossierd prints it whole).
func fingerprintBlocks(fp string) []string {
	var out []string
	for i := 0; i < len(fp); i += 4 {
		out = append(out, fp[i:min(i+4, len(fp))])
	}
	return out
}

// blockFingerprint is a fingerprint in blocks of four, eight blocks a line:
// a 64-digit one on two lines of 32, never broken where the dialog's width
// happens to fall.
func blockFingerprint(fp string) string {
	blocks := fingerprintBlocks(fp)
	var lines []string
	for i := 0; i < len(blocks); i += 8 {
		lines = append(lines, strings.Join(blocks[i:min(i+8, len(blocks))], " "))
	}
	return strings.Join(lines, "\n")
}

// submit connects the profile to the server (pinning its key) and, when
// someone is signed in, signs them in to it and starts syncing.
func (v *syncView) submit() {
	e := v.env
	e.Touch()
	server, fp, pw := strings.TrimSpace(v.server.Text), strings.TrimSpace(v.fingerprint.Text), v.pwd.Text
	if e.Session != nil && pw == "" {
		v.form.setFault(domain.FieldError(client.ErrPasswordNeeded, "password"))
		return
	}
	v.connectTo(server, fp, pw)
}

// connectTo connects with the fingerprint given. A server whose key is
// not confirmed (no fingerprint typed, no authority vouching) sent
// nothing and was sent nothing: the person is shown its fingerprint and
// asked whether it is the one they were given.
func (v *syncView) connectTo(server, fp, pw string) {
	e := v.env
	signedIn := e.Session != nil
	v.form.setFault(nil)
	v.connect.Disable()
	st, me, user := e.Store, e.Account.ID, e.Account.Credential.UserID
	lang := string(e.Tr().Lang())
	if e.Sync != nil {
		e.stopSync() // the old link's loops end before the new one starts
	}
	var c *client.Client
	var ch *sync.SignInChallenge
	var err, signInErr error
	e.Async(func() {
		ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
		defer cancel()
		if c, err = client.Connect(ctx, st, server, fp); err == nil && signedIn {
			c.SpeakLang(lang)
			ch, signInErr = c.SignInStart(ctx, me, user, pw)
		}
	}, func() {
		v.connect.Enable()
		v.pwd.SetText("")
		if err != nil {
			if e.Session != nil && e.Sync != nil {
				e.goOnline(user, "") // the old link goes on as it was
			}
			if seen, ok := client.UnconfirmedFingerprint(err); ok {
				v.confirmKey(server, seen, pw)
				return
			}
			v.form.setFault(err)
			return
		}
		e.Sync, e.syncStatus = c, c.Status()
		e.Log.Info("connected", "serverVersion", e.syncStatus.ServerVersion)
		if signInErr != nil {
			v.form.setFault(signInErr)
		} else if ch != nil {
			v.answerServer(c, ch, user, pw)
		} else {
			v.changing = false
			if e.Session != nil {
				e.goOnline(user, "")
			}
		}
		e.showSyncStatus(c.Status())
		v.fillLists()
	})
}

// answerServer asks the person the security question the new server
// asked, and signs them in to it with the answer.
func (v *syncView) answerServer(c *client.Client, ch *sync.SignInChallenge, user, pw string) {
	e := v.env
	e.showQuestionDialog(ch.Question, func(answer string, ok bool) {
		if !ok {
			v.form.setFault(domain.Errorf(client.ErrQuestionNeeded))
			return
		}
		var err error
		e.Async(func() {
			ctx, cancel := context.WithTimeout(context.Background(), connectTimeout)
			defer cancel()
			err = c.SignInAnswer(ctx, ch, user, pw, answer)
		}, func() {
			if err != nil {
				v.form.setFault(err)
			} else {
				v.changing = false
				if e.Session != nil {
					e.goOnline(user, "")
				}
			}
			e.showSyncStatus(c.Status())
			v.fillLists()
		})
	})
}

// confirmKey shows the fingerprint of the key server presented and asks
// whether it is the one the server's operator gave; only a yes pins it.
// The password waits in this dialog only (it was not sent).
func (v *syncView) confirmKey(server, fp, pw string) {
	e := v.env
	shows, question := wrapped(e.T("sync.confirm.shows", server)), wrapped(e.T("sync.confirm.question"))
	v.shown = widget.NewLabelWithStyle(blockFingerprint(fp), fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	// Trusting a key is a choice made with a click: Enter does not make
	// it, Esc refuses.
	showDialog(e, dialogSpec{Title: e.T("sync.confirm.title"), Content: container.NewVBox(shows, v.shown, question),
		Text: []string{shows.Text, question.Text}, Width: 600, NoDefault: true,
		OK: e.T("sync.confirm.yes"), OnOK: func() error {
			e.Touch()
			v.fingerprint.SetText(fp)
			v.connectTo(server, fp, pw)
			return nil
		},
		Cancel: e.T("sync.confirm.no"), OnCancel: func() {
			e.Touch()
			v.form.setFault(fieldFault{field: "fingerprint", key: "sync.confirm.refused"})
		}})
}

// fillLists lists the person's refused changes and their school's
// conflicts, each with a way to the request and "Mark as read".
func (v *syncView) fillLists() {
	e := v.env
	if e.Session == nil {
		return
	}
	v.rejections.RemoveAll()
	v.conflicts.RemoveAll()
	var err error
	if v.rejected, err = e.Store.Rejections(e.Actor()); err != nil {
		v.rejections.Add(wrapped(e.Tr().Error(err)))
	}
	if v.conflicting, err = e.Store.Conflicts(e.Actor()); err != nil {
		v.conflicts.Add(wrapped(e.Tr().Error(err)))
	}
	for _, r := range v.rejected {
		what := kindText(e, r.Kind)
		open := v.openRequest(requestOf(r.Kind, r.Entity))
		if name := v.requestName(r.Kind, r.Entity); name != "" {
			what = e.T("sync.about", what, name)
		} else if field := refusedField(r); field != "" {
			// The tab the field is on, and a way to it, as a
			// conflict's row has.
			what = e.T("sync.about", what, e.T(tabOfPath(field).MessageKey()))
			open = openForm(e, &store.ConflictRecord{On: sync.EntityApplication, Record: r.Entity, Field: field})
		}
		reason := e.T("err.internal")
		if r.Error != nil {
			reason = e.Tr().Error(r.Error.Err())
		}
		v.rejections.Add(v.row(e.T("sync.rejection", e.Tr().DateTime(r.At.Local()), what, reason),
			r.Seen, r.Command, open))
	}
	for _, c := range v.conflicting {
		if c.On != "" {
			v.conflicts.Add(v.row(formConflictText(e, &c), c.Seen, c.ID, openForm(e, &c)))
			continue
		}
		text := e.T("sync.conflict", v.requestName(sync.KindApplyFunction, c.Request), fieldLabel(e, c.Field),
			fieldValue(e, c.Field, c.Kept), fieldValue(e, c.Field, c.Lost), e.Tr().DateTime(c.At.Local()))
		v.conflicts.Add(v.row(text, c.Seen, c.ID, v.openRequest(c.Request)))
	}
	if len(v.rejected) == 0 {
		v.rejections.Add(wrapped(e.T("sync.none")))
	}
	if len(v.conflicting) == 0 {
		v.conflicts.Add(wrapped(e.T("sync.none")))
	}
}

// opener is a row's way to its record: the button's words and what it
// shows (nil when there is no record the person may open).
type opener struct {
	key  string
	show func()
}

// openRequest opens a request, when there is one the person may open.
func (v *syncView) openRequest(request domain.ID) opener {
	e := v.env
	if request.IsZero() || !e.Account.Role.InstitutionStaff() {
		return opener{}
	}
	return opener{key: "sync.open", show: func() { e.Show(ScreenRequest(request)) }}
}

// row is one refusal or conflict: its text, "Open" when there is a record
// the person may open, and "Mark as read" until it is.
func (v *syncView) row(text string, seen bool, id domain.ID, open opener) fyne.CanvasObject {
	e := v.env
	l := wrapped(text)
	buttons := container.NewHBox()
	if open.show != nil {
		buttons.Add(widget.NewButton(e.T(open.key), func() { e.Touch(); open.show() }))
	}
	if seen {
		l.Importance = widget.LowImportance
	} else {
		buttons.Add(widget.NewButton(e.T("sync.seen"), func() {
			e.Touch()
			if err := e.Store.MarkSeen(e.Actor(), id); err != nil {
				noticeDialog(e, e.T("sync.title"), e.Tr().Error(err))
				return
			}
			if e.Sync != nil {
				e.Sync.Recount()
			}
			v.fillLists()
		}))
	}
	return container.NewVBox(l, buttons, widget.NewSeparator())
}

// requestName names the request a command was about, when the person may
// read it: its type and the student.
func (v *syncView) requestName(kind sync.Kind, id domain.ID) string {
	if requestOf(kind, id).IsZero() {
		return ""
	}
	rs, err := v.env.Store.Requests(v.env.Actor(), []domain.ID{id})
	if err != nil || len(rs) == 0 {
		return ""
	}
	r := rs[0]
	return r.Type.Code() + " — " + r.Student.GivenNames + " " + r.Student.FamilyName
}

// requestOf is the request a command acted on, zero for other kinds.
func requestOf(kind sync.Kind, id domain.ID) domain.ID {
	if kind == sync.KindRaiseRequest || kind == sync.KindApplyFunction {
		return id
	}
	return domain.ID{}
}

// refusedField is the field of the OINP application the server refused a
// save or a submission over, so that the row says which tab to look at;
// "" for any other refusal.
func refusedField(r store.Rejection) string {
	switch r.Kind {
	case applications.KindSaveApplication, applications.KindEditApplication, applications.KindSubmitApplication:
		if r.Error != nil {
			return r.Error.Field
		}
	}
	return ""
}

// kindText describes a kind of change: in the sync screen's own words
// for the desk's first kinds, else as the audit history words it (every
// declared kind has those words), else generically.
func kindText(e *Env, k sync.Kind) string {
	for _, key := range []string{"sync.kind." + string(k), "audit.action." + string(k)} {
		if e.Tr().Has(key) {
			return e.T(key)
		}
	}
	return e.T("sync.kind.other")
}

// fieldLabel names a request field as the request screen does.
func fieldLabel(e *Env, field string) string {
	switch field {
	case "notes":
		return e.T("request.notes")
	case "studentNumber":
		return e.T("request.studentno")
	case "assignee":
		return e.T("request.assignee")
	}
	if c, ok := criterionOf(field); ok {
		return e.T(c.MessageKey())
	}
	return field
}

// fieldValue writes a field's value as the request screen would show it.
func fieldValue(e *Env, field string, fv sync.FieldVersion) string {
	if fv.Deleted || fv.Value == "" {
		return e.T("sync.value.empty")
	}
	if field == "assignee" {
		if id, err := domain.ParseID(fv.Value); err == nil {
			if name := staffNameOf(e, id); name != "" {
				return name
			}
		}
	}
	if _, ok := criterionOf(field); ok {
		if n, err := strconv.Atoi(fv.Value); err == nil {
			switch ens.Check(n) {
			case ens.Met:
				return e.T("request.check.met")
			case ens.NotMet:
				return e.T("request.check.not-met")
			default:
				return e.T("request.check.unchecked")
			}
		}
	}
	return fv.Value
}

// criterionOf finds the criterion of a check field ("check.CODE").
func criterionOf(field string) (ens.Criterion, bool) {
	code, ok := strings.CutPrefix(field, "check.")
	if !ok {
		return 0, false
	}
	for _, c := range ens.Criteria {
		if c.Code() == code {
			return c, true
		}
	}
	return 0, false
}

func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}
