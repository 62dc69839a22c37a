package oinp

import (
	"testing"

	"dossier/domain"
)

func TestAskRepresentation(t *testing.T) {
	on := date(2026, 11, 21)
	asking := Representation{Account: repID, Name: "Rita Rep", Email: "rita@example.ca"}
	tests := []struct {
		name         string
		file         func() *Application
		email        string
		accountEmail string
		want         domain.Code
		changed      bool
	}{
		{"the file's e-mail", complete, "linh@example.ca", "", "", true},
		{"the file's e-mail, another case and spaces", complete, "  LINH@Example.ca ", "", "", true},
		{"the account's e-mail", complete, "linh.account@example.com", "linh.account@example.com", "", true},
		{"another e-mail", complete, "someone@example.com", "linh.account@example.com", ErrRepNoMatch, false},
		{"an empty e-mail on a file without one", func() *Application { a := complete(); a.Contact.Email = ""; return a }, "", "", ErrRepNoMatch, false},
		{"asked again while pending", func() *Application { return fileWithRep(RepPending) }, "linh@example.ca", "", "", false},
		{"asked again while active", func() *Application { return fileWithRep(RepActive) }, "linh@example.ca", "", "", false},
		{"asked again after a refusal", func() *Application { return fileWithRep(RepRefused) }, "linh@example.ca", "", "", true},
		{"asked again after a cancellation", func() *Application { return fileWithRep(RepCancelled) }, "linh@example.ca", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.file()
			before := len(a.Representatives)
			changed, err := a.AskRepresentation(asking, tt.email, tt.accountEmail, on)
			wantCode(t, err, tt.want)
			if changed != tt.changed {
				t.Fatalf("changed %v, want %v", changed, tt.changed)
			}
			if !changed {
				if len(a.Representatives) != before {
					t.Fatalf("unchanged, but %d representatives now", len(a.Representatives))
				}
				return
			}
			var got Representation
			for _, r := range a.Representatives {
				if r.Account == repID {
					got = r
				}
			}
			want := Representation{Account: repID, Name: "Rita Rep", Email: "rita@example.ca", Status: RepPending, Asked: on}
			if got != want {
				t.Fatalf("got %+v, want %+v", got, want)
			}
		})
	}
}

// TestAskRepresentationLeavesTheCallersSlice: the rule changes the file,
// never a slice its caller holds as well.
func TestAskRepresentationLeavesTheCallersSlice(t *testing.T) {
	a := fileWithRep(RepRefused)
	held := a.Representatives
	if _, err := a.AskRepresentation(Representation{Account: repID}, "linh@example.ca", "", date(2026, 11, 21)); err != nil {
		t.Fatal(err)
	}
	if held[0].Status != RepRefused || a.Representatives[0].Status != RepPending {
		t.Fatalf("held %s, file %s", held[0].Status, a.Representatives[0].Status)
	}
}

func TestDecideAndCancelRepresentation(t *testing.T) {
	on := date(2026, 11, 25)
	withOtherActive := func(s RepStatus) func() *Application {
		return func() *Application {
			a := fileWithRep(s)
			a.Representatives = append(a.Representatives, Representation{Account: otherRepID, Name: "Omar Other", Status: RepActive})
			return a
		}
	}
	only := func(s RepStatus) func() *Application { return func() *Application { return fileWithRep(s) } }
	tests := []struct {
		name   string
		file   func() *Application
		cancel bool
		accept bool
		rep    domain.ID
		want   domain.Code
		status RepStatus
	}{
		{"authorise a pending request", only(RepPending), false, true, repID, "", RepActive},
		{"refuse a pending request", only(RepPending), false, false, repID, "", RepRefused},
		{"authorise while another acts", withOtherActive(RepPending), false, true, repID, ErrRepActive, RepPending},
		{"refuse while another acts", withOtherActive(RepPending), false, false, repID, "", RepRefused},
		{"authorise someone who did not ask", only(RepPending), false, true, otherRepID, ErrRepUnknown, RepPending},
		{"authorise an active one again", only(RepActive), false, true, repID, ErrRepUnknown, RepActive},
		{"authorise a refused one", only(RepRefused), false, true, repID, ErrRepUnknown, RepRefused},
		{"authorise a cancelled one", only(RepCancelled), false, true, repID, ErrRepUnknown, RepCancelled},
		{"cancel the active one", only(RepActive), true, false, repID, "", RepCancelled},
		{"cancel a pending one", only(RepPending), true, false, repID, ErrRepUnknown, RepPending},
		{"cancel a cancelled one", only(RepCancelled), true, false, repID, ErrRepUnknown, RepCancelled},
		{"cancel someone who did not ask", only(RepActive), true, false, otherRepID, ErrRepUnknown, RepActive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.file()
			held := a.Representatives
			var r Representation
			var err error
			if tt.cancel {
				r, err = a.CancelRepresentation(tt.rep, on)
			} else {
				r, err = a.DecideRepresentation(tt.rep, tt.accept, on)
			}
			wantCode(t, err, tt.want)
			if got := a.Representatives[0].Status; got != tt.status {
				t.Fatalf("status %s, want %s", got, tt.status)
			}
			if err != nil {
				return
			}
			if r.Account != tt.rep || r.Status != tt.status || r.Decided != on || a.Representatives[0].Decided != on {
				t.Fatalf("answered %+v", r)
			}
			if held[0].Status == tt.status {
				t.Fatal("the caller's slice changed")
			}
			if _, ok := a.ActiveRepresentative(); tt.status == RepActive && !ok {
				t.Fatal("authorised, but nobody active")
			}
		})
	}
}
