package sandbox

import (
	"errors"
	"slices"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// groupCommit is the durable store's Batch: the functions that arrive while a commit
// is syncing wait, then run one after the other in a single transaction, so that one
// sync (bbolt's two fdatasyncs: the pages, then the meta page) serves them all.
// Unlike bbolt's DB.Batch it adds no delay: a call that finds no commit in progress
// starts one at once, so a lone request costs what Update costs.
type groupCommit struct {
	mu         sync.Mutex
	pending    []*batchCall
	committing bool // a goroutine is running commitPending
}

type batchCall struct {
	fn   func(Tx) error
	done chan error // buffered: the committer never waits on a caller
}

// errRunAlone tells a caller that its function failed inside a shared transaction,
// which then rolled back: it runs again alone, so that its error is its own.
var errRunAlone = errors.New("sandbox store: run the batched function alone")

func (s *boltStore) Batch(fn func(Tx) error) error {
	c := &batchCall{fn: fn, done: make(chan error, 1)}
	g := &s.group
	g.mu.Lock()
	g.pending = append(g.pending, c)
	lead := !g.committing
	g.committing = true
	g.mu.Unlock()
	if lead {
		s.commitPending()
	}
	if err := <-c.done; !errors.Is(err, errRunAlone) {
		return err
	}
	return s.Update(fn)
}

// commitPending commits every call waiting now in one transaction. Calls that came
// during that commit are the next batch, led by a new goroutine, so that this
// caller answers its own request without waiting for them.
func (s *boltStore) commitPending() {
	g := &s.group
	g.mu.Lock()
	calls := g.pending
	g.pending = nil
	g.mu.Unlock()
	s.runBatch(calls)
	g.mu.Lock()
	more := len(g.pending) > 0
	g.committing = more
	g.mu.Unlock()
	if more {
		go s.commitPending()
	}
}

// runBatch runs calls in one transaction. When one fails, the transaction rolls back,
// that call is told to run alone, and the others run again without it.
func (s *boltStore) runBatch(calls []*batchCall) {
	for len(calls) > 0 {
		failed := -1
		err := contained(func() error {
			return s.db.Update(func(btx *bolt.Tx) error {
				for i, c := range calls {
					if err := c.fn(newBoltTx(btx)); err != nil {
						failed = i
						return err
					}
				}
				return nil
			})
		})
		switch {
		case failed >= 0 && len(calls) == 1:
			calls[0].done <- err // it ran alone already
		case failed >= 0:
			calls[failed].done <- errRunAlone
			calls = slices.Delete(calls, failed, failed+1)
			continue
		default:
			for _, c := range calls {
				c.done <- err
			}
		}
		return
	}
}
