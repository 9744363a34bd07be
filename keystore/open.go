package keystore

import (
	"errors"
	"fmt"
	"time"
)

// Options tune Open.
type Options struct {
	// Dir is where the file store keeps its file; "": the user's config directory
	// (os.UserConfigDir()/handoff).
	Dir string
	// Timeout bounds each keyring call; 0: 3 s.
	Timeout time.Duration
	// Warn receives what the user must be told: once when auto falls back to memory
	// (why, and how to get a keyring), and each time the plain-text file store is used.
	Warn func(msg string)
}

// DefaultTimeout bounds a keyring call when Options.Timeout is 0.
const DefaultTimeout = 3 * time.Second

// ErrUnknownKind is wrapped by Open's error for a kind it does not know.
var ErrUnknownKind = errors.New("keystore: unknown kind")

// Open returns the store of a kind:
//   - "auto" (or ""): the OS keyring if it answers a first read within the timeout;
//     otherwise Warn is called once with the reason and how to get a keyring, and the
//     store is a memory store, so secrets last only as long as the process.
//   - "keyring": the OS keyring, or an error matching ErrUnavailable.
//   - "file": the plain-text file store (see File); Warn says so and where, each time.
//   - "memory": a memory store.
//
// An unknown kind is an error (matching ErrUnknownKind) that lists the valid ones.
func Open(kind string, opts Options) (Store, error) {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	warn := opts.Warn
	if warn == nil {
		warn = func(string) {}
	}
	switch kind {
	case "", "auto":
		k := newKeyring(osCaller, timeout)
		if err := k.probe(); err != nil {
			warn(fallbackMessage(err))
			return NewMemory(), nil
		}
		return k, nil
	case "keyring":
		k := newKeyring(osCaller, timeout)
		if err := k.probe(); err != nil {
			return nil, err
		}
		return k, nil
	case "file":
		path, err := FilePath(opts.Dir)
		if err != nil {
			return nil, err
		}
		warn(fmt.Sprintf("secrets are stored in plain text at %s (--keystore file); the OS keyring keeps them encrypted (--keystore keyring)", path))
		return &File{path: path}, nil
	case "memory":
		return NewMemory(), nil
	}
	return nil, fmt.Errorf("%w %q: choose one of auto, keyring, file, memory", ErrUnknownKind, kind)
}

func fallbackMessage(err error) string {
	reason := err.Error()
	var u *UnavailableError
	if errors.As(err, &u) {
		reason = u.Reason
	}
	return "no OS keyring: " + reason + ". Secrets are kept in memory and forgotten when this run ends. " +
		"To keep them, install and unlock gnome-keyring (or run under a desktop session); " +
		"--keystore file keeps them in plain text instead."
}
