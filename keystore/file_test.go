package keystore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
)

func TestFileStoreOnDisk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "handoff")
	var warnings []string
	s, err := Open("file", Options{Dir: dir, Warn: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, fileName)
	if len(warnings) != 1 || !strings.Contains(warnings[0], "plain text at "+path) {
		t.Fatalf("warnings = %q, want one naming %s", warnings, path)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("opening the file store created %s before anything was stored", dir)
	}

	mustSet(t, s, "tv@h:1/sp", []byte(`{"serviceToken":"tok-123"}`))
	mustSet(t, s, "bin@h:1/sp", []byte{0xff, 0xfe, 0x00})
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `tok-123`) {
		t.Errorf("the file does not hold the UTF-8 record as text:\n%s", raw)
	}
	if runtime.GOOS != "windows" {
		assertMode(t, dir, 0o700)
		assertMode(t, path, 0o600)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only %s (no temporary file left)", len(entries), fileName)
	}

	if _, err := Open("file", Options{Dir: dir, Warn: func(m string) { warnings = append(warnings, m) }}); err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 2 {
		t.Fatalf("a second Open warned %d times in all, want a warning each time", len(warnings))
	}

	for _, a := range []string{"tv@h:1/sp", "bin@h:1/sp"} {
		if err := s.Delete(a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the file is still there after its last record was deleted (err %v)", err)
	}
}

func TestFileStoreRefusesAForeignFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, fileName), []byte("not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open("file", Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("tv@h:1/sp"); err == nil || errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "is not a handoff key file") {
		t.Fatalf("Get from a foreign file: err = %v", err)
	}
	if err := s.Set("tv@h:1/sp", []byte("v")); err == nil {
		t.Fatal("Set over a foreign file succeeded; it must not overwrite it")
	}
}

func TestFilePathDefault(t *testing.T) {
	config := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", config)
	t.Setenv("HOME", config)
	t.Setenv("AppData", config)
	got, err := FilePath("")
	if err != nil {
		t.Fatal(err)
	}
	if base, _ := os.UserConfigDir(); got != filepath.Join(base, "handoff", fileName) {
		t.Fatalf("FilePath(\"\") = %s, want it under %s/handoff", got, base)
	}
}

func TestOpenKinds(t *testing.T) {
	s, err := Open("memory", Options{Warn: func(m string) { t.Errorf("memory warned: %s", m) }})
	if err != nil || s.Kind() != "memory" {
		t.Fatalf("Open(memory) = %v, %v", s, err)
	}
	_, err = Open("vault", Options{})
	if !errors.Is(err, ErrUnknownKind) {
		t.Fatalf("Open(vault): err = %v, want ErrUnknownKind", err)
	}
	for _, k := range []string{"auto", "keyring", "file", "memory"} {
		if !strings.Contains(err.Error(), k) {
			t.Errorf("the error %q does not list %q", err, k)
		}
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("%s has mode %v, want %v", path, got, want)
	}
}

// TestFileStoreSharedBetweenStores: two File values on one path stand for two
// processes (each has its own lock on the directory); no write is lost.
func TestFileStoreSharedBetweenStores(t *testing.T) {
	if !dirLocks {
		t.Skip("this system has no directory lock: the last write wins (see File)")
	}
	dir := t.TempDir()
	const writers, each = 2, 20
	var wg sync.WaitGroup
	for w := range writers {
		s, err := Open("file", Options{Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			for i := range each {
				if err := s.Set(fmt.Sprintf("dev%d-%d@h:1/sp", w, i), []byte("v")); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	s, _ := Open("file", Options{Dir: dir})
	if got := accountsCount(t, s); got != writers*each {
		t.Fatalf("the file holds %d records, want %d: writes were lost", got, writers*each)
	}
}

func accountsCount(t *testing.T, s Store) int {
	t.Helper()
	a, err := s.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	return len(a)
}

// TestFileStoreErrorsSayWhatToDo: a key file that cannot be written says why in words
// and what to do, without Go's error text, and keeps its cause.
func TestFileStoreErrorsSayWhatToDo(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open("file", Options{Dir: filepath.Join(blocker, "handoff")})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Set("tv@h:1/sp", []byte("v"))
	if err == nil || !errors.Is(err, syscall.ENOTDIR) || !strings.Contains(err.Error(), "a file stands where a directory should be; fix that, or use --keystore memory") ||
		strings.Contains(err.Error(), "mkdir ") {
		t.Fatalf("Set under a file: %v", err)
	}
}
