package client_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"runtime"
	"strconv"
	"testing"

	"dossier/domain"
	"dossier/sync/client"
)

// TestAttackAnswerOverBoundIsRefused: a server that answers a pull with
// more than client.MaxAnswer — saying so in its Content-Length, streaming
// it without one, or as a small gzip that unzips to 512 MiB — makes the
// desk refuse the answer with ErrAnswerTooLarge, having held no more than
// a bounded part of it; the next pull from the honest server brings every
// record.
func TestAttackAnswerOverBoundIsRefused(t *testing.T) {
	f := newFixture(t)
	reqs := loadSchool(t, f, 50)
	d := freshDesk(t, f, "fresh", "sig.a")

	spaces := bytes.Repeat([]byte(" "), 1<<20)
	var member bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&member, gzip.BestCompression)
	zw.Write(spaces)
	zw.Close()

	attacks := []struct {
		name  string
		serve func(w http.ResponseWriter)
	}{
		{"a Content-Length over the bound", func(w http.ResponseWriter) {
			w.Header().Set("Content-Length", strconv.Itoa(1<<30))
			w.WriteHeader(http.StatusOK)
			w.Write(spaces)
		}},
		{"a streamed answer without a length", func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusOK)
			w.Write([]byte(`{"changes":[`))
			for range 512 {
				if _, err := w.Write(spaces); err != nil {
					return // the desk hung up
				}
			}
		}},
		{"a gzip that unzips to 512 MiB", func(w http.ResponseWriter) {
			w.Header().Set("Content-Encoding", "gzip")
			w.WriteHeader(http.StatusOK)
			// Concatenated gzip members read as one stream.
			for range 512 {
				if _, err := w.Write(member.Bytes()); err != nil {
					return
				}
			}
		}},
	}
	for _, a := range attacks {
		onChanges(f, 1, func(w http.ResponseWriter, r *http.Request, next http.Handler) bool {
			w.Header().Set("Content-Type", "application/json")
			a.serve(w)
			return true
		})
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := d.c.Pull(context.Background(), 0)
		runtime.ReadMemStats(&after)
		if domain.ErrorCode(err) != client.ErrAnswerTooLarge {
			t.Errorf("%s: the pull gave %v, want %s", a.name, err, client.ErrAnswerTooLarge)
		}
		// The buffer doubles on its way to the bound, 128 MiB in all for
		// 64, never the 512 MiB or 1 GiB sent.
		t.Logf("%s: %d MiB allocated", a.name, (after.TotalAlloc-before.TotalAlloc)>>20)
		if got := after.TotalAlloc - before.TotalAlloc; got > 2*client.MaxAnswer+16<<20 {
			t.Errorf("%s: the desk allocated %d MiB reading it", a.name, got>>20)
		}
	}
	f.ts.setFault(nil)
	if _, err := d.c.Pull(context.Background(), 0); err != nil {
		t.Fatal(err)
	}
	checkDesk(t, d, reqs)
	noPullLeft(t, "the refused answers")
}
