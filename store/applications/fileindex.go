package applications

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"dossier/assets"
	"dossier/domain"
	"dossier/domain/oinp"
	"dossier/store"
)

// The applications' list index (store.IxApplications) lets the program's
// processing queue and a representative's list of clients read what they
// list without decrypting every application:
//
//	'f' | submission day (4) | applicant (16) → the file's line: its
//	    non-personal columns in clear (status, stream, GTA, next due day,
//	    version), which the queue filters on, then the rest sealed (file
//	    number, names, region), opened only for the lines kept
//	'a' | applicant (16) → the applicant's 'f' key, to replace it
//	'r' | representative (16) | applicant (16) → nothing: a representative
//	    named on the file (CheckClient decides on the record itself)
//	'p' | applicant (16) | representative (16) → nothing: the same, to
//	    remove it
//	"built" → fileIndexVersion once the index holds every application
//
// Every write of an application (putApplication, applyApplication, a
// desk's removal) brings its entries up to date in the same transaction;
// the first read that finds no "built" mark (a profile made before the
// index, or an index of an older layout) rebuilds it from the records.
const fileIndexVersion = "1"

var fileIndexBuilt = []byte("built")

const (
	fileLinePrefix = 'f'
	fileOfPrefix   = 'a'
	repFilePrefix  = 'r'
	fileRepPrefix  = 'p'
)

var errFileIndex = errors.New("an applications index entry is malformed")

func fileLineKey(submitted domain.Date, applicant domain.ID) []byte {
	k := make([]byte, 0, 21)
	k = append(k, fileLinePrefix)
	k = binary.BigEndian.AppendUint32(k, dayKey(submitted))
	return append(k, applicant[:]...)
}

// dayKey orders days as unsigned bytes do.
func dayKey(d domain.Date) uint32 { return uint32(d.Days()) ^ 1<<31 }

func pairKey(prefix byte, a, b domain.ID) []byte {
	k := make([]byte, 0, 33)
	k = append(k, prefix)
	k = append(k, a[:]...)
	return append(k, b[:]...)
}

// indexApplication writes rec's entries, replacing what the index held for
// its applicant. A profile whose index bucket is not made yet is left to
// the rebuild.
func (s Store) indexApplication(tx *store.Tx, rec *ApplicationRecord) error {
	b := tx.Bucket(store.IxApplications)
	if b == nil {
		return nil
	}
	if err := s.unindexIn(b, rec.Applicant); err != nil {
		return err
	}
	return s.indexIn(b, rec)
}

// unindexApplication removes an applicant's entries.
func (s Store) unindexApplication(tx *store.Tx, applicant domain.ID) error {
	b := tx.Bucket(store.IxApplications)
	if b == nil {
		return nil
	}
	return s.unindexIn(b, applicant)
}

func (s Store) unindexIn(b *store.Bucket, applicant domain.ID) error {
	of := append([]byte{fileOfPrefix}, applicant[:]...)
	if line := b.Get(of); line != nil {
		if err := b.Delete(bytes.Clone(line)); err != nil {
			return err
		}
		if err := b.Delete(of); err != nil {
			return err
		}
	}
	prefix := append([]byte{fileRepPrefix}, applicant[:]...)
	var reps []domain.ID
	c := b.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		reps = append(reps, domain.ID(k[17:33]))
	}
	for _, rep := range reps {
		if err := b.Delete(pairKey(fileRepPrefix, applicant, rep)); err != nil {
			return err
		}
		if err := b.Delete(pairKey(repFilePrefix, rep, applicant)); err != nil {
			return err
		}
	}
	return nil
}

func (s Store) indexIn(b *store.Bucket, rec *ApplicationRecord) error {
	for _, r := range rec.App.Representatives {
		if r.Account.IsZero() {
			continue
		}
		if err := b.Put(pairKey(repFilePrefix, r.Account, rec.Applicant), nil); err != nil {
			return err
		}
		if err := b.Put(pairKey(fileRepPrefix, rec.Applicant, r.Account), nil); err != nil {
			return err
		}
	}
	if !rec.App.InProgram() {
		return nil
	}
	sum := summarise(rec, assets.OINPTables())
	line, err := s.encodeLine(&sum)
	if err != nil {
		return err
	}
	key := fileLineKey(sum.Submitted, rec.Applicant)
	if err := b.Put(key, line); err != nil {
		return err
	}
	return b.Put(append([]byte{fileOfPrefix}, rec.Applicant[:]...), key)
}

