package sandbox

import (
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
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
	shared clockShare   // nil: the offset is this process's (clock_redis.go)
	mu     sync.Mutex   // serialises the writers of offset
	offset atomic.Int64 // a time.Duration, read without the lock on every request
}

func newSandboxClock(base func() time.Time) *sandboxClock { return &sandboxClock{base: base} }

func (c *sandboxClock) Now() time.Time { return c.base().Add(c.offsetNow()) }

// offsetNow is how far the clock is shifted.
func (c *sandboxClock) offsetNow() time.Duration { return time.Duration(c.offset.Load()) }

// errShiftTooFar is advance's refusal: the offset would pass its bound.
var errShiftTooFar = errors.New("sandbox: the clock would be shifted past its bound")

// advance moves the clock forward by d, unless that takes the offset past
// maxClockShift (errShiftTooFar). The bound is checked where the offset changes, so
// that advances racing each other, here or on other instances of a shared store,
// cannot pass it together (nor overflow the offset).
func (c *sandboxClock) advance(d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.shared != nil {
		off, err := c.shared.add(d, maxClockShift)
		if err != nil {
			return err
		}
		c.offset.Store(int64(off))
		return nil
	}
	if off := c.offsetNow(); off > maxClockShift-d {
		return errShiftTooFar
	}
	c.offset.Add(int64(d))
	return nil
}

// set makes the clock read t now (and go on from there).
func (c *sandboxClock) set(t time.Time) error { return c.store(t.Sub(c.base())) }

// reset goes back to the configured clock.
func (c *sandboxClock) reset() error { return c.store(0) }

func (c *sandboxClock) store(off time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.shared != nil {
		if err := c.shared.store(off); err != nil {
			return err
		}
	}
	c.offset.Store(int64(off))
	return nil
}

// sync reads the shared offset, which another instance may have moved; a failed
// read keeps the last one known.
func (c *sandboxClock) sync() {
	if c.shared == nil {
		return
	}
	off, err := c.shared.load()
	if err != nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset.Store(int64(off))
}

// reading is the clock's time and offset, read together.
func (c *sandboxClock) reading() (time.Time, time.Duration) {
	off := c.offsetNow()
	return c.base().Add(off), off
}

// withClockHeader sets X-Sandbox-Clock-Offset (a Go duration) while the clock is
// shifted.
func (s *Server) withClockHeader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.clock.sync() // each request starts on the offset all instances share
		if off := s.clock.offsetNow(); off != 0 {
			w.Header().Set(headerClockOffset, off.String())
		}
		next.ServeHTTP(w, r)
	})
}
