package sandbox

import (
	"errors"
	"io/fs"
	"syscall"
)

// setupError is a start-up failure (New, Start) told in words a user of `handoff
// serve` can act on. The cause stays reachable through errors.Is and errors.As, but its
// Go text ("open /x: permission denied") never shows.
type setupError struct {
	msg   string
	cause error
}

func (e *setupError) Error() string { return e.msg }
func (e *setupError) Unwrap() error { return e.cause }

// fileProblem says in words why a file or directory could not be used.
func fileProblem(err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "permission denied (check the owner and mode of the directory and its files)"
	case errors.Is(err, syscall.ENOSPC):
		return "the disk is full"
	case errors.Is(err, syscall.EROFS):
		return "the file system is read-only"
	case errors.Is(err, syscall.ENOTDIR):
		return "a file stands where a directory should be"
	}
	if errno := syscall.Errno(0); errors.As(err, &errno) {
		return "the system refused it"
	}
	// Not the system's refusal: bbolt's own, on a file that is not a store it can read.
	return "the file is not a handoff sandbox store, or it is damaged (move it away to start afresh)"
}

// listenProblem says in words why an address could not be listened on.
func listenProblem(err error) string {
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return "the address is in use (is another handoff serving there?)"
	case errors.Is(err, syscall.EACCES):
		return "permission denied (ports below 1024 need privileges)"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "this machine has no such address"
	}
	return "it is not a host:port this machine can listen on"
}
