package keystore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrUnavailable matches (with errors.Is) every error that means "there is no usable
// OS keyring": no session bus, no Secret Service, a locked or refused keyring, or no
// answer within the timeout.
var ErrUnavailable = errors.New("keystore: keyring unavailable")

// UnavailableError says why the OS keyring could not be used. Reason is written for
// people; Err is what the keyring library returned (context.DeadlineExceeded when the
// call timed out).
type UnavailableError struct {
	Reason string
	Err    error
}

func (e *UnavailableError) Error() string { return "keyring unavailable: " + e.Reason }

func (e *UnavailableError) Unwrap() error { return e.Err }

func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// unavailable turns a keyring library error into an UnavailableError whose reason a
// person can act on. The library's errors come from D-Bus, the keychain or wincred
// and share no types, so the known cases are told apart by their text.
func unavailable(err error) *UnavailableError {
	msg := err.Error()
	var reason string
	switch {
	case strings.Contains(msg, "couldn't determine address of session bus"),
		strings.Contains(msg, "dbus-launch"),
		strings.Contains(msg, "dial unix"),
		strings.Contains(msg, "connect: "):
		reason = "there is no D-Bus session bus to reach a Secret Service (DBUS_SESSION_BUS_ADDRESS is unset or points at nothing)"
	case strings.Contains(msg, "ServiceUnknown"),
		strings.Contains(msg, "not provided by any .service files"):
		reason = "no Secret Service (such as gnome-keyring) is running on the session bus"
	case strings.Contains(msg, "failed to unlock"),
		strings.Contains(msg, "IsLocked"),
		strings.Contains(msg, "dismissed"):
		reason = "the keyring is locked and was not unlocked"
	default:
		reason = "the keyring refused the request (" + msg + ")"
	}
	return &UnavailableError{Reason: reason, Err: err}
}

// timedOut is the UnavailableError of a call that did not return in time.
func timedOut(after time.Duration) *UnavailableError {
	return &UnavailableError{
		Reason: fmt.Sprintf("the keyring did not answer within %s (it may be waiting for an unlock prompt nobody sees)", after),
		Err:    context.DeadlineExceeded,
	}
}
