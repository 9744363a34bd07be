package sandbox

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// The durable driver keeps one bucket per kind of record, values as JSON (so that a
// record can gain fields without a migration). Keys that belong to a profile are
// prefixed by the profile ID and a NUL, so a prefix scan lists them.
var (
	// bucketKeys held the keys before they moved to their own file; only
	// takeLegacyKeys reads it, to move them.
	bucketKeys         = []byte("keys")
	bucketClients      = []byte("clients")
	bucketAccessTokens = []byte("access_tokens")
	bucketProfiles     = []byte("profiles")
	bucketDevices      = []byte("devices")
	// bucketDeviceVersions holds each profile's DevicesVersion, 8 bytes big-endian.
	bucketDeviceVersions = []byte("device_versions")
	bucketLinkCodes      = []byte("link_codes")
	bucketProfileCodes   = []byte("profile_link_codes")
	allBuckets           = [][]byte{bucketClients, bucketAccessTokens, bucketProfiles, bucketDevices, bucketDeviceVersions, bucketLinkCodes, bucketProfileCodes,
		bucketMVPDLogins, bucketMVPDAuths, bucketSubscribers, bucketActivations}
)

// boltFile is the store's file name inside its data directory.
const boltFile = "sandbox.db"

// lockTimeout is how long New waits for another process to let go of the file.
const lockTimeout = 500 * time.Millisecond

type boltStore struct {
	db    *bolt.DB
	dir   string
	group groupCommit
}

// OpenBoltStore opens (or creates) the durable store in dir. Every Update is fsynced
// before it returns. A second process on the same dir gets a clear error at once, and
// a damaged file (or one that is not a store) a clear error that wraps ErrStoreDamaged,
// never a panic: the whole file is read and checked before it is used.
func OpenBoltStore(dir string) (Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, &setupError{fmt.Sprintf("cannot create the sandbox data directory %s: %s; use --data DIR or --memory", dir, fileProblem(err)), err}
	}
	path := filepath.Join(dir, boltFile)
	var db *bolt.DB
	err := contained(func() error {
		if err := checkBoltFile(path); err != nil {
			return err
		}
		var err error
		if db, err = bolt.Open(path, 0o600, boltOptions); err != nil {
			return err
		}
		return db.Update(func(tx *bolt.Tx) error {
			for _, b := range allBuckets {
				if _, err := tx.CreateBucketIfNotExists(b); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err == nil {
		return &boltStore{db: db, dir: dir}, nil
	}
	if db != nil {
		_ = contained(db.Close)
	}
	var errno syscall.Errno
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("the sandbox data in %s is in use by another handoff; use --data or --memory", dir)
	case errors.As(err, &errno):
		return nil, &setupError{fmt.Sprintf("cannot open the sandbox data %s: %s; use --data DIR or --memory", path, fileProblem(err)), err}
	}
	return nil, damagedStore(path, err)
}

// boltOptions: the free-page list is not written at each commit. bbolt writes the
// whole list on every commit otherwise, and after a large write or sweep it holds
// tens of thousands of pages, which made each later write pay for it (a link code at
// 500,000 live ones took twice as long as at 10,000, from the list alone). Open
// rebuilds the list by walking the file instead: durability is the same.
var boltOptions = &bolt.Options{Timeout: lockTimeout, NoFreelistSync: true}

// checkBoltFile reads and checks an existing store file whole, opened read-only,
// before it is opened for writing: a writable open with NoFreelistSync walks every
// page at once, on another goroutine, where a page of a damaged file would be a
// fault no recover can catch. The read-only open walks nothing until checkBolt has
// checked the file's length and its tree.
func checkBoltFile(path string) error {
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		return nil // a new store, or one bbolt starts afresh
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: lockTimeout, ReadOnly: true})
	if err != nil {
		return err
	}
	err = checkBolt(db)
	return errors.Join(err, db.Close())
}

// damagedStore says what to do about a store file bbolt cannot read.
func damagedStore(path string, cause error) error {
	if !errors.Is(cause, ErrStoreDamaged) {
		cause = fmt.Errorf("%w: %w", ErrStoreDamaged, cause)
	}
	return &setupError{fmt.Sprintf("the sandbox data file %s is damaged or is not a handoff sandbox store; "+
		"move it aside (mv %s %s.damaged) to start afresh, or run with --memory", path, path, path), cause}
}

func (s *boltStore) Location() string { return filepath.Join(s.dir, boltFile) }

// Close closes the file; a store whose compaction could not reopen it has none.
func (s *boltStore) Close() error {
	if s.db == nil {
		return nil
	}
	return s.db.Close()
}

// View and Update contain a fault or panic that a page damaged after the start
// causes: the request fails (internal_error) and the server keeps serving.
func (s *boltStore) View(fn func(Tx) error) error {
	return contained(func() error { return s.db.View(func(tx *bolt.Tx) error { return fn(newBoltTx(tx)) }) })
}

func (s *boltStore) Update(fn func(Tx) error) error {
	return contained(func() error { return s.db.Update(func(tx *bolt.Tx) error { return fn(newBoltTx(tx)) }) })
}

type boltTx struct {
	tx   *bolt.Tx
	open *openBuckets
}

func newBoltTx(tx *bolt.Tx) boltTx { return boltTx{tx: tx, open: &openBuckets{}} }

// openBuckets are the buckets a transaction has opened. A read-only bbolt transaction
// looks a bucket up in the root again on every Tx.Bucket (it keeps them only when
// writable), which was 5% of a list call.
type openBuckets struct {
	names [8][]byte
	b     [8]*bolt.Bucket
	n     int
}

// bucket is the transaction's bucket name, opened once.
func (t boltTx) bucket(name []byte) *bolt.Bucket {
	o := t.open
	for i := range o.n {
		if bytes.Equal(o.names[i], name) {
			return o.b[i]
		}
	}
	b := t.tx.Bucket(name)
	if b != nil && o.n < len(o.b) {
		o.names[o.n], o.b[o.n] = name, b
		o.n++
	}
	return b
}

func joinKey(parts ...string) []byte {
	var b bytes.Buffer
	for i, p := range parts {
		if i > 0 {
			b.WriteByte(0)
		}
		b.WriteString(p)
	}
	return b.Bytes()
}

func boltGet[T any](tx boltTx, bucket, key []byte) (T, error) {
	var v T
	raw := tx.bucket(bucket).Get(key)
	if raw == nil {
		return v, ErrNotFound
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, fmt.Errorf("sandbox store: corrupt record in %s: %w", bucket, err)
	}
	return v, nil
}

// boltGetCached is boltGet through a cache of decoded records.
func boltGetCached[T any](tx boltTx, cache *recordCache[T], bucket, key []byte) (T, error) {
	raw := tx.bucket(bucket).Get(key)
	if raw == nil {
		var zero T
		return zero, ErrNotFound
	}
	return cache.decode(bucket, raw)
}

func boltPut(tx boltTx, bucket, key []byte, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.bucket(bucket).Put(key, raw)
}

// boltScan decodes every record of bucket whose key starts with prefix.
func boltScan[T any](tx boltTx, bucket, prefix []byte) ([]T, error) {
	var out []T
	c := tx.bucket(bucket).Cursor()
	for k, raw := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, raw = c.Next() {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, fmt.Errorf("sandbox store: corrupt record in %s: %w", bucket, err)
		}
		out = append(out, v)
	}
	return out, nil
}

