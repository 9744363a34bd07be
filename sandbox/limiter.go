package sandbox

import (
	"slices"
	"sync"
	"time"
)

// failureLimiter counts failed link-code redemptions per key (a device key, a client
// address) in a sliding window. It lives in memory: a restart forgives, which is fine
// for a limiter whose window is minutes.
type failureLimiter struct {
	mu       sync.Mutex
	settled  *sync.Cond // broadcast when a reserved attempt settles
	limit    int
	window   time.Duration
	failures map[string][]time.Time
	pending  map[string]int // attempts reserved and not settled yet
}

func newFailureLimiter(limit int, window time.Duration) *failureLimiter {
	l := &failureLimiter{limit: limit, window: window, failures: map[string][]time.Time{}, pending: map[string]int{}}
	l.settled = sync.NewCond(&l.mu)
	return l
}

// blocked says how long the caller must wait if any key is at its limit; zero means go.
func (l *failureLimiter) blocked(now time.Time, keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	wait, _ := l.check(now, keys)
	return wait
}

// check is the wait of the key furthest over its limit, counting failures only, and
// whether an attempt more would reach a limit, counting the pending ones too.
func (l *failureLimiter) check(now time.Time, keys []string) (wait time.Duration, full bool) {
	for _, k := range keys {
		fs := l.prune(k, now)
		if len(fs) >= l.limit {
			wait = max(wait, fs[len(fs)-l.limit].Add(l.window).Sub(now))
		}
		full = full || len(fs)+l.pending[k] >= l.limit
	}
	return wait, full
}

// reserve is blocked and fail in one step, for an attempt whose outcome a store
// transaction decides: when no key is at its limit it holds a place for the attempt
// against each key, and returns settle, which counts the attempt as a failure or
// gives the place back. An attempt held until it settles keeps the check and the
// count atomic however many attempts run at once, outside any store transaction
// (which a Batch may run twice). When only the pending attempts fill a limit,
// reserve waits for them to settle rather than refuse: attempts that succeed (TVs
// behind one address, redeeming good codes at once) must not be told to wait.
func (l *failureLimiter) reserve(now time.Time, keys ...string) (wait time.Duration, settle func(failed bool)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for {
		wait, full := l.check(now, keys)
		if wait > 0 {
			return wait, func(bool) {}
		}
		if !full {
			break
		}
		l.settled.Wait()
	}
	for _, k := range keys {
		l.pending[k]++
	}
	var once sync.Once
	return 0, func(failed bool) { once.Do(func() { l.settle(now, keys, failed) }) }
}

// settle ends an attempt reserved at t: a failure counts, a success leaves no trace.
func (l *failureLimiter) settle(t time.Time, keys []string, failed bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		if l.pending[k]--; l.pending[k] <= 0 {
			delete(l.pending, k)
		}
		if failed { // in time order, after attempts that began later and settled sooner
			fs := l.prune(k, t)
			i, _ := slices.BinarySearchFunc(fs, t, time.Time.Compare)
			l.failures[k] = slices.Insert(fs, i, t)
		}
	}
	l.settled.Broadcast()
}

// fail records one failure against each key.
func (l *failureLimiter) fail(now time.Time, keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		l.failures[k] = append(l.prune(k, now), now)
	}
}

// prune drops the failures that left the window, and forgets a key with none.
func (l *failureLimiter) prune(k string, now time.Time) []time.Time {
	fs := l.failures[k]
	i := 0
	for i < len(fs) && !now.Before(fs[i].Add(l.window)) {
		i++
	}
	fs = fs[i:]
	if len(fs) == 0 {
		delete(l.failures, k)
		return nil
	}
	l.failures[k] = fs
	return fs
}

// sweep forgets every key whose failures all left the window.
func (l *failureLimiter) sweep(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k := range l.failures {
		l.prune(k, now)
	}
}