// encodeLine is a file's line: the clear columns, then the sealed ones.
func (s Store) encodeLine(sum *FileSummary) ([]byte, error) {
	b := appendStr(nil, string(sum.Status))
	b = appendStr(b, string(sum.Stream))
	b = appendStr(b, string(sum.InGTA))
	if sum.NextDue.IsZero() {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		b = binary.AppendVarint(b, int64(sum.NextDue.Days()))
	}
	b = binary.AppendUvarint(b, sum.Version)
	var plain []byte
	plain = appendStr(plain, string(sum.FileNumber))
	plain = appendStr(plain, sum.FamilyName)
	plain = appendStr(plain, sum.GivenNames)
	plain = appendStr(plain, sum.Region)
	sealed, err := s.Keys().Seal(store.IxApplications, sum.Applicant[:], plain)
	if err != nil {
		return nil, err
	}
	return append(b, sealed...), nil
}

func appendStr(b []byte, v string) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	return append(b, v...)
}

// lineReader reads the fields of a line in order.
type lineReader struct {
	b   []byte
	bad bool
}

func (r *lineReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *lineReader) str() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.bad, r.b = true, nil
		return ""
	}
	v := string(r.b[:n])
	r.b = r.b[n:]
	return v
}

// decodeClear reads a line's clear columns and returns its sealed rest.
func decodeClear(key, v []byte) (FileSummary, []byte, error) {
	var sum FileSummary
	if len(key) != 21 || key[0] != fileLinePrefix {
		return sum, nil, errFileIndex
	}
	sum.Submitted = domain.DateFromDays(int32(binary.BigEndian.Uint32(key[1:5]) ^ 1<<31))
	sum.Applicant = domain.ID(key[5:21])
	r := lineReader{b: v}
	sum.Status = oinp.FileStatus(r.str())
	sum.Stream = oinp.Stream(r.str())
	sum.InGTA = oinp.YesNo(r.str())
	if len(r.b) > 0 && r.b[0] == 1 {
		r.b = r.b[1:]
		d, n := binary.Varint(r.b)
		if n <= 0 {
			return sum, nil, errFileIndex
		}
		r.b = r.b[n:]
		sum.NextDue = domain.DateFromDays(int32(d))
	} else if len(r.b) > 0 {
		r.b = r.b[1:]
	}
	sum.Version = r.uvarint()
	if r.bad {
		return sum, nil, errFileIndex
	}
	return sum, r.b, nil
}

// openLine fills the sealed columns of sum.
func (s Store) openLine(sum *FileSummary, sealed []byte, buf *[]byte) error {
	plain, err := s.Keys().Open((*buf)[:0], store.IxApplications, sum.Applicant[:], sealed)
	if err != nil {
		return domain.Wrap(store.ErrCorrupt, err)
	}
	*buf = plain
	r := lineReader{b: plain}
	sum.FileNumber = oinp.FileNumber(r.str())
	sum.FamilyName = r.str()
	sum.GivenNames = r.str()
	sum.Region = r.str()
	if r.bad {
		return domain.Wrap(store.ErrCorrupt, errFileIndex)
	}
	return nil
}

// ensureFileIndex rebuilds the index when it is not marked built.
func (s Store) ensureFileIndex() error {
	built := false
	if err := s.View(func(tx *store.Tx) error {
		b := tx.Bucket(store.IxApplications)
		built = b != nil && string(b.Get(fileIndexBuilt)) == fileIndexVersion
		return nil
	}); err != nil || built {
		return err
	}
	return s.Update(func(tx *store.Tx) error { return s.rebuildFileIndex(tx) })
}

