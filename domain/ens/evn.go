package ens

import (
	"strings"

	"dossier/domain"
)

// An EVN (Eligibility Verification Number) is issued by a desk when it
// verifies a student [000]. It must never collide, even when two desks verify
// offline at the same moment, so it is built from parts that are unique by
// construction:
//
//	SSS  the school's code, assigned by the program (unique per school)
//	DD   the desk number, unique within the school: the server gives one
//	     to each computer a staff member signs in on (one DIR on two
//	     computers has two), and a computer issues only from its own; a
//	     profile that works alone without a server takes the number of
//	     the PIN its person enrolled with
//	QQQQ the desk's own sequence, kept in the desk's store and advanced in the
//	     same transaction that records the verification
//	C    a check character (domain.DammCheck) that catches every single
//	     mistyped character and every swap of two neighbours
//
// all in Crockford base 32, written SSS-DD-QQQQ-C, e.g. "3KQ-0A-00F7-M".
type EVN string

// Limits of the EVN parts.
const (
	MaxSchoolCode = 32*32*32 - 1    // 3 characters
	MaxDesk       = 32*32 - 1       // 2 characters
	MaxEVNSeq     = 32*32*32*32 - 1 // 4 characters
	evnLen        = 3 + 2 + 4 + 1   // characters without dashes
	evnPrinted    = evnLen + 3      // with the three dashes
)

// SchoolCode is the program-assigned number that starts every EVN a school
// issues.
type SchoolCode uint16

// String is the 3-character form used in EVNs.
func (c SchoolCode) String() string { return encode32(uint32(c), 3) }

// ParseSchoolCode reads the 3-character form.
func ParseSchoolCode(s string) (SchoolCode, error) {
	v, ok := decode32(strings.TrimSpace(s))
	if !ok || len(strings.TrimSpace(s)) != 3 {
		return 0, domain.FieldError(ErrSchoolCodeFormat, "schoolCode")
	}
	return SchoolCode(v), nil
}

// Desk identifies, for EVN purposes, one computer of a school's staff
// member (one desk).
type Desk uint16

// IssueEVN builds the EVN for the seq-th verification of desk at school.
// seq starts at 1.
func IssueEVN(school SchoolCode, desk Desk, seq uint32) (EVN, error) {
	if school > MaxSchoolCode || desk == 0 || desk > MaxDesk || seq == 0 || seq > MaxEVNSeq {
		return "", domain.Errorf(ErrEVNRange)
	}
	body := encode32(uint32(school), 3) + encode32(uint32(desk), 2) + encode32(seq, 4)
	c := domain.DammCheck([]byte(body))
	return EVN(body[:3] + "-" + body[3:5] + "-" + body[5:9] + "-" + string(domain.Crockford[c])), nil
}

// ParseEVN reads an EVN as a person types it: any case, with or without the
// dashes or with spaces, O for 0 and I or L for 1. It returns the canonical
// form, or ErrEVNFormat when it is not shaped like an EVN (or names desk 0
// or a 0th number, which no desk issues) and ErrEVNCheck when the check
// character shows a typing mistake.
func ParseEVN(s string) (EVN, error) {
	body := make([]byte, 0, evnLen)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' || c == ' ' {
			continue
		}
		v, ok := domain.CrockfordValue(c)
		if !ok || len(body) == evnLen {
			return "", domain.FieldError(ErrEVNFormat, "evn")
		}
		body = append(body, domain.Crockford[v])
	}
	if len(body) != evnLen {
		return "", domain.FieldError(ErrEVNFormat, "evn")
	}
	if domain.DammCheck(body) != 0 {
		return "", domain.FieldError(ErrEVNCheck, "evn")
	}
	b := string(body)
	e := EVN(b[:3] + "-" + b[3:5] + "-" + b[5:9] + "-" + b[9:])
	// Desks and sequences start at 1: no desk ever issued desk 0's or a
	// 0th number, however well its check character reads.
	if _, desk, seq := e.Parts(); desk == 0 || seq == 0 {
		return "", domain.FieldError(ErrEVNFormat, "evn")
	}
	return e, nil
}

// Parts splits a canonical EVN into the school, desk and sequence it was made
// from.
func (e EVN) Parts() (SchoolCode, Desk, uint32) {
	if len(e) != evnPrinted {
		return 0, 0, 0
	}
	s, _ := decode32(string(e[0:3]))
	d, _ := decode32(string(e[4:6]))
	q, _ := decode32(string(e[7:11]))
	return SchoolCode(s), Desk(d), q
}

func encode32(v uint32, n int) string {
	b := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		b[i] = domain.Crockford[v&31]
		v >>= 5
	}
	return string(b)
}

func decode32(s string) (uint32, bool) {
	var v uint32
	for i := 0; i < len(s); i++ {
		d, ok := domain.CrockfordValue(s[i])
		if !ok {
			return 0, false
		}
		v = v<<5 | uint32(d)
	}
	return v, true
}
