package keystore

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

const (
	// maxPart is the longest value written to one keyring entry: under Windows'
	// 2,560-byte limit, and under macOS' once go-keyring has base64-encoded it.
	maxPart = 2000
	// partsHeader starts the entry of a split record; the part count follows.
	partsHeader = "handoff-parts:"
)

// Keyring is the store in the OS keyring (see the package doc for the layout). Every
// call is bounded by a timeout; an error other than ErrNotFound is an
// *UnavailableError.
type Keyring struct {
	kind    string // what Kind says: the platform's keyring, or the kernel keyring
	calls   *caller
	timeout time.Duration
	// mu makes each Set and Delete (several keyring calls: parts, index) whole as seen
	// from this process. Other processes may interleave; the index is the only thing
	// they can spoil, and only by dropping an account from the list, not its record.
	mu sync.Mutex
}

// newKeyring is the store in the platform's keyring (go-keyring) behind calls.
func newKeyring(calls *caller, timeout time.Duration) *Keyring {
	return &Keyring{kind: osKeyringKind, calls: calls, timeout: timeout}
}

func (k *Keyring) Kind() string { return k.kind }

func (k *Keyring) Get(account string) ([]byte, error) {
	if err := checkAccount(account); err != nil {
		return nil, err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	v, _, err := k.load(account)
	return v, err
}

func (k *Keyring) Set(account string, value []byte) error {
	if err := checkAccount(account); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.store(account, value); err != nil {
		return err
	}
	accounts, err := k.index()
	if err != nil || slices.Contains(accounts, account) {
		return err
	}
	return k.writeIndex(append(accounts, account))
}

func (k *Keyring) Delete(account string) error {
	if err := checkAccount(account); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.remove(account); err != nil {
		return err
	}
	accounts, err := k.index()
	if err != nil || !slices.Contains(accounts, account) {
		return err
	}
	return k.writeIndex(slices.DeleteFunc(accounts, func(a string) bool { return a == account }))
}

func (k *Keyring) Accounts() ([]string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	accounts, err := k.index()
	slices.Sort(accounts)
	return accounts, err
}

// DeleteAll removes every entry of the service "handoff", including any the index
// does not list (left by a process that died between two calls).
func (k *Keyring) DeleteAll() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	_, err := k.calls.do(k.timeout, func(api keyring.Keyring) (string, error) { return "", api.DeleteAll(Service) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// probe tells whether the keyring answers, with one read of the index.
func (k *Keyring) probe() error {
	_, err := k.get(indexAccount)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

func (k *Keyring) get(entry string) (string, error) {
	return k.calls.do(k.timeout, func(api keyring.Keyring) (string, error) { return api.Get(Service, entry) })
}

func (k *Keyring) set(entry, value string) error {
	_, err := k.calls.do(k.timeout, func(api keyring.Keyring) (string, error) { return "", api.Set(Service, entry, value) })
	return err
}

func (k *Keyring) del(entry string) error {
	_, err := k.calls.do(k.timeout, func(api keyring.Keyring) (string, error) { return "", api.Delete(Service, entry) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// load reads an account's value, joining its parts, and tells how many parts it has.
func (k *Keyring) load(account string) ([]byte, int, error) {
	head, err := k.get(account)
	if err != nil {
		return nil, 0, err
	}
	n, err := partCount(account, head)
	if err != nil || n == 0 {
		return []byte(head), 0, err
	}
	var value []byte
	for i := 1; i <= n; i++ {
		part, err := k.get(partEntry(account, i))
		if errors.Is(err, ErrNotFound) {
			return nil, n, damaged(account, fmt.Sprintf("part %d of %d is missing", i, n))
		}
		if err != nil {
			return nil, n, err
		}
		value = append(value, part...)
	}
	return value, n, nil
}

// store writes an account's value, split when long, and then drops the parts of the
// previous value that the new one does not reuse. The parts go first so that the
// header never names a part that is not written yet.
func (k *Keyring) store(account string, value []byte) error {
	oldParts := 0
	if head, err := k.get(account); err == nil {
		oldParts, _ = partCount(account, head)
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	head, parts := split(value)
	for i, p := range parts {
		if err := k.set(partEntry(account, i+1), p); err != nil {
			return err
		}
	}
	if err := k.set(account, head); err != nil {
		return err
	}
	for i := len(parts) + 1; i <= oldParts; i++ {
		if err := k.del(partEntry(account, i)); err != nil {
			return err
		}
	}
	return nil
}

// remove deletes an account's entry and its parts; an absent account is no error.
func (k *Keyring) remove(account string) error {
	head, err := k.get(account)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	n, _ := partCount(account, head)
	for i := 1; i <= n; i++ {
		if err := k.del(partEntry(account, i)); err != nil {
			return err
		}
	}
	return k.del(account)
}

func (k *Keyring) index() ([]string, error) {
	raw, _, err := k.load(indexAccount)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var accounts []string
	if err := json.Unmarshal(raw, &accounts); err != nil {
		return nil, damaged(indexAccount, "it is not a JSON list of accounts")
	}
	return accounts, nil
}

// writeIndex saves the account list; an empty list removes the index, so that a
// keyring handoff no longer uses holds nothing of it.
func (k *Keyring) writeIndex(accounts []string) error {
	if len(accounts) == 0 {
		return k.remove(indexAccount)
	}
	raw, err := json.Marshal(accounts)
	if err != nil {
		return err
	}
	return k.store(indexAccount, raw)
}

// split cuts a value into the head entry and its parts; a value that fits in one entry
// (and cannot be taken for a header) is its own head, with no parts.
func split(value []byte) (head string, parts []string) {
	if len(value) <= maxPart && !strings.HasPrefix(string(value), partsHeader) {
		return string(value), nil
	}
	for len(value) > 0 {
		n := min(len(value), maxPart)
		parts = append(parts, string(value[:n]))
		value = value[n:]
	}
	return partsHeader + strconv.Itoa(len(parts)), parts
}

// partCount reads a head entry: 0 for a whole value, else the number of parts.
func partCount(account, head string) (int, error) {
	rest, ok := strings.CutPrefix(head, partsHeader)
	if !ok {
		return 0, nil
	}
	n, err := strconv.Atoi(rest)
	if err != nil || n < 1 {
		return 0, damaged(account, "its split header is unreadable")
	}
	return n, nil
}

func partEntry(account string, i int) string { return account + "#" + strconv.Itoa(i) }

func damaged(account, why string) error {
	return fmt.Errorf("keystore: the keyring entry %q of service %q is damaged (%s); remove it with 'handoff forget'", account, Service, why)
}
