package requests

import (
	"encoding/binary"
	"errors"
	"time"

	"dossier/domain"
	"dossier/domain/ens"
)

// Requests are stored in a compact binary form rather than JSON: the queue
// decodes fifty of them per page, and every byte is paid for on disk
// 100,000 times. The first byte is the codec version; a new version adds a
// decoder and leaves this one in place.
//
// Version 1, after the version byte:
//
//	uvarint Version · byte Type · byte Status · School (16)
//	uvarint presence bits (requestHas*) · each present ID (16) in bit order
//	string GivenNames · string FamilyName · [varint birth date (days)]
//	string ClientID · string StudentNumber · string Email
//	varint Received ms · [varint Expires ms] · varint Updated ms · [varint DecidedAt ms]
//	string EVN · uint16 Checks (2 bits each) · string Notes · string Reason
//	uvarint ComplianceYear
//
// Strings are a uvarint length and UTF-8 bytes. The ID is the key.
const requestCodecV1 = 1

const (
	requestHasFrom = 1 << iota
	requestHasStudent
	requestHasAssignee
	requestHasDecidedBy
	requestHasTransferred
	requestHasExpires
	requestHasDecidedAt
	requestHasBirth
)

var errCodec = errors.New("stored request is malformed")

func encodeRequest(b []byte, r *ens.Request) []byte {
	b = append(b, requestCodecV1)
	b = binary.AppendUvarint(b, r.Version)
	b = append(b, byte(r.Type), byte(r.Status))
	b = append(b, r.School[:]...)
	ids := []struct {
		bit int
		id  domain.ID
	}{{requestHasFrom, r.FromSchool}, {requestHasStudent, r.StudentAccount},
		{requestHasAssignee, r.Assignee}, {requestHasDecidedBy, r.DecidedBy},
		{requestHasTransferred, r.TransferredTo}}
	var bits uint64
	for _, x := range ids {
		if !x.id.IsZero() {
			bits |= uint64(x.bit)
		}
	}
	if !r.Expires.IsZero() {
		bits |= requestHasExpires
	}
	if !r.DecidedAt.IsZero() {
		bits |= requestHasDecidedAt
	}
	if !r.Student.BirthDate.IsZero() {
		bits |= requestHasBirth
	}
	b = binary.AppendUvarint(b, bits)
	for _, x := range ids {
		if !x.id.IsZero() {
			b = append(b, x.id[:]...)
		}
	}
	s := &r.Student
	b = appendString(b, s.GivenNames)
	b = appendString(b, s.FamilyName)
	if !s.BirthDate.IsZero() {
		b = binary.AppendVarint(b, int64(s.BirthDate.Days()))
	}
	b = appendString(b, string(s.ClientID))
	b = appendString(b, s.StudentNumber)
	b = appendString(b, s.Email)
	b = binary.AppendVarint(b, r.Received.UnixMilli())
	if !r.Expires.IsZero() {
		b = binary.AppendVarint(b, r.Expires.UnixMilli())
	}
	b = binary.AppendVarint(b, r.Updated.UnixMilli())
	if !r.DecidedAt.IsZero() {
		b = binary.AppendVarint(b, r.DecidedAt.UnixMilli())
	}
	b = appendString(b, string(r.EVN))
	var checks uint16
	for i, c := range r.Checks {
		checks |= uint16(c&3) << (2 * i)
	}
	b = binary.BigEndian.AppendUint16(b, checks)
	b = appendString(b, r.Notes)
	b = appendString(b, r.Reason)
	return binary.AppendUvarint(b, uint64(r.ComplianceYear))
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// decoder reads the fields in order and remembers the first fault, so the
// decoding code reads like the layout.
type decoder struct {
	b   []byte
	err error
	// all is the whole input as one string, made once: every string
	// field is a slice of it (one allocation per record, not one per
	// field). b is always a suffix of the input.
	all string
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) bytes(n int) []byte {
	if len(d.b) < n {
		d.fail()
		return make([]byte, n)
	}
	v := d.b[:n]
	d.b = d.b[n:]
	return v
}

func (d *decoder) string() string {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return ""
	}
	if n == 0 {
		return ""
	}
	off := len(d.all) - len(d.b)
	d.b = d.b[n:]
	return d.all[off : off+int(n)]
}

// bytesOf reads a length-prefixed byte string, sharing the input.
func (d *decoder) bytesOf() []byte {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	return d.bytes(int(n))
}

func (d *decoder) id() (id domain.ID) {
	copy(id[:], d.bytes(16))
	return id
}

func (d *decoder) time() time.Time { return time.UnixMilli(d.varint()).UTC() }

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCodec
	}
	d.b = nil
}

// validType and validStatus are ens's Valid as tables: the queue decodes
// thousands of records, and the maps behind Valid cost more than most
// fields.
var validType, validStatus = func() (t, s [256]bool) {
	for _, x := range ens.Types {
		t[byte(x)] = x.Valid()
	}
	for _, x := range ens.Statuses {
		s[byte(x)] = x.Valid()
	}
	return t, s
}()

func decodeRequest(id domain.ID, b []byte) (ens.Request, error) {
	var r ens.Request
	err := decodeRequestInto(&r, id, b)
	return r, err
}

// decodeRequestInto decodes into *dst (which it overwrites whole), so that
// a page can decode straight into its rows.
func decodeRequestInto(dst *ens.Request, id domain.ID, b []byte) error {
	if len(b) == 0 || b[0] != requestCodecV1 {
		*dst = ens.Request{}
		return errCodec
	}
	d := decoder{b: b[1:], all: string(b[1:])}
	*dst = ens.Request{ID: id}
	r := dst
	r.Version = d.uvarint()
	tb := d.bytes(2)
	r.Type, r.Status = ens.Type(tb[0]), ens.Status(tb[1])
	r.School = d.id()
	bits := d.uvarint()
	for _, x := range []struct {
		bit int
		id  *domain.ID
	}{{requestHasFrom, &r.FromSchool}, {requestHasStudent, &r.StudentAccount},
		{requestHasAssignee, &r.Assignee}, {requestHasDecidedBy, &r.DecidedBy},
		{requestHasTransferred, &r.TransferredTo}} {
		if bits&uint64(x.bit) != 0 {
			*x.id = d.id()
		}
	}
	s := &r.Student
	s.GivenNames = d.string()
	s.FamilyName = d.string()
	if bits&requestHasBirth != 0 {
		s.BirthDate = domain.DateFromDays(int32(d.varint()))
	}
	s.ClientID = domain.ClientID(d.string())
	s.StudentNumber = d.string()
	s.Email = d.string()
	r.Received = d.time()
	if bits&requestHasExpires != 0 {
		r.Expires = d.time()
	}
	r.Updated = d.time()
	if bits&requestHasDecidedAt != 0 {
		r.DecidedAt = d.time()
	}
	r.EVN = ens.EVN(d.string())
	checks := d.bytes(2)
	c := binary.BigEndian.Uint16(checks)
	for i := range r.Checks {
		r.Checks[i] = ens.Check(c >> (2 * i) & 3)
	}
	r.Notes = d.string()
	r.Reason = d.string()
	r.ComplianceYear = int(d.uvarint())
	if d.err == nil && (!validType[byte(r.Type)] || !validStatus[byte(r.Status)]) {
		d.err = errCodec
	}
	return d.err
}
