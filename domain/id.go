package domain

import (
	"encoding/binary"
	"fmt"
	"io"
	"time"
)

// ID identifies a record everywhere: on every desk, in the outbox and on the
// server. It is a UUIDv7: 48 bits of Unix milliseconds, then random bits, so
// that IDs made on different machines never collide and keys sort by
// creation time in bbolt.
type ID [16]byte

// NewID makes an ID for time t with randomness from r.
func NewID(t time.Time, r io.Reader) (ID, error) {
	var id ID
	if _, err := io.ReadFull(r, id[6:]); err != nil {
		return ID{}, fmt.Errorf("new id: %w", err)
	}
	ms := uint64(t.UnixMilli())
	id[0] = byte(ms >> 40)
	id[1] = byte(ms >> 32)
	binary.BigEndian.PutUint32(id[2:6], uint32(ms))
	id[6] = 0x70 | id[6]&0x0f // version 7
	id[8] = 0x80 | id[8]&0x3f // RFC 9562 variant
	return id, nil
}

// Time is the creation time carried in the ID, to the millisecond.
func (id ID) Time() time.Time {
	ms := int64(id[0])<<40 | int64(id[1])<<32 | int64(binary.BigEndian.Uint32(id[2:6]))
	return time.UnixMilli(ms).UTC()
}

// IsZero reports whether the ID is unset.
func (id ID) IsZero() bool { return id == ID{} }

// String renders the ID as 26 Crockford base-32 characters (the ULID text
// form), which sort in the same order as the bytes.
func (id ID) String() string {
	var out [26]byte
	var acc uint64
	bits := uint(2) // two zero bits of padding: 130 bits make 26 characters
	j := 0
	for _, b := range id {
		acc = acc<<8 | uint64(b)
		bits += 8
		for bits >= 5 {
			bits -= 5
			out[j] = Crockford[(acc>>bits)&31]
			j++
		}
	}
	return string(out[:])
}

// ParseID reads the text form written by String. Lower case and the
// look-alike letters I, L and O are accepted.
func ParseID(s string) (ID, error) {
	var id ID
	if len(s) != 26 {
		return id, FieldError(ErrBadID, "id")
	}
	var acc uint64
	bits := uint(0)
	j := 0
	for i := 0; i < len(s); i++ {
		v, ok := CrockfordValue(s[i])
		if !ok {
			return ID{}, FieldError(ErrBadID, "id")
		}
		acc = acc<<5 | uint64(v)
		bits += 5
		if i == 0 {
			// The first character holds 2 padding bits and 3 data bits.
			if v > 7 {
				return ID{}, FieldError(ErrBadID, "id")
			}
			bits = 3
			continue
		}
		if bits >= 8 {
			bits -= 8
			id[j] = byte(acc >> bits)
			j++
		}
	}
	return id, nil
}

// ErrBadID is returned for a malformed record identifier.
var ErrBadID = NewCode("id.malformed", KindInvalid)

// MarshalText writes the text form, so IDs read well in JSON.
func (id ID) MarshalText() ([]byte, error) {
	if id.IsZero() {
		return []byte{}, nil
	}
	return []byte(id.String()), nil
}

// UnmarshalText reads the text form; empty text is the zero ID.
func (id *ID) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*id = ID{}
		return nil
	}
	v, err := ParseID(string(b))
	if err != nil {
		return err
	}
	*id = v
	return nil
}
