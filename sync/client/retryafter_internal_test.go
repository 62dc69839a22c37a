package client

import (
	"testing"
	"time"
)

// TestRetryAfterReads: seconds or an HTTP date; nothing, zero, a past
// date or words mean no wait; a wait is never longer than an hour.
func TestRetryAfterReads(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		header string
		want   time.Duration
	}{
		{"", 0}, {"0", 0}, {"-5", 0}, {"soon", 0},
		{"2", 2 * time.Second}, {" 30 ", 30 * time.Second},
		{"86400", time.Hour},
		{"Sat, 21 Nov 2026 12:05:00 GMT", 5 * time.Minute},
		{"Sat, 21 Nov 2026 11:00:00 GMT", 0},
		{"Sun, 22 Nov 2026 12:00:00 GMT", time.Hour},
	} {
		got := retryAfter(c.header, now)
		var wait time.Duration
		if !got.IsZero() {
			wait = got.Sub(now)
		}
		if wait != c.want {
			t.Errorf("Retry-After %q: wait %v, want %v", c.header, wait, c.want)
		}
	}
}
