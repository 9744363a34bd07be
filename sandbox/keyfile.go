package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// keyFileName is the file, beside the store file, that holds the server's secrets:
// the service-token signing keys, the link-code hashing key, the software-statement
// key and the simulated Roku keys. Kept apart from the data, a copy of sandbox.db
// alone reveals no live code and mints no token.
const keyFileName = "sandbox-keys.json"

// keyFile is where the keyring persists.
type keyFile interface {
	// load gives the keys saved so far (none for a file not made yet).
	load() ([]Key, error)
	// save replaces the saved keys with keys, all or nothing.
	save(keys []Key) error
	location() string
}

type keyFileBody struct {
	Keys []Key `json:"keys"`
}

// fileKeys is a 0600 JSON file, replaced atomically (write beside, fsync, rename).
type fileKeys struct{ path string }

func (f fileKeys) location() string { return f.path }

func (f fileKeys) load() ([]Key, error) {
	raw, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &setupError{fmt.Sprintf("cannot read the sandbox key file %s: %s; use --data DIR or --memory", f.path, fileProblem(err)), err}
	}
	var body keyFileBody
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, &setupError{fmt.Sprintf("the sandbox key file %s is damaged; move it aside (mv %s %s.damaged) to make new keys "+
			"(the service tokens and link codes issued so far stop working), or run with --memory", f.path, f.path, f.path), err}
	}
	return body.Keys, nil
}

func (f fileKeys) save(keys []Key) error {
	raw, err := json.MarshalIndent(keyFileBody{Keys: keys}, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.path), keyFileName+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // gone once renamed; left only by a failure
	if err := tmp.Chmod(0o600); err != nil {
		_ = tmp.Close()
		return err
	}
	if _, err := tmp.Write(raw); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return err
	}
	dir, err := os.Open(filepath.Dir(f.path))
	if err != nil {
		return err
	}
	defer dir.Close()
	return dir.Sync()
}

// memoryKeys keeps the keys of a sandbox that keeps everything in memory.
type memoryKeys struct {
	mu   sync.Mutex
	keys []Key
}

func (m *memoryKeys) location() string { return "memory" }

func (m *memoryKeys) load() ([]Key, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return cloneKeys(m.keys), nil
}

func (m *memoryKeys) save(keys []Key) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keys = cloneKeys(keys)
	return nil
}

func cloneKeys(keys []Key) []Key {
	out := make([]Key, len(keys))
	for i, k := range keys {
		k.Secret = slices.Clone(k.Secret)
		out[i] = k
	}
	return out
}

// legacyKeyHolder is a store that may still hold keys from before they moved out of
// it (the durable driver, on a file written by an earlier handoff).
type legacyKeyHolder interface {
	// takeLegacyKeys hands the keys in the store to keep and, once keep has saved
	// them, removes them from the store so that no copy of its file holds them.
	takeLegacyKeys(keep func([]Key) error) error
}

// migrateKeys moves the keys a store still holds into kf, merged with what kf holds.
func migrateKeys(store Store, kf keyFile) error {
	h, ok := store.(legacyKeyHolder)
	if !ok {
		return nil
	}
	err := h.takeLegacyKeys(func(legacy []Key) error {
		saved, err := kf.load()
		if err != nil {
			return err
		}
		for _, k := range legacy {
			if !slices.ContainsFunc(saved, func(s Key) bool { return s.Purpose == k.Purpose && s.ID == k.ID }) {
				saved = append(saved, k)
			}
		}
		return kf.save(saved)
	})
	var se *setupError
	if err != nil && !errors.As(err, &se) {
		return &setupError{fmt.Sprintf("cannot move the sandbox keys out of %s into %s: %s; use --data DIR or --memory", store.Location(), kf.location(), fileProblem(err)), err}
	}
	return err
}
