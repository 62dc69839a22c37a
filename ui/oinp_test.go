package ui

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/store"
	"dossier/store/applications"
	"dossier/store/programs"
	"dossier/translations"
)

// applicantDesk is a new profile where an applicant registered through the
// Register screen, on 21 November 2026.
func applicantDesk(t *testing.T) *Env {
	t.Helper()
	e, _ := newTestEnv(t)
	clock := &testClock{now: time.Date(2026, 11, 21, 15, 0, 0, 0, time.UTC)}
	e.Now = clock.Now
	opt := e.StoreOptions
	opt.Now = clock.Now
	s, err := programs.Create(filepath.Join(e.DataDir, store.ProfileFileName), "profile password", opt)
	if err != nil {
		t.Fatal(err)
	}
	e.useStore(s)
	e.Show(ScreenRegister)
	f := e.view.(*credentialForm)
	fillCredentials(f, "Linh", "Nguyen", "linh.nguyen")
	f.email.SetText("linh@example.ca")
	f.as.SetSelected(f.as.Options[1])
	test.Tap(f.submit)
	if e.Account.Role != account.Applicant {
		t.Fatalf("registered as %v: %q", e.Account.Role, f.form.general.Text)
	}
	if _, ok := e.view.(*appView); !ok || e.Current().ID != "application/general" {
		t.Fatalf("the applicant lands on %s", e.Current().ID)
	}
	return e
}

// example is the eligible application of docs/, without its file number.
func example(t testing.TB) *oinp.Application {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "assets", "oinp", "example-application.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a, err := oinp.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	a.FileNumber, a.Registered = "", domain.Date{}
	return a
}

// typed flattens an application into what a person types in each field,
// by the field's path: dollars for amounts, a line each for a list of
// text.
func typed(t *testing.T, a *oinp.Application) map[string]string {
	t.Helper()
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	var tree map[string]any
	json.Unmarshal(b, &tree)
	for _, k := range []string{"schema", "fileNumber", "registered", "submitted", "documents", "agreements"} {
		delete(tree, k)
	}
	out := map[string]string{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				walk(p, c)
			}
		case []any:
			if len(x) > 0 {
				if _, isText := x[0].(string); isText {
					lines := make([]string, len(x))
					for i, l := range x {
						lines[i] = l.(string)
					}
					out[prefix] = strings.Join(lines, "\n")
					return
				}
			}
			for i, c := range x {
				walk(prefix+"["+strconv.Itoa(i)+"]", c)
			}
		case float64:
			if strings.HasSuffix(prefix, "Cents") {
				out[prefix] = strconv.FormatFloat(x/100, 'f', 2, 64)
			} else {
				out[prefix] = strconv.FormatFloat(x, 'f', -1, 64)
			}
		case string:
			out[prefix] = x
		}
	}
	walk("", tree)
	return out
}

// listLines counts the lines each repeated section needs ("work" → 2).
func listLines(values map[string]string) map[string]int {
	n := map[string]int{}
	for p := range values {
		if i := strings.Index(p, "["); i >= 0 {
			j := strings.Index(p, "]")
			k, _ := strconv.Atoi(p[i+1 : j])
			n[p[:i]] = max(n[p[:i]], k+1)
		}
	}
	return n
}

func appViewOf(t testing.TB, e *Env) *appView {
	t.Helper()
	v, ok := e.view.(*appView)
	if !ok {
		t.Fatalf("not on the application: %s", e.Current().ID)
	}
	return v
}

