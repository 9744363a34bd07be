package sandbox

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

var errReadOnly = errors.New("sandbox store: write in a read-only transaction")

// memoryStore keeps everything in maps behind one lock. Update keeps an undo log so
// that a failed transaction leaves no trace, as on the durable driver.
type memoryStore struct {
	mu sync.RWMutex
	// reader is every View's transaction: a read-only one holds nothing of its own
	// (its writes fail before they touch undo), so one serves them all.
	reader   *memoryTx
	clients  *shards[Client]
	tokens   *shards[AccessToken]
	profiles *shards[Profile]
	devices  map[string]map[string]Device // profile → key → device
	// deviceKeys keeps each profile's device keys sorted, so that listing a profile
	// does not sort them again on every call.
	deviceKeys map[string][]string
	// deviceVersions holds each profile's DevicesVersion.
	deviceVersions map[string]uint64
	codes          *shards[LinkCode]
	// profileCodes indexes codes by profile, so that issuing a code costs what the
	// profile holds, not what the server holds. A slice, not a set: a profile holds
	// at most five, and a map for each profile made a live code weigh 640 bytes of
	// heap where the slice makes it 450 (BenchmarkLinkIssuance's heap-B/code), all
	// of it for the collector to mark.
	profileCodes map[string][]string // profile → hashes

	mvpdLogins  *shards[MVPDLogin]
	mvpdAuths   map[string]map[string]MVPDAuth // profile → MVPD → authentication
	subscribers map[string]PlatformSubscriber  // platform + "\x00" + subscriber

	activations *shards[ActivationCode]
}

// NewMemoryStore returns an empty store that lives as long as the process.
func NewMemoryStore() Store {
	m := &memoryStore{
		clients:  newShards[Client](),
		tokens:   newShards[AccessToken](),
		profiles: newShards[Profile](),
		devices:  map[string]map[string]Device{},

		deviceKeys:     map[string][]string{},
		deviceVersions: map[string]uint64{},
		codes:          newShards[LinkCode](),

		profileCodes: map[string][]string{},

		mvpdLogins:  newShards[MVPDLogin](),
		mvpdAuths:   map[string]map[string]MVPDAuth{},
		subscribers: map[string]PlatformSubscriber{},

		activations: newShards[ActivationCode](),
	}
	m.reader = &memoryTx{m: m}
	return m
}

func (m *memoryStore) Location() string { return "memory" }
func (m *memoryStore) Close() error     { return nil }

func (m *memoryStore) View(fn func(Tx) error) error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return fn(m.reader)
}

func (m *memoryStore) Update(fn func(Tx) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	tx := &memoryTx{m: m, writable: true}
	err := fn(tx)
	if err != nil {
		for i := len(tx.undo) - 1; i >= 0; i-- {
			tx.undo[i]()
		}
	}
	return err
}

// Batch is Update: the memory store has no commit to share.
func (m *memoryStore) Batch(fn func(Tx) error) error { return m.Update(fn) }

type memoryTx struct {
	m        *memoryStore
	writable bool
	undo     []func()
}

// setUndoable writes (or, with del, deletes) k in mp and remembers how to undo it.
func setUndoable[K comparable, V any](tx *memoryTx, mp map[K]V, k K, v V, del bool) error {
	if !tx.writable {
		return errReadOnly
	}
	old, had := mp[k]
	tx.undo = append(tx.undo, func() {
		if had {
			mp[k] = old
		} else {
			delete(mp, k)
		}
	})
	if del {
		delete(mp, k)
	} else {
		mp[k] = v
	}
	return nil
}

// setNested is setUndoable on the inner map outer[group], made when first written to.
func setNested[V any](tx *memoryTx, outer map[string]map[string]V, group, k string, v V) error {
	if !tx.writable {
		return errReadOnly
	}
	inner, ok := outer[group]
	if !ok {
		inner = map[string]V{}
		outer[group] = inner
	}
	return setUndoable(tx, inner, k, v, false)
}

// sortedValues lists a map's values in the order of their keys.
func sortedValues[V any](mp map[string]V) []V {
	out := make([]V, 0, len(mp))
	for _, k := range slices.Sorted(maps.Keys(mp)) {
		out = append(out, mp[k])
	}
	return out
}

func get[K comparable, V any](mp map[K]V, k K) (V, error) {
	v, ok := mp[k]
	if !ok {
		return v, ErrNotFound
	}
	return v, nil
}

