package swarm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/keystore"
)

// The steps of a TV's life, in the report's order.
const (
	stepSignIn  = "signin"  // the phone: POST serviceToken with X-SSO-ID
	stepLink    = "link"    // the phone: POST link
	stepRedeem  = "redeem"  // the TV: POST serviceToken with X-SSO-LINK
	stepList    = "list"    // the TV: GET list
	stepRefresh = "refresh" // the TV: GET serviceToken
	stepUnlink  = "unlink"  // the TV, then the phone, unlink themselves
)

var steps = []string{stepSignIn, stepLink, stepRedeem, stepList, stepRefresh, stepUnlink}

// pair is one TV and the phone that makes its link code, on a profile of their own.
type pair struct {
	s         *Swarm
	profile   string
	phone, tv *client.Device
}

func (s *Swarm) newPair(i int) (*pair, error) {
	open := func(name string, role assets.Role, server string) (*client.Device, error) {
		return client.OpenDevice(client.DeviceConfig{
			Name:              name,
			Server:            server,
			SP:                s.opts.SP,
			Role:              role,
			Store:             keystore.NewMemory(), // the tokens never leave this process
			HTTPClient:        s.http,
			SoftwareStatement: s.statement,
		})
	}
	phone, err := open(fmt.Sprintf("swarm-phone-%d", i), assets.RolePrimary, s.server(i))
	if err != nil {
		return nil, err
	}
	tv, err := open(fmt.Sprintf("swarm-tv-%d", i), assets.RoleSecondary, s.server(i+1))
	if err != nil {
		return nil, err
	}
	return &pair{s: s, profile: fmt.Sprintf("swarm-%s-%d", s.runID, i), phone: phone, tv: tv}, nil
}

// live runs the pair's life; it returns early when ctx ends or a step leaves the TV
// unable to go on.
func (p *pair) live(ctx context.Context) {
	s := p.s
	var code string
	ok := p.step(ctx, stepSignIn, func() error {
		_, err := p.phone.SignIn(ctx, p.profile)
		return err
	}) && p.step(ctx, stepLink, func() error {
		lc, err := p.phone.Link(ctx)
		if err == nil {
			code = lc.Code
		}
		return err
	}) && p.step(ctx, stepRedeem, func() error {
		_, err := p.tv.Redeem(ctx, code)
		return err
	})
	if !ok {
		s.stopped(ctx)
		return
	}
	s.joined.Add(1)
	s.active.Add(1)
	defer s.active.Add(-1)
	if !p.stay(ctx) {
		s.stopped(ctx)
		return
	}
	if p.unlink(ctx, p.tv) {
		s.unlinked.Add(1)
	}
	p.unlink(ctx, p.phone)
}

// stay lists (and checks that the TV is in its profile), then alternates refresh
// and list until Duration has passed. It reports whether the TV may still unlink.
func (p *pair) stay(ctx context.Context) bool {
	s := p.s
	key := p.tv.State().Key
	until := time.Now().Add(s.opts.Duration)
	listed := false
	for n := 0; ; n++ {
		var err error
		if n%2 == 0 {
			p.step(ctx, stepList, func() error {
				var list *client.DeviceList
				if list, err = p.tv.Devices(ctx); err != nil {
					return err
				}
				if _, in := list.Devices[key]; !in {
					s.errs.addClass(stepList, classNotListed, 0)
				} else if !listed {
					listed = true
					s.listed.Add(1)
				}
				return nil
			})
		} else {
			p.step(ctx, stepRefresh, func() error {
				_, err = p.tv.Refresh(ctx)
				return err
			})
		}
		if ctx.Err() != nil || client.IsUnlinked(err) || errors.Is(err, client.ErrNotSignedIn) || !p.tv.State().SignedIn {
			return false
		}
		if !time.Now().Before(until) {
			return true
		}
		if !sleep(ctx, pause(s.opts.Interval, err, until)) {
			return false
		}
	}
}

// pause is the wait before a TV's next call: the interval, or what a refusal's
// Retry-After asks, never past the end of the TV's stay.
func pause(interval time.Duration, err error, until time.Time) time.Duration {
	var ae *client.APIError
	if errors.As(err, &ae) && ae.RetryAfter > interval {
		interval = ae.RetryAfter
	}
	return min(interval, max(time.Until(until), 0))
}

// unlink has d unlink itself; it reports whether the answer named it.
func (p *pair) unlink(ctx context.Context, d *client.Device) bool {
	key := d.State().Key
	done := false
	p.step(ctx, stepUnlink, func() error {
		res, err := d.Unlink(ctx, key)
		if err != nil {
			return err
		}
		if done = slices.Contains(res.UnlinkedDevices, key); !done {
			p.s.errs.addClass(stepUnlink, classNotUnlinked, 0)
		}
		return nil
	})
	return done
}

// step runs one step and counts it. A failure that no server could cure (a bad
// software statement, a keystore) stops the whole run; a stop of the run is not
// counted.
func (p *pair) step(ctx context.Context, name string, run func() error) bool {
	err := run()
	if err != nil && ctx.Err() != nil {
		return false
	}
	p.s.counts[name].count(err == nil)
	if err == nil {
		return true
	}
	var nss *client.NoSoftwareStatementError
	var se *client.StoreError
	if client.IsBadInput(err) || errors.As(err, &nss) || errors.As(err, &se) {
		p.s.abort(err)
		return false
	}
	p.s.errs.add(name, err)
	return false
}

func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
