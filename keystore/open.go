package keystore

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Options tune Open.
type Options struct {
	// Dir is where the file store keeps its file; "": the user's config directory
	// (os.UserConfigDir()/handoff).
	Dir string
	// Timeout bounds each keyring call; 0: 3 s.
	Timeout time.Duration
	// Warn receives what the user must be told, in one line: when auto does not get
	// the keyring a user would expect (why, and what to do), and each time the
	// plain-text file store is used.
	Warn func(msg string)
}

// DefaultTimeout bounds a keyring call when Options.Timeout is 0.
const DefaultTimeout = 3 * time.Second

// The causes of two UnavailableErrors that are not failures but the way a system is:
// a process without a session bus (see reachKeyring), a system without a kernel
// keyring (not Linux).
var (
	errNoBus           = errors.New("keystore: no D-Bus session bus")
	errNoKernelKeyring = errors.New("keystore: no kernel keyring on this system")
)

// ErrUnknownKind is wrapped by Open's error for a kind it does not know.
var ErrUnknownKind = errors.New("keystore: unknown kind")

// Open returns the store of a kind (one of Kinds):
//   - "auto" (or ""): the platform's keyring (the Secret Service, when a session bus
//     exists and it answers a first read within the timeout; the macOS Keychain; the
//     Windows Credential Manager); else, on Linux, the kernel keyring; else a memory
//     store, so secrets last only as long as the process. Warn is called once when
//     auto settles for less than a keyring that was there to ask (a bus whose Secret
//     Service does not answer), or for memory; a Linux box without a session bus gets
//     the kernel keyring silently, as it should.
//   - "keyring": the platform's keyring, or an error matching ErrUnavailable. No
//     session bus is ever started for it.
//   - "kernel": the Linux kernel keyring (see openKernel), or an error matching
//     ErrUnavailable.
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
		return openAuto(timeout, warn, openKernel), nil
	case "keyring", "kernel":
		open := openOSKeyring
		if kind == "kernel" {
			open = openKernel
		}
		k, err := open(timeout)
		if err != nil {
			return nil, err // not k: a nil *Keyring would make a non-nil Store
		}
		return k, nil
	case "file":
		path, err := FilePath(opts.Dir)
		if err != nil {
			return nil, err
		}
		warn(fmt.Sprintf("secrets are stored in plain text at %s (--keystore file); an OS keyring keeps them out of files (--keystore auto)", path))
		return &File{path: path}, nil
	case "memory":
		return NewMemory(), nil
	}
	return nil, fmt.Errorf("%w %q: choose one of %s", ErrUnknownKind, kind, strings.Join(Kinds, ", "))
}

// openAuto is Open("auto"), with the kernel keyring opened by kernel.
func openAuto(timeout time.Duration, warn func(string), kernel func(time.Duration) (*Keyring, error)) Store {
	k, err := openOSKeyring(timeout)
	if err == nil {
		return k
	}
	kk, kerr := kernel(timeout)
	if kerr == nil {
		if !errors.Is(err, errNoBus) {
			warn(fmt.Sprintf("the %s is unavailable: %s. Secrets are kept in the kernel keyring instead; fix the %s or choose it with --keystore keyring.",
				osKeyringKind, reason(err), osKeyringKind))
		}
		return kk
	}
	warn(fallbackMessage(err, kerr))
	return NewMemory()
}

// openOSKeyring is the platform's keyring through go-keyring, once it has answered.
func openOSKeyring(timeout time.Duration) (*Keyring, error) {
	if err := reachKeyring(); err != nil {
		return nil, err
	}
	k := newKeyring(osCaller, timeout)
	if err := k.probe(); err != nil {
		return nil, err
	}
	return k, nil
}

// fallbackMessage is auto's one line when it falls back to memory: why each keyring
// was refused, what that means for the next command, and what to do.
func fallbackMessage(osErr, kernelErr error) string {
	why := "no OS keyring: " + reason(osErr)
	if !errors.Is(kernelErr, errNoKernelKeyring) {
		why += "; and " + reason(kernelErr)
	}
	return why + ". Secrets are kept in memory and forgotten when this run ends, so the next handoff command will not find them; " +
		noKeyringAdvice + "; --keystore file keeps them in plain text instead."
}

func reason(err error) string {
	var u *UnavailableError
	if errors.As(err, &u) {
		return u.Reason
	}
	return err.Error()
}
