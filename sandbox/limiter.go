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
	limit    int
	window   time.Duration
	failures map[string][]time.Time
}

func newFailureLimiter(limit int, window time.Duration) *failureLimiter {
	return &failureLimiter{limit: limit, window: window, failures: map[string][]time.Time{}}
}

// blocked says how long the caller must wait if any key is at its limit; zero means go.
func (l *failureLimiter) blocked(now time.Time, keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	for _, k := range keys {
		fs := l.prune(k, now)
		if len(fs) >= l.limit {
			if w := fs[len(fs)-l.limit].Add(l.window).Sub(now); w > wait {
				wait = w
			}
		}
	}
	return wait
}

// reserve is blocked and fail in one step: when no key is at its limit it records a
// failure against each key at once, and returns a release that takes them back, for
// an attempt that turns out not to fail. Counting an attempt as failed until it has
// succeeded keeps the check and the count atomic however many attempts run at once,
// outside any store transaction (which a Batch may run twice).
func (l *failureLimiter) reserve(now time.Time, keys ...string) (wait time.Duration, release func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		fs := l.prune(k, now)
		if len(fs) >= l.limit {
			wait = max(wait, fs[len(fs)-l.limit].Add(l.window).Sub(now))
		}
	}
	if wait > 0 {
		return wait, func() {}
	}
	for _, k := range keys {
		l.failures[k] = append(l.failures[k], now)
	}
	return 0, func() { l.forget(now, keys) }
}

// forget takes back one failure recorded at t against each key.
func (l *failureLimiter) forget(t time.Time, keys []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		fs := l.failures[k]
		if i := slices.IndexFunc(fs, t.Equal); i >= 0 {
			fs = slices.Delete(fs, i, i+1)
		}
		if len(fs) == 0 {
			delete(l.failures, k)
		} else {
			l.failures[k] = fs
		}
	}
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
