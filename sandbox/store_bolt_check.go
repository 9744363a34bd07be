package sandbox

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
)

// ErrStoreDamaged is what New's error wraps when the store file is damaged or is not
// a sandbox store: `handoff serve` exits 2 on it.
var ErrStoreDamaged = errors.New("sandbox store: damaged")

// contained runs fn so that a damaged file cannot take the process down: bbolt
// panics on pages that contradict themselves and faults (SIGSEGV, SIGBUS) on
// pointers past the end of its mapping; SetPanicOnFault turns a fault in this
// goroutine into a panic, and the recover turns either into an error that wraps
// ErrStoreDamaged. Every goroutine that reads the mapping must run under it.
func contained(fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", ErrStoreDamaged, p)
		}
	}()
	return fn()
}

// checkBolt reads every page that a request could reach, in the calling goroutine
// (which contained protects), then runs bbolt's own consistency check for what a
// walk cannot see (pages referenced twice, freed pages still in use). The walk comes
// first because Check runs in a goroutine of its own, where a fault would be fatal:
// once every reachable page has been read here, Check touches no page the walk did
// not.
func checkBolt(db *bolt.DB) error {
	fi, err := os.Stat(db.Path())
	if err != nil {
		return err
	}
	return db.View(func(tx *bolt.Tx) error {
		// A file cut short where only free pages were still reads; its pages say
		// how long it must be.
		if fi.Size() < tx.Size() {
			return fmt.Errorf("%w: the file is %d bytes, its pages need %d: it was truncated", ErrStoreDamaged, fi.Size(), tx.Size())
		}
		if err := walkBuckets(tx.Cursor(), tx.Bucket); err != nil {
			return err
		}
		for err := range tx.Check() {
			return fmt.Errorf("%w: %v", ErrStoreDamaged, err)
		}
		return nil
	})
}

// walkBuckets visits every key and value under c, and every nested bucket.
func walkBuckets(c *bolt.Cursor, bucket func([]byte) *bolt.Bucket) error {
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v != nil {
			continue
		}
		b := bucket(k)
		if b == nil {
			return fmt.Errorf("%w: entry %q is neither a value nor a bucket", ErrStoreDamaged, k)
		}
		if err := walkBuckets(b.Cursor(), b.Bucket); err != nil {
			return err
		}
	}
	return nil
}
