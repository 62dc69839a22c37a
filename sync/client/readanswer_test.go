package client

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

// TestReadAnswerBound: an answer of exactly the bound is whole, one byte
// more is over, with or without a length, however the reader splits it;
// a failed read is an error; a buffer brought in is used, and grown to
// the bound at most.
func TestReadAnswerBound(t *testing.T) {
	const limit = 10_000
	for _, n := range []int{0, 1, 4095, 4096, 4097, limit - 1, limit, limit + 1, 3 * limit} {
		body := bytes.Repeat([]byte{'x'}, n)
		for _, length := range []int64{-1, int64(n)} {
			for _, half := range []bool{false, true} {
				var r io.Reader = bytes.NewReader(body)
				if half {
					r = iotest.HalfReader(r)
				}
				got, over, err := readAnswer(make([]byte, 0, 100), r, length, limit)
				if err != nil {
					t.Fatalf("%d bytes: %v", n, err)
				}
				if over != (n > limit) {
					t.Errorf("%d bytes (length %d): over %v", n, length, over)
				}
				if !over && !bytes.Equal(got, body) {
					t.Errorf("%d bytes (length %d): read %d", n, length, len(got))
				}
				if cap(got) > limit+1 {
					t.Errorf("%d bytes (length %d): grew to %d", n, length, cap(got))
				}
			}
		}
	}
	boom := errors.New("reset")
	if _, _, err := readAnswer(nil, iotest.ErrReader(boom), -1, limit); !errors.Is(err, boom) {
		t.Errorf("a failed read gave %v", err)
	}
	if _, _, err := readAnswer(nil, io.MultiReader(bytes.NewReader(make([]byte, limit)), iotest.ErrReader(boom)), -1, limit); !errors.Is(err, boom) {
		t.Errorf("a read failed at the bound gave %v", err)
	}
}
