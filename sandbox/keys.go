package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Key purposes.
const (
	purposeServiceToken = "service-token"
	purposeStatement    = "software-statement"
	purposeLinkCode     = "link-code"
)

// keyring holds the server's secrets in memory, saved in their own key file (never in
// the store) so that tokens, statements and link codes outlive a restart.
// Service-token keys rotate: the newest signs, and an older key keeps verifying until
// every token it signed is past its lifetime and refresh grace.
type keyring struct {
	file     keyFile
	changing sync.Mutex // serialises changes (rotation, a new Roku key) and their save
	mu       sync.RWMutex
	signing  []Key // service-token keys, oldest first; the last one signs
	// statement and linkCode are set once by loadKeys and never change.
	statement Key
	linkCode  Key
	others    []Key // keys of other purposes (the simulated Roku's), kept as saved
}

func newSecret() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return b
}

func newKeyID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// loadKeys reads the keys from kf, making (and saving) any that do not exist yet.
func loadKeys(kf keyFile, now time.Time) (*keyring, error) {
	if sh, ok := kf.(sharedKeyFile); ok {
		return loadSharedKeys(sh, now)
	}
	saved, err := kf.load()
	if err != nil {
		return nil, err
	}
	kr, made := buildKeyring(kf, saved, now)
	if made || len(saved) != len(kr.all()) {
		if err := kf.save(kr.all()); err != nil {
			return nil, &setupError{fmt.Sprintf("cannot save the sandbox keys in %s: %s; use --data DIR or --memory", kf.location(), fileProblem(err)), err}
		}
	}
	return kr, nil
}

// buildKeyring is the keyring of the saved keys, with any missing made; made says
// whether it made one.
func buildKeyring(kf keyFile, saved []Key, now time.Time) (*keyring, bool) {
	kr := &keyring{file: kf}
	made := false
	one := func(purpose string) Key {
		var found []Key
		for _, k := range saved {
			if k.Purpose == purpose {
				found = append(found, k)
			}
		}
		if len(found) == 0 {
			made = true
			return Key{Purpose: purpose, ID: newKeyID(), Secret: newSecret(), CreatedAt: now}
		}
		// Two of a one-key purpose come only from a merge: the oldest made what exists.
		return slices.MinFunc(found, func(a, b Key) int { return a.CreatedAt.Compare(b.CreatedAt) })
	}
	kr.statement, kr.linkCode = one(purposeStatement), one(purposeLinkCode)
	for _, k := range saved {
		switch k.Purpose {
		case purposeServiceToken:
			kr.signing = append(kr.signing, k)
		case purposeStatement, purposeLinkCode:
		default:
			kr.others = append(kr.others, k)
		}
	}
	if len(kr.signing) == 0 {
		made = true
		kr.signing = []Key{{Purpose: purposeServiceToken, ID: newKeyID(), Secret: newSecret(), CreatedAt: now}}
	}
	slices.SortFunc(kr.signing, func(a, b Key) int { return a.CreatedAt.Compare(b.CreatedAt) })
	return kr, made
}

// all is every key, as saved; the caller holds mu or changing.
func (kr *keyring) all() []Key {
	out := append([]Key{kr.statement, kr.linkCode}, kr.signing...)
	return append(out, kr.others...)
}

// current returns the signing key, rotating first when it is older than rotateAfter.
// The retired key stays for retireAfter (token lifetime + grace), then is dropped.
// The new set is saved before it is used, so that no token is signed by a key that a
// restart would not know.
func (kr *keyring) current(now time.Time, rotateAfter, retireAfter time.Duration) (Key, error) {
	kr.mu.RLock()
	k := kr.signing[len(kr.signing)-1]
	kr.mu.RUnlock()
	if now.Sub(k.CreatedAt) < rotateAfter {
		return k, nil
	}
	kr.changing.Lock()
	defer kr.changing.Unlock()
	if k := kr.signing[len(kr.signing)-1]; now.Sub(k.CreatedAt) < rotateAfter {
		return k, nil
	}
	if sh, ok := kr.file.(sharedKeyFile); ok {
		return kr.rotateShared(sh, now, rotateAfter, retireAfter)
	}
	keep := rotateSigning(kr.signing, now, retireAfter)
	next := keep[len(keep)-1]
	all := append([]Key{kr.statement, kr.linkCode}, keep...)
	if err := kr.file.save(append(all, kr.others...)); err != nil {
		return Key{}, fmt.Errorf("rotate the service-token key: %w", err)
	}
	kr.mu.Lock()
	kr.signing = keep
	kr.mu.Unlock()
	return next, nil
}

// verifying returns the key with this id if it may still verify at now.
func (kr *keyring) verifying(id string, now time.Time) (Key, bool) {
	if k, ok, known := kr.lookup(id, now); known || !kr.refresh() {
		return k, ok
	}
	// Another instance on the shared key file rotated: its new key is there now.
	k, ok, _ := kr.lookup(id, now)
	return k, ok
}

// lookup is verifying in the keys held; known says whether id is among them.
func (kr *keyring) lookup(id string, now time.Time) (k Key, ok, known bool) {
	kr.mu.RLock()
	defer kr.mu.RUnlock()
	for _, k := range kr.signing {
		if k.ID == id {
			return k, k.RetireAt.IsZero() || now.Before(k.RetireAt), true
		}
	}
	return Key{}, false, false
}

// other returns the saved key of a purpose the keyring does not use itself.
func (kr *keyring) other(purpose string) (Key, bool) {
	kr.mu.RLock()
	defer kr.mu.RUnlock()
	for _, k := range kr.others {
		if k.Purpose == purpose {
			return k, true
		}
	}
	return Key{}, false
}

// addOther saves k unless a key of its purpose exists already, and returns the key
// that stands: k, or the one saved first.
func (kr *keyring) addOther(k Key) (Key, error) {
	kr.changing.Lock()
	defer kr.changing.Unlock()
	if had, ok := kr.other(k.Purpose); ok {
		return had, nil
	}
	if sh, ok := kr.file.(sharedKeyFile); ok {
		return kr.addOtherShared(sh, k)
	}
	others := append(slices.Clone(kr.others), k)
	all := append([]Key{kr.statement, kr.linkCode}, kr.signing...)
	if err := kr.file.save(append(all, others...)); err != nil {
		return Key{}, err
	}
	kr.mu.Lock()
	kr.others = others
	kr.mu.Unlock()
	return k, nil
}
