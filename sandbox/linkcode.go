package sandbox

import (
	"encoding/binary"
	"errors"
	"io"
	"slices"
	"strings"
	"time"
)

const (
	linkCodeDigits         = 6
	maxLiveCodesPerProfile = 5
)

// linkCodeDraws is how many random codes createLinkCode tries before it calls the code
// space full: with a fraction f of the million codes live, all draws collide with
// probability f^100 (under 1 in 10^4 while under nine in ten are live).
const linkCodeDraws = 100

var errNoFreeCode = newError(429, "too_many_requests", "Too many link codes are live on this sandbox to draw a free one; wait for some to expire and ask again", actionRetry)

// normalizeLinkCode turns what a user typed into the six digits it stands for: spaces
// and dashes are dropped; anything else that is not six digits is refused.
func normalizeLinkCode(in string) (string, bool) {
	if len(in) > 64 {
		return "", false
	}
	var b strings.Builder
	for _, r := range in {
		switch {
		case r == ' ' || r == '-' || r == '\t':
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	if b.Len() != linkCodeDigits {
		return "", false
	}
	return b.String(), true
}

// hashLinkCode is the only form in which a code is stored. It is keyed because a
// plain hash of six digits is reversed by hashing all million of them; a copy of the
// code records without the key gives nothing away. The service provider is hashed
// with the code, so that each {sp} has its own code space: a code typed under another
// is unknown there (and is not spent by it).
func hashLinkCode(key []byte, sp, code string) string {
	m := linkMACs.get(key)
	m.in = append(append(append(m.in[:0], sp...), 0), code...)
	m.mac.Write(m.in)
	h := hexDigest(m.mac.Sum(m.sum[:0]))
	linkMACs.put(m)
	return h
}

// linkMACs serves hashLinkCode, which issuance calls once per draw.
var linkMACs macPool

// randomLinkCode draws one of the million codes, each as likely as any other: a
// 32-bit draw at or past the last whole multiple of a million is drawn again, which
// happens about twice in 10,000. (crypto/rand.Int's big numbers cost as much as the
// rest of a draw.)
func randomLinkCode(rnd io.Reader) string {
	const codes = 1_000_000
	const limit = (1 << 32) / codes * codes
	var b [4]byte
	for {
		_, _ = io.ReadFull(rnd, b[:]) // neither crypto/rand.Reader nor a seeded source fails
		if v := binary.LittleEndian.Uint32(b[:]); v < limit {
			return sixDigits(v % codes)
		}
	}
}

// sixDigits writes v (under a million) as six digits, zeros first.
func sixDigits(v uint32) string {
	var s [linkCodeDigits]byte
	for i := len(s) - 1; i >= 0; i-- {
		s[i] = byte('0' + v%10)
		v /= 10
	}
	return string(s[:])
}

// createLinkCode makes a code for the profile inside tx: unique among live codes; the
// profile keeps at most five, the oldest going first.
func createLinkCode(tx Tx, rnd io.Reader, key []byte, sp, profileID, deviceKey string, now time.Time, ttl time.Duration) (string, LinkCode, error) {
	live, err := tx.LinkCodes(profileID)
	if err != nil {
		return "", LinkCode{}, err
	}
	slices.SortFunc(live, func(a, b LinkCode) int { return a.NotBefore.Compare(b.NotBefore) })
	kept := live[:0]
	for _, c := range live {
		if !now.Before(c.NotAfter) {
			if err := tx.DeleteLinkCode(c.Hash); err != nil {
				return "", LinkCode{}, err
			}
			continue
		}
		kept = append(kept, c)
	}
	for len(kept) >= maxLiveCodesPerProfile {
		if err := tx.DeleteLinkCode(kept[0].Hash); err != nil {
			return "", LinkCode{}, err
		}
		kept = kept[1:]
	}
	freeAt := now.Add(ttl) // the soonest a colliding code ends, for Retry-After
	for range linkCodeDraws {
		code := randomLinkCode(rnd)
		hash := hashLinkCode(key, sp, code)
		old, err := tx.LinkCode(hash)
		if err == nil && now.Before(old.NotAfter) {
			freeAt = minTime(freeAt, old.NotAfter)
			continue // live already: draw again
		}
		if err != nil && !errors.Is(err, ErrNotFound) {
			return "", LinkCode{}, err
		}
		rec := LinkCode{Hash: hash, ProfileID: profileID, DeviceKey: deviceKey, NotBefore: now, NotAfter: now.Add(ttl)}
		return code, rec, tx.PutLinkCode(rec)
	}
	return "", LinkCode{}, refusal{errNoFreeCode.with("Retry-After", retryAfter(freeAt.Sub(now)))}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// redeemLinkCode spends the code inside tx: it is gone once this returns it.
func redeemLinkCode(tx Tx, key []byte, sp, code string, now time.Time) (LinkCode, bool, error) {
	hash := hashLinkCode(key, sp, code)
	rec, err := tx.LinkCode(hash)
	if errors.Is(err, ErrNotFound) {
		return LinkCode{}, false, nil
	}
	if err != nil {
		return LinkCode{}, false, err
	}
	if err := tx.DeleteLinkCode(hash); err != nil {
		return LinkCode{}, false, err
	}
	return rec, now.Before(rec.NotAfter), nil
}
