//go:build !linux

package keystore

import "time"

func openKernel(time.Duration) (*Keyring, error) {
	return nil, &UnavailableError{Reason: "the kernel keyring exists only on Linux; use --keystore keyring", Err: errNoKernelKeyring}
}
