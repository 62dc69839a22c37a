package store

import (
	"bytes"
	"fmt"

	"dossier/domain"
	"dossier/domain/employer"
	"dossier/sync"
)

// namespaceFeed is schema 7 on the server: every record ID is claimed in
// IDsBucket (first the organisations, so that an account or request made
// with a school's ID before this version loses the ID, not the school),
// the change feed's reader keys become hashes of their namespace
// (feed.go), and its latest entries are filed by kind as well as ID. The
// applications and accounts whose feed entries the old filing had dropped
// (an applicant's account and application share an ID) are fed again. A
// desk only gains the new bucket.
func namespaceFeed(s *Store, tx *Tx) error {
	if err := createBuckets(tx); err != nil {
		return err
	}
	if !s.side.server() {
		return nil
	}
	if err := claimExisting(s, tx); err != nil {
		return fmt.Errorf("claim record IDs: %w", err)
	}
	if err := refileFeed(s, tx); err != nil {
		return fmt.Errorf("refile the change feed: %w", err)
	}
	return refeedDropped(s, tx)
}

func claimExisting(s *Store, tx *Tx) error {
	ids := tx.Bucket(IDsBucket)
	claimKeys := func(name []byte, kind sync.EntityKind) error {
		c := tx.Bucket(name).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if len(k) != 16 || ids.Get(k) != nil {
				continue
			}
			if err := ids.Put(bytes.Clone(k), []byte(kind)); err != nil {
				return err
			}
		}
		return nil
	}
	if err := claimKeys(OrgsBucket, sync.EntityInstitution); err != nil {
		return err
	}
	if err := claimKeys(BusinessesBucket, sync.EntityBusiness); err != nil {
		return err
	}
	var branches []domain.ID
	c := tx.Bucket(BusinessesBucket).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		var b employer.Business
		if _, err := s.GetJSON(BucketOf(tx, BusinessesBucket), k, &b); err != nil {
			return err
		}
		for _, br := range b.Branches {
			branches = append(branches, br.ID)
		}
	}
	for _, id := range branches {
		if ids.Get(id[:]) == nil {
			if err := ids.Put(id[:], []byte(BranchClaim)); err != nil {
				return err
			}
		}
	}
	for _, k := range []struct {
		name []byte
		kind sync.EntityKind
	}{{AccountsBucket, sync.EntityAccount}, {PINsBucket, sync.EntityPIN},
		{EmployerFormsBucket, sync.EntityEmployerForm}, {ChasesBucket, sync.EntityComplianceChase},
		{ConflictsBucket, sync.EntityConflict}} {
		if err := claimKeys(k.name, k.kind); err != nil {
			return err
		}
	}
	return nil
}

// refileFeed rewrites each latest entry of the old filing (keyed by the
// record ID alone) under its kind, with hashed reader keys.
func refileFeed(s *Store, tx *Tx) error {
	latest, vis := tx.Bucket(ChangeLatestBucket), tx.Bucket(changeVisBucket)
	type entry struct{ id, at []byte }
	var old []entry
	c := latest.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) == 16 && len(v) >= 8 {
			old = append(old, entry{bytes.Clone(k), bytes.Clone(v)})
		}
	}
	for _, e := range old {
		seq := e.at[:8]
		var ch sync.Change
		found, err := s.GetJSON(BucketOf(tx, changesBucket), seq, &ch)
		if err != nil {
			return err
		}
		if err := latest.Delete(e.id); err != nil {
			return err
		}
		at := bytes.Clone(seq)
		for r := e.at[8:]; len(r) >= 16; r = r[16:] {
			if err := vis.Delete(append(bytes.Clone(r[:16]), seq...)); err != nil {
				return err
			}
			if !found {
				continue
			}
			var id domain.ID
			copy(id[:], r[:16])
			nr := oldReader(tx, id)
			if err := vis.Put(append(nr[:len(nr):len(nr)], seq...), nil); err != nil {
				return err
			}
			at = append(at, nr[:]...)
		}
		if !found {
			continue // an entry whose change is gone: nothing to file
		}
		var id domain.ID
		copy(id[:], e.id)
		if err := latest.Put(latestKey(ch.Kind, id), at); err != nil {
			return err
		}
	}
	return nil
}

// oldReader is the hashed reader key of a reader key of the old filing:
// everyone, an organisation's staff (a school, business or branch, a
// province), or else an account.
func oldReader(tx *Tx, id domain.ID) Reader {
	if id == publicReader {
		return everyone
	}
	if _, ok := ProvinceOf(id); ok || tx.Bucket(OrgsBucket).Get(id[:]) != nil ||
		tx.Bucket(BusinessesBucket).Get(id[:]) != nil || tx.Bucket(IxUnit).Get(id[:]) != nil {
		return OrgReader(id)
	}
	return AccountReader(id)
}

// refeedDropped feeds again the applications and accounts the old filing
// had dropped from the feed.
func refeedDropped(s *Store, tx *Tx) error {
	latest := tx.Bucket(ChangeLatestBucket)
	var apps []domain.ID
	c := tx.Bucket(ApplicationsBucket).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		var id domain.ID
		copy(id[:], k)
		if len(k) != 16 || latest.Get(latestKey(sync.EntityApplication, id)) != nil {
			continue
		}
		apps = append(apps, id)
	}
	if refeed := records[sync.EntityApplication].Refeed; refeed != nil {
		for _, id := range apps {
			if err := refeed(s, tx, id); err != nil {
				return err
			}
		}
	}
	var accts []Account
	c = tx.Bucket(AccountsBucket).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		var id domain.ID
		copy(id[:], k)
		if len(k) != 16 || latest.Get(latestKey(sync.EntityAccount, id)) != nil ||
			string(tx.Bucket(IDsBucket).Get(k)) != string(sync.EntityAccount) {
			continue // fed, or its ID names an organisation first: left to the check
		}
		var a Account
		if _, err := s.GetJSON(BucketOf(tx, AccountsBucket), k, &a); err != nil {
			return err
		}
		accts = append(accts, a)
	}
	for i := range accts {
		if err := s.feedAccount(tx, &accts[i]); err != nil {
			return err
		}
	}
	return nil
}
