package sync

import (
	"fmt"
	"time"
)

// HLC is a hybrid logical clock reading (Kulkarni et al., 2014): the high
// 48 bits are wall-clock milliseconds, the low 16 a counter that orders
// events within one millisecond, or after a clock that stepped back. HLCs
// compare as integers and never run backwards on one machine, whatever the
// wall clock does.
type HLC uint64

const logicalBits = 16

// MakeHLC builds a reading from its parts.
func MakeHLC(wall time.Time, logical uint16) HLC {
	return HLC(uint64(wall.UnixMilli())<<logicalBits | uint64(logical))
}

// Wall is the wall-clock part of the reading.
func (h HLC) Wall() time.Time { return time.UnixMilli(int64(h >> logicalBits)).UTC() }

// Logical is the counter part of the reading.
func (h HLC) Logical() uint16 { return uint16(h) }

func (h HLC) String() string {
	return fmt.Sprintf("%s+%d", h.Wall().Format("2006-01-02T15:04:05.000Z"), h.Logical())
}

// Tick returns the reading for a local event at wall time now, after the
// last reading h: the wall time if it is ahead, otherwise h plus one.
func (h HLC) Tick(now time.Time) HLC {
	w := MakeHLC(now, 0)
	if w > h {
		return w
	}
	return h + 1
}

// Observe returns the reading after receiving remote at wall time now: ahead
// of both h and remote. A remote reading more than maxAhead in front of now
// is clamped to now+maxAhead first, so one machine with a wrong clock cannot
// drag everyone's clocks into the future; clamped reports whether it was.
func (h HLC) Observe(remote HLC, now time.Time, maxAhead time.Duration) (next HLC, clamped bool) {
	if limit := MakeHLC(now.Add(maxAhead), 0); remote > limit {
		remote, clamped = limit, true
	}
	next = h.Tick(now)
	if remote >= next {
		next = remote + 1
	}
	return next, clamped
}
