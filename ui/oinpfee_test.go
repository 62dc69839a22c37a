package ui

import (
	"crypto/rand"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"dossier/domain/account"
	"dossier/domain/oinp"
	"dossier/internal/testlog"
	"dossier/store"
	"dossier/store/programs"
	"dossier/sync/client"
	"dossier/sync/server"
	"dossier/translations"
)

// startUnplugged is startSyncServer with a cable: while down is set,
// every request is cut off, as when the desk is offline.
func startUnplugged(t *testing.T) (*syncServer, *atomic.Bool) {
	t.Helper()
	sv, err := programs.OpenServer(t.TempDir(), store.ServerOptions{Store: store.Options{KDF: store.TestKDF,
		Secrets: account.TestSecretParams, Rand: rand.Reader, NoSync: true}})
	if err != nil {
		t.Fatal(err)
	}
	down := new(atomic.Bool)
	api := server.New(sv, testlog.Logger())
	hs := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			panic(http.ErrAbortHandler)
		}
		api.ServeHTTP(w, r)
	}))
	hs.Config.ErrorLog = log.New(io.Discard, "", 0)
	hs.StartTLS()
	t.Cleanup(func() {
		hs.CloseClientConnections()
		hs.Close()
		sv.Close()
	})
	return &syncServer{sv: sv, URL: hs.URL, fp: client.Fingerprint(hs.Certificate().Raw)}, down
}

// payWith types a card on the Processing Fee tab and pays.
func payWith(t *testing.T, e *Env, number string) *appView {
	t.Helper()
	e.Show(ScreenApplication(oinp.TabFee))
	v := appViewOf(t, e)
	if v.fee.pay == nil || v.fee.pay.Disabled() {
		t.Fatalf("no Pay on the fee tab:\n%s", summaryText(v))
	}
	v.form.set["card.number"](number)
	v.form.set["card.name"]("Linh Nguyen")
	v.form.set["card.expiry"]("12/2099")
	v.form.set["card.cvc"]("123")
	v.payAndSubmit(oinp.FeeGTACents)
	return appViewOf(t, e)
}

// TestFeeTakenByTheServer: on a desk connected to the server, a card the
// server's processor declines comes back under the card's number, the
// file a draft; paid offline, the Processing Fee tab says the file waits
// "not yet paid" (in English and in French; the Summary says it too),
// locked, the card in memory only; once the desk is back online, the
// server takes the fee and the tab shows its receipt, marked sandbox.
func TestFeeTakenByTheServer(t *testing.T) {
	srv, down := startUnplugged(t)
	e := freshDesk(t)
	connectDesk(t, e, srv)
	registerApplicant(t, e, "Linh", "Nguyen", "linh.nguyen")
	readyExample(t, e, "Linh", "Nguyen", "Mississauga", "en")
	e.application = nil
	online(t, e, "Linh")

	v := payWith(t, e, "4000 0000 0000 0002")
	if l := v.form.errs["card.number"]; !l.Visible() || !strings.Contains(l.Text, "declined") {
		t.Fatalf("the declined card: %q\n%s", l.Text, summaryText(v))
	}
	if rec, _, _ := e.Store.Application(e.Actor()); !rec.App.Submitted.IsZero() {
		t.Fatalf("submitted with a declined card: %+v", rec.App.Payment)
	}

	down.Store(true)
	v = payWith(t, e, "4111 1111 1111 1111")
	text := summaryText(v)
	if !strings.Contains(text, "not yet paid") || !strings.Contains(text, "$2,000.00") || !strings.Contains(text, "memory") ||
		v.fee.pay != nil {
		t.Fatalf("paid offline, the fee tab:\n%s", text)
	}
	if rec, _, _ := e.Store.Application(e.Actor()); !rec.App.AwaitingPayment() {
		t.Fatalf("paid offline: %+v", rec.App)
	}
	e.Show(ScreenApplication(oinp.TabSummary))
	if text := summaryText(appViewOf(t, e)); !strings.Contains(text, "not yet paid") {
		t.Fatalf("paid offline, the Summary:\n%s", text)
	}
	e.Show(ScreenApplication(oinp.TabFee))
	e.SetLang(translations.French)
	if text := summaryText(appViewOf(t, e)); !strings.Contains(text, "pas encore payée") || !strings.Contains(text, "2\u00a0000,00\u00a0$") {
		t.Fatalf("paid offline, in French:\n%s", text)
	}
	e.SetLang(translations.English)

	down.Store(false)
	syncWaitNudging(t, e, "the server's receipt", func() bool {
		rec, _, _ := e.Store.Application(e.Actor())
		return rec.App.Payment != nil
	})
	e.application = nil
	e.Show(ScreenApplication(oinp.TabFee))
	text = summaryText(appViewOf(t, e))
	if !strings.Contains(text, "Fee paid in the sandbox") || !strings.Contains(text, "by VISA ending in 1111") {
		t.Fatalf("paid, the fee tab:\n%s", text)
	}
}
