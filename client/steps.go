package client

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
)

// SignIn is step 2: POST serviceToken with X-SSO-ID.
func (d *Device) SignIn(ctx context.Context, ssoID string) (*ServiceToken, error) {
	ssoID = strings.TrimSpace(ssoID)
	if ssoID == "" {
		return nil, &InputError{Msg: "Give the common identifier (the D2C account id) to sign in with."}
	}
	st, err := d.client.CreateServiceToken(ctx, d.sp, d.headers, Identity{SSOID: ssoID})
	if err != nil {
		return nil, err
	}
	return st, d.joined(st, "regular")
}

// Redeem is step 5: POST serviceToken with X-SSO-LINK. The code is normalised first;
// malformed input is refused without a network call.
func (d *Device) Redeem(ctx context.Context, code string) (*ServiceToken, error) {
	code, err := NormalizeLinkCode(code)
	if err != nil {
		return nil, err
	}
	st, err := d.client.CreateServiceToken(ctx, d.sp, d.headers, Identity{LinkCode: code})
	if err != nil {
		return nil, err
	}
	return st, d.joined(st, "sso")
}

// JoinWithPlatformToken joins through a platform identity token (Roku, seed 000):
// POST serviceToken with X-Roku-Reserved-Roku-Connect-Token.
func (d *Device) JoinWithPlatformToken(ctx context.Context, token string) (*ServiceToken, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return nil, &InputError{Msg: "Give the platform identity token to join with."}
	}
	st, err := d.client.CreateServiceToken(ctx, d.sp, d.headers, Identity{RokuToken: token})
	if err != nil {
		return nil, err
	}
	return st, d.joined(st, "platformSSO")
}

// joined keeps a new service token. A device that joins again after it was unlinked
// is linked again.
func (d *Device) joined(st *ServiceToken, via string) error {
	d.mu.Lock()
	d.rec.ServiceToken, d.rec.NotAfter, d.rec.JoinedVia, d.rec.Unlinked = st.Token, st.NotAfter, via, false
	d.mu.Unlock()
	return d.save()
}

// Refresh is GET serviceToken, with the current token even when it has expired (the
// server accepts it within its refresh grace). A refusal drops the token: it is the
// only step whose refusal does, since nothing but a new sign-in can help then.
func (d *Device) Refresh(ctx context.Context) (*ServiceToken, error) {
	tok, err := d.serviceToken()
	if err != nil {
		return nil, err
	}
	st, err := d.client.RefreshServiceToken(ctx, d.sp, d.headers, tok)
	if err != nil {
		return nil, d.refused(tok, err, true)
	}
	d.mu.Lock()
	if d.rec.ServiceToken == tok {
		d.rec.ServiceToken, d.rec.NotAfter = st.Token, st.NotAfter
	}
	d.mu.Unlock()
	return st, d.save()
}

// EnsureFresh refreshes the service token when it expires within margin (or expired
// within the refresh grace); it does nothing otherwise, nor for a device that holds
// no token or was unlinked. Whether an expired token is still within the grace is the
// server's call: the refusal comes back as the error.
func (d *Device) EnsureFresh(ctx context.Context, margin time.Duration) error {
	if !d.expiresWithin(func(time.Duration) time.Duration { return margin }) {
		return nil
	}
	_, err := d.Refresh(ctx)
	return err
}

// refreshMargin is how long before its expiry a step refreshes the service token
// first, or a fifth of the token's life when that is shorter (a token of a few
// seconds is not refreshed before every call).
const refreshMargin = time.Minute

// expiresWithin reports a token (held, not unlinked) that has expired or expires
// within margin(life). Its expiry is the answer's notAfter, else the token's exp.
func (d *Device) expiresWithin(margin func(life time.Duration) time.Duration) bool {
	d.mu.Lock()
	tok, notAfter, unlinked := d.rec.ServiceToken, d.rec.NotAfter.Time(), d.rec.Unlinked
	d.mu.Unlock()
	if tok == "" || unlinked {
		return false
	}
	var life time.Duration
	if c, err := DecodeClaims(tok); err == nil {
		if notAfter.IsZero() && c.Expiry > 0 {
			notAfter = time.Unix(c.Expiry, 0)
		}
		if from := max(c.NotBefore, c.IssuedAt); from > 0 && c.Expiry > from {
			life = time.Duration(c.Expiry-from) * time.Second
		}
	}
	return !notAfter.IsZero() && !d.client.now().Add(margin(life)).Before(notAfter)
}

