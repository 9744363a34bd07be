package sandbox

import (
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/integration/redisserver"
)

// TestLimiterReserve: attempts reserved at once, on one limiter or on two instances
// sharing Redis, never overshoot the limit when they fail, and are never refused
// when they succeed, however many run together.
func TestLimiterReserve(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	for name, open := range map[string]func(t *testing.T) [2]failureCounter{
		"memory": func(*testing.T) [2]failureCounter {
			l := newFailureLimiter(10, time.Minute)
			return [2]failureCounter{l, l}
		},
		"redis": func(t *testing.T) [2]failureCounter {
			r := redisserver.Start(t, false)
			a, b := openRedisOn(t, r), openRedisOn(t, r)
			t.Cleanup(func() { _ = a.Close(); _ = b.Close() })
			return [2]failureCounter{a.newLimiter("link", 10, time.Minute, log), b.newLimiter("link", 10, time.Minute, log)}
		},
	} {
		t.Run(name, func(t *testing.T) {
			now := time.Now()
			// attempts runs 40 attempts at once, each refused or not; it returns how
			// many were judged (not told to wait).
			attempts := func(l [2]failureCounter, key string, refused bool) int {
				var mu sync.Mutex
				judged := 0
				var wg sync.WaitGroup
				for i := range 40 {
					wg.Go(func() {
						wait, settle := l[i%2].reserve(now, key, "addr:"+key)
						if wait == 0 {
							mu.Lock()
							judged++
							mu.Unlock()
						}
						settle(refused)
					})
				}
				wg.Wait()
				return judged
			}
			l := open(t)
			if n := attempts(l, "good", false); n != 40 {
				t.Errorf("%d of 40 good attempts judged, want all: a success must not count", n)
			}
			if w := l[0].blocked(now, "good", "addr:good"); w != 0 {
				t.Errorf("blocked %s after 40 successes", w)
			}
			if n := attempts(l, "bad", true); n != 10 {
				t.Errorf("%d of 40 refused attempts judged, want the limit, 10", n)
			}
			if w := l[1].blocked(now, "addr:bad"); w != time.Minute {
				t.Errorf("blocked %s after 10 failures, want a minute", w)
			}
		})
	}
}
