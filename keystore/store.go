// Package keystore keeps handoff's secrets (client credentials, access tokens, service
// tokens): in the OS keyring by default, in memory, or in a 0600 file when asked.
package keystore

import "errors"

// Service is the keyring service name every handoff entry is stored under.
const Service = "handoff"

// ErrNotFound means the store holds nothing for that account.
var ErrNotFound = errors.New("keystore: no entry for this account")

// Store keeps small secret records by account name. An account is
// "<device name>@<server host:port>/<service provider>" (see Account).
// Implementations are safe for concurrent use.
type Store interface {
	// Get returns the record of an account, or ErrNotFound.
	Get(account string) ([]byte, error)
	// Set stores or replaces the record of an account.
	Set(account string, value []byte) error
	// Delete removes an account's record; deleting what is absent is not an error.
	Delete(account string) error
	// Accounts lists the accounts the store holds.
	Accounts() ([]string, error)
	// Kind names the store for people: "keyring", "file" or "memory".
	Kind() string
}

// Account is the account name of one device on one server for one service provider.
func Account(device, hostPort, serviceProvider string) string {
	return device + "@" + hostPort + "/" + serviceProvider
}
