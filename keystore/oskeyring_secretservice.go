//go:build !darwin && !windows

package keystore

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// osKeyringKind is the store go-keyring reaches here: the Secret Service on D-Bus.
const osKeyringKind = KindSecretService

// noKeyringAdvice says how to get a keyring that outlives a command.
const noKeyringAdvice = "to keep them, run handoff where the kernel keyring is allowed (a container's seccomp profile may block keyctl), " +
	"or in a desktop session with an unlocked Secret Service (gnome-keyring)"

// reachKeyring finds the session bus before go-keyring looks for it. godbus, under
// go-keyring, runs dbus-launch when it finds no bus, and that starts a dbus-daemon
// (which then activates a gnome-keyring-daemon) that outlive handoff; so go-keyring is
// called only when a bus is already there: DBUS_SESSION_BUS_ADDRESS, or the socket
// $XDG_RUNTIME_DIR/bus. godbus looks for the latter in /run/user/<uid> only, so its
// address is handed over in DBUS_SESSION_BUS_ADDRESS, which godbus reads first.
func reachKeyring() error {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return nil
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		bus := filepath.Join(dir, "bus")
		if fi, err := os.Stat(bus); err == nil && fi.Mode().Type() == fs.ModeSocket {
			return os.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+escapeBusValue(bus))
		}
	}
	return &UnavailableError{
		Reason: "there is no D-Bus session bus to reach a Secret Service (DBUS_SESSION_BUS_ADDRESS is unset and $XDG_RUNTIME_DIR/bus does not exist)",
		Err:    errNoBus,
	}
}

// escapeBusValue escapes a value of a D-Bus address as the specification asks: every
// byte outside [-0-9A-Za-z_/.\*] becomes %XX.
func escapeBusValue(v string) string {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte("-_/.\\*", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02x", c)
		}
	}
	return b.String()
}
