package store

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"dossier/domain"
	"dossier/domain/account"
)

// A person's own key slot: the profile's data key wrapped under a key
// derived (argon2id, with the profile password's parameters) from the
// password of their account, so that the person who has signed in on this
// desk once opens the profile and signs in with the one password they
// know. One slot per person; the profile password's slot stays, for
// setting up and for recovery.
//
// Slots sit in the clear in MetaBucket, as the profile's does, under
// "slot.person.<id>": the ID is a keyed hash (HMAC-SHA256, truncated to
// 16 bytes) of the normalised user ID with a per-profile salt
// (metaSlotSalt), so that the file does not list user IDs. Whoever holds
// the salt may test a guessed user ID; it learns that the person has a
// slot here, no more.

// ErrSlotRefused is OpenAs's one answer to a user ID without a slot here
// and to a wrong password alike, so that it tells nothing of who has one.
var ErrSlotRefused = domain.NewCode("store.slot.refused", domain.KindUnauthorized)

const personSlotPrefix = "person."

// slotRand makes the people's slots' salts and nonces: the system's
// source, not Options.Rand, so that a slot made at a sign-in leaves the
// IDs and PINs a test draws from a seeded source as they were.
var slotRand = rand.Reader

// metaSlotSalt keys the people's slot IDs (16 random bytes, in the
// clear); made with the first person's slot.
var metaSlotSalt = []byte("slot.salt")

// personSlotName is the slot name (and, after slotPrefix, the key in
// MetaBucket) of the clean user ID uid under salt.
func personSlotName(salt []byte, uid string) string {
	m := hmac.New(sha256.New, salt)
	m.Write([]byte("dossier person slot v1\x00"))
	m.Write([]byte(uid))
	return personSlotPrefix + hex.EncodeToString(m.Sum(nil)[:16])
}

// readPersonSlots reads the salt and the people's slots, by name, from a
// profile's header.
func readPersonSlots(meta *Bucket) (salt []byte, slots map[string][]byte) {
	if v := meta.Get(metaSlotSalt); len(v) == 16 {
		salt = bytes.Clone(v)
	}
	slots = map[string][]byte{}
	prefix := []byte(slotPrefix + personSlotPrefix)
	c := meta.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		slots[string(k[len(slotPrefix):])] = bytes.Clone(v)
	}
	return salt, slots
}

// OpenAs unlocks the profile at path with a person's own slot: their user
// ID and account password. A user ID without a slot here, one that is
// not a user ID at all, and a wrong password get the same answer
// (ErrSlotRefused) after the same work (one key derivation with the
// profile's parameters), as a wrong profile password does; the caller
// then signs the person in (Store.SignIn), which counts their failures
// as ever. Anything else is refused as Open refuses it.
func OpenAs(path, userID, password string, opt Options) (*Store, error) {
	opt = opt.withDefaults()
	if password == "" {
		return nil, domain.FieldError(ErrPasswordRequired, "password")
	}
	uid, uidErr := account.CleanUserID(userID)
	return openWith(path, opt, func(h header) ([]byte, error) {
		// A stand-in that no password opens, with the profile's costs.
		slot := keySlot{KDF: kdfArgon2id, Params: h.profile.Params, Salt: make([]byte, 16), Wrapped: make([]byte, 24+48)}
		name := personSlotPrefix
		if uidErr == nil && h.slotSalt != nil {
			name = personSlotName(h.slotSalt, uid)
			if raw, ok := h.slots[name]; ok {
				if err := json.Unmarshal(raw, &slot); err != nil {
					return nil, domain.Wrap(ErrCorrupt, fmt.Errorf("key slot: %w", err))
				}
			}
		}
		dataKey, err := slot.unwrap(name, password)
		if errors.Is(err, errWrongKey) {
			return nil, domain.FieldError(ErrSlotRefused, "password")
		}
		return dataKey, err
	})
}

