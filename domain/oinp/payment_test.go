package oinp

import (
	"testing"
	"time"

	"dossier/domain"
)

func TestCheckCard(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	ok := Card{Number: "4111 1111 1111 1111", Name: "Linh Nguyen", ExpMonth: 11, ExpYear: 2026, CVC: "123"}
	for _, c := range []struct {
		name  string
		edit  func(c *Card)
		brand string
		code  domain.Code
	}{
		{"VISA", func(*Card) {}, "visa", ""},
		{"VISA with dashes", func(c *Card) { c.Number = "4111-1111-1111-1111" }, "visa", ""},
		{"MasterCard 5555", func(c *Card) { c.Number = "5555555555554444" }, "mastercard", ""},
		{"MasterCard 2-series", func(c *Card) { c.Number = "2223003122003222" }, "mastercard", ""},
		{"a wrong check digit", func(c *Card) { c.Number = "4111111111111112" }, "", ErrCardCheck},
		{"American Express", func(c *Card) { c.Number = "378282246310005" }, "", ErrCardBrand},
		{"letters", func(c *Card) { c.Number = "4111 1111 1111 111O" }, "", ErrCardNumber},
		{"too short", func(c *Card) { c.Number = "411111111111" }, "", ErrCardBrand},
		{"expired last month", func(c *Card) { c.ExpMonth = 10 }, "", ErrCardExpired},
		{"month 13", func(c *Card) { c.ExpMonth = 13 }, "", ErrCardExpired},
		{"a CVC of four", func(c *Card) { c.CVC = "1234" }, "", ErrCardCVC},
		{"no name", func(c *Card) { c.Name = " " }, "", ErrCardName},
	} {
		t.Run(c.name, func(t *testing.T) {
			card := ok
			c.edit(&card)
			_, brand, err := CheckCard(card, now)
			if domain.ErrorCode(err) != c.code && !(c.code == "" && err == nil) || brand != c.brand {
				t.Fatalf("%q %v, want %q %s", brand, err, c.brand, c.code)
			}
		})
	}
}

func TestSandboxKeepsOnlyTheLastFour(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	card := Card{Number: "4111111111111111", Name: "L N", ExpMonth: 1, ExpYear: 2030, CVC: "123"}
	r, err := Sandbox{}.Charge("0190aa55-0000-7000-8000-00000000abcd", "JOID-1234567", FeeGTACents, card, now)
	if err != nil || !r.Sandbox || r.Last4 != "1111" || r.AmountCents != FeeGTACents || r.Brand != "visa" ||
		r.Reference != "SANDBOX-1234567-20261121120000" {
		t.Fatalf("%+v %v", r, err)
	}
	// The same key at the same moment (a transaction run again) answers
	// the same receipt.
	if again, _ := (Sandbox{}).Charge("0190aa55-0000-7000-8000-00000000abcd", "JOID-1234567", FeeGTACents, card, now); again != r {
		t.Fatalf("charged again: %+v, first %+v", again, r)
	}
	if _, err := (Sandbox{}).Charge("k", "JOID-1234567", FeeGTACents, Card{Number: "4000000000000002", Name: "L N", ExpMonth: 1, ExpYear: 2030, CVC: "123"}, now); domain.ErrorCode(err) != ErrCardDecline {
		t.Fatalf("the declining card: %v", err)
	}
}