func (t boltTx) Client(id string) (Client, error) {
	return boltGet[Client](t, bucketClients, []byte(id))
}

func (t boltTx) PutClient(c Client) error { return boltPut(t, bucketClients, []byte(c.ID), c) }

func (t boltTx) AccessToken(hash string) (AccessToken, error) {
	return boltGetCached(t, &tokenRecords, bucketAccessTokens, []byte(hash))
}

func (t boltTx) PutAccessToken(a AccessToken) error {
	return boltPut(t, bucketAccessTokens, []byte(a.Hash), a)
}

func (t boltTx) DeleteAccessToken(hash string) error {
	return t.bucket(bucketAccessTokens).Delete([]byte(hash))
}

func (t boltTx) Profile(id string) (Profile, error) {
	return boltGet[Profile](t, bucketProfiles, []byte(id))
}

func (t boltTx) PutProfile(p Profile) error { return boltPut(t, bucketProfiles, []byte(p.ID), p) }

func (t boltTx) Device(profileID, key string) (Device, error) {
	return boltGetCached(t, &deviceRecords, bucketDevices, joinKey(profileID, key))
}

func (t boltTx) Devices(profileID string) ([]Device, error) {
	var raws [][]byte // valid until the transaction ends, as the devices are needed
	prefix := joinKey(profileID, "")
	c := t.bucket(bucketDevices).Cursor()
	for k, raw := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, raw = c.Next() {
		raws = append(raws, raw)
	}
	return deviceRecords.decodeAll(bucketDevices, raws)
}

func (t boltTx) PutDevice(d Device) error {
	if err := boltPut(t, bucketDevices, joinKey(d.ProfileID, d.Key), d); err != nil {
		return err
	}
	return t.devicesChanged(d.ProfileID)
}

func (t boltTx) DevicesVersion(profileID string) (uint64, error) {
	raw := t.bucket(bucketDeviceVersions).Get([]byte(profileID))
	if len(raw) != 8 {
		return 0, nil // none yet, or not one of ours: unknown
	}
	return binary.BigEndian.Uint64(raw), nil
}

// devicesChanged gives the profile's devices a new DevicesVersion.
func (t boltTx) devicesChanged(profileID string) error {
	return t.bucket(bucketDeviceVersions).Put([]byte(profileID), binary.BigEndian.AppendUint64(nil, newDevicesVersion()))
}

func (t boltTx) TouchDevice(profileID, key, joinID string, seen time.Time) error {
	d, err := t.Device(profileID, key)
	if errors.Is(err, ErrNotFound) || err == nil && (d.JoinID != joinID || !d.LastSeen.Before(seen)) {
		return nil
	}
	if err != nil {
		return err
	}
	d.LastSeen = seen
	return t.PutDevice(d)
}

