//go:build linux

package keystore

import (
	"crypto/rand"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/handoff-sso/handoff/keystore/keyringtest"
)

// TestAutoWithoutKeyring: with no session bus at all, auto warns once and keeps
// secrets in memory; nothing reaches the disk and the file store is not created.
func TestAutoWithoutKeyring(t *testing.T) {
	s := keyringtest.NewSandbox(t)
	token := "handoff-test-token-" + rand.Text()
	s.RunChild(t, "TestAutoWithoutKeyringChild", []string{"HANDOFF_TEST_TOKEN=" + token})

	if _, err := os.Stat(filepath.Join(s.Config, "handoff")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the file store's directory exists after a run without keyring (err %v)", err)
	}
	if found := keyringtest.FilesContaining(t, s.Root, token); len(found) != 0 {
		t.Fatalf("the secret reached the disk in %q", found)
	}

	// The scan finds a secret that is on disk, so its silence above means something.
	control := t.TempDir()
	f, err := Open("file", Options{Dir: control})
	if err != nil {
		t.Fatal(err)
	}
	mustSet(t, f, "tv@h:1/sp", []byte(`{"serviceToken":"`+token+`"}`))
	if found := keyringtest.FilesContaining(t, control, token); len(found) != 1 {
		t.Fatalf("the scan found the token in %q, want the file store's file", found)
	}
}

func TestAutoWithoutKeyringChild(t *testing.T) {
	keyringtest.InChild(t)
	var warnings []string
	s, err := Open("auto", Options{Warn: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatalf("Open(auto) without a keyring: %v", err)
	}
	if s.Kind() != "memory" {
		t.Fatalf("Open(auto) without a keyring gave the %s store, want memory", s.Kind())
	}
	if len(warnings) != 1 {
		t.Fatalf("warnings = %q, want exactly one", warnings)
	}
	t.Logf("the warning: %s", warnings[0])
	for _, want := range []string{"no OS keyring", "no D-Bus session bus", "kept in memory", "install and unlock gnome-keyring", "--keystore file"} {
		if !strings.Contains(warnings[0], want) {
			t.Errorf("the warning %q does not say %q", warnings[0], want)
		}
	}
	record := []byte(`{"serviceToken":"` + os.Getenv("HANDOFF_TEST_TOKEN") + `"}`)
	mustSet(t, s, "tv@127.0.0.1:8765/demo", record)
	mustGet(t, s, "tv@127.0.0.1:8765/demo", record)

	_, err = Open("keyring", Options{Warn: func(m string) { warnings = append(warnings, m) }})
	var u *UnavailableError
	if !errors.As(err, &u) || !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Open(keyring) without a keyring: err = %v, want an *UnavailableError", err)
	}
	if len(warnings) != 1 {
		t.Fatalf("Open(keyring) warned (%q); its error is the message", warnings[1:])
	}
}

// TestHungBus: the session bus accepts the connection and never says a word. Auto
// gives up after its timeout and goes on with memory.
func TestHungBus(t *testing.T) {
	s := keyringtest.NewSandbox(t)
	socket := filepath.Join(s.Root, "run", "silent-bus")
	ln, err := net.Listen("unix", socket)
	if err != nil {
		t.Fatal(err)
	}
	var accepted atomic.Int32
	var conns sync.WaitGroup
	stop := make(chan struct{})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			conns.Go(func() {
				<-stop // hold the connection open, read nothing, answer nothing
				c.Close()
			})
		}
	}()
	t.Cleanup(func() { ln.Close(); close(stop); conns.Wait() })

	s.RunChild(t, "TestHungBusChild", []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=" + socket})
	if accepted.Load() == 0 {
		t.Fatal("the child never connected to the silent bus; the timeout was not what stopped it")
	}
}

func TestHungBusChild(t *testing.T) {
	keyringtest.InChild(t)
	expectTimeoutFallback(t, nil)
}

// TestHungSecretService: a real gnome-keyring that stops answering (SIGSTOP) after it
// has served a first call. The timeout fires and handoff goes on with memory.
func TestHungSecretService(t *testing.T) {
	keyringtest.NeedTools(t)
	keyringtest.NewSandbox(t).RunChild(t, "TestHungSecretServiceChild", nil, keyringtest.UnderKeyring...)
}

func TestHungSecretServiceChild(t *testing.T) {
	keyringtest.InChild(t)
	store, err := Open("keyring", Options{})
	if err != nil {
		t.Fatalf("Open(keyring) before the keyring hangs: %v", err)
	}
	mustSet(t, store, "tv@h:1/sp", []byte("before"))

	pid := secretServicePID(t)
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })

	expectTimeoutFallback(t, store)
}

// expectTimeoutFallback checks, in a process whose keyring never answers, that auto
// returns memory after about its timeout with one warning saying so, and that later
// keyring calls fail at once instead of waiting again. before, when not nil, is a
// keyring store opened while the keyring still answered.
func expectTimeoutFallback(t *testing.T, before Store) {
	const timeout = 500 * time.Millisecond
	var warnings []string
	start := time.Now()
	s, err := Open("auto", Options{Timeout: timeout, Warn: func(m string) { warnings = append(warnings, m) }})
	waited := time.Since(start)
	if err != nil || s.Kind() != "memory" {
		t.Fatalf("Open(auto) on a hung keyring = %v, %v; want memory", s, err)
	}
	if waited < timeout || waited > timeout+5*time.Second {
		t.Fatalf("Open(auto) took %v, want about the timeout %v", waited, timeout)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "did not answer within 500ms") {
		t.Fatalf("warnings = %q, want one saying the keyring did not answer", warnings)
	}
	t.Logf("after %v, the warning: %s", waited, warnings[0])
	mustSet(t, s, "tv@h:1/sp", []byte("in memory"))
	mustGet(t, s, "tv@h:1/sp", []byte("in memory"))

	start = time.Now()
	_, err = Open("keyring", Options{Timeout: timeout})
	if !errors.Is(err, ErrUnavailable) || time.Since(start) >= timeout {
		t.Fatalf("Open(keyring) while a call is stuck: %v after %v; want unavailable at once", err, time.Since(start))
	}
	if before != nil {
		if _, err := before.Get("tv@h:1/sp"); !errors.Is(err, ErrUnavailable) {
			t.Fatalf("Get on the store opened before the hang: %v, want unavailable", err)
		}
	}
}

// secretServicePID asks the bus which process owns org.freedesktop.secrets.
func secretServicePID(t *testing.T) int {
	conn, err := dbus.SessionBusPrivate()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.Auth(nil); err != nil {
		t.Fatal(err)
	}
	if err := conn.Hello(); err != nil {
		t.Fatal(err)
	}
	var pid uint32
	if err := conn.BusObject().Call("org.freedesktop.DBus.GetConnectionUnixProcessID", 0, "org.freedesktop.secrets").Store(&pid); err != nil {
		t.Fatalf("who owns org.freedesktop.secrets: %v", err)
	}
	return int(pid)
}
