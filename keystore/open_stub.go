package keystore

// THIS FILE IS A CONTRACT STUB: the signature is fixed, the body is to be written.

import (
	"errors"
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

// Open returns the store of a kind: "auto" (or ""), "keyring", "file" or "memory".
// An unknown kind is an error that lists the valid ones.
func Open(kind string, opts Options) (Store, error) { return nil, errors.New("not implemented yet") }