func (t boltTx) DeleteDevice(profileID, key string) error {
	if err := t.bucket(bucketDevices).Delete(joinKey(profileID, key)); err != nil {
		return err
	}
	return t.devicesChanged(profileID)
}

func (t boltTx) LinkCode(hash string) (LinkCode, error) {
	return boltGet[LinkCode](t, bucketLinkCodes, []byte(hash))
}

func (t boltTx) LinkCodes(profileID string) ([]LinkCode, error) {
	var out []LinkCode
	prefix := joinKey(profileID, "")
	c := t.bucket(bucketProfileCodes).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		code, err := t.LinkCode(string(k[len(prefix):]))
		if err != nil {
			return nil, err
		}
		out = append(out, code)
	}
	return out, nil
}

func (t boltTx) PutLinkCode(c LinkCode) error {
	if old, err := t.LinkCode(c.Hash); err == nil && old.ProfileID != c.ProfileID {
		if err := t.bucket(bucketProfileCodes).Delete(joinKey(old.ProfileID, old.Hash)); err != nil {
			return err
		}
	}
	if err := boltPut(t, bucketLinkCodes, []byte(c.Hash), c); err != nil {
		return err
	}
	return t.bucket(bucketProfileCodes).Put(joinKey(c.ProfileID, c.Hash), nil)
}

func (t boltTx) DeleteLinkCode(hash string) error {
	old, err := t.LinkCode(hash)
	if errors.Is(err, ErrNotFound) {
		return t.bucket(bucketLinkCodes).Delete([]byte(hash))
	}
	if err != nil {
		return err
	}
	if err := t.bucket(bucketProfileCodes).Delete(joinKey(old.ProfileID, hash)); err != nil {
		return err
	}
	return t.bucket(bucketLinkCodes).Delete([]byte(hash))
}

func (t boltTx) DeleteExpired(now time.Time) (int, error) {
	clients, err := t.deleteExpiredClients(now)
	if err != nil {
		return 0, err
	}
	profiles, err := t.deleteEmptyProfiles()
	if err != nil {
		return 0, err
	}
	var tokens, codes []string
	err = t.bucket(bucketAccessTokens).ForEach(func(k, raw []byte) error {
		var a AccessToken
		if err := json.Unmarshal(raw, &a); err != nil || !now.Before(a.ExpiresAt) {
			tokens = append(tokens, string(k))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	err = t.bucket(bucketLinkCodes).ForEach(func(k, raw []byte) error {
		var c LinkCode
		if err := json.Unmarshal(raw, &c); err != nil || !now.Before(c.NotAfter) {
			codes = append(codes, string(k))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, h := range tokens {
		if err := t.bucket(bucketAccessTokens).Delete([]byte(h)); err != nil {
			return 0, err
		}
	}
	for _, h := range codes {
		if err := t.DeleteLinkCode(h); err != nil {
			return 0, err
		}
	}
	logins, err := t.deleteExpiredMVPDLogins(now)
	if err != nil {
		return 0, err
	}
	activations, err := t.deleteExpiredActivations(now)
	if err != nil {
		return 0, err
	}
	return clients + profiles + len(tokens) + len(codes) + logins + activations, nil
}

// deleteExpiredClients drops the clients whose ExpiresAt has passed.
func (t boltTx) deleteExpiredClients(now time.Time) (int, error) {
	var dead [][]byte
	err := t.bucket(bucketClients).ForEach(func(k, raw []byte) error {
		var c Client
		if err := json.Unmarshal(raw, &c); err == nil && !c.ExpiresAt.IsZero() && !now.Before(c.ExpiresAt) {
			dead = append(dead, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range dead {
		if err := t.bucket(bucketClients).Delete(k); err != nil {
			return 0, err
		}
	}
	return len(dead), nil
}

// deleteEmptyProfiles drops every profile with no device, with its link codes, MVPD
// authentications and platform subscribers.
func (t boltTx) deleteEmptyProfiles() (int, error) {
	var empty []string
	devices := t.bucket(bucketDevices).Cursor()
	err := t.bucket(bucketProfiles).ForEach(func(k, _ []byte) error {
		prefix := joinKey(string(k), "")
		if d, _ := devices.Seek(prefix); d == nil || !bytes.HasPrefix(d, prefix) {
			empty = append(empty, string(k))
		}
		return nil
	})
	if err != nil || len(empty) == 0 {
		return 0, err
	}
	n := 0
	for _, id := range empty {
		dropped, err := t.dropEmptyProfile(id)
		if err != nil {
			return 0, err
		}
		n += dropped
	}
	gone := make(map[string]bool, len(empty))
	for _, id := range empty {
		gone[id] = true
	}
	var subs [][]byte
	err = t.bucket(bucketSubscribers).ForEach(func(k, raw []byte) error {
		var p PlatformSubscriber
		if json.Unmarshal(raw, &p) == nil && gone[p.ProfileID] {
			subs = append(subs, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range subs {
		if err := t.bucket(bucketSubscribers).Delete(k); err != nil {
			return 0, err
		}
	}
	return n + len(subs), nil
}