func stepMargin(life time.Duration) time.Duration {
	if life > 0 && life/5 < refreshMargin {
		return life / 5
	}
	return refreshMargin
}

// Link is step 4: POST link.
func (d *Device) Link(ctx context.Context) (*LinkCode, error) {
	return withServiceToken(ctx, d, func(tok string) (*LinkCode, error) {
		return d.client.CreateLinkCode(ctx, d.sp, d.headers, tok)
	})
}

// Devices is GET list.
func (d *Device) Devices(ctx context.Context) (*DeviceList, error) {
	return withServiceToken(ctx, d, func(tok string) (*DeviceList, error) {
		return d.client.ListDevices(ctx, d.sp, d.headers, tok)
	})
}

// Unlink is POST unlink. A device may unlink itself; it is then marked unlinked.
func (d *Device) Unlink(ctx context.Context, keys ...string) (*UnlinkResult, error) {
	if len(keys) == 0 {
		return nil, errNoKeysToUnlink
	}
	res, err := withServiceToken(ctx, d, func(tok string) (*UnlinkResult, error) {
		return d.client.UnlinkDevices(ctx, d.sp, d.headers, tok, keys)
	})
	if err != nil {
		return nil, err
	}
	if !slices.Contains(res.UnlinkedDevices, d.headers.Key) {
		return res, nil // nothing of this device changed: no keystore write
	}
	d.mu.Lock()
	d.rec.Unlinked = true
	d.mu.Unlock()
	return res, d.save()
}

// Forget removes the device's record from its store. The Device keeps its key in
// memory only; a step run afterwards saves a new record under that key.
func (d *Device) Forget() error {
	d.saveMu.Lock()
	defer d.saveMu.Unlock()
	d.mu.Lock()
	d.rec = record{Version: recordVersion, Key: d.rec.Key, Preset: d.rec.Preset}
	d.mu.Unlock()
	if err := d.store.Delete(d.account); err != nil {
		return &StoreError{Kind: d.store.Kind(), Account: d.account, Err: err}
	}
	return nil
}

// withServiceToken runs a step that needs the device's service token. A token that
// has expired or is about to is refreshed first (seed step 2: GET serviceToken with
// the expired token); a refusal as expired or invalid gets one refresh and one
// retry. Only a refused refresh drops the token; what a refusal says about the
// device is recorded (see refused).
func withServiceToken[T any](ctx context.Context, d *Device, call func(tok string) (T, error)) (T, error) {
	var zero T
	if d.expiresWithin(stepMargin) {
		if _, err := d.Refresh(ctx); err != nil {
			return zero, err
		}
	}
	tok, err := d.serviceToken()
	if err != nil {
		return zero, err
	}
	v, err := call(tok)
	if refusedAsStale(err) {
		if tok, err = d.refreshAfter(ctx, tok); err != nil {
			return zero, err
		}
		v, err = call(tok)
	}
	if err != nil {
		return zero, d.refused(tok, err, false)
	}
	return v, nil
}

// refusedAsStale reports a refusal of the service token that a refresh may cure.
func refusedAsStale(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.HTTPStatus == http.StatusUnauthorized && (ae.Code == "token_expired" || ae.Code == "header_invalid")
}

// refreshAfter refreshes the token the server just refused, unless another step
// already replaced it: then the new one is tried.
func (d *Device) refreshAfter(ctx context.Context, refused string) (string, error) {
	if tok, err := d.serviceToken(); err != nil || tok != refused {
		return tok, err
	}
	st, err := d.Refresh(ctx)
	if err != nil {
		return "", err
	}
	return st.Token, nil
}

func (d *Device) serviceToken() (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.rec.ServiceToken == "" {
		return "", ErrNotSignedIn
	}
	return d.rec.ServiceToken, nil
}

// refused records what a refusal says about the device's service token: unlinked
// (keep the token and key, so the server can say it again and the device can join
// again), or, on a refresh, dead (drop it: only a new sign-in helps).
func (d *Device) refused(tok string, err error, refresh bool) error {
	var ae *APIError
	if !errors.As(err, &ae) {
		return err
	}
	d.mu.Lock()
	changed := false
	switch {
	case ae.unlinked:
		changed = !d.rec.Unlinked
		d.rec.Unlinked = true
	case refresh && refusedAsStale(err) && d.rec.ServiceToken == tok:
		d.rec.ServiceToken, d.rec.NotAfter, d.rec.JoinedVia = "", 0, ""
		changed = true
	}
	d.mu.Unlock()
	if changed {
		if serr := d.save(); serr != nil {
			return errors.Join(err, serr)
		}
	}
	return err
}