func (tx *memoryTx) Client(id string) (Client, error) {
	c, err := get(tx.m.clients.of(id), id)
	c.RedirectURIs, c.Tokens = slices.Clone(c.RedirectURIs), slices.Clone(c.Tokens)
	return c, err
}

func (tx *memoryTx) PutClient(c Client) error {
	c.RedirectURIs, c.Tokens = slices.Clone(c.RedirectURIs), slices.Clone(c.Tokens)
	return setUndoable(tx, tx.m.clients.of(c.ID), c.ID, c, false)
}

func (tx *memoryTx) AccessToken(hash string) (AccessToken, error) {
	return get(tx.m.tokens.of(hash), hash)
}

func (tx *memoryTx) PutAccessToken(t AccessToken) error {
	return setUndoable(tx, tx.m.tokens.of(t.Hash), t.Hash, t, false)
}

func (tx *memoryTx) DeleteAccessToken(hash string) error {
	return setUndoable(tx, tx.m.tokens.of(hash), hash, AccessToken{}, true)
}

func (tx *memoryTx) Profile(id string) (Profile, error) { return get(tx.m.profiles.of(id), id) }

func (tx *memoryTx) PutProfile(p Profile) error {
	return setUndoable(tx, tx.m.profiles.of(p.ID), p.ID, p, false)
}

func (tx *memoryTx) Device(profileID, key string) (Device, error) {
	return get(tx.m.devices[profileID], key)
}

func (tx *memoryTx) Devices(profileID string) ([]Device, error) {
	byKey := tx.m.devices[profileID]
	out := make([]Device, 0, len(byKey))
	for _, k := range tx.m.deviceKeys[profileID] {
		out = append(out, byKey[k])
	}
	return out, nil
}

func (tx *memoryTx) PutDevice(d Device) error {
	if !tx.writable {
		return errReadOnly
	}
	if _, ok := tx.m.devices[d.ProfileID][d.Key]; !ok {
		setList(tx, tx.m.deviceKeys, d.ProfileID, func(keys []string) []string {
			i, _ := slices.BinarySearch(keys, d.Key)
			return slices.Insert(keys, i, d.Key)
		})
	}
	tx.devicesChanged(d.ProfileID)
	return setNested(tx, tx.m.devices, d.ProfileID, d.Key, d)
}

func (tx *memoryTx) DevicesVersion(profileID string) (uint64, error) {
	return tx.m.deviceVersions[profileID], nil
}

// devicesChanged gives the profile's devices a new DevicesVersion.
func (tx *memoryTx) devicesChanged(profileID string) {
	_ = setUndoable(tx, tx.m.deviceVersions, profileID, newDevicesVersion(), false)
}

// setList replaces mp[id] by what change makes of a copy of it (dropping an entry
// left empty), and remembers how to undo it. The copy leaves the old slice intact
// for the undo log.
func setList(tx *memoryTx, mp map[string][]string, id string, change func([]string) []string) {
	old := mp[id]
	// One spare slot: issuance drops a profile's oldest code, then appends one.
	l := change(append(make([]string, 0, len(old)+1), old...))
	_ = setUndoable(tx, mp, id, l, len(l) == 0)
}

// appendList appends v to mp[id], and remembers how to undo it. Unlike setList it
// makes no copy: an append leaves the elements the old slice sees as they were.
func appendList(tx *memoryTx, mp map[string][]string, id, v string) {
	_ = setUndoable(tx, mp, id, append(mp[id], v), false)
}

func (tx *memoryTx) TouchDevice(profileID, key, joinID string, seen time.Time) error {
	if !tx.writable {
		return errReadOnly
	}
	d, ok := tx.m.devices[profileID][key]
	if !ok || d.JoinID != joinID || !d.LastSeen.Before(seen) {
		return nil
	}
	d.LastSeen = seen
	tx.devicesChanged(profileID)
	return setNested(tx, tx.m.devices, profileID, key, d)
}

func (tx *memoryTx) DeleteDevice(profileID, key string) error {
	byKey, ok := tx.m.devices[profileID]
	if !ok {
		if !tx.writable {
			return errReadOnly
		}
		return nil
	}
	if !tx.writable {
		return errReadOnly
	}
	if _, ok := byKey[key]; ok {
		setList(tx, tx.m.deviceKeys, profileID, func(keys []string) []string {
			if i, found := slices.BinarySearch(keys, key); found {
				return slices.Delete(keys, i, i+1)
			}
			return keys
		})
		tx.devicesChanged(profileID)
	}
	return setUndoable(tx, byKey, key, Device{}, true)
}

