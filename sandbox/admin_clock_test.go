package sandbox

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/integration/redisserver"
)

// TestClockAdvanceBoundRaces: advances sent at once, each within the bound, can take
// the offset to the bound but never past it, on one server or on instances sharing
// a Redis store: of eight advances of 40 years, two pass (80 years; a third would
// make 120, past the 100-year bound) and the rest are refused as request_invalid.
func TestClockAdvanceBoundRaces(t *testing.T) {
	const step = 40 * 365 * 24 * time.Hour
	want := time.Duration(maxClockShift/step) * step
	t.Run("memory", func(t *testing.T) {
		ts := startServer(t, "memory", "", Config{})
		advanceAtOnce(t, []*testServer{ts, ts}, step, want)
	})
	t.Run("redis", func(t *testing.T) {
		advanceAtOnce(t, startOnSharedRedis(t, 2, Config{}), step, want)
	})
}

// advanceAtOnce sends four advances by step to each server at once and checks that
// the offset every server reads ends at want, with as many advances passed as that
// takes.
func advanceAtOnce(t *testing.T, servers []*testServer, step, want time.Duration) {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	passed := 0
	for _, ts := range servers {
		for range 4 {
			wg.Go(func() {
				r := ts.admin(t, "POST", "clock/advance", jsonBody(map[string]string{"by": step.String()}))
				switch {
				case r.status == 200:
					mu.Lock()
					passed++
					mu.Unlock()
				case r.status != 400 || r.str("error", "code") != "request_invalid" || !strings.Contains(r.str("error", "message"), "100 years ahead"):
					t.Errorf("an advance past the bound: %d %s", r.status, r.raw)
				}
			})
		}
	}
	wg.Wait()
	if passed != int(want/step) {
		t.Errorf("%d advances of %s passed, want %d", passed, step, want/step)
	}
	for i, ts := range servers {
		r := ts.admin(t, "GET", "clock", "")
		if got := time.Duration(int64(r.body["offsetMillis"].(float64))) * time.Millisecond; got != want {
			t.Errorf("server %d reads an offset of %s, want %s", i, got, want)
		}
	}
}

// TestSharedClockBoundIsTheStores: an instance whose own reading of the shared offset
// is stale (another instance moved it since) is still held to the bound, since the
// bound is checked against the offset in Redis as it is changed.
func TestSharedClockBoundIsTheStores(t *testing.T) {
	r := redisserver.Start(t, false)
	clocks := make([]*sandboxClock, 2)
	for i := range clocks {
		s := openRedisOn(t, r)
		t.Cleanup(func() { _ = s.Close() })
		clocks[i] = newSandboxClock(time.Now)
		clocks[i].shared = s.clockShare()
	}
	const step = 40 * 365 * 24 * time.Hour
	for range 2 {
		must(t, clocks[0].advance(step))
	}
	if off := clocks[1].offsetNow(); off != 0 {
		t.Fatalf("the second instance read %s before syncing", off)
	}
	if err := clocks[1].advance(step); err != errShiftTooFar {
		t.Fatalf("an advance to %s on a stale instance: %v, want errShiftTooFar", 3*step, err)
	}
	clocks[1].sync()
	if off := clocks[1].offsetNow(); off != 2*step {
		t.Fatalf("the shared offset is %s after a refused advance, want %s", off, 2*step)
	}
}
