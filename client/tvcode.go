package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode"
)

// The code a TV shows (docs/second-screen.md): the TV, holding no service token, asks
// for a code — a REST v2 session in the basic flow, or a legacy v1 registration code —
// shows it with the activation page, and polls until a second screen has signed in.

// TVCode is a code the TV shows for a second screen to activate.
type TVCode struct {
	Code string `json:"code"`
	// ActivationURL is the page the person opens, absolute; ActivationPageURL has the
	// code filled in (what a QR image should carry).
	ActivationURL     string `json:"activationUrl"`
	ActivationPageURL string `json:"activationPageUrl"`
	Legacy            bool   `json:"legacy"` // a v1 regcode; else a v2 session code
	ID                string `json:"id"`     // the v2 session id, or the regcode id
	MVPD              string `json:"mvpd,omitempty"`
	ServiceProvider   string `json:"serviceProvider"`
	NotBefore         Millis `json:"notBefore"`
	NotAfter          Millis `json:"notAfter"`
}

// CodeSignIn is what the TV finds once the second screen has signed in.
type CodeSignIn struct {
	MVPD     string `json:"mvpd"`
	UserID   string `json:"userId"`
	NotAfter Millis `json:"notAfter"` // when the TV provider authentication expires
}

// TVCodeError is a code the service no longer takes: unknown, expired, or already
// used to sign in. The TV has to ask for a new one.
type TVCodeError struct {
	Used    bool      // already used to sign in (else unknown or expired)
	Refusal *APIError // the server's answer, nil when the client saw the code expire
}

func (e *TVCodeError) Error() string {
	if e.Refusal != nil {
		return "tv code: " + e.Refusal.Error()
	}
	return "tv code: expired"
}

func (e *TVCodeError) Unwrap() error {
	if e.Refusal == nil {
		return nil
	}
	return e.Refusal
}

func (e *TVCodeError) explain() string {
	if e.Used {
		return "This TV code was already used to sign in: ask the TV for a new code."
	}
	return "This TV code is wrong or expired: ask the TV for a new code."
}

// IsTVCodeGone reports that a TV code can no longer be used — unknown, expired (by
// the service's word or this computer's clock) or already used: the TV has to ask for
// a new one.
func IsTVCodeGone(err error) bool {
	var te *TVCodeError
	return errors.As(err, &te)
}

// asTVCodeError turns the service's refusal of a code into a TVCodeError.
func asTVCodeError(err error) error {
	var ae *APIError
	if errors.As(err, &ae) && ae.Code == "invalid_parameter_code" {
		return &TVCodeError{Used: ae.HTTPStatus == http.StatusConflict, Refusal: ae}
	}
	return err
}

// maxTVCodeLen bounds what a person types; it is not the sandbox's seven, because
// another server's codes may be longer.
const maxTVCodeLen = 32

// NormalizeTVCode turns what a person typed ("abc-1234") into the code to send:
// letters and digits, upper case, spaces and dashes dropped. It never echoes the
// input: it may be a live code.
func NormalizeTVCode(input string) (string, error) {
	if len(input) > 4*maxTVCodeLen {
		return "", &InputError{Msg: "That is far too long for a TV code: type the code shown on the TV."}
	}
	var b strings.Builder
	for _, r := range input {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(unicode.ToUpper(r))
		case unicode.IsSpace(r) || r == '-' || r == '‐' || r == '‑' || r == '–' || r == '—':
		default:
			return "", &InputError{Msg: fmt.Sprintf("A TV code has only letters and digits (spaces and dashes are fine), not %q: type the code shown on the TV.", r)}
		}
	}
	switch n := b.Len(); {
	case n == 0:
		return "", &InputError{Msg: "Type the code shown on the TV."}
	case n > maxTVCodeLen:
		return "", &InputError{Msg: "That is too long for a TV code: type the code shown on the TV."}
	}
	return b.String(), nil
}

// absolute resolves a URL the server gave from its root against the server.
func (c *Client) absolute(ref string) string {
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	base, _ := url.Parse(c.server + "/")
	return base.ResolveReference(u).String()
}