// KeepPersonSlot makes, or makes again, the slot of the person who has
// just signed in with userID and password on this desk (the caller has
// checked the password: SignIn). A person whose account here is ended
// (de-linked, revoked) or unknown gets none. The key derivation runs
// before the write; the slot is written, or replaced, in one transaction.
func (s *Store) KeepPersonSlot(userID, password string) error {
	if s.side.server() || s.dataKey == nil {
		return nil
	}
	uid, err := account.CleanUserID(userID)
	if err != nil {
		return err
	}
	// The salt first (once per profile): the slot's name depends on it.
	var salt []byte
	var params KDFParams
	err = s.db.Update(func(tx *Tx) error {
		meta := tx.Bucket(MetaBucket)
		var profile keySlot
		if err := json.Unmarshal(meta.Get([]byte(slotPrefix+profileSlot)), &profile); err != nil {
			return domain.Wrap(ErrCorrupt, fmt.Errorf("key slot: %w", err))
		}
		params = profile.Params
		if v := meta.Get(metaSlotSalt); len(v) == 16 {
			salt = bytes.Clone(v)
			return nil
		}
		salt = make([]byte, 16)
		if _, err := io.ReadFull(slotRand, salt); err != nil {
			return err
		}
		return meta.Put(metaSlotSalt, salt)
	})
	if err != nil {
		return err
	}
	name := personSlotName(salt, uid)
	slot, err := newKeySlot(name, s.dataKey, password, params, slotRand)
	if err != nil {
		return domain.Wrap(ErrStorage, err)
	}
	return s.db.Update(func(tx *Tx) error {
		a, ok, err := s.accountByUserID(tx, uid)
		if err != nil {
			return err
		}
		if !ok || !a.Revoked.IsZero() || !a.Credential.Delinked.IsZero() {
			return tx.Bucket(MetaBucket).Delete([]byte(slotPrefix + name))
		}
		return tx.Bucket(MetaBucket).Put([]byte(slotPrefix+name), slot.marshal())
	})
}

// accountByUserID reads the account that holds the clean user ID uid.
func (s *Store) accountByUserID(tx *Tx, uid string) (Account, bool, error) {
	var a Account
	uh := s.kr.Hash(hashUserID, uid)
	id := tx.Bucket(ixUserID).Get(uh[:])
	if id == nil {
		return a, false, nil
	}
	ok, err := s.GetJSON(BucketOf(tx, AccountsBucket), id, &a)
	return a, ok && a.Credential.UserID == uid, err
}

// DropPersonSlot removes the slot of userID, if there is one: the person
// then opens this profile with the profile password again.
func (s *Store) DropPersonSlot(userID string) error {
	return s.db.Update(func(tx *Tx) error { return dropPersonSlot(tx, userID) })
}

// dropPersonSlot removes userID's slot within tx: an account that ends
// here (de-linked, revoked, enrolled again elsewhere) keeps no way in.
func dropPersonSlot(tx *Tx, userID string) error {
	meta := tx.Bucket(MetaBucket)
	if meta == nil {
		return nil
	}
	salt := meta.Get(metaSlotSalt)
	uid, err := account.CleanUserID(userID)
	if len(salt) != 16 || err != nil {
		return nil
	}
	key := []byte(slotPrefix + personSlotName(salt, uid))
	if meta.Get(key) == nil {
		return nil
	}
	return meta.Delete(key)
}

// endedSlot drops a's slot when a is no longer a way in on this desk.
func (s *Store) endedSlot(tx *Tx, a *Account, userID string) error {
	if s.side.server() || userID == "" {
		return nil
	}
	if a.Revoked.IsZero() && a.Credential.Delinked.IsZero() && a.Credential.PasswordHash != "" {
		return nil
	}
	return dropPersonSlot(tx, userID)
}

// PersonSlots counts the people's slots in the profile (the About box,
// tests).
func (s *Store) PersonSlots() (int, error) {
	n := 0
	err := s.db.View(func(tx *Tx) error {
		_, slots := readPersonSlots(tx.Bucket(MetaBucket))
		n = len(slots)
		return nil
	})
	return n, err
}
