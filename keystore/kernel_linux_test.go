package keystore

import (
	"bytes"
	"crypto/rand"
	"errors"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/handoff-sso/handoff/keystore/keyringtest"
)

// testRing makes a keyring for one test, linked in the user's persistent keyring
// under a name of its own, so that keyctl in another process finds it and the user's
// own handoff entries are left alone; the test's end removes it with what it holds.
func testRing(t *testing.T) (ring int, name string) {
	t.Helper()
	keyringtest.NeedKeyctl(t)
	var user int
	var err error
	name = "handoff-test-" + rand.Text()
	onKernelThread(func() {
		if user, err = userRing(); err == nil {
			ring, err = unix.AddKey("keyring", name, nil, user)
		}
	})
	if err != nil {
		t.Fatalf("making a test keyring: %v", err)
	}
	t.Cleanup(func() {
		var clearErr, unlinkErr error
		onKernelThread(func() {
			_, clearErr = unix.KeyctlInt(unix.KEYCTL_CLEAR, ring, 0, 0, 0)
			_, unlinkErr = unix.KeyctlInt(unix.KEYCTL_UNLINK, ring, user, 0, 0)
		})
		if clearErr != nil || unlinkErr != nil {
			t.Errorf("removing the test keyring: clear %v, unlink %v", clearErr, unlinkErr)
		}
		if out, err := keyringtest.Keyctl(`keyctl search "$P" keyring "$1"`, name); err == nil {
			t.Errorf("the test keyring %s is still there after the test (id %s)", name, out)
		}
	})
	return ring, name
}

// outside reads an entry of a test keyring with keyctl, in another process: its
// value, or ok false when keyctl finds no such key.
func outside(t *testing.T, ringName, entry string) (value string, ok bool) {
	t.Helper()
	out, err := keyringtest.Keyctl(`r=$(keyctl search "$P" keyring "$1") || exit 2
k=$(keyctl search "$r" user "$2") || exit 3
keyctl pipe "$k"`, ringName, Service+":"+entry)
	if err != nil && strings.Contains(err.Error(), "exit status 2") {
		t.Fatalf("keyctl does not find the test keyring %s: %v", ringName, err)
	}
	return out, err == nil
}

func TestKernelConformance(t *testing.T) {
	testConformance(t, func(t *testing.T) Store {
		ring, _ := testRing(t)
		return newKernelKeyring(ring, DefaultTimeout)
	})
}

// TestKernelSeenByKeyctl: what the kernel store writes is what keyctl reads in
// another process: records, split parts, the index; and deleting every account, as
// forget does, leaves the keyring empty.
func TestKernelSeenByKeyctl(t *testing.T) {
	ring, name := testRing(t)
	k := newKernelKeyring(ring, DefaultTimeout)
	const acc = "tv@127.0.0.1:8765/demo"

	mustSet(t, k, acc, []byte(`{"st":"first"}`))
	if got, ok := outside(t, name, acc); !ok || got != `{"st":"first"}` {
		t.Fatalf("keyctl pipe after Set = %q, found %v", got, ok)
	}
	if got, _ := outside(t, name, indexAccount); got != `["`+acc+`"]` {
		t.Fatalf("the index seen by keyctl = %q, want it to list %s", got, acc)
	}

	long := append(bytes.Repeat([]byte("L"), 2*maxPart), "tail"...)
	mustSet(t, k, acc, long)
	if got, _ := outside(t, name, acc); got != partsHeader+"3" {
		t.Fatalf("head of a long record seen by keyctl = %q, want %q", got, partsHeader+"3")
	}
	if got, _ := outside(t, name, acc+"#3"); got != "tail" {
		t.Fatalf("last part seen by keyctl = %q, want %q", got, "tail")
	}
	mustGet(t, k, acc, long)
	mustSet(t, k, acc, long[:maxPart+1])
	if _, ok := outside(t, name, acc+"#3"); ok {
		t.Fatal("a shorter record left its old third part")
	}

	// An entry keyctl wrote is read, and one no index lists is still removed by
	// DeleteAll (a run that died between two writes).
	if _, err := keyringtest.Keyctl(`r=$(keyctl search "$P" keyring "$1") && printf ghost | keyctl padd user "$2" "$r" >/dev/null`, name, Service+":ghost@h:1/sp"); err != nil {
		t.Fatalf("keyctl padd: %v", err)
	}
	mustGet(t, k, "ghost@h:1/sp", []byte("ghost"))
	mustSet(t, k, "roku1@h:1/sp", []byte(`{"st":"roku"}`))

	accounts, err := k.Accounts()
	if err != nil || !slices.Equal(accounts, []string{"roku1@h:1/sp", acc}) {
		t.Fatalf("Accounts = %q, %v", accounts, err)
	}
	for _, a := range accounts {
		if err := k.Delete(a); err != nil {
			t.Fatalf("Delete(%s): %v", a, err)
		}
	}
	for _, entry := range []string{acc, acc + "#1", acc + "#2", indexAccount, "roku1@h:1/sp"} {
		if got, ok := outside(t, name, entry); ok {
			t.Errorf("keyctl still finds %s after Delete: %q", entry, got)
		}
	}
	if err := k.DeleteAll(); err != nil {
		t.Fatal(err)
	}
	if out, err := keyringtest.Keyctl(`r=$(keyctl search "$P" keyring "$1") && keyctl rlist "$r"`, name); err != nil || strings.TrimSpace(out) != "" {
		t.Fatalf("keys left in the keyring after DeleteAll: %q (%v)", out, err)
	}
}

// TestOpenKernel: Open("kernel") reaches the user's persistent keyring, where keyctl
// in another process reads the record; Delete takes it away.
func TestOpenKernel(t *testing.T) {
	keyringtest.NeedKeyctl(t)
	s, err := Open("kernel", Options{})
	if err != nil {
		t.Fatalf("Open(kernel): %v", err)
	}
	if s.Kind() != KindKernel || IsEphemeral(s) {
		t.Fatalf("Open(kernel) gave the %s store", s.Kind())
	}
	acc := "kstest-" + rand.Text() + "@h:1/sp" // the user's own records stay as they are
	t.Cleanup(func() { s.Delete(acc) })
	secret := `{"st":"` + rand.Text() + `"}`
	mustSet(t, s, acc, []byte(secret))

	read := `k=$(keyctl search "$P" user "$1") && keyctl pipe "$k"`
	if got, err := keyringtest.Keyctl(read, Service+":"+acc); err != nil || got != secret {
		t.Fatalf("keyctl reads %q (%v), want the record", got, err)
	}
	if got, _ := keyringtest.Keyctl(read, Service+":"+indexAccount); !strings.Contains(got, `"`+acc+`"`) {
		t.Fatalf("the index %q does not list %s", got, acc)
	}
	if again, err := Open("kernel", Options{}); err != nil {
		t.Fatal(err)
	} else {
		mustGet(t, again, acc, []byte(secret))
	}
	if err := s.Delete(acc); err != nil {
		t.Fatal(err)
	}
	if got, err := keyringtest.Keyctl(read, Service+":"+acc); err == nil {
		t.Fatalf("keyctl still reads %q after Delete", got)
	}
	if got, _ := keyringtest.Keyctl(read, Service+":"+indexAccount); strings.Contains(got, acc) {
		t.Fatalf("the index still lists the deleted account: %q", got)
	}
	if _, err := s.Get(acc); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v", err)
	}
}
