package sandbox

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
)

// DefaultDataDir is where the durable store lives when no directory is given: the
// user's state directory by the conventions of the system (see stateDir).
func DefaultDataDir() (string, error) {
	home, _ := os.UserHomeDir() // stateDir says what to do when it needs one and there is none
	return stateDir(runtime.GOOS, os.Getenv, home)
}

// stateDir is handoff's state directory on the system goos:
//   - Windows: %LocalAppData%\handoff (state a machine keeps, not one that roams);
//   - macOS: ~/Library/Application Support/handoff;
//   - elsewhere (XDG): $XDG_STATE_HOME/handoff, else ~/.local/state/handoff.
func stateDir(goos string, getenv func(string) string, home string) (string, error) {
	switch goos {
	case "windows":
		if d := getenv("LocalAppData"); d != "" && filepath.IsAbs(d) {
			return filepath.Join(d, "handoff"), nil
		}
		return "", errors.New("cannot find the local application data folder (%LocalAppData%) for the sandbox data; use --data DIR or --memory")
	case "darwin":
		if home == "" {
			break
		}
		return filepath.Join(home, "Library", "Application Support", "handoff"), nil
	default:
		if d := getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
			return filepath.Join(d, "handoff"), nil
		}
		if home == "" {
			break
		}
		return filepath.Join(home, ".local", "state", "handoff"), nil
	}
	return "", errors.New("cannot find a home directory for the sandbox data; use --data DIR or --memory")
}
