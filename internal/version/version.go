// Package version is Dossier's one version number, set in FyneApp.toml
// (Details.Version) and stamped into every program by the Makefile
// (-ldflags "-X dossier/internal/version.Version=…"); a plain go build
// gets the default below, which a test keeps equal to FyneApp.toml's.
//
// The sync handshake: every desk sends its version with each request
// (sync.HeaderDeskVersion), and the server refuses a desk older than
// MinDesk (sync.ErrDeskTooOld, HTTP 426) with both versions, so the
// person reads what to install. A desk newer than the server keeps
// working while the server is at least the desk's MinServer: the wire
// only ever gains fields and kinds an older end ignores, and a change
// that breaks it raises MinDesk (on the server) or MinServer (on the
// desk) in the same release.
package version

import (
	"strconv"
	"strings"
)

// Version is this build's version, "MAJOR.MINOR.PATCH".
var Version = "0.1.0"

// MinDesk is the oldest desk version this server serves.
const MinDesk = "0.1.0"

// MinServer is the oldest server version this desk syncs with.
const MinServer = "0.1.0"

// Compare compares two versions "MAJOR.MINOR.PATCH" (a suffix after "-"
// or "+" is ignored; a missing or unreadable part counts as 0): -1 when a
// is older than b, 0 when the same, +1 when newer.
func Compare(a, b string) int {
	pa, pb := parts(a), parts(b)
	for i := range pa {
		switch {
		case pa[i] < pb[i]:
			return -1
		case pa[i] > pb[i]:
			return 1
		}
	}
	return 0
}

// Valid reports whether v reads as MAJOR.MINOR.PATCH.
func Valid(v string) bool {
	v = strings.TrimPrefix(v, "v")
	if i := strings.IndexAny(v, "-+"); i >= 0 {
		v = v[:i]
	}
	f := strings.Split(v, ".")
	if len(f) != 3 {
		return false
	}
	for _, p := range f {
		if _, err := strconv.ParseUint(p, 10, 32); err != nil {
			return false
		}
	}
	return true
}

func parts(v string) [3]uint64 {
	v = strings.TrimPrefix(v, "v")
	if i := strings.IndexAny(v, "-+"); i >= 0 {
		v = v[:i]
	}
	var out [3]uint64
	for i, p := range strings.SplitN(v, ".", 3) {
		out[i], _ = strconv.ParseUint(p, 10, 32)
	}
	return out
}
