//go:build linux

package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/keystore"
	"github.com/handoff-sso/handoff/keystore/keyringtest"
)

// TestReadmeShellFlow runs the README's "Every step from the shell" block as a tester
// on a bare Linux server would: bash, the built handoff and jq on PATH, no D-Bus
// session, no --keystore flag, against a `handoff serve --memory` of its own. Every
// command succeeds (but those whose status the block itself prints, which must give
// the status its comment says), no dbus-daemon or gnome-keyring-daemon is left behind
// and none is launched, the secrets are in the kernel keyring and none reaches a file.
//
// The block is run as written but for one thing: its `export HANDOFF_SERVER=…` gets
// the address of the test's server instead of the fixed port it names.
func TestReadmeShellFlow(t *testing.T) {
	tools := needTools(t, "bash", "jq")
	kernel, err := keystore.Open("kernel", keystore.Options{})
	if err != nil {
		t.Fatalf("the kernel keyring, which the flow needs on a box without a desktop: %v", err)
	}
	block := readmeBlock(t, filepath.Join("..", "README.md"), "### Every step from the shell")

	// A PATH of handoff, jq and a dbus-launch that leaves a mark when run (godbus
	// autolaunches a bus with it when it finds none).
	root := t.TempDir()
	home, runtimeDir, bin := filepath.Join(root, "home"), filepath.Join(root, "run"), filepath.Join(root, "bin")
	for _, d := range []string{home, runtimeDir, bin} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	launched := filepath.Join(root, "dbus-launch-ran")
	links := map[string]string{"handoff": binary(t), "jq": tools["jq"]}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(bin, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(bin, "dbus-launch"), []byte("#!/bin/sh\necho \"$0 $*\" >>"+launched+"\nexit 1\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"PATH=" + bin, "HOME=" + home, "XDG_RUNTIME_DIR=" + runtimeDir,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "XDG_STATE_HOME=" + filepath.Join(home, ".local", "state"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"), "XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"TMPDIR=" + root, "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "TERM=dumb",
	}

	daemonsBefore, _ := keyringtest.BusDaemons(t, home)
	server := startServe(t, env)
	hostPort := strings.TrimPrefix(server, "http://")
	t.Cleanup(func() { forgetServer(t, kernel, hostPort) })

	stdout := runReadmeBlock(t, tools["bash"], block, server, append(env, "HANDOFF_SERVER="+server), home)
	if !strings.Contains(stdout, keystore.KindKernel) {
		t.Errorf("whoami does not name the kernel keyring as the keystore:\n%s", stdout)
	}

	stopServe(t, server)
	// Other tests on the machine may start buses meanwhile: a change of the total is
	// only reported; a daemon with the flow's HOME fails.
	daemonsAfter, ours := keyringtest.BusDaemons(t, home)
	if ours != 0 {
		t.Errorf("%d dbus-daemon or gnome-keyring-daemon processes of the flow still run", ours)
	}
	t.Logf("dbus-daemon and gnome-keyring-daemon processes: %d before the flow, %d after, none of the flow's", daemonsBefore, daemonsAfter)
	if raw, err := os.ReadFile(launched); err == nil {
		t.Errorf("dbus-launch ran: %s", raw)
	}

	tokens := serviceTokens(t, kernel, hostPort)
	if len(tokens) == 0 {
		t.Fatalf("no service token in the kernel keyring for %s: where did the flow keep its secrets?", hostPort)
	}
	for device, token := range tokens {
		if found := keyringtest.FilesContaining(t, home, token); len(found) != 0 {
			t.Errorf("the service token of %s is on disk in %q", device, found)
		}
	}
	t.Logf("service tokens of %d devices kept in the kernel keyring, none under HOME", len(tokens))
}

var serving = map[string]*exec.Cmd{}

// startServe starts `handoff serve --memory` on a free loopback port and returns its
// address; the test's end stops it if stopServe did not.
func startServe(t *testing.T, env []string) string {
	t.Helper()
	cmd := exec.Command(binary(t), "serve", "--memory", "--addr", "127.0.0.1:0")
	cmd.Env = env
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if base, ok := strings.CutPrefix(sc.Text(), "other terminals: export HANDOFF_SERVER="); ok {
				found <- base
			}
		}
		close(found)
	}()
	select {
	case base, ok := <-found:
		if !ok {
			cmd.Wait()
			t.Fatalf("handoff serve ended without saying where it serves: %s", logs.String())
		}
		serving[base] = cmd
		t.Cleanup(func() { stopServe(t, base) })
		return base
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("handoff serve did not say where it serves within 30s")
	}
	return ""
}

// stopServe stops the server by its PID (SIGTERM, as Ctrl-C would) and waits for it.
func stopServe(t *testing.T, base string) {
	cmd, ok := serving[base]
	if !ok {
		return
	}
	delete(serving, base)
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Errorf("handoff serve (pid %d) did not stop on SIGTERM within 15s", cmd.Process.Pid)
	}
}

// serverAccounts are the kernel keyring's accounts of devices on the server
// hostPort: this test's alone, since the port is its own.
func serverAccounts(t *testing.T, kernel keystore.Store, hostPort string) []string {
	t.Helper()
	all, err := kernel.Accounts()
	if err != nil {
		t.Fatalf("listing the kernel keyring: %v", err)
	}
	var ours []string
	for _, a := range all {
		if strings.Contains(a, "@"+hostPort+"/") {
			ours = append(ours, a)
		}
	}
	return ours
}

// serviceTokens are the service tokens the flow's devices keep, by account.
func serviceTokens(t *testing.T, kernel keystore.Store, hostPort string) map[string]string {
	t.Helper()
	tokens := map[string]string{}
	for _, a := range serverAccounts(t, kernel, hostPort) {
		raw, err := kernel.Get(a)
		if err != nil {
			t.Fatalf("reading %s from the kernel keyring: %v", a, err)
		}
		t.Logf("%s: a record of %d bytes", a, len(raw)) // against the kernel's per-user quota (maxbytes)
		var record struct {
			ServiceToken string `json:"st"`
		}
		if err := json.Unmarshal(raw, &record); err != nil {
			t.Fatalf("the record of %s is not JSON: %v", a, err)
		}
		if record.ServiceToken != "" {
			tokens[a] = record.ServiceToken
		}
	}
	return tokens
}

// forgetServer removes from the kernel keyring what the flow stored for the test's
// server, and nothing of the user's own devices.
func forgetServer(t *testing.T, kernel keystore.Store, hostPort string) {
	accounts := serverAccounts(t, kernel, hostPort)
	for _, a := range accounts {
		if err := kernel.Delete(a); err != nil {
			t.Errorf("removing %s from the kernel keyring: %v", a, err)
		}
	}
	if left := serverAccounts(t, kernel, hostPort); len(left) != 0 {
		t.Errorf("left in the kernel keyring: %q", left)
	}
	t.Logf("removed %d accounts of %s from the kernel keyring: %s", len(accounts), hostPort, strconv.Quote(strings.Join(accounts, " ")))
}
