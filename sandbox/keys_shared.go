package sandbox

import (
	"fmt"
	"slices"
	"time"
)

// The keyring on a key file that several servers share (sharedKeyFile): every change
// is made on the saved set and the result adopted, so all servers hold the same keys.
// A server that meets a service token signed by a key it does not hold reads the
// set again (verifying), so a token another server signed just after rotating
// verifies everywhere; the retired key keeps verifying for its retireAfter.

// loadSharedKeys reads the keys, making the missing ones unless another server made
// them first.
func loadSharedKeys(sh sharedKeyFile, now time.Time) (*keyring, error) {
	var kr *keyring
	_, err := sh.update(func(saved []Key) ([]Key, bool) {
		var made bool
		kr, made = buildKeyring(sh, saved, now)
		return kr.all(), made || len(saved) != len(kr.all())
	})
	if err != nil {
		return nil, &setupError{fmt.Sprintf("cannot save the sandbox keys in %s: %s", sh.location(), redisProblem(err)), err}
	}
	return kr, nil
}

// rotateSigning is the service-token keys after a rotation at now: each key retires
// retireAfter from now (unless it retires already), those retired are dropped, and a
// new key, last, signs.
func rotateSigning(signing []Key, now time.Time, retireAfter time.Duration) []Key {
	keep := make([]Key, 0, len(signing)+1)
	for _, old := range signing {
		if old.RetireAt.IsZero() {
			old.RetireAt = now.Add(retireAfter)
		}
		if now.Before(old.RetireAt) {
			keep = append(keep, old)
		}
	}
	return append(keep, Key{Purpose: purposeServiceToken, ID: newKeyID(), Secret: newSecret(), CreatedAt: now})
}

// rotateShared rotates on the saved set, or adopts the key another server made since
// this one last read it. The caller holds changing.
func (kr *keyring) rotateShared(sh sharedKeyFile, now time.Time, rotateAfter, retireAfter time.Duration) (Key, error) {
	keys, err := sh.update(func(saved []Key) ([]Key, bool) {
		var signing, rest []Key
		for _, k := range saved {
			if k.Purpose == purposeServiceToken {
				signing = append(signing, k)
			} else {
				rest = append(rest, k)
			}
		}
		slices.SortFunc(signing, func(a, b Key) int { return a.CreatedAt.Compare(b.CreatedAt) })
		if len(signing) > 0 && now.Sub(signing[len(signing)-1].CreatedAt) < rotateAfter {
			return saved, false
		}
		return append(kr.withOwn(rest), rotateSigning(signing, now, retireAfter)...), true
	})
	if err != nil {
		return Key{}, fmt.Errorf("rotate the service-token key: %w", err)
	}
	kr.adopt(keys)
	kr.mu.RLock()
	defer kr.mu.RUnlock()
	return kr.signing[len(kr.signing)-1], nil
}

// addOtherShared is addOther on the saved set; the caller holds changing.
func (kr *keyring) addOtherShared(sh sharedKeyFile, k Key) (Key, error) {
	keys, err := sh.update(func(saved []Key) ([]Key, bool) {
		if slices.ContainsFunc(saved, func(s Key) bool { return s.Purpose == k.Purpose }) {
			return saved, false
		}
		return append(kr.withOwn(saved), k), true
	})
	if err != nil {
		return Key{}, err
	}
	kr.adopt(keys)
	had, _ := kr.other(k.Purpose)
	return had, nil
}

// refresh reads the shared key file again and adopts what it holds; it says whether
// it did (false: the keys are this process's own, or the read failed).
func (kr *keyring) refresh() bool {
	sh, ok := kr.file.(sharedKeyFile)
	if !ok {
		return false
	}
	kr.changing.Lock()
	defer kr.changing.Unlock()
	keys, err := sh.load()
	if err != nil {
		return false
	}
	if len(keys) == 0 {
		// Redis lost them (restarted without its append-only file): put back the
		// ones this server holds, so that servers started now agree with it.
		if keys, err = sh.update(func(saved []Key) ([]Key, bool) { return kr.all(), len(saved) == 0 }); err != nil {
			return false
		}
	}
	kr.adopt(keys)
	return true
}

// withOwn is keys with this server's statement and link-code keys added where keys
// has none of their purpose (a set Redis lost and another server wrote anew): they
// never change, or codes made before would not redeem.
func (kr *keyring) withOwn(keys []Key) []Key {
	for _, own := range []Key{kr.statement, kr.linkCode} {
		if !slices.ContainsFunc(keys, func(k Key) bool { return k.Purpose == own.Purpose }) {
			keys = append(keys, own)
		}
	}
	return keys
}

// adopt takes the service-token keys and the other purposes' keys of saved; the
// statement and link-code keys never change once made. A set without a
// service-token key (emptied by hand) is not adopted: signing needs one.
func (kr *keyring) adopt(saved []Key) {
	var signing, others []Key
	for _, k := range saved {
		switch k.Purpose {
		case purposeServiceToken:
			signing = append(signing, k)
		case purposeStatement, purposeLinkCode:
		default:
			others = append(others, k)
		}
	}
	if len(signing) == 0 {
		return
	}
	slices.SortFunc(signing, func(a, b Key) int { return a.CreatedAt.Compare(b.CreatedAt) })
	kr.mu.Lock()
	defer kr.mu.Unlock()
	kr.signing, kr.others = signing, others
}
