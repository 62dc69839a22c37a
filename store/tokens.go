package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"time"

	"dossier/domain"
	"dossier/domain/account"
	"dossier/sync"
)

// tokenRecord is what the server keeps of a token, under its hash.
type tokenRecord struct {
	Account domain.ID `json:"account"`
	Refresh bool      `json:"refresh,omitempty"`
	Device  domain.ID `json:"device"`
	Expires time.Time `json:"expires"`
	// Family is the sign-in the token descends from (zero for tokens
	// issued before families).
	Family domain.ID `json:"family,omitzero"`
}

// tokenFamily is what the server keeps of one sign-in's line of tokens:
// each refresh hands out the next pair and uses up the last refresh
// token. A used refresh token presented again means that two parties
// hold the line (one stole it): the whole family is revoked, so the thief
// is out as soon as the owner refreshes, or the owner is asked to sign in
// again as soon as the thief does.
type tokenFamily struct {
	Account domain.ID `json:"account"`
	// Live are the hashes of the family's tokens still in tokensBucket.
	Live    [][]byte  `json:"live"`
	Expires time.Time `json:"expires"`
	// Failures counts the wrong passwords of sign-ins that presented one
	// of the family's refresh tokens to pass a pause (SignIn); at the
	// policy's MaxFailures the family passes no more pauses.
	Failures int `json:"failures,omitzero"`
}

// checkWait is how long a sign-in waits for a turn to check its password.
const checkWait = 2 * time.Second

// Codes for tokens.
var (
	ErrTokenInvalid = domain.NewCode("store.token.invalid", domain.KindUnauthorized)
	// ErrTokenReplayed is a refresh token used a second time: its family
	// is revoked, and the person signs in again.
	ErrTokenReplayed = domain.NewCode("store.token.replayed", domain.KindUnauthorized)
)

// A refresh token's text is its family's ID followed by 32 random bytes
// (base64url); an access token's, 32 random bytes.
const familyIDLen = len(domain.ID{})

// familyOf reads the family a refresh token names, if it names one.
func familyOf(token string) (domain.ID, bool) {
	var id domain.ID
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != familyIDLen+32 {
		return id, false
	}
	copy(id[:], raw)
	return id, !id.IsZero()
}