// rebuildFileIndex empties the index and writes every application's
// entries.
func (s Store) rebuildFileIndex(tx *store.Tx) error {
	if err := tx.CreateBucketIfNotExists(store.IxApplications); err != nil {
		return err
	}
	b := tx.Bucket(store.IxApplications)
	if string(b.Get(fileIndexBuilt)) == fileIndexVersion {
		return nil // built by another caller meanwhile
	}
	var old [][]byte
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		old = append(old, bytes.Clone(k))
	}
	for _, k := range old {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	apps := store.BucketOf(tx, store.ApplicationsBucket)
	ac := apps.Cursor()
	for k, v := ac.First(); k != nil; k, v = ac.Next() {
		var rec ApplicationRecord
		if err := s.OpenJSON(apps, k, v, &rec); err != nil {
			return err
		}
		if err := s.indexIn(b, &rec); err != nil {
			return err
		}
	}
	return b.Put(fileIndexBuilt, []byte(fileIndexVersion))
}

// CheckFileIndex compares the index with the applications it lists: every
// submitted file's line as summarise makes it from the record, every
// representative named on a file, and nothing else. Tests call it after
// each change; it reads, and changes nothing.
func (s Store) CheckFileIndex() error {
	return s.View(func(tx *store.Tx) error {
		b := tx.Bucket(store.IxApplications)
		if b == nil || string(b.Get(fileIndexBuilt)) != fileIndexVersion {
			return nil // not built yet: the first read rebuilds it
		}
		wantLines := map[domain.ID]FileSummary{}
		wantReps := map[[2]domain.ID]bool{}
		tables := assets.OINPTables()
		apps := store.BucketOf(tx, store.ApplicationsBucket)
		ac := apps.Cursor()
		for k, v := ac.First(); k != nil; k, v = ac.Next() {
			var rec ApplicationRecord
			if err := s.OpenJSON(apps, k, v, &rec); err != nil {
				return err
			}
			if rec.App.InProgram() {
				wantLines[rec.Applicant] = summarise(&rec, tables)
			}
			for _, r := range rec.App.Representatives {
				if !r.Account.IsZero() {
					wantReps[[2]domain.ID{r.Account, rec.Applicant}] = true
				}
			}
		}
		var buf []byte
		lines, reps, backReps, ofs := 0, 0, 0, 0
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			switch {
			case bytes.Equal(k, fileIndexBuilt):
			case k[0] == fileLinePrefix:
				sum, sealed, err := decodeClear(k, v)
				if err != nil {
					return err
				}
				if err := s.openLine(&sum, sealed, &buf); err != nil {
					return err
				}
				if want, ok := wantLines[sum.Applicant]; !ok || want != sum {
					return fmt.Errorf("index line %+v, want %+v (listed %v)", sum, want, ok)
				}
				lines++
			case k[0] == fileOfPrefix && len(k) == 17:
				if want, ok := wantLines[domain.ID(k[1:])]; !ok || !bytes.Equal(v, fileLineKey(want.Submitted, want.Applicant)) {
					return fmt.Errorf("index: a stale line key for an applicant")
				}
				ofs++
			case k[0] == repFilePrefix && len(k) == 33:
				if !wantReps[[2]domain.ID{domain.ID(k[1:17]), domain.ID(k[17:])}] {
					return fmt.Errorf("index: a representative no file names")
				}
				reps++
			case k[0] == fileRepPrefix && len(k) == 33:
				if !wantReps[[2]domain.ID{domain.ID(k[17:]), domain.ID(k[1:17])}] {
					return fmt.Errorf("index: a file's representative no file names")
				}
				backReps++
			default:
				return fmt.Errorf("index: an unknown key")
			}
		}
		if lines != len(wantLines) || ofs != len(wantLines) || reps != len(wantReps) || backReps != len(wantReps) {
			return fmt.Errorf("index holds %d lines (%d keys), %d representatives (%d back); the records %d and %d",
				lines, ofs, reps, backReps, len(wantLines), len(wantReps))
		}
		return nil
	})
}
