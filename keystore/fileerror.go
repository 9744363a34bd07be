package keystore

import (
	"errors"
	"io/fs"
	"syscall"
)

// fileError is a file store failure told in words a user can act on. The cause stays
// reachable through errors.Is and errors.As, but its Go text ("open /x: permission
// denied") never shows.
type fileError struct {
	msg   string
	cause error
}

func (e *fileError) Error() string { return e.msg }
func (e *fileError) Unwrap() error { return e.cause }

// fileFailure says what could not be done with the key file, why in words, and what
// to do.
func fileFailure(what string, err error) error {
	why := "the system refused it"
	switch {
	case errors.Is(err, fs.ErrPermission):
		why = "permission denied (check the owner and mode of the file and its directory)"
	case errors.Is(err, syscall.ENOSPC):
		why = "the disk is full"
	case errors.Is(err, syscall.EROFS):
		why = "the file system is read-only"
	case errors.Is(err, syscall.ENOTDIR):
		why = "a file stands where a directory should be"
	}
	return &fileError{msg: "keystore: " + what + ": " + why + "; fix that, or use --keystore memory", cause: err}
}
