package sandbox

import (
	"encoding/json"
	"errors"
	"os"

	bolt "go.etcd.io/bbolt"
)

// takeLegacyKeys moves the keys of a store written before keys had their own file:
// keep saves them, then the bucket goes, and the file is compacted, because bbolt
// only frees the pages of a deleted bucket and their bytes would stay in the file.
func (s *boltStore) takeLegacyKeys(keep func([]Key) error) error {
	moved := false
	err := contained(func() error {
		return s.db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketKeys)
			if b == nil {
				return nil
			}
			var keys []Key
			err := b.ForEach(func(_, raw []byte) error {
				var k Key
				if err := json.Unmarshal(raw, &k); err != nil {
					return damagedStore(s.Location(), err)
				}
				keys = append(keys, k)
				return nil
			})
			if err != nil {
				return err
			}
			if err := keep(keys); err != nil {
				return err
			}
			moved = true
			return tx.DeleteBucket(bucketKeys)
		})
	})
	if err != nil || !moved {
		return err
	}
	return contained(s.compact)
}

// compact rewrites the store file with only its live pages.
func (s *boltStore) compact() error {
	path := s.Location()
	tmp := path + ".compact"
	_ = os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, nil)
	if err != nil {
		return err
	}
	if err := bolt.Compact(dst, s.db, 0); err != nil {
		_ = dst.Close()
		_ = os.Remove(tmp)
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	if err := s.db.Close(); err != nil {
		return err
	}
	renamed := os.Rename(tmp, path)
	db, err := bolt.Open(path, 0o600, boltOptions) // a file bbolt has just written: no check
	s.db = db                                      // nil when it failed: Close has nothing to close
	if renamed != nil {
		_ = os.Remove(tmp)
		return errors.Join(renamed, err)
	}
	return err
}
