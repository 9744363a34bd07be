package sandbox

import (
	"net/http"
	"sync"
	"time"
)

// headerClockOffset is on every answer while the sandbox clock is shifted, so that a
// client without the admin token (the TUI) can say that the sandbox's time is not
// the real one.
const headerClockOffset = "X-Sandbox-Clock-Offset"

// sandboxClock is the sandbox's time: the configured clock (Config.Now) plus an
// offset the admin API moves. Every expiry reads it, so advancing it expires link
// codes, service tokens and their refresh grace, access tokens, MVPD authentications
// and limiter windows without anyone waiting.
type sandboxClock struct {
	base   func() time.Time
	mu     sync.Mutex
	offset time.Duration
}

func newSandboxClock(base func() time.Time) *sandboxClock { return &sandboxClock{base: base} }

func (c *sandboxClock) Now() time.Time {
	c.mu.Lock()
	off := c.offset
	c.mu.Unlock()
	return c.base().Add(off)
}

// advance moves the clock forward by d.
func (c *sandboxClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// set makes the clock read t now (and go on from there).
func (c *sandboxClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = t.Sub(c.base())
}

// reset goes back to the configured clock.
func (c *sandboxClock) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset = 0
}

// reading is the clock's time and offset, read together.
func (c *sandboxClock) reading() (time.Time, time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base().Add(c.offset), c.offset
}

// withClockHeader sets X-Sandbox-Clock-Offset (a Go duration) while the clock is
// shifted.
func (s *Server) withClockHeader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, off := s.clock.reading(); off != 0 {
			w.Header().Set(headerClockOffset, off.String())
		}
		next.ServeHTTP(w, r)
	})
}
