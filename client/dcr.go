package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// accessRenewMargin renews an access token this long before it expires, so that a
// call never leaves with a token that dies on the way.
const accessRenewMargin = 30 * time.Second

// defaultAccessTTL stands in when the server gives no expires_in: short, so that a
// wrong guess costs one renewal.
const defaultAccessTTL = 5 * time.Minute

// FetchSoftwareStatement asks the sandbox for a software statement it signed
// (GET /sandbox/software-statement). A real server has no such endpoint: its
// statement comes from the programmer's dashboard (Options.SoftwareStatement).
func (c *Client) FetchSoftwareStatement(ctx context.Context) (string, error) {
	var out struct {
		SoftwareStatement string `json:"software_statement"`
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: "/sandbox/software-statement"}, &out); err != nil {
		return "", err
	}
	if out.SoftwareStatement == "" {
		return "", &ProtocolError{Server: c.server, HTTPStatus: http.StatusOK, Problem: "no software_statement in the answer"}
	}
	return out.SoftwareStatement, nil
}

// softwareStatement is the statement registration sends: the caller's, else the
// sandbox's when the server offers one. A server without the sandbox's endpoint (a
// 404 or 405, or an answer that is not the sandbox's) needs the caller's:
// NoSoftwareStatementError says how to give it.
func (c *Client) softwareStatement(ctx context.Context) (string, error) {
	if c.statement != "" {
		return parseSoftwareStatement(c.statement)
	}
	statement, err := c.FetchSoftwareStatement(ctx)
	var ae *APIError
	var pe *ProtocolError
	switch {
	case errors.As(err, &ae) && (ae.HTTPStatus == http.StatusNotFound || ae.HTTPStatus == http.StatusMethodNotAllowed || ae.HTTPStatus == http.StatusNotAcceptable):
		return "", &NoSoftwareStatementError{Server: c.server}
	case errors.As(err, &pe):
		return "", &NoSoftwareStatementError{Server: c.server}
	}
	return statement, err
}

// parseSoftwareStatement takes a statement as a dashboard hands it out: the JWT alone,
// or a JSON object holding it under "software_statement".
func parseSoftwareStatement(s string) (string, error) {
	if strings.HasPrefix(s, "{") {
		var doc struct {
			SoftwareStatement string `json:"software_statement"`
		}
		if json.Unmarshal([]byte(s), &doc) != nil || doc.SoftwareStatement == "" {
			return "", &InputError{Msg: "The software statement is JSON without a \"software_statement\" field: give the statement (a JWT) from the programmer dashboard."}
		}
		s = strings.TrimSpace(doc.SoftwareStatement)
	}
	if len(strings.Split(s, ".")) != 3 || strings.ContainsFunc(s, func(r rune) bool { return !isJWTRune(r) }) {
		return "", &InputError{Msg: "The software statement is not a JWT (three Base64url parts joined by dots): give the one from the programmer dashboard."}
	}
	return s, nil
}

func isJWTRune(r rune) bool {
	return r == '.' || r == '-' || r == '_' || r == '=' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
}

// Register is Dynamic Client Registration (POST /o/client/register): it trades a
// software statement for client credentials. Options.DeviceInfo goes in X-Device-Info.
func (c *Client) Register(ctx context.Context, softwareStatement string) (*ClientRegistration, error) {
	body, err := json.Marshal(map[string]string{"software_statement": softwareStatement})
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	if c.deviceInfo != "" {
		h.Set("X-Device-Info", c.deviceInfo)
	}
	var out ClientRegistration
	if err := c.do(ctx, call{method: http.MethodPost, path: "/o/client/register", header: h, body: body, ctype: "application/json"}, &out); err != nil {
		return nil, err
	}
	if out.ClientID == "" || out.ClientSecret == "" {
		return nil, &ProtocolError{Server: c.server, HTTPStatus: http.StatusCreated, Problem: "registration without client_id or client_secret"}
	}
	return &out, nil
}

// RequestAccessToken is the client-credentials grant (POST /o/client/token).
func (c *Client) RequestAccessToken(ctx context.Context, clientID, clientSecret string) (*AccessTokenGrant, error) {
	form := url.Values{"client_id": {clientID}, "client_secret": {clientSecret}, "grant_type": {"client_credentials"}}
	var out AccessTokenGrant
	cl := call{method: http.MethodPost, path: "/o/client/token", body: []byte(form.Encode()), ctype: "application/x-www-form-urlencoded"}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.AccessToken == "" {
		return nil, &ProtocolError{Server: c.server, HTTPStatus: http.StatusCreated, Problem: "token answer without access_token"}
	}
	return &out, nil
}

// accessToken returns a usable access token, registering first if this server was
// never seen. refused is the token the server just turned down (or ""): it is renewed
// unless another call already did. fresh reports a token obtained by this call, which
// the server cannot have refused for age.
func (c *Client) accessToken(ctx context.Context, refused string) (token string, fresh bool, err error) {
	select {
	case c.access <- struct{}{}:
	case <-ctx.Done():
		return "", false, c.networkError(ctx, ctx.Err())
	}
	defer func() { <-c.access }()

	reg, ok := c.cache.LoadRegistration()
	if ok && reg.AccessToken != "" && reg.AccessToken != refused && c.now().Add(accessRenewMargin).Before(reg.AccessTokenExpiry) {
		return reg.AccessToken, refused != "", nil
	}
	if !ok || reg.ClientID == "" || reg.ClientSecret == "" {
		if reg, err = c.register(ctx); err != nil {
			return "", false, err
		}
	}
	grant, err := c.RequestAccessToken(ctx, reg.ClientID, reg.ClientSecret)
	var ae *APIError
	if errors.As(err, &ae) && ae.Code == "invalid_client" {
		// The server forgot this application (a sandbox restarted in memory):
		// register anew, once.
		if reg, err = c.register(ctx); err != nil {
			return "", false, err
		}
		grant, err = c.RequestAccessToken(ctx, reg.ClientID, reg.ClientSecret)
	}
	if err != nil {
		return "", false, err
	}
	ttl := time.Duration(grant.ExpiresIn) * time.Second
	if ttl <= 0 {
		ttl = defaultAccessTTL
	}
	reg.AccessToken, reg.AccessTokenExpiry = grant.AccessToken, c.now().Add(ttl)
	if err := c.cache.SaveRegistration(reg); err != nil {
		return "", false, err
	}
	return reg.AccessToken, true, nil
}

func (c *Client) register(ctx context.Context) (Registration, error) {
	statement, err := c.softwareStatement(ctx)
	if err != nil {
		return Registration{}, err
	}
	cr, err := c.Register(ctx, statement)
	if err != nil {
		return Registration{}, err
	}
	reg := Registration{ClientID: cr.ClientID, ClientSecret: cr.ClientSecret}
	if err := c.cache.SaveRegistration(reg); err != nil {
		return Registration{}, err
	}
	return reg, nil
}
