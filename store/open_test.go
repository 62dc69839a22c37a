package store

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"dossier/domain"
	"dossier/domain/ens"
)

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// modTime is the file's modification time, which a write changes even
// when it writes back the same bytes.
func modTime(t *testing.T, path string) time.Time {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.ModTime()
}

func TestCreateRefusesToOverwrite(t *testing.T) {
	s, clock := MustCreateStore(t)
	if _, err := Create(s.Path(), testPassword, testOptions(clock)); !errors.Is(err, ErrProfileExists) {
		t.Fatalf("got %v", err)
	}
	if _, err := Create(filepath.Join(t.TempDir(), "p"), "short", testOptions(clock)); !errors.Is(err, ErrPasswordShort) {
		t.Fatalf("short password: %v", err)
	}
}

func TestWrongPasswordLeavesFileAlone(t *testing.T) {
	s, clock := MustCreateStore(t)
	path := s.Path()
	s.Close()
	before, modified := fileSum(t, path), modTime(t, path)
	if _, err := Open(path, "not the password", testOptions(clock)); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("got %v", err)
	}
	if _, err := Open(path, "", testOptions(clock)); !errors.Is(err, ErrPasswordRequired) {
		t.Fatalf("empty password: %v", err)
	}
	if fileSum(t, path) != before || !modTime(t, path).Equal(modified) {
		t.Fatal("a refused open changed the file")
	}
	if _, err := Open(filepath.Join(t.TempDir(), "none"), testPassword, testOptions(clock)); !errors.Is(err, ErrNoProfile) {
		t.Fatalf("missing file: %v", err)
	}
}

func TestRefusesWhatIsNotAGoodProfile(t *testing.T) {
	good, clock := MustCreateStore(t)
	if _, err := good.CreateInstitution(officer, Institution{Name: "École A", Code: 1, Province: "QC"}); err != nil {
		t.Fatal(err)
	}
	goodPath := good.Path()
	good.Close()
	goodBytes, _ := os.ReadFile(goodPath)

	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	foreign := filepath.Join(dir, "foreign.db")
	db, err := bolt.Open(foreign, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("widgets")); return err })
	db.Close()

	// bbolt's read-write Open commits a transaction to a file whose
	// freelist is not synced: a refused open must not.
	unsynced := filepath.Join(dir, "unsynced.db")
	db, err = bolt.Open(unsynced, 0o600, &bolt.Options{NoFreelistSync: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("widgets")); return err })
	db.Close()

	server := filepath.Join(dir, "server.dossier")
	opt := testOptions(clock)
	opt.Server = true
	srv, err := Create(server, testPassword, opt)
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()

	newer := write("newer.dossier", goodBytes)
	db, err = bolt.Open(newer, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { return tx.Bucket(MetaBucket).Put(MetaSchema, U32(SchemaVersion+1)) })
	db.Close()

	flipped := bytes.Clone(goodBytes)
	flipped[len(flipped)/2] ^= 0xff // damage a page in the middle
	tests := []struct {
		name string
		path string
		want domain.Code
	}{
		{"empty file", write("empty", nil), ErrNotAProfile},
		{"text file", write("notes.txt", bytes.Repeat([]byte("not a profile\n"), 1000)), ErrNotAProfile},
		{"another program's bbolt file", foreign, ErrNotAProfile},
		{"another program's bbolt file, freelist not synced", unsynced, ErrNotAProfile},
		{"dossierd's file", server, ErrWrongRole},
		{"truncated profile", write("truncated", goodBytes[:len(goodBytes)/3]), ErrCorrupt},
		{"profile cut to its first page", write("cut", goodBytes[:4096]), ErrCorrupt},
		{"profile from a newer Dossier", newer, ErrNewerSchema},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, modified := fileSum(t, tt.path), modTime(t, tt.path)
			s, err := Open(tt.path, testPassword, testOptions(clock))
			if err == nil {
				s.Close()
			}
			if domain.ErrorCode(err) != tt.want {
				t.Fatalf("got %v, want %s", err, tt.want)
			}
			if fileSum(t, tt.path) != before || !modTime(t, tt.path).Equal(modified) {
				t.Fatal("the refused file was changed")
			}
		})
	}
	// Compact refuses another program's file as it is, too.
	for _, p := range []string{foreign, unsynced} {
		before, modified := fileSum(t, p), modTime(t, p)
		if err := Compact(p); domain.ErrorCode(err) != ErrNotAProfile {
			t.Errorf("compact %s: %v", filepath.Base(p), err)
		}
		if fileSum(t, p) != before || !modTime(t, p).Equal(modified) {
			t.Errorf("compact changed the refused %s", filepath.Base(p))
		}
	}
	// A damaged page may or may not be read at open; if the file opens, it
	// must still not panic when read.
	damaged := write("damaged", flipped)
	if s, err := Open(damaged, testPassword, testOptions(clock)); err == nil {
		s.Institutions()
		s.Close()
	}
}

