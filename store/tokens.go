package store

import (
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
}

// Codes for tokens.
var (
	ErrTokenInvalid = domain.NewCode("store.token.invalid", domain.KindUnauthorized)
)

func tokenKey(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func (sv *Server) newToken() (string, error) {
	raw := make([]byte, 32)
	if _, err := io.ReadFull(sv.opt.Store.Rand, raw); err != nil {
		return "", domain.Wrap(ErrStorage, err)
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

// issueTokens writes a new access and refresh token pair for a in tx.
func (sv *Server) issueTokens(tx *Tx, a *Account, device domain.ID, now time.Time) (sync.Tokens, error) {
	var out sync.Tokens
	var err error
	if out.Access, err = sv.newToken(); err != nil {
		return out, err
	}
	if out.Refresh, err = sv.newToken(); err != nil {
		return out, err
	}
	out.Expires = now.Add(sv.opt.AccessTTL)
	b := bucketOf(tx, tokensBucket)
	if err := sv.s.putJSON(b, tokenKey(out.Access), tokenRecord{Account: a.ID, Device: device, Expires: out.Expires}); err != nil {
		return out, err
	}
	if err := sv.s.putJSON(b, tokenKey(out.Refresh), tokenRecord{Account: a.ID, Refresh: true, Device: device,
		Expires: now.Add(sv.opt.RefreshTTL)}); err != nil {
		return out, err
	}
	if out.Account, err = json.Marshal(publicAccount(a)); err != nil {
		return out, err
	}
	out.Epoch = sv.s.epoch
	return out, nil
}

// SignIn checks a person's user ID and password with the same rules as a
// desk (three failures de-link the enrolment) and hands out tokens.
func (sv *Server) SignIn(userID, password string, device domain.ID) (sync.Tokens, error) {
	_, acct, err := sv.s.SignIn(userID, password)
	if err != nil {
		return sync.Tokens{}, err
	}
	now := sv.s.now()
	var out sync.Tokens
	err = sv.s.db.Update(func(tx *Tx) error {
		out, err = sv.issueTokens(tx, &acct, device, now)
		return err
	})
	return out, err
}

// Refresh trades a refresh token for a new pair; the old one is used up,
// so a stolen refresh token works once at most, and not after its owner
// has used it.
func (sv *Server) Refresh(token string) (sync.Tokens, error) {
	now := sv.s.now()
	var out sync.Tokens
	err := sv.s.db.Update(func(tx *Tx) error {
		b := bucketOf(tx, tokensBucket)
		var rec tokenRecord
		found, err := sv.s.getJSON(b, tokenKey(token), &rec)
		if err != nil {
			return err
		}
		if !found || !rec.Refresh || !now.Before(rec.Expires) {
			return domain.Errorf(ErrTokenInvalid)
		}
		if err := b.Delete(tokenKey(token)); err != nil {
			return err
		}
		a, err := sv.usableAccount(tx, rec.Account)
		if err != nil {
			return err
		}
		out, err = sv.issueTokens(tx, &a, rec.Device, now)
		return err
	})
	return out, err
}

// Authenticate returns the person an access token stands for. An unknown
// or expired token, or an account revoked or de-linked since, is refused.
func (sv *Server) Authenticate(token string) (account.Actor, domain.ID, error) {
	now := sv.s.now()
	var by account.Actor
	var device domain.ID
	err := sv.s.db.View(func(tx *Tx) error {
		var rec tokenRecord
		found, err := sv.s.getJSON(bucketOf(tx, tokensBucket), tokenKey(token), &rec)
		if err != nil {
			return err
		}
		if !found || rec.Refresh || !now.Before(rec.Expires) {
			return domain.Errorf(ErrTokenInvalid)
		}
		a, err := sv.usableAccount(tx, rec.Account)
		if err != nil {
			return err
		}
		by, device = a.Actor(), rec.Device
		return nil
	})
	return by, device, err
}

func (sv *Server) usableAccount(tx *Tx, id domain.ID) (Account, error) {
	var a Account
	found, err := sv.s.getJSON(bucketOf(tx, accountsBucket), id[:], &a)
	if err != nil {
		return a, err
	}
	if !found || !a.Revoked.IsZero() || !a.Credential.Delinked.IsZero() {
		return a, domain.Errorf(ErrTokenInvalid)
	}
	return a, nil
}

// SweepTokens deletes expired tokens; the server runs it now and then.
func (sv *Server) SweepTokens() (int, error) {
	now := sv.s.now()
	n := 0
	err := sv.s.db.Update(func(tx *Tx) error {
		b := bucketOf(tx, tokensBucket)
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var rec tokenRecord
			if err := sv.s.openJSON(b, k, v, &rec); err != nil {
				return err
			}
			if !now.Before(rec.Expires) {
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
