package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// pollEvery is how often a --wait asks (link the device list, tvcode the sign-in):
// what it waits for is seen within this, and a sandbox is not hammered.
const pollEvery = time.Second

// errWaitedOut is pollUntil's deadline passing before its poll was satisfied.
var errWaitedOut = errors.New("the wait ran out")

// pollUntil calls poll every pollEvery (each call bounded by --timeout) until it
// reports done or fails, until deadline (errWaitedOut), or until the command is
// interrupted. On a terminal, without --json, it counts down on one line after
// waiting ("waiting for a device to join…") and clears it before returning.
func (s *step) pollUntil(deadline time.Time, waiting string, poll func(context.Context) (done bool, err error)) error {
	ctx, cancel := context.WithDeadline(s.cmd.Context(), deadline)
	defer cancel()
	if s.a.e.stdoutTTY && !s.a.sf.json {
		defer fmt.Fprint(s.a.e.stdout, "\r\x1b[K")
	} else {
		waiting = ""
	}
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		if waiting != "" {
			fmt.Fprintf(s.a.e.stdout, "\r\x1b[K%s %s left", waiting, clock(time.Until(deadline)))
		}
		select {
		case <-ctx.Done():
			if err := s.cmd.Context().Err(); err != nil {
				return err
			}
			return errWaitedOut
		case <-tick.C:
		}
		callCtx, callCancel := context.WithTimeout(ctx, s.a.sf.timeout)
		done, err := poll(callCtx)
		callCancel()
		switch {
		case done:
			return nil
		case err != nil && ctx.Err() != nil:
			// the deadline or the interruption, said above
		case err != nil:
			return err
		}
	}
}