// codeSessionBody is the answer of a basic-flow POST sessions.
type codeSessionBody struct {
	URL             string `json:"url"`
	Code            string `json:"code"`
	SessionID       string `json:"sessionId"`
	MVPD            string `json:"mvpd"`
	ServiceProvider string `json:"serviceProvider"`
	NotBefore       Millis `json:"notBefore"`
	NotAfter        Millis `json:"notAfter"`
}

// CreateCodeSession is POST /api/v2/{sp}/sessions from a TV that holds no service
// token (the basic flow within a secondary application): it answers with the code to
// show and the activation page. mvpd may be empty (the person picks it there).
func (c *Client) CreateCodeSession(ctx context.Context, sp string, dev DeviceHeaders, mvpd string) (*TVCode, error) {
	if err := checkSP(sp); err != nil {
		return nil, err
	}
	if dev.Key == "" {
		return nil, &InputError{Msg: "Asking for a TV code needs this device's key (AP-Device-Identifier)."}
	}
	form := url.Values{"domainName": {"handoff.local"}, "redirectUrl": {c.server + "/sandbox/healthz"}}
	if mvpd = strings.TrimSpace(mvpd); mvpd != "" {
		form.Set("mvpd", mvpd)
	}
	var out codeSessionBody
	cl := call{method: http.MethodPost, path: "/api/v2/" + sp + "/sessions", header: deviceHeader(dev), body: []byte(form.Encode()),
		ctype: "application/x-www-form-urlencoded", auth: true}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Code == "" || out.URL == "" {
		return nil, &ProtocolError{Server: c.server, HTTPStatus: http.StatusCreated, Problem: "no code or url in the session answer"}
	}
	page := c.absolute(out.URL)
	return &TVCode{Code: out.Code, ActivationURL: stripQuery(page), ActivationPageURL: page, ID: out.SessionID, MVPD: out.MVPD,
		ServiceProvider: out.ServiceProvider, NotBefore: out.NotBefore, NotAfter: out.NotAfter}, nil
}

func stripQuery(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.RawQuery, u.Fragment = "", ""
	return u.String()
}

// ProfileByCode is GET /api/v2/{sp}/profiles/code/{code}: empty Profiles while the
// second screen has not signed in, the TV's authentication once it has. A code the
// service no longer takes is a *TVCodeError.
func (c *Client) ProfileByCode(ctx context.Context, sp string, dev DeviceHeaders, code string) (*Profiles, error) {
	if err := checkSP(sp); err != nil {
		return nil, err
	}
	code, err := NormalizeTVCode(code)
	if err != nil {
		return nil, err
	}
	var out Profiles
	cl := call{method: http.MethodGet, path: "/api/v2/" + sp + "/profiles/code/" + url.PathEscape(code), header: deviceHeader(dev), auth: true}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, asTVCodeError(err)
	}
	if out.Profiles == nil {
		out.Profiles = map[string]MVPDProfile{}
	}
	return &out, nil
}

// Activation is what the activation page answers once a code is activated: the TV
// provider login to complete, for the TV that showed the code.
type Activation struct {
	Status          string `json:"status"`
	URL             string `json:"url"` // the MVPD login page, from the server's root
	MVPD            string `json:"mvpd"`
	ServiceProvider string `json:"serviceProvider"`
	NotAfter        Millis `json:"notAfter"`
}

// ActivateCode is the second screen's POST /sandbox/activate (sandbox only: a real
// service's activation page belongs to the programmer): it activates the code the TV
// shows with a TV provider (empty: the one the TV asked for). Works for v2 and legacy
// codes alike.
func (c *Client) ActivateCode(ctx context.Context, code, mvpd string) (*Activation, error) {
	code, err := NormalizeTVCode(code)
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(map[string]string{"code": code, "mvpd": strings.TrimSpace(mvpd)})
	if err != nil {
		return nil, err
	}
	var out Activation
	if err := c.do(ctx, call{method: http.MethodPost, path: "/sandbox/activate", body: body, ctype: "application/json"}, &out); err != nil {
		return nil, asTVCodeError(err)
	}
	if out.URL == "" {
		return nil, &ProtocolError{Server: c.server, HTTPStatus: http.StatusCreated, Problem: "no url in the activation answer"}
	}
	return &out, nil
}
