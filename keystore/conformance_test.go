package keystore

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

// testConformance is the behaviour every Store must have. newStore returns an empty
// store each time it is called.
func testConformance(t *testing.T, newStore func(t *testing.T) Store) {
	const acc = "tv@127.0.0.1:8765/demo"

	t.Run("get missing", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Get(acc); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Get of a missing account: err = %v, want ErrNotFound", err)
		}
	})

	t.Run("set get overwrite", func(t *testing.T) {
		s := newStore(t)
		mustSet(t, s, acc, []byte(`{"clientSecret":"s1"}`))
		mustGet(t, s, acc, []byte(`{"clientSecret":"s1"}`))
		mustSet(t, s, acc, []byte(`{"clientSecret":"s2","serviceToken":"t2"}`))
		mustGet(t, s, acc, []byte(`{"clientSecret":"s2","serviceToken":"t2"}`))
		mustSet(t, s, acc, []byte{})
		mustGet(t, s, acc, []byte{})
	})

	t.Run("delete", func(t *testing.T) {
		s := newStore(t)
		mustSet(t, s, acc, []byte("x"))
		mustSet(t, s, "phone@127.0.0.1:8765/demo", []byte("y"))
		if err := s.Delete(acc); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := s.Get(acc); !errors.Is(err, ErrNotFound) {
			t.Fatalf("Get after Delete: err = %v, want ErrNotFound", err)
		}
		mustGet(t, s, "phone@127.0.0.1:8765/demo", []byte("y"))
		if err := s.Delete(acc); err != nil {
			t.Fatalf("Delete of a missing account: %v", err)
		}
	})

	t.Run("accounts", func(t *testing.T) {
		s := newStore(t)
		mustAccounts(t, s, nil)
		mustSet(t, s, "tv@h:1/sp", []byte("1"))
		mustSet(t, s, "phone@h:1/sp", []byte("2"))
		mustSet(t, s, "big@h:1/sp", bytes.Repeat([]byte("z"), 3*maxPart))
		mustSet(t, s, "tv@h:1/sp", []byte("3"))
		mustAccounts(t, s, []string{"big@h:1/sp", "phone@h:1/sp", "tv@h:1/sp"})
		if err := s.Delete("big@h:1/sp"); err != nil {
			t.Fatal(err)
		}
		mustAccounts(t, s, []string{"phone@h:1/sp", "tv@h:1/sp"})
	})

	t.Run("large values", func(t *testing.T) {
		s := newStore(t)
		text := []byte(strings.Repeat(`{"token":"abcdefghijklmnopqrstuvwxyz0123456789"}`, 200)) // 9 KB
		binary := make([]byte, 5000)
		for i := range binary {
			binary[i] = byte(i * 7)
		}
		exact := bytes.Repeat([]byte("e"), 2*maxPart)
		lookalike := []byte(partsHeader + "2")
		for _, v := range [][]byte{text, binary, exact, lookalike, []byte("short again"), text} {
			mustSet(t, s, acc, v)
			mustGet(t, s, acc, v)
		}
		mustAccounts(t, s, []string{acc})
	})

	t.Run("reserved names", func(t *testing.T) {
		s := newStore(t)
		for _, name := range []string{"", indexAccount, acc + "#1", "x#12"} {
			if err := s.Set(name, []byte("v")); err == nil {
				t.Errorf("Set(%q) succeeded; the name is reserved", name)
			}
			if _, err := s.Get(name); err == nil || errors.Is(err, ErrNotFound) {
				t.Errorf("Get(%q): err = %v, want a refusal", name, err)
			}
		}
		mustSet(t, s, "tv#blue@h:1/sp", []byte("ok"))
		mustGet(t, s, "tv#blue@h:1/sp", []byte("ok"))
	})

	t.Run("concurrent", func(t *testing.T) {
		s := newStore(t)
		const workers = 4
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for w := range workers {
			wg.Go(func() {
				own := fmt.Sprintf("dev%d@h:1/sp", w)
				for i := range 5 {
					v := fmt.Appendf(nil, `{"w":%d,"i":%d}`, w, i)
					if err := s.Set(own, v); err != nil {
						errs <- err
						return
					}
					if got, err := s.Get(own); err != nil || !bytes.Equal(got, v) {
						errs <- fmt.Errorf("%s: Get = %q, %v; want %q", own, got, err, v)
						return
					}
					if err := s.Set("shared@h:1/sp", v); err != nil {
						errs <- err
						return
					}
					if _, err := s.Accounts(); err != nil {
						errs <- err
						return
					}
				}
				if err := s.Delete(own); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		mustAccounts(t, s, []string{"shared@h:1/sp"})
	})
}

func mustSet(t *testing.T, s Store, account string, v []byte) {
	t.Helper()
	if err := s.Set(account, v); err != nil {
		t.Fatalf("Set(%q): %v", account, err)
	}
}

func mustGet(t *testing.T, s Store, account string, want []byte) {
	t.Helper()
	got, err := s.Get(account)
	if err != nil {
		t.Fatalf("Get(%q): %v", account, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Get(%q) = %d bytes %.40q…, want %d bytes %.40q…", account, len(got), got, len(want), want)
	}
}

func mustAccounts(t *testing.T, s Store, want []string) {
	t.Helper()
	got, err := s.Accounts()
	if err != nil {
		t.Fatalf("Accounts: %v", err)
	}
	if !slices.Equal(got, want) && (len(got) != 0 || len(want) != 0) {
		t.Fatalf("Accounts = %q, want %q", got, want)
	}
}

func TestMemoryConformance(t *testing.T) {
	testConformance(t, func(*testing.T) Store { return NewMemory() })
}

func TestFileConformance(t *testing.T) {
	testConformance(t, func(t *testing.T) Store {
		s, err := Open("file", Options{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestKeyringLogicConformance runs the keyring store's own logic (timeouts, parts,
// index) over an in-process keyring that refuses values as long as Windows does. The
// same suite runs against a real Secret Service in TestSecretService.
func TestKeyringLogicConformance(t *testing.T) {
	testConformance(t, func(t *testing.T) Store {
		return newKeyring(newCaller(newFakeKeyring()), DefaultTimeout)
	})
}