// TestFillAndCheckACompleteApplication fills the example application from
// empty, tab by tab through the widgets as a person types it, moving on
// with Next; the Summary then finds no error and every criterion met, and
// the store holds exactly what was typed.
func TestFillAndCheckACompleteApplication(t *testing.T) {
	e := applicantDesk(t)
	want := example(t)
	want.Documents, want.Agreements = nil, nil // attached and agreed below
	values := typed(t, want)
	lines := listLines(values)
	byTab := map[oinp.Tab][]string{}
	for p := range values {
		byTab[tabOfPath(p)] = append(byTab[tabOfPath(p)], p)
	}
	for _, tab := range oinp.Tabs {
		v := appViewOf(t, e)
		if v.tab != tab {
			t.Fatalf("Next led to %s, want %s", v.tab, tab)
		}
		for name, n := range lines {
			if tabOfPath(name) != tab {
				continue
			}
			for range n {
				add := appViewOf(t, e).form.add[name]
				if add == nil {
					t.Fatalf("%s has no Add", name)
				}
				add()
			}
		}
		v = appViewOf(t, e)
		paths := byTab[tab]
		sort.Strings(paths)
		for _, p := range paths {
			set := v.form.set[p]
			if set == nil {
				t.Fatalf("no field for %s on %s", p, tab)
			}
			set(values[p])
		}
		if tab == oinp.TabDocuments {
			for _, r := range oinp.Checklist(want) {
				if r.Mandatory && r.Kind != "photo" {
					appViewOf(t, e).attach(r.Kind, r.Person, r.Kind+".pdf", []byte("%PDF-1.7\n"+r.Kind+"\n"), domain.ID{})
				}
			}
			// The photo as a PDF is refused under its line; as a PNG of
			// the right size it is taken.
			v = appViewOf(t, e)
			v.attach("photo", 0, "photo.pdf", []byte("%PDF-1.7\n"), domain.ID{})
			if l := v.form.errs["documents.photo"]; !l.Visible() || !strings.Contains(l.Text, "JPEG, PNG or GIF") {
				t.Fatalf("photo as a PDF: %q", l.Text)
			}
			v.attach("photo", 0, "Linh Nguyen passport photo.png", photoPNG(t, 413, 531), domain.ID{})
			v = appViewOf(t, e)
		}
		if tab == oinp.TabSchedules {
			for _, d := range oinp.SchedulesDue(want, appViewOf(t, e).s.app.CheckDate(domain.DateOf(e.Now()))) {
				appViewOf(t, e).form.set[oinp.AgreementField(d.Schedule, d.Person)](oinp.PersonName(want, d.Person))
			}
		}
		if tab == oinp.TabSummary {
			break
		}
		test.Tap(v.nextBtn)
	}
	v := appViewOf(t, e)
	if len(v.summary) != 0 {
		for _, r := range v.summary {
			t.Errorf("summary: %s", r.text.Text)
		}
		t.Fatal("the complete application has errors or unmet criteria")
	}
	text := summaryText(v)
	if !strings.Contains(text, "On November 21, 2026, every criterion of the stream is met.") ||
		!strings.Contains(text, "Processing fee: $2,000.00 (the work is in the Greater Toronto Area, Peel).") {
		t.Fatalf("summary:\n%s", text)
	}
	rec, found, err := e.Store.Application(e.Actor())
	if err != nil || !found {
		t.Fatalf("stored: %v %v", found, err)
	}
	mandatory := 0
	for _, r := range oinp.Checklist(want) {
		if r.Mandatory {
			mandatory++
		}
	}
	if len(rec.App.Documents) != mandatory {
		t.Fatalf("%d documents attached, want %d", len(rec.App.Documents), mandatory)
	}
	if len(rec.App.Agreements) != 3 || rec.App.Agreements[2].Name != "Linh Nguyen" || rec.App.Agreements[2].Agreed != domain.DateOf(e.Now()) {
		t.Fatalf("agreements %+v", rec.App.Agreements)
	}
	rec.App.Documents, rec.App.Agreements = nil, nil
	withoutLineIDs(&rec.App) // each line has its own, which the expected file cannot know
	if !reflect.DeepEqual(&rec.App, want) {
		got, _ := json.MarshalIndent(rec.App, "", " ")
		exp, _ := json.MarshalIndent(want, "", " ")
		t.Fatalf("stored application differs:\n%s\nwant\n%s", got, exp)
	}

	// Register, then pay on the Processing Fee tab: a declined card and a
	// mistyped one are refused under the card's number, then it goes.
	registerNow(e, appViewOf(t, e).s)
	e.Show(ScreenApplication(oinp.TabFee))
	v = appViewOf(t, e)
	if v.fee.pay.Disabled() || !strings.Contains(summaryText(v), "Sandbox payments") {
		t.Fatalf("fee tab:\n%s", summaryText(v))
	}
	for _, c := range []struct{ number, want string }{
		{"4000 0000 0000 0002", "declined"}, {"4111 1111 1111 1112", "typing error"}, {"3782 822463 10005", "VISA and MasterCard"},
	} {
		v.form.set["card.number"](c.number)
		v.form.set["card.name"]("Linh Nguyen")
		v.form.set["card.expiry"]("12/2028")
		v.form.set["card.cvc"]("123")
		v.payAndSubmit(oinp.FeeGTACents)
		if l := v.form.errs["card.number"]; !l.Visible() || !strings.Contains(l.Text, c.want) {
			t.Fatalf("card %s: %q", c.number, l.Text)
		}
	}
	v.form.set["card.number"]("4111 1111 1111 1111")
	v.payAndSubmit(oinp.FeeGTACents)
	v = appViewOf(t, e)
	text = summaryText(v)
	if !strings.Contains(text, "was submitted on November 21, 2026") || !strings.Contains(text, "by VISA ending in 1111") {
		t.Fatalf("after paying:\n%s", text)
	}
	rec, _, _ = e.Store.Application(e.Actor())
	if rec.App.Submitted.IsZero() || rec.App.Payment.Last4 != "1111" {
		t.Fatalf("submitted %+v", rec.App.Payment)
	}
	// Submitted, the form only reads.
	e.Show(ScreenApplication(oinp.TabApplicant))
	v = appViewOf(t, e)
	if w := v.form.focus["applicant.familyName"].(*Entry); !w.Disabled() || !v.saveBtn.Disabled() {
		t.Fatal("the submitted application can still be edited")
	}
}