func (tx *memoryTx) LinkCode(hash string) (LinkCode, error) { return get(tx.m.codes.of(hash), hash) }

func (tx *memoryTx) LinkCodes(profileID string) ([]LinkCode, error) {
	hashes := tx.m.profileCodes[profileID]
	if len(hashes) == 0 {
		return nil, nil
	}
	out := make([]LinkCode, 0, len(hashes)) // once: issuance calls this every time
	for _, h := range hashes {
		out = append(out, tx.m.codes.of(h)[h])
	}
	slices.SortFunc(out, func(a, b LinkCode) int { return strings.Compare(a.Hash, b.Hash) })
	return out, nil
}

func (tx *memoryTx) PutLinkCode(c LinkCode) error {
	if !tx.writable {
		return errReadOnly
	}
	if old, had := tx.m.codes.of(c.Hash)[c.Hash]; !had || old.ProfileID != c.ProfileID {
		if had {
			tx.unindexCode(old.ProfileID, old.Hash)
		}
		appendList(tx, tx.m.profileCodes, c.ProfileID, c.Hash)
	}
	return setUndoable(tx, tx.m.codes.of(c.Hash), c.Hash, c, false)
}

func (tx *memoryTx) DeleteLinkCode(hash string) error {
	if !tx.writable {
		return errReadOnly
	}
	if old, ok := tx.m.codes.of(hash)[hash]; ok {
		tx.unindexCode(old.ProfileID, hash)
	}
	return setUndoable(tx, tx.m.codes.of(hash), hash, LinkCode{}, true)
}

// unindexCode drops hash from its profile's index (and an index left empty, so that
// the index does not outgrow the codes).
func (tx *memoryTx) unindexCode(profileID, hash string) {
	setList(tx, tx.m.profileCodes, profileID, func(l []string) []string {
		return slices.DeleteFunc(l, func(h string) bool { return h == hash })
	})
}

func (tx *memoryTx) DeleteExpired(now time.Time) (int, error) {
	if !tx.writable {
		return 0, errReadOnly
	}
	n := 0
	for id, c := range tx.m.clients.all() {
		if !c.ExpiresAt.IsZero() && !now.Before(c.ExpiresAt) {
			_ = setUndoable(tx, tx.m.clients.of(id), id, Client{}, true)
			n++
		}
	}
	for id := range tx.m.profiles.all() {
		if len(tx.m.devices[id]) == 0 {
			n += tx.deleteEmptyProfile(id)
		}
	}
	for h, t := range tx.m.tokens.all() {
		if !now.Before(t.ExpiresAt) {
			_ = setUndoable(tx, tx.m.tokens.of(h), h, AccessToken{}, true)
			n++
		}
	}
	for h, c := range tx.m.codes.all() {
		if !now.Before(c.NotAfter) {
			_ = tx.DeleteLinkCode(h)
			n++
		}
	}
	for h, l := range tx.m.mvpdLogins.all() {
		if !now.Before(l.NotAfter) {
			_ = setUndoable(tx, tx.m.mvpdLogins.of(h), h, MVPDLogin{}, true)
			n++
		}
	}
	return n + tx.deleteExpiredActivations(now), nil
}

// deleteEmptyProfile drops profile id and what hangs on it; it returns how many
// records went.
func (tx *memoryTx) deleteEmptyProfile(id string) int {
	n := tx.dropProfile(id)
	for k, p := range tx.m.subscribers {
		if p.ProfileID == id {
			_ = setUndoable(tx, tx.m.subscribers, k, PlatformSubscriber{}, true)
			n++
		}
	}
	return n
}

// dropProfile drops profile id with its link codes and MVPD authentications (not its
// platform subscribers, which the sweep drops in a pass of their own).
func (tx *memoryTx) dropProfile(id string) int {
	n := 1
	_ = setUndoable(tx, tx.m.profiles.of(id), id, Profile{}, true)
	_ = setUndoable(tx, tx.m.deviceVersions, id, 0, true)
	for _, h := range tx.m.profileCodes[id] { // setList leaves this slice as it is
		_ = tx.DeleteLinkCode(h)
		n++
	}
	if auths, ok := tx.m.mvpdAuths[id]; ok {
		n += len(auths)
		_ = setUndoable(tx, tx.m.mvpdAuths, id, nil, true)
	}
	return n
}
