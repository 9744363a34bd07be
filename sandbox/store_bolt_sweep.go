package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"
)

// boltExpiry is one kind of record the sweep drops: which bucket, when a record of it
// is dead, and how it goes (with what hangs on it: the count includes those).
type boltExpiry struct {
	bucket []byte
	dead   func(t boltTx, key, raw []byte, now time.Time) bool
	drop   func(t boltTx, key []byte) (int, error)
}

// expired reports whether raw, a record with an end decoded by end, ended at now; a
// record that does not decode is dead too, as DeleteExpired has it.
func expired[T any](end func(T) time.Time) func(boltTx, []byte, []byte, time.Time) bool {
	return func(_ boltTx, _, raw []byte, now time.Time) bool {
		var v T
		return json.Unmarshal(raw, &v) != nil || !now.Before(end(v))
	}
}

func dropKey(bucket []byte) func(boltTx, []byte) (int, error) {
	return func(t boltTx, key []byte) (int, error) { return 1, t.bucket(bucket).Delete(key) }
}

// boltExpiries are the kinds in the order DeleteExpired drops them: profiles before
// the subscribers that hang on them.
var boltExpiries = []boltExpiry{
	{bucketClients, func(_ boltTx, _, raw []byte, now time.Time) bool {
		var c Client
		return json.Unmarshal(raw, &c) == nil && !c.ExpiresAt.IsZero() && !now.Before(c.ExpiresAt)
	}, dropKey(bucketClients)},
	{bucketProfiles, func(t boltTx, key, _ []byte, _ time.Time) bool {
		prefix := joinKey(string(key), "")
		d, _ := t.bucket(bucketDevices).Cursor().Seek(prefix)
		return d == nil || !bytes.HasPrefix(d, prefix)
	}, func(t boltTx, key []byte) (int, error) { return t.dropEmptyProfile(string(key)) }},
	{bucketSubscribers, func(t boltTx, _, raw []byte, _ time.Time) bool {
		var p PlatformSubscriber
		if json.Unmarshal(raw, &p) != nil {
			return false
		}
		_, err := t.Profile(p.ProfileID)
		return errors.Is(err, ErrNotFound)
	}, dropKey(bucketSubscribers)},
	{bucketAccessTokens, expired(func(a AccessToken) time.Time { return a.ExpiresAt }), dropKey(bucketAccessTokens)},
	{bucketLinkCodes, expired(func(c LinkCode) time.Time { return c.NotAfter }), func(t boltTx, key []byte) (int, error) {
		if _, err := t.LinkCode(string(key)); err != nil && !errors.Is(err, ErrNotFound) {
			return 1, t.bucket(bucketLinkCodes).Delete(key) // unreadable: no index entry to find
		}
		return 1, t.DeleteLinkCode(string(key))
	}},
	{bucketMVPDLogins, expired(func(l MVPDLogin) time.Time { return l.NotAfter }), dropKey(bucketMVPDLogins)},
	{bucketActivations, expired(func(c ActivationCode) time.Time { return c.NotAfter }), dropKey(bucketActivations)},
}

// dropEmptyProfile drops a profile with its link codes and MVPD authentications; its
// platform subscribers go in their own pass.
func (t boltTx) dropEmptyProfile(id string) (int, error) {
	codes, err := t.LinkCodes(id)
	if err != nil {
		return 0, err
	}
	for _, c := range codes {
		if err := t.DeleteLinkCode(c.Hash); err != nil {
			return 0, err
		}
	}
	auths, err := t.DeleteMVPDAuths(id)
	if err != nil {
		return 0, err
	}
	if err := t.bucket(bucketDeviceVersions).Delete([]byte(id)); err != nil {
		return 0, err
	}
	return 1 + len(codes) + len(auths), t.bucket(bucketProfiles).Delete([]byte(id))
}

// SweepExpired walks each bucket in key order, step records at a time: a read
// transaction (which blocks nobody) finds the dead among them, then a write
// transaction checks each again and drops it.
func (s *boltStore) SweepExpired(now time.Time, step int) (SweepStats, error) {
	var st SweepStats
	for _, kind := range boltExpiries {
		var after []byte
		for more := true; more; {
			var dead [][]byte
			err := s.View(func(tx Tx) error {
				t := tx.(boltTx)
				c := t.bucket(kind.bucket).Cursor()
				k, raw := c.First()
				if after != nil {
					if k, raw = c.Seek(after); k != nil && bytes.Equal(k, after) {
						k, raw = c.Next()
					}
				}
				n := 0
				for ; k != nil && n < step; k, raw = c.Next() {
					n++
					if kind.dead(t, k, raw, now) {
						dead = append(dead, bytes.Clone(k))
					}
					after = bytes.Clone(k)
				}
				st.Largest = max(st.Largest, n)
				more = k != nil
				return nil
			})
			if err != nil || len(dead) == 0 {
				if err != nil {
					return st, err
				}
				continue
			}
			dropped := 0
			err = s.Batch(func(tx Tx) error {
				t := tx.(boltTx)
				dropped = 0
				b := t.bucket(kind.bucket)
				for _, k := range dead {
					if raw := b.Get(k); raw == nil || !kind.dead(t, k, raw, now) {
						continue
					}
					n, err := kind.drop(t, k)
					if err != nil {
						return err
					}
					dropped += n
				}
				return nil
			})
			if err != nil {
				return st, err
			}
			st.Dropped += dropped
			st.Steps++
			st.Largest = max(st.Largest, len(dead))
		}
	}
	return st, nil
}
