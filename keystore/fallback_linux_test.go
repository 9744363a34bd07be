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
	"golang.org/x/sys/unix"

	"github.com/handoff-sso/handoff/keystore/keyringtest"
)

// TestAutoWithoutBus: on a box with no session bus (no DBUS_SESSION_BUS_ADDRESS, an
// empty XDG_RUNTIME_DIR), auto keeps secrets in the kernel keyring, says nothing, and
// starts no dbus-daemon or gnome-keyring-daemon; nothing reaches the disk.
func TestAutoWithoutBus(t *testing.T) {
	keyringtest.NeedKeyctl(t)
	s := keyringtest.NewSandbox(t).WithoutBus()
	token := "handoff-test-token-" + rand.Text()
	before, _ := keyringtest.BusDaemons(t, s.Home)
	s.RunChild(t, "TestAutoWithoutBusChild", append(s.Tripwire(t), "HANDOFF_TEST_TOKEN="+token))
	if s.Launched() {
		t.Fatal("the child ran dbus-launch")
	}
	// Other tests on the machine may start buses meanwhile: a change of the total is
	// only reported; one with this child's HOME fails.
	after, ours := keyringtest.BusDaemons(t, s.Home)
	if ours != 0 {
		t.Fatalf("%d dbus-daemon or gnome-keyring-daemon processes of the child still run", ours)
	}
	t.Logf("dbus-daemon and gnome-keyring-daemon processes: %d before, %d after, none of the child's", before, after)
	if found := keyringtest.FilesContaining(t, s.Root, token); len(found) != 0 {
		t.Fatalf("the secret reached the disk in %q", found)
	}
	if _, err := os.Stat(filepath.Join(s.Config, "handoff")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the file store's directory exists after a run with the kernel keyring (err %v)", err)
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

func TestAutoWithoutBusChild(t *testing.T) {
	keyringtest.InChild(t)
	if entries, _ := os.ReadDir(os.Getenv("XDG_RUNTIME_DIR")); len(entries) != 0 || os.Getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		t.Fatalf("the child has a bus: DBUS_SESSION_BUS_ADDRESS=%q, XDG_RUNTIME_DIR holds %v", os.Getenv("DBUS_SESSION_BUS_ADDRESS"), entries)
	}
	var warnings []string
	s, err := Open("auto", Options{Warn: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatalf("Open(auto) without a bus: %v", err)
	}
	if s.Kind() != KindKernel || len(warnings) != 0 {
		t.Fatalf("Open(auto) without a bus gave the %s store, warnings %q; want the kernel keyring, silently", s.Kind(), warnings)
	}
	acc := "autotest-" + rand.Text() + "@127.0.0.1:8765/demo"
	t.Cleanup(func() { s.Delete(acc) })
	record := []byte(`{"st":"` + os.Getenv("HANDOFF_TEST_TOKEN") + `"}`)
	mustSet(t, s, acc, record)
	again, err := Open("auto", Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustGet(t, again, acc, record) // what one command stores, the next one finds
	if err := s.Delete(acc); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	_, err = Open("keyring", Options{Warn: func(m string) { warnings = append(warnings, m) }})
	var u *UnavailableError
	if !errors.As(err, &u) || !errors.Is(err, errNoBus) || !strings.Contains(u.Reason, "no D-Bus session bus") {
		t.Fatalf("Open(keyring) without a bus: err = %v, want an *UnavailableError saying there is no bus", err)
	}
	if waited := time.Since(start); waited > time.Second {
		t.Fatalf("Open(keyring) without a bus took %v; there is nothing to wait for", waited)
	}
	if len(warnings) != 0 {
		t.Fatalf("Open(keyring) warned (%q); its error is the message", warnings)
	}
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" {
		t.Fatalf("DBUS_SESSION_BUS_ADDRESS became %q without a bus", a)
	}
}

// TestAutoWithNothing: without a bus and with the kernel keyring refused (as a
// container's seccomp profile does), auto keeps secrets in memory and says in one
// line why, what it means for the next command, and what to do.
func TestAutoWithNothing(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	var warnings []string
	refused := func(time.Duration) (*Keyring, error) { return nil, kernelUnavailable(unix.ENOSYS) }
	s := openAuto(DefaultTimeout, func(m string) { warnings = append(warnings, m) }, refused)
	if !IsEphemeral(s) || s.Kind() != KindMemory {
		t.Fatalf("auto with no keyring at all gave the %s store, want memory", s.Kind())
	}
	if len(warnings) != 1 || strings.Contains(warnings[0], "\n") {
		t.Fatalf("warnings = %q, want exactly one line", warnings)
	}
	t.Logf("the warning: %s", warnings[0])
	for _, want := range []string{"no OS keyring", "no D-Bus session bus", "kernel keyring is not allowed", "kept in memory",
		"next handoff command will not find them", "gnome-keyring", "--keystore file"} {
		if !strings.Contains(warnings[0], want) {
			t.Errorf("the warning %q does not say %q", warnings[0], want)
		}
	}
}

// TestBusInRuntimeDir: a bus socket in $XDG_RUNTIME_DIR is a bus, and godbus is handed
// its address (it would look in /run/user/<uid> only, then run dbus-launch).
func TestBusInRuntimeDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run user")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", dir)
	if err := reachKeyring(); !errors.Is(err, errNoBus) {
		t.Fatalf("reachKeyring with an empty runtime directory: %v, want no bus", err)
	}
	ln, err := net.Listen("unix", filepath.Join(dir, "bus"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if err := reachKeyring(); err != nil {
		t.Fatalf("reachKeyring with $XDG_RUNTIME_DIR/bus: %v", err)
	}
	want := "unix:path=" + strings.ReplaceAll(filepath.Join(dir, "bus"), " ", "%20")
	if got := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); got != want {
		t.Fatalf("DBUS_SESSION_BUS_ADDRESS = %q, want %q", got, want)
	}
}

// TestHungBus: the session bus accepts the connection and never says a word. Auto
// gives up after its timeout and goes on with the kernel keyring.
func TestHungBus(t *testing.T) {
	keyringtest.NeedKeyctl(t)
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
// has served a first call. The timeout fires and handoff goes on with the kernel
// keyring.
func TestHungSecretService(t *testing.T) {
	keyringtest.NeedTools(t)
	keyringtest.NeedKeyctl(t)
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

// expectTimeoutFallback checks, in a process whose Secret Service never answers, that
// auto returns the kernel keyring after about its timeout with one warning saying so,
// and that later keyring calls fail at once instead of waiting again. before, when not
// nil, is a keyring store opened while the keyring still answered.
func expectTimeoutFallback(t *testing.T, before Store) {
	const timeout = 500 * time.Millisecond
	var warnings []string
	start := time.Now()
	s, err := Open("auto", Options{Timeout: timeout, Warn: func(m string) { warnings = append(warnings, m) }})
	waited := time.Since(start)
	if err != nil || s.Kind() != KindKernel {
		t.Fatalf("Open(auto) on a hung keyring = %v, %v; want the kernel keyring", s, err)
	}
	if waited < timeout || waited > timeout+5*time.Second {
		t.Fatalf("Open(auto) took %v, want about the timeout %v", waited, timeout)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "did not answer within 500ms") || !strings.Contains(warnings[0], "kept in the kernel keyring") {
		t.Fatalf("warnings = %q, want one saying the Secret Service did not answer and the kernel keyring is used", warnings)
	}
	t.Logf("after %v, the warning: %s", waited, warnings[0])
	acc := "hungtest-" + rand.Text() + "@h:1/sp"
	t.Cleanup(func() { s.Delete(acc) })
	mustSet(t, s, acc, []byte("in the kernel"))
	mustGet(t, s, acc, []byte("in the kernel"))
	if err := s.Delete(acc); err != nil {
		t.Fatal(err)
	}

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
