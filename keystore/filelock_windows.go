package keystore

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/windows"
)

// dirLocks tells whether lockDir keeps other processes out.
const dirLocks = true

// lockFileName is the file whose lock stands for the directory's: Windows locks byte
// ranges of files, not directories. It stays empty.
const lockFileName = "keystore.lock"

// lockDir takes an exclusive lock (LockFileEx) for one read-modify-write of the file
// store, so that two handoff processes do not lose each other's records.
func lockDir(dir string) (unlock func(), err error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, lockFileName), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	h := windows.Handle(f.Fd())
	var ov windows.Overlapped // offset 0: every writer locks the same first byte
	if err := windows.LockFileEx(h, windows.LOCKFILE_EXCLUSIVE_LOCK, 0, 1, 0, &ov); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		windows.UnlockFileEx(h, 0, 1, 0, &ov)
		f.Close()
	}, nil
}