func summaryText(v *appView) string {
	var b strings.Builder
	walkLabels(v.form.box, func(s string) { b.WriteString(s + "\n") })
	return b.String()
}

// walkLabels calls fn with the text of every label under o.
func walkLabels(o fyne.CanvasObject, fn func(string)) {
	switch w := o.(type) {
	case *widget.Label:
		fn(w.Text)
	case *fyne.Container:
		for _, c := range w.Objects {
			walkLabels(c, fn)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(w).Objects() {
			walkLabels(c, fn)
		}
	}
}

// TestSummaryLeadsToTheField: an ineligible NOC shows its rule and section
// on the Summary, and Go to opens the Job Offer tab on the NOC field;
// Check for Errors there shows each error under its field and counts the
// errors on each tab.
func TestSummaryLeadsToTheField(t *testing.T) {
	e := applicantDesk(t)
	a := example(t)
	a.Employer.Offer.NOC = "6711"
	a.Applicant.FamilyName = ""
	if _, err := e.Store.SaveApplication(e.Actor(), *a); err != nil {
		t.Fatal(err)
	}
	e.application = nil
	e.Show(ScreenApplication(oinp.TabSummary))
	v := appViewOf(t, e)
	var noc *summaryRow
	for _, r := range v.summary {
		if strings.Contains(r.text.Text, "§2.1") && strings.Contains(r.text.Text, "6711") {
			noc = r
		}
	}
	if noc == nil {
		t.Fatalf("no §2.1 line for NOC 6711:\n%s", summaryText(v))
	}
	test.Tap(noc.goTo)
	v = appViewOf(t, e)
	if v.tab != oinp.TabEmployerOffer || e.Window.Canvas().Focused() != v.form.focus["employer.offer.noc"] {
		t.Fatalf("Go to led to %s, focus %v", v.tab, e.Window.Canvas().Focused())
	}
	e.Show(ScreenApplication(oinp.TabApplicant))
	v = appViewOf(t, e)
	test.Tap(v.checkBtn)
	if l := v.form.errs["applicant.familyName"]; !l.Visible() || !strings.Contains(l.Text, "name") {
		t.Fatalf("family name error: %v %q", l.Visible(), l.Text)
	}
	if got := v.tabs[oinp.TabApplicant].Text; got != "Applicant Information (1)" {
		t.Fatalf("tab label %q", got)
	}
	e.SetLang(translations.French)
	if got := v.tabs[oinp.TabApplicant].Text; got != "Renseignements sur le demandeur (1)" {
		t.Fatalf("French tab label %q", got)
	}
}

// TestTypedTextIsKept: a date that does not read yet stays as typed across
// tabs, is an error on Check for Errors, and an inactivity lock keeps the
// unsaved form.
func TestTypedTextIsKept(t *testing.T) {
	e := applicantDesk(t)
	e.Show(ScreenApplication(oinp.TabApplicant))
	v := appViewOf(t, e)
	v.form.set["applicant.birthDate"]("1990-02-30")
	v.form.set["applicant.familyName"]("Nguyễn")
	test.Tap(v.nextBtn)
	test.Tap(appViewOf(t, e).prevBtn)
	v = appViewOf(t, e)
	test.Tap(v.checkBtn)
	if l := v.form.errs["applicant.birthDate"]; !l.Visible() || !strings.Contains(l.Text, "YYYY-MM-DD") {
		t.Fatalf("birth date error %q", l.Text)
	}
	// The status line says its message again in the other language.
	english := v.status.Text
	e.SetLang(translations.French)
	if v.status.Text == english || v.status.Text == "" {
		t.Errorf("the status line was not said again in French: %q", v.status.Text)
	}
	e.SetLang(translations.English)
	if v.status.Text != english {
		t.Errorf("the status line back in English: %q, was %q", v.status.Text, english)
	}
	// Typed, not saved, then the session locks: signing in again brings it back.
	v.form.set["applicant.birthPlace"]("Huế")
	e.lockSession()
	signInAs(t, e, "linh.nguyen", "a long password 1")
	v = appViewOf(t, e)
	if v.tab != oinp.TabApplicant || v.s.app.Applicant.BirthPlace != "Huế" || v.s.raw["applicant.birthDate"].Text != "1990-02-30" {
		t.Fatalf("after the lock: tab %s, place %q, raw %v", v.tab, v.s.app.Applicant.BirthPlace, v.s.raw)
	}
}

// TestRegisterOpensTheWindow: registering gives the file its number and
// shows the day to submit by, with the days left.
func TestRegisterOpensTheWindow(t *testing.T) {
	e := applicantDesk(t)
	registerNow(e, appViewOf(t, e).s) // what the dialog's Yes does
	rec, _, _ := e.Store.Application(e.Actor())
	if _, err := oinp.ParseFileNumber(string(rec.App.FileNumber)); err != nil {
		t.Fatalf("file number %q", rec.App.FileNumber)
	}
	text := ""
	walkLabels(e.Window.Content(), func(s string) { text += s + "\n" })
	if !strings.Contains(text, "File "+string(rec.App.FileNumber)+", registered on November 21, 2026") ||
		!strings.Contains(text, "Submit by: December 5, 2026 (14 days left)") {
		t.Fatalf("screen:\n%s", text)
	}
}

// TestEveryTabSpeaksBothLanguages builds every tab of a full application
// in both languages: each word a tab builds from parts (field labels,
// choices, list titles, notes) has its message in both.
func TestEveryTabSpeaksBothLanguages(t *testing.T) {
	e := applicantDesk(t)
	a := example(t)
	a.Applicant.OtherNames = []oinp.OtherName{{FamilyName: "Trần"}}
	a.Family = []oinp.FamilyMember{{FamilyName: "Nguyen", GivenNames: "An", Relationship: "child"}}
	if _, err := e.Store.SaveApplication(e.Actor(), *a); err != nil {
		t.Fatal(err)
	}
	e.application = nil
	seen := 0
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		e.SetLang(lang)
		tr := translations.New(lang)
		for _, tab := range oinp.Tabs {
			e.Show(ScreenApplication(tab))
			for _, k := range appViewOf(t, e).form.keys {
				seen++
				if !tr.Has(k) {
					t.Errorf("%s: %s has no %s message", tab, k, lang)
				}
			}
		}
	}
	if seen < 300 {
		t.Fatalf("only %d keys seen: the tabs build less than they should", seen)
	}
}

