package main

import (
	"context"
	"errors"
	"fmt"
	"syscall"

	"github.com/handoff-sso/handoff/client"
)

// usageError is a command line that cannot run: a missing argument, a bad code, a
// flag value that makes no sense. It is found before any network call.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// setupError is a local set-up that failed: the keystore or the sandbox's data
// directory cannot be used, or there is no terminal for the interactive screen. Like a
// usage error it is fixed on this machine, not on the server.
type setupError struct {
	msg string
	err error
}

func (e *setupError) Error() string { return e.msg }
func (e *setupError) Unwrap() error { return e.err }

// interruptedError is the cause of the signal context: the user pressed Ctrl-C (or
// something sent SIGTERM) while a command was still working.
type interruptedError struct{ signal syscall.Signal }

func (e *interruptedError) Error() string { return "interrupted by " + e.signal.String() }

// reportedError is an error the command has already told the user about (on stderr,
// and as JSON with --json): run only turns it into an exit code.
type reportedError struct{ err error }

func (e *reportedError) Error() string { return e.err.Error() }
func (e *reportedError) Unwrap() error { return e.err }

// notDoneError is a command that ran to its end without what it was asked for: link
// --wait saw no device join before the code expired, status found an unusable device.
type notDoneError struct{ status, code, msg string }

func (e *notDoneError) Error() string { return e.msg }

// exitCode maps an error to the exit codes of `handoff help`; it is the only place
// that does.
func exitCode(err error) int {
	var (
		usage       *usageError
		setup       *setupError
		store       *client.StoreError
		interrupted *interruptedError
		notDone     *notDoneError
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &interrupted):
		return 128 + int(interrupted.signal) // 130 for Ctrl-C, as shells report it
	case errors.As(err, &usage), client.IsBadInput(err), errors.As(err, &store), errors.As(err, &setup):
		return exitUsage
	case client.IsRefused(err), errors.Is(err, client.ErrNotSignedIn), errors.As(err, &notDone):
		return exitRefused
	default:
		return exitUnreachable
	}
}

// interruption names the signal as the reason a command failed when the signal
// context was cancelled: the command's own error then is only "cancelled".
func (a *app) interruption(err error) error {
	var interrupted *interruptedError
	if err == nil || a.ctx.Err() == nil || errors.As(err, &interrupted) {
		return err
	}
	if errors.As(context.Cause(a.ctx), &interrupted) {
		return fmt.Errorf("%w: %w", interrupted, err)
	}
	return err
}