func tokenKey(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// newToken draws a token's text: prefix (a family's ID, or nothing) and
// 32 random bytes.
func (sv *Server) newToken(prefix []byte) (string, error) {
	raw := make([]byte, 32)
	if _, err := io.ReadFull(sv.opt.Store.Rand, raw); err != nil {
		return "", domain.Wrap(ErrStorage, err)
	}
	return base64.RawURLEncoding.EncodeToString(append(prefix, raw...)), nil
}

// issueTokens writes a new access and refresh token pair for a in tx, the
// next of family (a new family when zero), whose live tokens before are
// in live.
func (sv *Server) issueTokens(tx *Tx, a *Account, device, family domain.ID, live [][]byte, now time.Time) (sync.Tokens, error) {
	var out sync.Tokens
	var err error
	var failures int // the family's, which a refresh must not reset
	signIn := family.IsZero()
	if !family.IsZero() {
		var prev tokenFamily
		if _, err := sv.st.GetJSON(sv.families(tx), family[:], &prev); err != nil {
			return out, err
		}
		failures = prev.Failures
	}
	if family.IsZero() {
		if family, err = sv.st.NewID(now); err != nil {
			return out, err
		}
	}
	if out.Access, err = sv.newToken(nil); err != nil {
		return out, err
	}
	if out.Refresh, err = sv.newToken(family[:]); err != nil {
		return out, err
	}
	out.Expires = now.Add(sv.opt.AccessTTL)
	b := BucketOf(tx, tokensBucket)
	if err := sv.st.PutJSON(b, tokenKey(out.Access), tokenRecord{Account: a.ID, Device: device, Expires: out.Expires,
		Family: family}); err != nil {
		return out, err
	}
	expires := now.Add(sv.opt.RefreshTTL)
	if err := sv.st.PutJSON(b, tokenKey(out.Refresh), tokenRecord{Account: a.ID, Refresh: true, Device: device,
		Expires: expires, Family: family}); err != nil {
		return out, err
	}
	// The family's earlier access tokens stay live until they expire.
	fam := tokenFamily{Account: a.ID, Expires: expires, Live: [][]byte{tokenKey(out.Access), tokenKey(out.Refresh)},
		Failures: failures}
	for _, k := range live {
		var rec tokenRecord
		if found, err := sv.st.GetJSON(b, k, &rec); err != nil {
			return out, err
		} else if found && !rec.Refresh && now.Before(rec.Expires) {
			fam.Live = append(fam.Live, k)
		}
	}
	if err := sv.st.PutJSON(sv.families(tx), family[:], fam); err != nil {
		return out, err
	}
	// The computer's own desk number, when it has none yet: at its first
	// sign-in, or its first renewal after the upgrade to schema 8.
	if err := sv.st.assignAtSignIn(tx, a, device, signIn); err != nil {
		return out, err
	}
	if out.Account, err = json.Marshal(publicAccount(a)); err != nil {
		return out, err
	}
	out.Epoch = sv.st.epoch
	return out, nil
}

// SignIn checks a person's user ID and password and hands out tokens. The
// attempt first counts against the limits of its client address from
// (empty for none) and of the user ID: over them, it is refused with
// sync.ErrTooMany and the time to try again, before the password is
// checked or counted. Three failures in a row then de-link the enrolment,
// as on a desk (the program's rule): the server refuses it from every
// computer, the owner's own desks included, whose tokens stop working
// (account.ErrDelinked), until the person enrols again with a new PIN.
//
// A sign-in that presents refresh, a live refresh token of the account
// the user ID names, passes the user ID's limit (which strangers can
// fill), not the address's, and nothing else: not the de-link. Its wrong
// passwords count towards the de-link as anyone's do, and against its
// token family too: after the policy's MaxFailures of them the family
// passes the limit no more. So a stolen refresh token buys no guesses and
// no way around a de-link. The token is not used up: the desk keeps it
// until the new one arrives.
func (sv *Server) SignIn(userID, password string, device domain.ID, refresh, from string) (sync.Tokens, error) {
	owner, family, err := sv.ownerProof(userID, refresh)
	if err != nil {
		return sync.Tokens{}, err
	}
	limits := sv.signInLimits(from, userID)
	if !owner.IsZero() {
		limits = limits[:len(limits)-1] // the user ID's is the last
	}
	if err := sv.admitAttempt(limits, "signin"); err != nil {
		return sync.Tokens{}, err
	}
	// A password check takes a core and tens of megabytes for tens of
	// milliseconds, on purpose: this process runs one per core at most,
	// so a flood from many addresses cannot take the machine from the
	// pushes. One that waits too long for its turn is asked to come back.
	select {
	case sv.checking <- struct{}{}:
		defer func() { <-sv.checking }()
	case <-time.After(checkWait):
		return sync.Tokens{}, domain.Errorf(sync.ErrTooMany, sv.st.Now().Add(time.Second))
	}
	tok, acct, err := sv.signInQuestion(userID, password, device, owner)
	if err != nil {
		if !owner.IsZero() && domain.ErrorCode(err).Kind() == domain.KindUnauthorized {
			if ferr := sv.familyFailed(family); ferr != nil {
				return sync.Tokens{}, ferr
			}
		}
		return sync.Tokens{}, err
	}
	if tok.Challenge != nil {
		return tok, nil // the tokens come with the right answer (AnswerSignIn)
	}
	now := sv.st.Now()
	var out sync.Tokens
	err = sv.st.db.Update(func(tx *Tx) error {
		out, err = sv.issueTokens(tx, &acct, device, domain.ID{}, nil, now)
		return err
	})
	return out, err
}

// ownerProof reads the refresh token a sign-in presented: the account
// and token family it proves the caller holds, when the token is live,
// the account is the one userID names, and the family may still pass a
// pause; zero IDs otherwise (an empty, forged, used or expired token is
// no proof, and no refusal either).
func (sv *Server) ownerProof(userID, refresh string) (owner, family domain.ID, err error) {
	if refresh == "" {
		return owner, family, nil
	}
	uid, cerr := account.CleanUserID(userID)
	if cerr != nil {
		return owner, family, nil
	}
	now := sv.st.Now()
	uh := sv.st.kr.Hash(hashUserID, uid)
	err = sv.st.db.View(func(tx *Tx) error {
		var rec tokenRecord
		found, err := sv.st.GetJSON(BucketOf(tx, tokensBucket), tokenKey(refresh), &rec)
		if err != nil || !found || !rec.Refresh || !now.Before(rec.Expires) || rec.Family.IsZero() {
			return err
		}
		if id := tx.Bucket(ixUserID).Get(uh[:]); !bytes.Equal(id, rec.Account[:]) {
			return nil
		}
		if tx.Bucket(tokenFamiliesBucket) == nil {
			return nil
		}
		var fam tokenFamily
		found, err = sv.st.GetJSON(BucketOf(tx, tokenFamiliesBucket), rec.Family[:], &fam)
		if err != nil || !found || fam.Failures >= sv.st.opt.Policy.MaxFailures {
			return err
		}
		owner, family = rec.Account, rec.Family
		return nil
	})
	return owner, family, err
}

// familyFailed counts a wrong password against a token family that
// passed a pause (SignIn).
func (sv *Server) familyFailed(family domain.ID) error {
	return sv.st.db.Update(func(tx *Tx) error {
		fb := sv.families(tx)
		var fam tokenFamily
		found, err := sv.st.GetJSON(fb, family[:], &fam)
		if err != nil || !found {
			return err
		}
		fam.Failures++
		return sv.st.PutJSON(fb, family[:], fam)
	})
}

// families is the bucket of token families, made in tx on a file from
// before it was declared (until the next schema step makes it for all).
func (sv *Server) families(tx *Tx) SealedBucket {
	if tx.Bucket(tokenFamiliesBucket) == nil {
		// Only a write can be missing it: a read finds no family, which
		// only a write (a sign-in) could have made.
		_ = tx.CreateBucketIfNotExists(tokenFamiliesBucket)
	}
	return BucketOf(tx, tokenFamiliesBucket)
}

// Refresh trades a refresh token for a new pair; the old one is used up,
// so a stolen refresh token works once at most, and not after its owner
// has used it. A used one presented again revokes its whole family
// (tokenFamily) and is refused with ErrTokenReplayed.
func (sv *Server) Refresh(token string) (sync.Tokens, error) {
	now := sv.st.Now()
	var out sync.Tokens
	var refused error
	err := sv.st.db.Update(func(tx *Tx) error {
		refused = nil
		b := BucketOf(tx, tokensBucket)
		var rec tokenRecord
		found, err := sv.st.GetJSON(b, tokenKey(token), &rec)
		if err != nil {
			return err
		}
		if !found || !rec.Refresh || !now.Before(rec.Expires) {
			if refused, err = sv.revokeFamily(tx, token, now); refused == nil && err == nil {
				refused = domain.Errorf(ErrTokenInvalid)
			}
			return err
		}
		if err := b.Delete(tokenKey(token)); err != nil {
			return err
		}
		a, err := sv.usableAccount(tx, rec.Account)
		if err != nil {
			return err
		}
		var fam tokenFamily
		if !rec.Family.IsZero() {
			if _, err := sv.st.GetJSON(sv.families(tx), rec.Family[:], &fam); err != nil {
				return err
			}
		}
		out, err = sv.issueTokens(tx, &a, rec.Device, rec.Family, fam.Live, now)
		return err
	})
	if err == nil {
		err = refused
	}
	return out, err
}

// revokeFamily ends every token of the family a refresh token names, when
// that family is alive: the token was used before, by its owner or by
// someone else. It returns ErrTokenReplayed then, nothing when the token
// names no living family (forged, or from before families).
func (sv *Server) revokeFamily(tx *Tx, token string, now time.Time) (error, error) {
	id, ok := familyOf(token)
	if !ok {
		return nil, nil
	}
	fb := sv.families(tx)
	var fam tokenFamily
	found, err := sv.st.GetJSON(fb, id[:], &fam)
	if err != nil || !found {
		return nil, err
	}
	tb := BucketOf(tx, tokensBucket)
	for _, k := range fam.Live {
		if err := tb.Delete(k); err != nil {
			return nil, err
		}
	}
	if err := fb.Delete(id[:]); err != nil {
		return nil, err
	}
	by := account.Actor{Account: fam.Account}
	return domain.Errorf(ErrTokenReplayed), sv.st.Journal(tx, now, Entry{By: by, Action: "token.family.revoke",
		Entity: fam.Account, Detail: string(ErrTokenReplayed)})
}

// Authenticate returns the person an access token stands for. An unknown
// or expired token, or an account revoked or de-linked since, is refused;
// for the latter, the person is returned with the refusal, so that it is
// audited under their name (Refused).
func (sv *Server) Authenticate(token string) (account.Actor, domain.ID, error) {
	now := sv.st.Now()
	var by account.Actor
	var device domain.ID
	err := sv.st.db.View(func(tx *Tx) error {
		var rec tokenRecord
		found, err := sv.tokens.get(sv.st, BucketOf(tx, tokensBucket), tokenKey(token), &rec)
		if err != nil {
			return err
		}
		if !found || rec.Refresh || !now.Before(rec.Expires) {
			return domain.Errorf(ErrTokenInvalid)
		}
		a, err := sv.accountStanding(tx, rec.Account)
		if err != nil {
			if !a.ID.IsZero() {
				by = a.actor() // revoked or de-linked: refused, but known
			}
			return err
		}
		by, device = a.actor(), rec.Device
		return nil
	})
	return by, device, err
}

// standing is what Authenticate reads of an account: who acts, and
// whether the account may act still. Every signed-in request reads it, so
// it decodes these fields alone rather than the whole Account (names,
// credential, security answers): about a sixth of the server's work on a
// push of one command was decoding the rest.
type standing struct {
	ID         domain.ID    `json:"id"`
	Role       account.Role `json:"role"`
	Org        domain.ID    `json:"org,omitempty"`
	Revoked    time.Time    `json:"revoked,omitempty"`
	Credential struct {
		Delinked time.Time
	} `json:"credential"`
}

func (a *standing) actor() account.Actor {
	return account.Actor{Account: a.ID, Role: a.Role, Org: a.Org}
}

// accountStanding is usableAccount for a request's check: the same
// refusals, from the fields that decide them.
func (sv *Server) accountStanding(tx *Tx, id domain.ID) (standing, error) {
	var a standing
	found, err := sv.standings.get(sv.st, BucketOf(tx, AccountsBucket), id[:], &a)
	if err != nil {
		return a, err
	}
	return a, usable(found, a.Revoked, a.Credential.Delinked)
}

// usableAccount reads the account a token stands for, refusing one
// revoked (ErrTokenInvalid) or de-linked (account.ErrDelinked: its desks
// learn it so, and lock it there). No token outlives a de-link: the
// enrolment that follows it ends them all (endTokens).
func (sv *Server) usableAccount(tx *Tx, id domain.ID) (Account, error) {
	var a Account
	found, err := sv.st.GetJSON(BucketOf(tx, AccountsBucket), id[:], &a)
	if err != nil {
		return a, err
	}
	return a, usable(found, a.Revoked, a.Credential.Delinked)
}

// usable refuses an account not found or revoked (ErrTokenInvalid) or
// de-linked (account.ErrDelinked).
func usable(found bool, revoked, delinked time.Time) error {
	switch {
	case !found || !revoked.IsZero():
		return domain.Errorf(ErrTokenInvalid)
	case !delinked.IsZero():
		return domain.Errorf(account.ErrDelinked)
	}
	return nil
}

// endTokens deletes every token of account id and their families: when
// the person enrols again after a de-link, no device signed in before it
// goes on with the old enrolment's tokens. A desk holds none.
func (s *Store) endTokens(tx *Tx, id domain.ID) error {
	if tx.Bucket(tokensBucket) == nil {
		return nil
	}
	b := BucketOf(tx, tokensBucket)
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var rec tokenRecord
		if err := s.OpenJSON(b, k, v, &rec); err != nil {
			return err
		}
		if rec.Account == id {
			if err := c.Delete(); err != nil {
				return err
			}
		}
	}
	if tx.Bucket(tokenFamiliesBucket) == nil {
		return nil
	}
	fb := BucketOf(tx, tokenFamiliesBucket)
	fc := fb.Cursor()
	for k, v := fc.First(); k != nil; k, v = fc.Next() {
		var fam tokenFamily
		if err := s.OpenJSON(fb, k, v, &fam); err != nil {
			return err
		}
		if fam.Account == id {
			if err := fc.Delete(); err != nil {
				return err
			}
		}
	}
	return nil
}

// SweepTokens deletes expired tokens (and token families); the server runs
// it now and then. It returns how many tokens it deleted.
func (sv *Server) SweepTokens() (int, error) {
	now := sv.st.Now()
	n := 0
	err := sv.st.db.Update(func(tx *Tx) error {
		b := BucketOf(tx, tokensBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var rec tokenRecord
			if err := sv.st.OpenJSON(b, k, v, &rec); err != nil {
				return err
			}
			if !now.Before(rec.Expires) {
				if err := c.Delete(); err != nil {
					return err
				}
				n++
			}
		}
		if tx.Bucket(tokenFamiliesBucket) == nil {
			return nil
		}
		fb := BucketOf(tx, tokenFamiliesBucket)
		fc := fb.Cursor()
		for k, v := fc.First(); k != nil; k, v = fc.Next() {
			var fam tokenFamily
			if err := sv.st.OpenJSON(fb, k, v, &fam); err != nil {
				return err
			}
			if !now.Before(fam.Expires) {
				if err := fc.Delete(); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return n, err
}
