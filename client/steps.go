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

// Refresh is GET serviceToken.
func (d *Device) Refresh(ctx context.Context) (*ServiceToken, error) {
	tok, err := d.serviceToken()
	if err != nil {
		return nil, err
	}
	st, err := d.client.RefreshServiceToken(ctx, d.sp, d.headers, tok)
	if err != nil {
		return nil, d.refused(tok, err)
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
	d.mu.Lock()
	tok, notAfter, unlinked := d.rec.ServiceToken, d.rec.NotAfter.Time(), d.rec.Unlinked
	d.mu.Unlock()
	if tok == "" || unlinked {
		return nil
	}
	if notAfter.IsZero() {
		if c, err := DecodeClaims(tok); err == nil && c.Expiry > 0 {
			notAfter = time.Unix(c.Expiry, 0)
		}
	}
	if !notAfter.IsZero() && d.client.now().Add(margin).Before(notAfter) {
		return nil
	}
	_, err := d.Refresh(ctx)
	return err
}

// Link is step 4: POST link.
func (d *Device) Link(ctx context.Context) (*LinkCode, error) {
	return withServiceToken(d, func(tok string) (*LinkCode, error) {
		return d.client.CreateLinkCode(ctx, d.sp, d.headers, tok)
	})
}

// Devices is GET list.
func (d *Device) Devices(ctx context.Context) (*DeviceList, error) {
	return withServiceToken(d, func(tok string) (*DeviceList, error) {
		return d.client.ListDevices(ctx, d.sp, d.headers, tok)
	})
}

// Unlink is POST unlink. A device may unlink itself; it is then marked unlinked.
func (d *Device) Unlink(ctx context.Context, keys ...string) (*UnlinkResult, error) {
	tok, err := d.serviceToken()
	if err != nil {
		return nil, err
	}
	res, err := d.client.UnlinkDevices(ctx, d.sp, d.headers, tok, keys)
	if err != nil {
		return nil, d.refused(tok, err)
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

// withServiceToken runs a step whose only state is the device's service token: call
// gets the token, and what a refusal says about it is recorded (see refused).
func withServiceToken[T any](d *Device, call func(tok string) (T, error)) (T, error) {
	var zero T
	tok, err := d.serviceToken()
	if err != nil {
		return zero, err
	}
	v, err := call(tok)
	if err != nil {
		return zero, d.refused(tok, err)
	}
	return v, nil
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
// again), or dead (drop it: only a new sign-in helps).
func (d *Device) refused(tok string, err error) error {
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
	case ae.HTTPStatus == http.StatusUnauthorized && (ae.Code == "token_expired" || ae.Code == "header_invalid") && d.rec.ServiceToken == tok:
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