// TestGoldenSummary renders the Summary of an application with an
// ineligible occupation and a missing name, in both languages.
func TestGoldenSummary(t *testing.T) {
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		t.Run(string(lang), func(t *testing.T) {
			e := applicantDesk(t)
			e.SetLang(lang)
			e.Window.Resize(fyne.NewSize(1240, 900))
			a := example(t)
			a.Employer.Offer.NOC = "6711"
			a.Applicant.FamilyName = ""
			if _, err := e.Store.SaveApplication(e.Actor(), *a); err != nil {
				t.Fatal(err)
			}
			e.application = nil
			e.Show(ScreenApplication(oinp.TabSummary))
			fyne.DoAndWait(func() { e.Window.Content().Refresh() })
			assertGolden(t, "summary_"+string(lang)+".xml", test.RenderToMarkup(e.Window.Canvas()))
		})
	}
}

// BenchmarkMoveBetweenTabs is Next on a full application: save (one
// durable transaction) and build the next tab, round all 21 tabs (target
// < 100 ms a move).
func BenchmarkMoveBetweenTabs(b *testing.B) {
	e := benchApplicant(b)
	v := appViewOf(b, e)
	for b.Loop() {
		v.s.dirty = true // as after typing
		if v.tab == oinp.TabFee {
			v.goTo(oinp.TabGeneral, "")
		} else {
			test.Tap(v.nextBtn)
		}
		v = appViewOf(b, e)
	}
}

