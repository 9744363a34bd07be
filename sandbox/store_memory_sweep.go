package sandbox

import (
	"slices"
	"time"
)

// memoryExpiry is one kind of record the sweep drops: the keys of one shard that are
// dead at now (found under the read lock, which readers share), and a drop that
// checks a key again under the write lock and returns how many records went.
type memoryExpiry struct {
	dead func(m *memoryStore, shard int, now time.Time) []string
	drop func(tx *memoryTx, key string, now time.Time) int
}

// deadKeys lists the keys of mp whose records are dead at now.
func deadKeys[V any](mp map[string]V, dead func(V, time.Time) bool, now time.Time) []string {
	var out []string
	for k, v := range mp {
		if dead(v, now) {
			out = append(out, k)
		}
	}
	return out
}

// expiring is a memoryExpiry for a kind of record that ends, each dropped by del.
func expiring[V any](of func(*memoryStore) *shards[V], dead func(V, time.Time) bool, del func(tx *memoryTx, key string)) memoryExpiry {
	return memoryExpiry{
		dead: func(m *memoryStore, shard int, now time.Time) []string { return deadKeys(of(m)[shard], dead, now) },
		drop: func(tx *memoryTx, key string, now time.Time) int {
			if v, ok := of(tx.m).of(key)[key]; !ok || !dead(v, now) {
				return 0
			}
			del(tx, key)
			return 1
		},
	}
}

var memoryExpiries = []memoryExpiry{
	expiring(func(m *memoryStore) *shards[Client] { return m.clients },
		func(c Client, now time.Time) bool { return !c.ExpiresAt.IsZero() && !now.Before(c.ExpiresAt) },
		func(tx *memoryTx, k string) { _ = setUndoable(tx, tx.m.clients.of(k), k, Client{}, true) }),
	{
		dead: func(m *memoryStore, shard int, _ time.Time) []string {
			return deadKeys(m.profiles[shard], func(p Profile, _ time.Time) bool { return len(m.devices[p.ID]) == 0 }, time.Time{})
		},
		drop: func(tx *memoryTx, id string, _ time.Time) int {
			if _, ok := tx.m.profiles.of(id)[id]; !ok || len(tx.m.devices[id]) > 0 {
				return 0
			}
			return tx.dropProfile(id)
		},
	},
	{
		dead: func(m *memoryStore, shard int, _ time.Time) []string {
			if shard != 0 { // not sharded: one map, looked through once
				return nil
			}
			return deadKeys(m.subscribers, func(p PlatformSubscriber, _ time.Time) bool {
				_, ok := m.profiles.of(p.ProfileID)[p.ProfileID]
				return !ok
			}, time.Time{})
		},
		drop: func(tx *memoryTx, k string, _ time.Time) int {
			p, ok := tx.m.subscribers[k]
			if _, live := tx.m.profiles.of(p.ProfileID)[p.ProfileID]; !ok || live {
				return 0
			}
			_ = setUndoable(tx, tx.m.subscribers, k, PlatformSubscriber{}, true)
			return 1
		},
	},
	expiring(func(m *memoryStore) *shards[AccessToken] { return m.tokens },
		func(t AccessToken, now time.Time) bool { return !now.Before(t.ExpiresAt) },
		func(tx *memoryTx, k string) { _ = setUndoable(tx, tx.m.tokens.of(k), k, AccessToken{}, true) }),
	expiring(func(m *memoryStore) *shards[LinkCode] { return m.codes },
		func(c LinkCode, now time.Time) bool { return !now.Before(c.NotAfter) },
		func(tx *memoryTx, k string) { _ = tx.DeleteLinkCode(k) }),
	expiring(func(m *memoryStore) *shards[MVPDLogin] { return m.mvpdLogins },
		func(l MVPDLogin, now time.Time) bool { return !now.Before(l.NotAfter) },
		func(tx *memoryTx, k string) { _ = setUndoable(tx, tx.m.mvpdLogins.of(k), k, MVPDLogin{}, true) }),
	expiring(func(m *memoryStore) *shards[ActivationCode] { return m.activations },
		func(c ActivationCode, now time.Time) bool { return !now.Before(c.NotAfter) },
		func(tx *memoryTx, k string) { _ = setUndoable(tx, tx.m.activations.of(k), k, ActivationCode{}, true) }),
}

// SweepExpired looks through one shard of a kind at a time under the read lock
// (which readers share), then drops what it found step at a time under the write
// lock, checking each again.
func (m *memoryStore) SweepExpired(now time.Time, step int) (SweepStats, error) {
	var st SweepStats
	for _, kind := range memoryExpiries {
		for shard := range memoryShards {
			m.mu.RLock()
			dead := kind.dead(m, shard, now)
			m.mu.RUnlock()
			for chunk := range slices.Chunk(dead, step) {
				dropped := 0
				err := m.Update(func(tx Tx) error {
					for _, k := range chunk {
						dropped += kind.drop(tx.(*memoryTx), k, now)
					}
					return nil
				})
				if err != nil {
					return st, err
				}
				st.Dropped += dropped
				st.Steps++
				st.Largest = max(st.Largest, len(chunk))
			}
		}
	}
	return st, nil
}
