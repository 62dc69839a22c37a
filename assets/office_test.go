package assets

import (
	"testing"
	"time"
)

// TestOINPOffice: the letterhead has an address in both languages and the
// office's dates are Toronto's.
func TestOINPOffice(t *testing.T) {
	o := OINPOffice()
	if o.Zone.String() != "America/Toronto" || len(o.AddressIn("en")) == 0 || len(o.AddressIn("fr")) == 0 ||
		o.VerifyAt == "" || o.Phone == "" {
		t.Fatalf("office: %+v", o)
	}
	if OCWPPOffice().VerifyAt == "" {
		t.Error("no address to check the OCWPP's codes at")
	}
	if _, err := ParseOffice([]byte(`{"timeZone":"Mars/Olympus","verifyAt":"x"}`)); err == nil {
		t.Error("an office whose zone does not load is accepted")
	}
}

// TestZone: a school's zone is its own, else its province's, else Toronto.
func TestZone(t *testing.T) {
	for _, c := range []struct{ name, zone, province, want string }{
		{"its own", "America/Vancouver", "ON", "America/Vancouver"},
		{"by province", "", "BC", "America/Vancouver"},
		{"Newfoundland", "", "nl", "America/St_Johns"},
		{"a bad name falls to the province", "Nowhere/Town", "MB", "America/Winnipeg"},
		{"no province", "", "", "America/Toronto"},
	} {
		if got := Zone(c.zone, c.province).String(); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	// 23:30 in Toronto on March 3 is March 4 in UTC.
	late := time.Date(2026, 3, 4, 4, 30, 0, 0, time.UTC)
	if d := late.In(Zone("", "ON")).Day(); d != 3 {
		t.Errorf("a request received at 23:30 in Toronto is dated the %d", d)
	}
}
