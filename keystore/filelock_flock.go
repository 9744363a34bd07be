//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package keystore

import (
	"os"
	"syscall"
)

// dirLocks tells whether lockDir keeps other processes out.
const dirLocks = true

// lockDir takes an exclusive lock on the file store's directory for one
// read-modify-write, so that two handoff processes (a phone and a TV in two terminals)
// do not lose each other's records. Locking the directory leaves no lock file behind.
func lockDir(dir string) (unlock func(), err error) {
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(d.Fd()), syscall.LOCK_EX); err != nil {
		d.Close()
		return nil, err
	}
	return func() {
		syscall.Flock(int(d.Fd()), syscall.LOCK_UN)
		d.Close()
	}, nil
}
