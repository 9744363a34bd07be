// Package keystore keeps handoff's secrets (client credentials, access tokens, service
// tokens): in an OS keyring by default (the Secret Service, the macOS Keychain, the
// Windows Credential Manager, or the Linux kernel keyring), in memory, or in a 0600
// file when asked.
//
// Layout: every record is stored under the service name "handoff" with the account
// "<device>@<host:port>/<service provider>" (see Account); the value is the record the
// caller gives, a small JSON document. In the kernel keyring an entry is a "user" key
// described "handoff:<account>".
//
// In the keyrings (see Keyring) two more kinds of entries exist, both under the same
// service:
//   - "_index" lists the accounts as a JSON array, because go-keyring cannot enumerate
//     a service's entries; Set and Delete keep it current, and Accounts reads it.
//   - Windows' credential manager refuses values above 2,560 bytes and macOS' keychain
//     chokes a little above that, so a value longer than 2,000 bytes is split: the
//     entry of the account then holds only the header "handoff-parts:N", and the value
//     itself is in the entries "<account>#1" … "<account>#N", 2,000 bytes each but
//     the last; Get joins them. A short value that happens to start with the header
//     text is split too (into one part), so a header is never mistaken for a record.
//
// Account names are therefore not allowed to be "_index" nor to end in "#<digits>"; every
// store refuses them alike so that records can move between stores.
package keystore

import (
	"errors"
	"fmt"
	"strings"
)

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
	// Kind names the store for people, as whoami and the TUI header print it: one of
	// the Kind* constants.
	Kind() string
}

// What Kind returns, store by store.
const (
	KindSecretService = "Secret Service"             // Linux and BSD desktops, through D-Bus
	KindKeychain      = "macOS Keychain"             // macOS
	KindCredentials   = "Windows Credential Manager" // Windows
	KindKernel        = "kernel keyring"             // Linux, without a desktop session
	KindFile          = "file"
	KindMemory        = "memory"
)

// Kinds are the kinds Open takes, in the order a user is offered them.
var Kinds = []string{"auto", "keyring", "kernel", "file", "memory"}

// IsEphemeral tells whether a store forgets its records when the process ends (the
// memory store): a command that finds no sign-in in it should say that the previous
// command's secrets were lost with that command, and how to keep them (a keyring, or
// --keystore file).
func IsEphemeral(s Store) bool {
	_, ok := s.(*Memory)
	return ok
}

// Account is the account name of one device on one server for one service provider.
func Account(device, hostPort, serviceProvider string) string {
	return device + "@" + hostPort + "/" + serviceProvider
}

// indexAccount is the keyring entry that lists the accounts (see the package doc).
const indexAccount = "_index"

// checkAccount refuses the names the keyring layout reserves for itself.
func checkAccount(account string) error {
	if account == "" {
		return errors.New("keystore: empty account name")
	}
	if account == indexAccount {
		return fmt.Errorf("keystore: account name %q is reserved for the keyring's index", account)
	}
	if i := strings.LastIndexByte(account, '#'); i >= 0 && i < len(account)-1 && allDigits(account[i+1:]) {
		return fmt.Errorf("keystore: account name %q ends like a part of a split record (#<digits>); choose another name", account)
	}
	return nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