// benchApplicant is an applicant's desk (synced to disk, as in use) with
// the full example application.
func benchApplicant(b *testing.B) *Env {
	b.Helper()
	a := test.NewTempApp(b)
	e := NewEnv(a, test.NewTempWindow(b, nil), b.TempDir())
	e.Inline = true
	e.StoreOptions = store.Options{KDF: store.TestKDF, Secrets: account.TestSecretParams, Rand: rand.Reader}
	s, err := programs.Create(filepath.Join(e.DataDir, store.ProfileFileName), "profile password", e.StoreOptions)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(e.Close)
	e.useStore(s)
	acct, err := s.RegisterApplicant(account.Registration{UserID: "linh.nguyen", Password: "a long password 1",
		GivenNames: "Linh", FamilyName: "Nguyen", AcceptTerms: true, Questions: [account.QuestionCount]account.SecurityQuestion{
			{Question: "First school?", Answer: "answer one"}, {Question: "First pet?", Answer: "answer two"},
			{Question: "Street?", Answer: "answer three"}, {Question: "Book?", Answer: "answer four"}}})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.SaveApplication(acct.Actor(), *example(b)); err != nil {
		b.Fatal(err)
	}
	if err := e.SignIn("linh.nguyen", "a long password 1", testAnswer); err != nil {
		b.Fatal(err)
	}
	return e
}

