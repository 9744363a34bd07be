package main

import (
	"strings"
	"testing"
)

// TestKeyringAskedButUnavailable: --keystore keyring where no keyring answers is a
// usage error that says what to do instead.
func TestKeyringAskedButUnavailable(t *testing.T) {
	sh := newShell(t, closedPort(t))
	sh.env = append(sh.env, "DBUS_SESSION_BUS_ADDRESS=unix:path="+t.TempDir()+"/no-bus")
	r := sh.run("whoami", "--keystore", "keyring")
	if r.code != exitUsage || !strings.Contains(r.stderr, "keyring is unavailable") ||
		!strings.Contains(r.stderr, "choose --keystore auto, kernel, memory or file") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}
