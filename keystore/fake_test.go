package keystore

import (
	"maps"
	"slices"
	"sync"

	"github.com/zalando/go-keyring"
)

// windowsLimit is the longest value Windows' credential manager takes.
const windowsLimit = 2560

// fakeKeyring is an in-process keyring.Keyring for unit tests: a map that refuses
// values longer than Windows' limit, and can be told to fail or to hang.
type fakeKeyring struct {
	mu      sync.Mutex
	entries map[string]string // by account; the service is always handoff
	fail    error             // returned by every call when set
	hang    chan struct{}     // every call blocks until it is closed, when set
}

func newFakeKeyring() *fakeKeyring { return &fakeKeyring{entries: map[string]string{}} }

func (f *fakeKeyring) enter() error {
	f.mu.Lock()
	hang, fail := f.hang, f.fail
	f.mu.Unlock()
	if hang != nil {
		<-hang
	}
	return fail
}

func (f *fakeKeyring) Get(service, user string) (string, error) {
	if err := f.enter(); err != nil {
		return "", err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.entries[service+"\x00"+user]
	if !ok {
		return "", keyring.ErrNotFound
	}
	return v, nil
}

func (f *fakeKeyring) Set(service, user, password string) error {
	if err := f.enter(); err != nil {
		return err
	}
	if len(password) > windowsLimit {
		return keyring.ErrSetDataTooBig
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.entries[service+"\x00"+user] = password
	return nil
}

func (f *fakeKeyring) Delete(service, user string) error {
	if err := f.enter(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.entries[service+"\x00"+user]; !ok {
		return keyring.ErrNotFound
	}
	delete(f.entries, service+"\x00"+user)
	return nil
}

func (f *fakeKeyring) DeleteAll(service string) error {
	if err := f.enter(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	maps.DeleteFunc(f.entries, func(k, _ string) bool { return len(k) > len(service) && k[:len(service)+1] == service+"\x00" })
	return nil
}

// accounts lists the entries of service handoff, parts and index included.
func (f *fakeKeyring) accounts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for k := range f.entries {
		if len(k) > len(Service) && k[:len(Service)+1] == Service+"\x00" {
			out = append(out, k[len(Service)+1:])
		}
	}
	slices.Sort(out)
	return out
}

func (f *fakeKeyring) entry(account string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.entries[Service+"\x00"+account]
}
