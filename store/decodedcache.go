package store

import (
	"bytes"
	gosync "sync"
)

// decodedCache keeps what sealed values read on every signed-in request
// decode to (an access token's record, its account's standing), so that
// each request does not decrypt and parse them again. An entry is served
// only while the stored value still begins with the nonce it was decoded
// from: every write seals with a new random nonce, so a change — a
// revocation, a de-link, a token ended — is seen at the very next read,
// and a value written by a transaction that then rolled back is never
// served, since the committed value's nonce differs.
type decodedCache[T any] struct {
	mu gosync.Mutex
	m  map[string]decoded[T]
}

type decoded[T any] struct {
	nonce [nonceSize]byte
	v     T
}

// nonceSize is the length of the random nonce a sealed value starts with.
const nonceSize = 24

// decodedMax bounds the entries kept: past it the cache starts again,
// which costs one decode per entry.
const decodedMax = 16384

// get reads key of b into v, from the cache while the stored value is
// the one decoded.
func (c *decodedCache[T]) get(s *Store, b SealedBucket, key []byte, v *T) (found bool, err error) {
	sealed := b.Get(key)
	if sealed == nil {
		return false, nil
	}
	id := string(b.name) + "\x00" + string(key)
	if len(sealed) >= nonceSize {
		c.mu.Lock()
		e, ok := c.m[id]
		c.mu.Unlock()
		if ok && bytes.Equal(e.nonce[:], sealed[:nonceSize]) {
			*v = e.v
			return true, nil
		}
	}
	var x T
	if err := s.OpenJSON(b, key, sealed, &x); err != nil {
		return true, err
	}
	*v = x
	if len(sealed) >= nonceSize {
		e := decoded[T]{v: x}
		copy(e.nonce[:], sealed)
		c.mu.Lock()
		if c.m == nil || len(c.m) >= decodedMax {
			c.m = make(map[string]decoded[T])
		}
		c.m[id] = e
		c.mu.Unlock()
	}
	return true, nil
}