func photoPNG(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestExportAndImport: the application exported from one computer and
// imported on another is the same form (attachments stay behind), judged
// the same, and a file that cannot be read changes nothing.
func TestExportAndImport(t *testing.T) {
	e := applicantDesk(t)
	a := example(t)
	a.Employer.Offer.NOC = "6711"
	if _, err := e.Store.SaveApplication(e.Actor(), *a); err != nil {
		t.Fatal(err)
	}
	e.application = nil
	e.Show(ScreenApplication(oinp.TabGeneral))
	var file bytes.Buffer
	if err := appViewOf(t, e).exportTo(&file); err != nil {
		t.Fatal(err)
	}
	other := applicantDesk(t)
	other.Show(ScreenApplication(oinp.TabGeneral))
	v := appViewOf(t, other)
	v.importFrom([]byte(`{"schema": 1, "applicant": {"famliyName": "x"}}`))
	if !strings.Contains(v.status.Text, "famliyName") {
		t.Fatalf("a bad file: %q", v.status.Text)
	}
	if rec, _, _ := other.Store.Application(other.Actor()); rec.Version != 0 {
		t.Fatal("a bad file changed the application")
	}
	v.importFrom(file.Bytes())
	got, _, _ := other.Store.Application(other.Actor())
	a.Documents = nil
	if !reflect.DeepEqual(&got.App, a) {
		t.Fatalf("imported differs:\n%+v\n%+v", got.App, *a)
	}
	day := domain.DateOf(e.Now())
	x, y := oinp.Evaluate(&got.App, day, assets.OINPTables()), oinp.Evaluate(a, day, assets.OINPTables())
	if !reflect.DeepEqual(x.Results, y.Results) || x.Eligible() {
		t.Fatal("the imported file is judged otherwise")
	}
}

// TestMedianFromJobBank: a Job Bank wage file gives the median of the
// offer's occupation in the region chosen; a file that is not one says so
// under the median.
func TestMedianFromJobBank(t *testing.T) {
	e := applicantDesk(t)
	e.Show(ScreenApplication(oinp.TabEmployerOffer))
	v := appViewOf(t, e)
	v.form.set["employer.offer.noc"]("8431")
	importWages(v.form, []byte("noc,region\n8431,Toronto\n"))
	if l := v.form.errs["employer.offer.medianWageCents"]; !l.Visible() || !strings.Contains(l.Text, "not a wage table") {
		t.Fatalf("bad file: %q", l.Text)
	}
	importWages(v.form, []byte("NOC_CNP,ER_Name_Nom_RE,Prov,Median_Wage_Salaire_Median\n"+
		"NOC_8431,Toronto,ON,16.00\nNOC_8431,Stratford--Bruce Peninsula,ON,15.25\nNOC_7611,Toronto,ON,21.00\n"))
	v = appViewOf(t, e)
	v.form.set["employer.offer.medianRegion"]("Stratford--Bruce Peninsula")
	o := appViewOf(t, e).s.app.Employer.Offer
	if o.MedianCents != 15_25 || o.MedianRegion != "Stratford--Bruce Peninsula" {
		t.Fatalf("median %d in %q", o.MedianCents, o.MedianRegion)
	}
}

// TestGoldenEmployerForm renders a filled, unsigned Employer Form with the
// program's criteria checked, in both languages.
func TestGoldenEmployerForm(t *testing.T) {
	for _, lang := range []translations.Lang{translations.English, translations.French} {
		t.Run(string(lang), func(t *testing.T) {
			e := applicantDesk(t) // any signed-in desk; the form screen reads the session
			e.SetLang(lang)
			e.Window.Resize(fyne.NewSize(1240, 900))
			s := &appSession{app: oinp.Application{Employer: example(t).Employer}, raw: map[string]rawField{},
				form: &applications.EmployerFormRecord{}}
			s.app.Employer.EmployeesLocation = 4 // below the GTA's 5: one criterion fails
			e.application = s
			e.Show(ScreenEmployerForm(domain.ID{}))
			fyne.DoAndWait(func() { e.Window.Content().Refresh() })
			assertGolden(t, "employer_form_"+string(lang)+".xml", test.RenderToMarkup(e.Window.Canvas()))
		})
	}
}

// withoutLineIDs clears the identities of an application's lines.
func withoutLineIDs(a *oinp.Application) {
	for i := range a.Applicant.OtherNames {
		a.Applicant.OtherNames[i].ID = domain.ID{}
	}
	for i := range a.Education {
		a.Education[i].ID = domain.ID{}
	}
	for i := range a.Language {
		a.Language[i].ID = domain.ID{}
	}
	for i := range a.Work {
		a.Work[i].ID = domain.ID{}
	}
	for i := range a.Activities {
		a.Activities[i].ID = domain.ID{}
	}
	for i := range a.Family {
		a.Family[i].ID = domain.ID{}
	}
}

// TestScheduleNameKeptWithoutTheBox: a name typed for a schedule without
// its box ticked is kept — saved, and back on the tab — and the file
// still lacks that agreement until the box is ticked.
func TestScheduleNameKeptWithoutTheBox(t *testing.T) {
	e := applicantDesk(t)
	a := example(t)
	a.Agreements = nil
	if _, err := e.Store.SaveApplication(e.Actor(), *a); err != nil {
		t.Fatal(err)
	}
	e.application = nil
	e.Show(ScreenApplication(oinp.TabSchedules))
	v := appViewOf(t, e)
	due := oinp.SchedulesDue(&v.s.app, v.s.app.CheckDate(domain.DateOf(e.Now())))
	if len(due) == 0 {
		t.Fatal("the example owes no schedule")
	}
	field := oinp.AgreementField(due[0].Schedule, due[0].Person)
	name := oinp.PersonName(&v.s.app, due[0].Person)
	v.form.focus[field].(*Entry).SetText(name)
	test.Tap(v.saveBtn)
	missing := func(app *oinp.Application) bool {
		for _, p := range oinp.MissingAgreements(app, domain.DateOf(e.Now())) {
			if p.Err != nil && p.Err.Field == field {
				return true
			}
		}
		return false
	}
	rec, _, err := e.Store.Application(e.Actor())
	if err != nil || !missing(&rec.App) {
		t.Fatalf("a name without the box counts as agreed (%v)", err)
	}
	e.application = nil
	e.Show(ScreenApplication(oinp.TabSummary))
	e.Show(ScreenApplication(oinp.TabSchedules))
	v = appViewOf(t, e)
	if got := v.form.focus[field].(*Entry).Text; got != name {
		t.Fatalf("the name typed without the box came back as %q", got)
	}
	v.form.set[field](name) // ticks the box
	test.Tap(v.saveBtn)
	if rec, _, _ = e.Store.Application(e.Actor()); missing(&rec.App) {
		t.Fatal("ticked, the agreement is still missing")
	}
}
