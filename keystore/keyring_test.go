package keystore

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestKeyringSplitsLongValues(t *testing.T) {
	fake := newFakeKeyring()
	k := newKeyring(newCaller(fake), DefaultTimeout)
	const acc = "tv@h:1/sp"
	long := bytes.Repeat([]byte("0123456789"), 500) // 5,000 bytes: three parts

	mustSet(t, k, acc, long)
	if got := fake.entry(acc); got != partsHeader+"3" {
		t.Fatalf("head entry = %q, want %q", got, partsHeader+"3")
	}
	want := []string{indexAccount, acc, acc + "#1", acc + "#2", acc + "#3"}
	if got := fake.accounts(); !slices.Equal(got, want) {
		t.Fatalf("keyring entries = %q, want %q", got, want)
	}
	if got := fake.entry(acc+"#1") + fake.entry(acc+"#2") + fake.entry(acc+"#3"); got != string(long) {
		t.Fatalf("parts do not join to the value")
	}
	mustGet(t, k, acc, long)

	mustSet(t, k, acc, long[:2500]) // two parts: the third must go
	want = []string{indexAccount, acc, acc + "#1", acc + "#2"}
	if got := fake.accounts(); !slices.Equal(got, want) {
		t.Fatalf("after shrinking, entries = %q, want %q", got, want)
	}
	mustSet(t, k, acc, []byte(`{"small":true}`))
	if got := fake.accounts(); !slices.Equal(got, []string{indexAccount, acc}) {
		t.Fatalf("after a short value, entries = %q, want only the index and the record", got)
	}
	if err := k.Delete(acc); err != nil {
		t.Fatal(err)
	}
	if got := fake.accounts(); len(got) != 0 {
		t.Fatalf("after deleting the last record, entries = %q, want none (index removed too)", got)
	}
}

func TestKeyringMissingPartIsDamage(t *testing.T) {
	fake := newFakeKeyring()
	k := newKeyring(newCaller(fake), DefaultTimeout)
	mustSet(t, k, "tv@h:1/sp", bytes.Repeat([]byte("x"), 3*maxPart))
	if err := fake.Delete(Service, "tv@h:1/sp#2"); err != nil {
		t.Fatal(err)
	}
	_, err := k.Get("tv@h:1/sp")
	if err == nil || errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "part 2 of 3 is missing") {
		t.Fatalf("Get with a missing part: err = %v, want a damage report", err)
	}
	if err := k.Delete("tv@h:1/sp"); err != nil {
		t.Fatalf("Delete of a damaged record: %v", err)
	}
	if got := fake.accounts(); len(got) != 0 {
		t.Fatalf("entries left after Delete: %q", got)
	}
}

func TestKeyringErrorsMeanUnavailable(t *testing.T) {
	fake := newFakeKeyring()
	fake.fail = errors.New("org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files")
	k := newKeyring(newCaller(fake), DefaultTimeout)
	for name, err := range map[string]error{
		"probe":  k.probe(),
		"set":    k.Set("tv@h:1/sp", []byte("v")),
		"delete": k.Delete("tv@h:1/sp"),
	} {
		var u *UnavailableError
		if !errors.As(err, &u) || !errors.Is(err, ErrUnavailable) {
			t.Fatalf("%s: err = %v, want an *UnavailableError", name, err)
		}
		if !strings.Contains(u.Reason, "no Secret Service") {
			t.Errorf("%s: reason %q does not say that no Secret Service runs", name, u.Reason)
		}
		if !errors.Is(err, fake.fail) {
			t.Errorf("%s: the library's error is not wrapped", name)
		}
	}
}

func TestUnavailableReasons(t *testing.T) {
	for _, c := range []struct{ libErr, want string }{
		{"dial unix /tmp/x/bus: connect: no such file or directory", "no D-Bus session bus"},
		{"dbus: couldn't determine address of session bus", "no D-Bus session bus"},
		{"org.freedesktop.DBus.Error.ServiceUnknown: The name is not activatable", "no Secret Service"},
		{"failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'", "locked"},
		{"The specified item could not be written", "refused the request (The specified item could not be written)"},
	} {
		if got := unavailable(errors.New(c.libErr)).Reason; !strings.Contains(got, c.want) {
			t.Errorf("reason for %q = %q, want it to contain %q", c.libErr, got, c.want)
		}
	}
}

// TestKeyringTimeout: a call that never returns gives way to the timeout, later calls
// fail at once instead of waiting again, and the keyring works once the call returns.
func TestKeyringTimeout(t *testing.T) {
	fake := newFakeKeyring()
	fake.hang = make(chan struct{})
	timeout := 200 * time.Millisecond
	k := newKeyring(newCaller(fake), timeout)

	start := time.Now()
	err := k.Set("tv@h:1/sp", []byte("v"))
	waited := time.Since(start)
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Set on a hung keyring: err = %v, want unavailable by timeout", err)
	}
	if waited < timeout || waited > timeout+2*time.Second {
		t.Fatalf("Set returned after %v, want about %v", waited, timeout)
	}
	if !strings.Contains(err.Error(), "did not answer within 200ms") {
		t.Errorf("message %q does not say the keyring did not answer in time", err)
	}

	start = time.Now()
	err = k.probe()
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "still not returned") {
		t.Fatalf("probe while a call is stuck: err = %v", err)
	}
	if since := time.Since(start); since >= timeout {
		t.Fatalf("probe while a call is stuck waited %v; it should fail at once", since)
	}

	fake.mu.Lock()
	close(fake.hang)
	fake.hang = nil
	fake.mu.Unlock()
	deadline := time.Now().Add(5 * time.Second)
	for k.probe() != nil {
		if time.Now().After(deadline) {
			t.Fatal("the keyring stayed unavailable after the stuck call returned")
		}
		time.Sleep(10 * time.Millisecond)
	}
	mustSet(t, k, "tv@h:1/sp", []byte("v"))
	mustGet(t, k, "tv@h:1/sp", []byte("v"))
}

// panickyKeyring panics as go-keyring does on a Secret Service answer of the wrong shape.
type panickyKeyring struct{ *fakeKeyring }

func (panickyKeyring) Get(service, user string) (string, error) {
	var body []any
	return body[0].(string), nil
}

func TestKeyringPanicIsUnavailable(t *testing.T) {
	k := newKeyring(newCaller(panickyKeyring{newFakeKeyring()}), DefaultTimeout)
	_, err := k.Get("tv@h:1/sp")
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "unexpected answer") {
		t.Fatalf("Get on a panicking keyring library: err = %v, want unavailable", err)
	}
	if err := k.probe(); err == nil || !strings.Contains(err.Error(), "unexpected answer") {
		t.Fatalf("the next call after a panic: %v; want it to reach the library again", err)
	}
}
