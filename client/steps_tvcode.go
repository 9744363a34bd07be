package client

import (
	"context"
	"strings"
	"time"
)

// The steps of the second-screen sign-in, for the CLI and the TUI alike: the TV shows
// a code and polls; the phone (or any browser) activates it and signs in; the TV then
// plays. Unlike the seed's direction, the TV needs no service token for any of them.

// DefaultCodePoll is how often WaitForCodeSignIn asks by default: the public guide
// leaves it to the app; a few seconds keeps a person's wait short without hammering.
const DefaultCodePoll = 3 * time.Second

// ShowCode asks for a code for this device to show: a REST v2 session (basic flow),
// or with legacy a v1 registration code (JSON). mvpd may be empty.
func (d *Device) ShowCode(ctx context.Context, legacy bool, mvpd string) (*TVCode, error) {
	if legacy {
		return d.client.CreateRegcode(ctx, d.sp, d.headers, mvpd, 0, false)
	}
	return d.client.CreateCodeSession(ctx, d.sp, d.headers, mvpd)
}

// PollCodeSignIn asks once whether the second screen has signed in with code: the
// sign-in, or nil while it has not (the TUI's tick calls this; it never blocks
// longer than one request). A code that expired, by the service's word or this
// computer's clock, is a *TVCodeError.
func (d *Device) PollCodeSignIn(ctx context.Context, code *TVCode) (*CodeSignIn, error) {
	if code == nil || code.Code == "" {
		return nil, &InputError{Msg: "Ask for a TV code first."}
	}
	if code.NotAfter != 0 && !d.client.now().Before(code.NotAfter.Time()) {
		return nil, &TVCodeError{}
	}
	if code.Legacy {
		a, err := d.client.GetAuthentication(ctx, d.sp, d.headers, false)
		switch {
		case IsNoAuthentication(err), IsAuthenticationExpired(err):
			return nil, nil // an old, expired sign-in is not this code's
		case err != nil:
			return nil, err
		}
		return &CodeSignIn{MVPD: a.MVPD, UserID: a.UserID, NotAfter: a.Expires}, nil
	}
	p, err := d.client.ProfileByCode(ctx, d.sp, d.headers, code.Code)
	if err != nil {
		return nil, err
	}
	for mvpd, prof := range p.Profiles {
		return &CodeSignIn{MVPD: mvpd, UserID: prof.UserID(), NotAfter: prof.NotAfter}, nil
	}
	return nil, nil
}

// WaitForCodeSignIn polls every interval (zero: DefaultCodePoll) until the second
// screen has signed in, the code expires (*TVCodeError), or ctx ends.
func (d *Device) WaitForCodeSignIn(ctx context.Context, code *TVCode, interval time.Duration) (*CodeSignIn, error) {
	if interval <= 0 {
		interval = DefaultCodePoll
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s, err := d.PollCodeSignIn(ctx, code)
		if s != nil || err != nil {
			return s, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// ActivateCode is the second screen: it activates the code a TV shows with a TV
// provider (empty: the one the TV asked for) and signs in on the sandbox's simulated
// MVPD login as userID, the way a person would in the browser. It works for v2 and
// legacy codes alike and needs nothing of this device but its server.
func (d *Device) ActivateCode(ctx context.Context, code, mvpd, userID string) (*MVPDLogin, error) {
	if strings.TrimSpace(userID) == "" {
		return nil, &InputError{Msg: "Give the TV provider user id to sign in as."}
	}
	a, err := d.client.ActivateCode(ctx, code, mvpd)
	if err != nil {
		return nil, err
	}
	return d.client.CompleteMVPDLogin(ctx, a.URL, userID)
}

// Authorize asks whether this device may play resource: with its service token when
// it holds one (the seed's TV, after a link code), else by its key alone (a TV that
// signed in with a code). A device with no TV provider authentication gets an error
// for which IsNotAuthenticated is true; a deny is a Decision with Authorized false.
func (d *Device) Authorize(ctx context.Context, resource string) (*Decision, error) {
	authorize := func(tok string) (*Decisions, error) {
		return d.client.Authorize(ctx, d.sp, d.headers, tok, "", resource)
	}
	var ds *Decisions
	var err error
	if _, terr := d.serviceToken(); terr == nil {
		ds, err = withServiceToken(ctx, d, authorize)
	} else {
		ds, err = authorize("") // a TV signed in with a code holds no service token
	}
	if err != nil {
		return nil, err
	}
	return &ds.Decisions[0], nil
}
