package ens

import (
	"errors"
	"testing"

	"dossier/domain"
)

func transferCase(t *testing.T) (held, ti Request) {
	t.Helper()
	evn, err := IssueEVN(10, 1, 7)
	if err != nil {
		t.Fatal(err)
	}
	owner := Student{GivenNames: "Élodie", FamilyName: "Côté-Lévesque", BirthDate: domain.Date{Year: 2002, Month: 5, Day: 17},
		ClientID: "12345678"}
	held = Request{Type: EV, Status: Verified, School: domain.ID{1}, EVN: evn, Student: owner}
	ti = Request{Type: TI, Status: AwaitingAcceptance, School: domain.ID{2}, EVN: evn, Student: owner}
	ti.Student.GivenNames, ti.Student.FamilyName = "ELODIE", "Cote Levesque"
	return held, ti
}

func TestCheckTransfer(t *testing.T) {
	tests := []struct {
		name   string
		change func(held, ti *Request) *Request
		want   error
	}{
		{"same person, name written otherwise", func(h, _ *Request) *Request { return h }, nil},
		{"accepted here before", func(h, _ *Request) *Request { h.Type, h.Status = TI, Accepted; return h }, nil},
		{"never issued", func(*Request, *Request) *Request { return nil }, ErrTransferUnknown},
		{"another EVN", func(h, _ *Request) *Request { h.EVN, _ = IssueEVN(10, 1, 8); return h }, ErrTransferUnknown},
		{"moved already", func(h, _ *Request) *Request { h.TransferredTo = domain.ID{3}; return h }, ErrTransferUnknown},
		{"rejected", func(h, _ *Request) *Request { h.Status = Rejected; return h }, ErrTransferUnknown},
		{"expired", func(h, _ *Request) *Request { h.Status = Expired; return h }, ErrTransferUnknown},
		{"withdrawn", func(h, _ *Request) *Request { h.Status = Withdrawn; return h }, ErrTransferUnknown},
		{"still open", func(h, _ *Request) *Request { h.Status = InProgress; return h }, ErrTransferUnknown},
		{"a compliance listing", func(h, _ *Request) *Request { h.Type, h.Status = AC, Eligible; return h }, ErrTransferUnknown},
		{"to the same school", func(h, ti *Request) *Request { h.School = ti.School; return h }, ErrSameSchool},
		{"another name", func(h, ti *Request) *Request { ti.Student.FamilyName = "Tremblay"; return h }, ErrTransferOtherStudent},
		{"another client ID", func(h, ti *Request) *Request { ti.Student.ClientID = "12345679"; return h }, ErrTransferOtherStudent},
		{"another birth date", func(h, ti *Request) *Request { ti.Student.BirthDate.Day = 18; return h }, ErrTransferOtherStudent},
		{"no birth date on either", func(h, ti *Request) *Request {
			h.Student.BirthDate, ti.Student.BirthDate = domain.Date{}, domain.Date{}
			return h
		}, ErrTransferOtherStudent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			held, ti := transferCase(t)
			err := CheckTransfer(&ti, tt.change(&held, &ti))
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCheckTransferOffline(t *testing.T) {
	tests := []struct {
		name   string
		change func(ti *Request)
		want   error
	}{
		{"well formed", func(*Request) {}, nil},
		{"old school named", func(ti *Request) { ti.FromSchool = domain.ID{1} }, nil},
		{"old school is the new one", func(ti *Request) { ti.FromSchool = ti.School }, ErrSameSchool},
		{"mistyped", func(ti *Request) { ti.EVN = ti.EVN[:len(ti.EVN)-1] + "0" }, ErrEVNCheck},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ti := transferCase(t)
			tt.change(&ti)
			err := CheckTransferOffline(&ti)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestTransferStateOf(t *testing.T) {
	_, ti := transferCase(t)
	if s := TransferStateOf(&ti, false); s != TransferToConfirm {
		t.Fatalf("awaiting acceptance: %v", s)
	}
	ti.Status = Accepted
	if s := TransferStateOf(&ti, true); s != TransferToConfirm {
		t.Fatalf("accepted on the desk, not yet sent: %v", s)
	}
	if s := TransferStateOf(&ti, false); s != TransferConfirmed {
		t.Fatalf("accepted by the program: %v", s)
	}
	ti.Status = Rejected
	if s := TransferStateOf(&ti, false); s != TransferNotChecked {
		t.Fatalf("rejected: %v", s)
	}
}
