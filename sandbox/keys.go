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

// keyring holds the server's secrets in memory, mirrored in the store so that tokens,
// statements and link codes outlive a restart. Service-token keys rotate: the newest
// signs, and an older key keeps verifying until every token it signed is past its
// lifetime and refresh grace.
type keyring struct {
	rotating  sync.Mutex
	mu        sync.RWMutex
	signing   []Key // service-token keys, oldest first; the last one signs
	statement Key
	linkCode  Key
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

// loadKeys reads the keys from the store, making any that do not exist yet.
func loadKeys(store Store, now time.Time) (*keyring, error) {
	kr := &keyring{}
	err := store.Update(func(tx Tx) error {
		one := func(purpose string) (Key, error) {
			ks, err := tx.Keys(purpose)
			if err != nil {
				return Key{}, err
			}
			if len(ks) > 0 {
				return ks[0], nil
			}
			k := Key{Purpose: purpose, ID: newKeyID(), Secret: newSecret(), CreatedAt: now}
			return k, tx.PutKey(k)
		}
		var err error
		if kr.statement, err = one(purposeStatement); err != nil {
			return err
		}
		if kr.linkCode, err = one(purposeLinkCode); err != nil {
			return err
		}
		ks, err := tx.Keys(purposeServiceToken)
		if err != nil {
			return err
		}
		if len(ks) == 0 {
			k := Key{Purpose: purposeServiceToken, ID: newKeyID(), Secret: newSecret(), CreatedAt: now}
			if err := tx.PutKey(k); err != nil {
				return err
			}
			ks = append(ks, k)
		}
		slices.SortFunc(ks, func(a, b Key) int { return a.CreatedAt.Compare(b.CreatedAt) })
		kr.signing = ks
		return nil
	})
	if err != nil {
		return nil, &setupError{fmt.Sprintf("cannot load the sandbox keys from %s: the data is damaged or unreadable; move it away, or use --data DIR or --memory", store.Location()), err}
	}
	return kr, nil
}

// current returns the signing key, rotating first when it is older than rotateAfter.
// The retired key stays for retireAfter (token lifetime + grace), then is dropped.
// Rotation holds its own lock, never mu, while it writes to the store: requests verify
// tokens (under mu) from inside store transactions.
func (kr *keyring) current(store Store, now time.Time, rotateAfter, retireAfter time.Duration) (Key, error) {
	kr.mu.RLock()
	k := kr.signing[len(kr.signing)-1]
	kr.mu.RUnlock()
	if now.Sub(k.CreatedAt) < rotateAfter {
		return k, nil
	}
	kr.rotating.Lock()
	defer kr.rotating.Unlock()
	kr.mu.RLock()
	signing := slices.Clone(kr.signing)
	kr.mu.RUnlock()
	if k := signing[len(signing)-1]; now.Sub(k.CreatedAt) < rotateAfter {
		return k, nil
	}
	next := Key{Purpose: purposeServiceToken, ID: newKeyID(), Secret: newSecret(), CreatedAt: now}
	keep := make([]Key, 0, len(signing)+1)
	err := store.Update(func(tx Tx) error {
		for _, old := range signing {
			if old.RetireAt.IsZero() {
				old.RetireAt = now.Add(retireAfter)
				if err := tx.PutKey(old); err != nil {
					return err
				}
			}
			if !now.Before(old.RetireAt) {
				if err := tx.DeleteKey(old.Purpose, old.ID); err != nil {
					return err
				}
				continue
			}
			keep = append(keep, old)
		}
		return tx.PutKey(next)
	})
	if err != nil {
		return Key{}, fmt.Errorf("rotate the service-token key: %w", err)
	}
	kr.mu.Lock()
	kr.signing = append(keep, next)
	kr.mu.Unlock()
	return next, nil
}

// verifying returns the key with this id if it may still verify at now.
func (kr *keyring) verifying(id string, now time.Time) (Key, bool) {
	kr.mu.RLock()
	defer kr.mu.RUnlock()
	for _, k := range kr.signing {
		if k.ID == id {
			return k, k.RetireAt.IsZero() || now.Before(k.RetireAt)
		}
	}
	return Key{}, false
}
