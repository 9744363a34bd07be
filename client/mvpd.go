package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// MVPDSession is the answer of POST /api/v2/{sp}/sessions: where the person signs in
// with their TV provider.
type MVPDSession struct {
	ActionName      string `json:"actionName"` // "authenticate"
	ActionType      string `json:"actionType"` // "interactive"
	URL             string `json:"url"`        // the MVPD login page, absolute or from the server's root
	Code            string `json:"code"`
	SessionID       string `json:"sessionId"`
	MVPD            string `json:"mvpd"`
	ServiceProvider string `json:"serviceProvider"`
	NotBefore       Millis `json:"notBefore"`
	NotAfter        Millis `json:"notAfter"`
}

// MVPDLogin is what the sandbox's simulated MVPD login answers once the person has
// signed in: the profile now holds that authentication.
type MVPDLogin struct {
	Status          string `json:"status"`
	MVPD            string `json:"mvpd"`
	UserID          string `json:"userId"`
	ServiceProvider string `json:"serviceProvider"`
	NotAfter        Millis `json:"notAfter"` // when the authentication expires
	// Raw is the answer as received, for --json (unknown fields and number forms kept).
	Raw json.RawMessage `json:"-"`
}

// CreateMVPDSession is POST /api/v2/{sp}/sessions: it starts a TV provider sign-in
// for the profile of the device that holds serviceToken.
func (c *Client) CreateMVPDSession(ctx context.Context, sp string, dev DeviceHeaders, serviceToken, mvpd string) (*MVPDSession, error) {
	if err := checkSP(sp); err != nil {
		return nil, err
	}
	mvpd = strings.TrimSpace(mvpd)
	if mvpd == "" {
		return nil, &InputError{Msg: "Choose a TV provider (MVPD) to sign in with."}
	}
	h := deviceHeader(dev)
	h.Set("AD-Service-Token", serviceToken)
	form := url.Values{"mvpd": {mvpd}, "domainName": {"handoff.local"}, "redirectUrl": {c.server + "/sandbox/healthz"}}
	var out MVPDSession
	cl := call{method: http.MethodPost, path: "/api/v2/" + sp + "/sessions", header: h, body: []byte(form.Encode()),
		ctype: "application/x-www-form-urlencoded", auth: true, serviceToken: true}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.URL == "" {
		return nil, &ProtocolError{Server: c.server, HTTPStatus: http.StatusCreated, Problem: "no url in the session answer"}
	}
	return &out, nil
}

// CompleteMVPDLogin signs in on the sandbox's simulated MVPD login page as userID,
// the way a person would in the browser (sandbox only: a real MVPD has its own page).
// loginURL is the session's url; it must be on this client's server.
func (c *Client) CompleteMVPDLogin(ctx context.Context, loginURL, userID string) (*MVPDLogin, error) {
	userID = strings.TrimSpace(userID)
	if userID == "" {
		return nil, &InputError{Msg: "Give the TV provider user id to sign in as."}
	}
	path, err := c.localPath(loginURL)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(map[string]string{"userId": userID})
	if err != nil {
		return nil, err
	}
	var out MVPDLogin
	raw, err := c.doRaw(ctx, call{method: http.MethodPost, path: path, body: body, ctype: "application/json"}, &out)
	if err != nil {
		return nil, err
	}
	out.Raw = raw
	return &out, nil
}

// localPath turns a URL the server gave (absolute, or from its root) into a path on
// this client's server, refusing any other host: the login is the sandbox's own page.
func (c *Client) localPath(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	bad := &InputError{Msg: "The TV provider sign-in page is not on this server: finish the sign-in in a browser instead."}
	if err != nil || !strings.HasPrefix(u.Path, "/") {
		return "", bad
	}
	if u.IsAbs() {
		base, _ := url.Parse(c.server)
		if u.Scheme != base.Scheme || u.Host != base.Host {
			return "", bad
		}
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p, nil
}

// MVPDSignIn is step 3: the device starts a TV provider sign-in for its profile and
// completes it on the sandbox's simulated MVPD login as userID.
func (d *Device) MVPDSignIn(ctx context.Context, mvpdID, userID string) (*MVPDLogin, error) {
	if _, err := d.serviceToken(); err != nil {
		return nil, err
	}
	if strings.TrimSpace(userID) == "" {
		return nil, &InputError{Msg: "Give the TV provider user id to sign in as."}
	}
	sess, err := withServiceToken(ctx, d, func(tok string) (*MVPDSession, error) {
		return d.client.CreateMVPDSession(ctx, d.sp, d.headers, tok, mvpdID)
	})
	if err != nil {
		return nil, err
	}
	return d.client.CompleteMVPDLogin(ctx, sess.URL, userID)
}
