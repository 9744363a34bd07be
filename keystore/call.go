package keystore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// caller runs keyring calls one at a time, each bounded by a timeout.
//
// go-keyring offers no way to cancel a call, and a Secret Service that waits for an
// unlock prompt nobody sees (or a session bus that accepts but never answers) blocks it
// forever. So the call runs in its own goroutine and the caller stops waiting when the
// timeout fires. That goroutine leaks, which is acceptable because it is bounded: the
// slot stays held until the stuck call returns, every later call fails at once while
// it is stuck, so a process leaks at most one goroutine (and one D-Bus request) however
// often it tries, and a handoff process is short-lived.
type caller struct {
	api  keyring.Keyring
	slot chan struct{} // held by the call in flight, even one its caller gave up on

	mu        sync.Mutex
	abandoned bool // the call in flight timed out and has not returned yet
}

func newCaller(api keyring.Keyring) *caller {
	return &caller{api: api, slot: make(chan struct{}, 1)}
}

// osCaller is shared by every keyring store of the process: the session bus connection
// behind go-keyring is process-wide, so a call stuck on it blocks them all alike.
var osCaller = newCaller(osKeyring{})

// osKeyring is go-keyring's platform provider (Secret Service, Keychain, wincred).
type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) {
	return keyring.Get(service, user)
}

func (osKeyring) Set(service, user, password string) error {
	return keyring.Set(service, user, password)
}

func (osKeyring) Delete(service, user string) error {
	return keyring.Delete(service, user)
}

func (osKeyring) DeleteAll(service string) error {
	return keyring.DeleteAll(service)
}

type callResult struct {
	value string
	err   error
}

// do runs fn against the keyring and maps its error: keyring.ErrNotFound becomes
// ErrNotFound, anything else an *UnavailableError.
func (c *caller) do(timeout time.Duration, fn func(keyring.Keyring) (string, error)) (string, error) {
	c.mu.Lock()
	abandoned := c.abandoned
	c.mu.Unlock()
	if abandoned {
		return "", &UnavailableError{
			Reason: "an earlier keyring call has still not returned (the keyring is hung or waiting for an unlock prompt)",
			Err:    context.DeadlineExceeded,
		}
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case c.slot <- struct{}{}:
	case <-timer.C:
		return "", timedOut(timeout)
	}
	done := make(chan callResult, 1)
	go func() {
		v, err := guarded(c.api, fn)
		// Under mu, so that a caller timing out at this very moment either sees the
		// result or leaves c.abandoned for this goroutine to clear.
		c.mu.Lock()
		done <- callResult{v, err}
		c.abandoned = false
		<-c.slot
		c.mu.Unlock()
	}()
	select {
	case r := <-done:
		return r.mapped()
	case <-timer.C:
		c.mu.Lock()
		defer c.mu.Unlock()
		select {
		case r := <-done:
			return r.mapped()
		default:
			c.abandoned = true
			return "", timedOut(timeout)
		}
	}
}

func (r callResult) mapped() (string, error) {
	var u *UnavailableError
	switch {
	case r.err == nil:
		return r.value, nil
	case errors.Is(r.err, keyring.ErrNotFound):
		return "", ErrNotFound
	case errors.As(r.err, &u): // already in words (the kernel keyring's)
		return "", u
	default:
		return "", unavailable(r.err)
	}
}

// guarded runs fn, turning a panic into an error: go-keyring trusts the shape of what
// the Secret Service sends back, and a strange one must not crash handoff.
func guarded(api keyring.Keyring, fn func(keyring.Keyring) (string, error)) (v string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the keyring library failed on an unexpected answer: %v", p)
		}
	}()
	return fn(api)
}