func TestSecondOpenIsRefusedWhileInUse(t *testing.T) {
	s, clock := MustCreateStore(t)
	start := time.Now()
	_, err := Open(s.Path(), testPassword, testOptions(clock))
	if !errors.Is(err, ErrProfileLocked) {
		t.Fatalf("got %v", err)
	}
	if time.Since(start) > 3*time.Second {
		t.Fatal("waited too long for the lock")
	}
}

func TestOlderSchemaIsMigrated(t *testing.T) {
	s, clock := MustCreateStore(t)
	path := s.Path()
	s.UpdateFile(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(ixPIN); err != nil { // a bucket version 0 lacked
			return err
		}
		return tx.Bucket(MetaBucket).Put(MetaSchema, U32(0))
	})
	s.Close()
	s2, err := Open(path, testPassword, testOptions(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	s2.db.View(func(tx *Tx) error {
		if v := tx.Bucket(MetaBucket).Get(MetaSchema); !bytes.Equal(v, U32(SchemaVersion)) {
			t.Errorf("schema after migration: %v", v)
		}
		if tx.Bucket(ixPIN) == nil {
			t.Error("migration did not create the missing bucket")
		}
		return nil
	})
	// A failing step leaves the version as it was.
	err = s2.migrateWith(SchemaVersion, []migration{{to: SchemaVersion + 1, apply: func(*Store, *Tx) error {
		return errors.New("boom")
	}}})
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("failing migration: %v", err)
	}
	s2.db.View(func(tx *Tx) error {
		if v := tx.Bucket(MetaBucket).Get(MetaSchema); !bytes.Equal(v, U32(SchemaVersion)) {
			t.Errorf("schema after failed migration: %v", v)
		}
		return nil
	})
}

// TestTruncatedBeforeFreelist: a profile cut short of its freelist page,
// which bbolt's Open reads, is refused by checkHeader; and should one reach
// bbolt, its fault is ErrCorrupt, not a crash, and leaves the file alone.
func TestTruncatedBeforeFreelist(t *testing.T) {
	s, _ := MustCreateStore(t)
	for i := range 20 {
		if _, err := s.CreateInstitution(officer, Institution{Name: "École " + string(rune('A'+i)), Code: ens.SchoolCode(i + 1), Province: "QC"}); err != nil {
			t.Fatal(err)
		}
	}
	path := s.Path()
	s.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m0, ok0 := parseBoltMeta(b)
	m1, ok1 := parseBoltMeta(b[m0.pageSize:])
	if !ok0 || !ok1 {
		t.Fatal("meta pages do not parse")
	}
	m := m0.freelist // the freelist of the meta page bbolt uses
	if m1.txid > m0.txid {
		m = m1.freelist
	}
	if m == boltNoFreelist || int(m) < 3 {
		t.Fatalf("freelist at page %d", m)
	}
	cut := filepath.Join(t.TempDir(), "cut.dossier")
	if err := os.WriteFile(cut, b[:int(m)*int(m0.pageSize)], 0o600); err != nil {
		t.Fatal(err)
	}
	before, modified := fileSum(t, cut), modTime(t, cut)
	if err := checkHeader(cut); !errors.Is(err, ErrCorrupt) {
		t.Errorf("checkHeader: %v, want ErrCorrupt", err)
	}
	if db, err := openBolt(cut, nil, boltOptions(Options{})); !errors.Is(err, ErrCorrupt) {
		if err == nil {
			db.Close()
		}
		t.Errorf("openBolt: %v, want ErrCorrupt", err)
	}
	// The fault's file was closed, and its lock with it.
	lf, err := os.Open(cut)
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	if err := lockFile(lf); err != nil {
		t.Errorf("the refused file is still locked: %v", err)
	}
	if fileSum(t, cut) != before || !modTime(t, cut).Equal(modified) {
		t.Error("the refused file was changed")
	}
}
