package server

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	gosync "sync"
	"testing"
)

// brokenConn is a response writer whose connection goes after limit
// bytes: a desk that hung up mid-answer.
type brokenConn struct {
	h     http.Header
	n     int
	limit int
}

func (b *brokenConn) Header() http.Header { return b.h }
func (b *brokenConn) WriteHeader(int)     {}
func (b *brokenConn) Write(p []byte) (int, error) {
	if b.n+len(p) > b.limit {
		k := max(b.limit-b.n, 0)
		b.n += k
		return k, errors.New("connection reset by peer")
	}
	b.n += len(p)
	return len(p), nil
}

// answer is a body of its own: every answer's bytes differ from every
// other's, so a mixed-up writer shows.
type answer struct {
	Who   int      `json:"who"`
	Items []string `json:"items"`
}

func makeAnswer(who, n int, rng *rand.Rand) answer {
	a := answer{Who: who}
	for i := range n {
		a.Items = append(a.Items, fmt.Sprintf("%d-%d-%x", who, i, rng.Uint64()))
	}
	return a
}

// TestAttackGzipPoolNeverMixesAnswers attacks the pool of gzip writers:
// many answers written at once, of many sizes (below and far past the
// compressor's window), interleaved with answers whose desk hangs up
// mid-write (the writer then holds an error and half a stream), must each
// decompress to exactly their own JSON, and an answer written after all
// of that must too (the pool is not poisoned).
func TestAttackGzipPoolNeverMixesAnswers(t *testing.T) {
	req := httptest.NewRequest(http.MethodGet, "/v1/changes", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	var wg gosync.WaitGroup
	errs := make(chan error, 1000)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 1))
			for i := range 24 {
				who := g*1000 + i
				a := makeAnswer(who, 200+rng.IntN(6000), rng)
				if i%3 == 1 {
					// A desk that hangs up part way through.
					bc := &brokenConn{h: http.Header{}, limit: rng.IntN(64 << 10)}
					writeJSON(bc, req, http.StatusOK, a)
					continue
				}
				rec := httptest.NewRecorder()
				writeJSON(rec, req, http.StatusOK, a)
				if err := checkAnswer(rec, a); err != nil {
					errs <- fmt.Errorf("answer %d: %w", who, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	n := 0
	for err := range errs {
		if n++; n <= 5 {
			t.Error(err)
		}
	}
	if n > 5 {
		t.Errorf("... and %d more", n-5)
	}
	// After the hang-ups, serially: the next writers out of the pool.
	rng := rand.New(rand.NewPCG(99, 1))
	for i := range 20 {
		a := makeAnswer(99000+i, 5000, rng)
		rec := httptest.NewRecorder()
		writeJSON(rec, req, http.StatusOK, a)
		if err := checkAnswer(rec, a); err != nil {
			t.Fatalf("answer after hang-ups: %v", err)
		}
	}
}

func checkAnswer(rec *httptest.ResponseRecorder, a answer) error {
	want, _ := json.Marshal(a)
	body := rec.Body.Bytes()
	if rec.Header().Get("Content-Encoding") == "gzip" {
		br := bytes.NewReader(body)
		zr, err := gzip.NewReader(br)
		if err != nil {
			return err
		}
		zr.Multistream(false)
		if body, err = io.ReadAll(zr); err != nil {
			return err
		}
		// Nothing after the one gzip member: no stream of another answer
		// (bytes.Reader is a ByteReader: gzip reads no further).
		if br.Len() != 0 {
			return fmt.Errorf("%d bytes after the gzip stream", br.Len())
		}
	} else if len(want) > gzipOver {
		return errors.New("a large answer not compressed")
	}
	if !bytes.Equal(body, want) {
		var got answer
		json.Unmarshal(body, &got)
		return fmt.Errorf("body is %d bytes (answer %d), want %d bytes", len(body), got.Who, len(want))
	}
	return nil
}
