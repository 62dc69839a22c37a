package store

import (
	"net"
	"strings"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

// Limit is a rate of attempts: Burst at once, then one every Every.
type Limit struct {
	Burst int
	Every time.Duration
}

// The server's sign-in limits (design). An address gets twenty attempts
// at once and then one every three seconds: a school's staff behind one
// address signing in on a Monday morning stay well within it (a desk signs
// in once and then lives on its refresh token), a password guesser does
// not. A user ID gets six at once and then one a minute, whatever the
// addresses they come from; its three-failure de-link is what stops the
// guessing, this limit keeps a flood from many addresses off the store's
// writer.
var (
	DefaultAddressLimit = Limit{Burst: 20, Every: 3 * time.Second}
	DefaultAccountLimit = Limit{Burst: 6, Every: time.Minute}
)

// throttleState is what throttleBucket keeps of one address or user ID:
// the limit's theoretical arrival time (GCRA: the time at which the
// bucket would be full again). Its value has a ninth byte, which said
// whether a refusal was audited while refusals were, and is now always 0.
type throttleState struct {
	tat time.Time
	// noted, in memory only (memLimits), says that the run's first
	// refusal was audited; the stored limits keep no such mark.
	noted bool
}

func encodeThrottle(st throttleState) []byte {
	return append(msAppend(make([]byte, 0, 9), st.tat), 0)
}

func decodeThrottle(v []byte) (throttleState, bool) {
	if len(v) != 9 {
		return throttleState{}, false
	}
	return throttleState{tat: msFrom(v[:8])}, true
}

// take is one attempt against lim at now: the state to keep, or, when the
// limit refuses, the time from which the next attempt will be taken.
func (lim Limit) take(st throttleState, now time.Time) (next throttleState, retry time.Time, ok bool) {
	tat := st.tat
	if tat.Before(now) {
		tat = now
	}
	tat = tat.Add(lim.Every)
	window := time.Duration(lim.Burst) * lim.Every
	if tat.Sub(now) > window {
		return st, tat.Add(-window), false
	}
	return throttleState{tat: tat}, time.Time{}, true
}

// addressKey is the part of a client address that one party controls: the
// whole of an IPv4 address, the first 64 bits of an IPv6 one (a single
// subscriber is handed a /64 or more).
func addressKey(from string) string {
	host, _, err := net.SplitHostPort(from)
	if err != nil {
		host = from
	}
	ip := net.ParseIP(host)
	switch {
	case ip == nil:
		return host
	case ip.To4() != nil:
		return ip.To4().String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String()
}

// throttled is one limit an attempt is counted against.
type throttled struct {
	key []byte
	lim Limit
}

// signInLimits are the limits a sign-in for userID from the address from
// counts against: the address's (none when from is empty: a call made in
// process) and the user ID's (as typed, folded: unknown IDs are limited
// as known ones, so the answer tells nothing).
func (sv *Server) signInLimits(from, userID string) []throttled {
	var out []throttled
	if from != "" {
		h := sv.st.kr.Hash(hashThrottleAddress, addressKey(from))
		out = append(out, throttled{h[:], sv.opt.AddressLimit})
	}
	h := sv.st.kr.Hash(hashThrottleUserID, strings.ToLower(strings.TrimSpace(userID)))
	return append(out, throttled{h[:], sv.opt.AccountLimit})
}

// registerLimits are the limits a registration or enrolment from the
// address from counts against: the address's, the same as its sign-ins'
// (an enrolment checks a PIN as a sign-in checks a password, and a
// guesser gains nothing by alternating the two). None for a call made in
// process.
func (sv *Server) registerLimits(from string) []throttled {
	if from == "" {
		return nil
	}
	h := sv.st.kr.Hash(hashThrottleAddress, addressKey(from))
	return []throttled{{h[:], sv.opt.AddressLimit}}
}

// admitAttempt counts an attempt against limits, or refuses it with
// sync.ErrTooMany and the time it may be tried again. A refusal costs a
// read and is counted in memory as action (Refused: the caller is not
// signed in), never written, so a flood neither grows the file nor takes
// the writer from the pushes.
func (sv *Server) admitAttempt(limits []throttled, action string) error {
	if len(limits) == 0 {
		return nil
	}
	now := sv.st.Now()
	var refused error
	err := sv.st.db.View(func(tx *Tx) error {
		b := tx.Bucket(throttleBucket)
		if b == nil {
			return nil // made by the next write (see admit)
		}
		for _, t := range limits {
			st, _ := decodeThrottle(b.Get(t.key))
			if _, at, ok := t.lim.take(st, now); !ok {
				refused = domain.Errorf(sync.ErrTooMany, at)
				return nil
			}
		}
		return nil
	})
	if err == nil && refused == nil {
		err = sv.st.db.Update(func(tx *Tx) error {
			var err error
			refused, err = sv.admit(tx, limits, now)
			return err
		})
	}
	if err != nil {
		return err
	}
	if refused != nil {
		_ = sv.Refused(account.Actor{}, action, domain.ID{}, sync.ErrTooMany)
	}
	return refused
}

// admit takes one attempt from every limit in tx, or none when one of them
// refuses (another attempt took the last place since admitAttempt read).
func (sv *Server) admit(tx *Tx, limits []throttled, now time.Time) (refused error, err error) {
	// Files made before the bucket was declared get it here; the next
	// schema step's createBuckets makes it for them all.
	if err := tx.CreateBucketIfNotExists(throttleBucket); err != nil {
		return nil, err
	}
	b := tx.Bucket(throttleBucket)
	next := make([]throttleState, len(limits))
	for i, t := range limits {
		st, _ := decodeThrottle(b.Get(t.key))
		nst, retry, ok := t.lim.take(st, now)
		if !ok {
			return domain.Errorf(sync.ErrTooMany, retry), nil
		}
		next[i] = nst
	}
	for i, t := range limits {
		if err := b.Put(t.key, encodeThrottle(next[i])); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// SweepSignInLimits forgets the addresses and user IDs whose limits are
// full again, as if never seen, and the stand-ins of unknown user IDs
// (phantomSignIn) a day after their last failure; the server runs it now
// and then.
func (sv *Server) SweepSignInLimits() (int, error) {
	now := sv.st.Now()
	n := 0
	err := sv.st.db.Update(func(tx *Tx) error {
		if tx.Bucket(throttleBucket) == nil {
			return nil
		}
		b := BucketOf(tx, throttleBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if isPhantomKey(k) {
				if sv.keepPhantom(b, k, v, now) {
					continue
				}
				if err := c.Delete(); err != nil {
					return err
				}
				continue
			}
			if st, ok := decodeThrottle(v); !ok || !st.tat.After(now) {
				if err := c.Delete(); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	return n, err
}

// phantomMemory is how long the stand-in of an unknown user ID's
// credential outlives its last failure and pause: as long as the longest
// pause, so that a run of guesses sees it pause as a real one does.
const phantomMemory = account.ServerSignInMaxPause

// keepPhantom reports whether the stand-in credential at k (value v) is
// still remembered at now.
func (sv *Server) keepPhantom(b SealedBucket, k, v []byte, now time.Time) bool {
	var c account.Credential
	if err := sv.st.OpenJSON(b, k, v, &c); err != nil {
		return false // unreadable: forget it
	}
	last := c.LastSignIn
	if c.PausedUntil.After(last) {
		last = c.PausedUntil
	}
	return now.Before(last.Add(phantomMemory))
}
