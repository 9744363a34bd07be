package sandbox

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// BenchmarkOpenStore measures what the damage check at start costs: OpenBoltStore
// (a read-only open, walk every page, bbolt's Check, then the open for writing, which
// rebuilds the free-page list, and create the buckets) against the bare open and
// bucket creation it did before, on the same file of 3,000 devices.
func BenchmarkOpenStore(b *testing.B) {
	path := fullStore(b, b.TempDir())
	b.Run("bare open", func(b *testing.B) {
		for b.Loop() {
			db, err := bolt.Open(path, 0o600, nil)
			if err != nil {
				b.Fatal(err)
			}
			err = db.Update(func(tx *bolt.Tx) error {
				for _, name := range allBuckets {
					if _, err := tx.CreateBucketIfNotExists(name); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			_ = db.Close()
		}
	})
	b.Run("OpenBoltStore", func(b *testing.B) {
		for b.Loop() {
			s, err := OpenBoltStore(filepath.Dir(path))
			if err != nil {
				b.Fatal(err)
			}
			_ = s.Close()
		}
	})
}
