package client

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// DefaultServiceProvider is the service provider a device and the sandbox's link page
// take when none is named.
const DefaultServiceProvider = "demo"

// LinkURL is the sandbox's browser link page for a code (spec §7), the URL a phone's
// QR image carries: <server>/sandbox/link?code=<code>&sp=<sp>. The page reads sp as
// DefaultServiceProvider when it is absent, so sp is left out for that one (or ""),
// which keeps the QR image small.
func LinkURL(server, sp, code string) string {
	q := url.Values{"code": {code}}
	if sp != "" && sp != DefaultServiceProvider {
		q.Set("sp", sp)
	}
	return strings.TrimRight(server, "/") + "/sandbox/link?" + q.Encode()
}

// linkCodeBody reads the code under the spec's name or the seed's ("link").
type linkCodeBody struct {
	Status    string `json:"status"`
	Code      string `json:"code"`
	Link      string `json:"link"`
	NotBefore Millis `json:"notBefore"`
	NotAfter  Millis `json:"notAfter"`
}

// CreateLinkCode is POST /api/{sp}/link: the code another device types to join this
// device's profile.
func (c *Client) CreateLinkCode(ctx context.Context, sp string, dev DeviceHeaders, serviceToken string) (*LinkCode, error) {
	if err := checkSP(sp); err != nil {
		return nil, err
	}
	h := deviceHeader(dev)
	h.Set("AD-Service-Token", serviceToken)
	var b linkCodeBody
	raw, err := c.doRaw(ctx, call{method: http.MethodPost, path: "/api/" + sp + "/link", header: h, auth: true, serviceToken: true}, &b)
	if err != nil {
		return nil, err
	}
	code := b.Code
	if code == "" {
		code = b.Link
	}
	if code == "" {
		return nil, &ProtocolError{Server: c.server, HTTPStatus: http.StatusCreated, Problem: "no code (or link) in the answer"}
	}
	// The code is drawn, typed and put in a URL: a server's code that is not letters
	// and digits is not shown at all.
	if n, err := NormalizeLinkCode(code); err != nil || n != code {
		return nil, &ProtocolError{Server: c.server, HTTPStatus: http.StatusCreated, Problem: "the link code is not letters and digits"}
	}
	return &LinkCode{Status: b.Status, Code: code, NotBefore: b.NotBefore, NotAfter: b.NotAfter, Raw: raw}, nil
}
