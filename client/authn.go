package client

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Authentication is the legacy v1 authentication token (seed 004): the profile's TV
// provider authentication as one device sees it.
type Authentication struct {
	Requestor string
	MVPD      string
	UserID    string
	Expires   Millis
	Format    string // "json" or "xml": the body the server sent
	// Raw is the body as received, JSON or XML as Format says.
	Raw []byte
}

// Codes the client gives the v1 API's 404 and 410, whose small shape has none.
const (
	codeNoAuthentication      = "authn_not_found"
	codeAuthenticationExpired = "authn_expired"
)

// IsNoAuthentication reports a v1 404: the device has no TV provider authentication
// (never signed in, signed out, or unlinked from the profile).
func IsNoAuthentication(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Code == codeNoAuthentication
}

// IsAuthenticationExpired reports a v1 410: the authentication has expired.
func IsAuthenticationExpired(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Code == codeAuthenticationExpired
}

type authnJSON struct {
	Requestor string `json:"requestor"`
	MVPD      string `json:"mvpd"`
	UserID    string `json:"userId"`
	Expires   string `json:"expires"`
}

type authnXML struct {
	XMLName   xml.Name `xml:"authentication"`
	Expires   string   `xml:"expires"`
	UserID    string   `xml:"userId"`
	MVPD      string   `xml:"mvpd"`
	Requestor string   `xml:"requestor"`
}

// GetAuthentication is GET /api/v1/tokens/authn (seed 004) for requestor and the
// device's key. The format is asked for with Accept (the seed's path has no suffix);
// only when the server has no such path (a 404 outside the v1 shapes) is the older
// .json/.xml suffix tried. The body is read in whichever format it came in.
func (c *Client) GetAuthentication(ctx context.Context, requestor string, dev DeviceHeaders, asXML bool) (*Authentication, error) {
	if err := checkSP(requestor); err != nil {
		return nil, err
	}
	if dev.Key == "" {
		return nil, &InputError{Msg: "The v1 authentication call needs this device's key (deviceId)."}
	}
	format, accept := "json", "application/json"
	if asXML {
		format, accept = "xml", "application/xml"
	}
	q := "?" + url.Values{"requestor": {requestor}, "deviceId": {dev.Key}}.Encode()
	cl := call{method: http.MethodGet, path: "/api/v1/tokens/authn" + q, header: deviceHeader(dev), accept: accept, auth: true}
	body, err := c.doRaw(ctx, cl, nil)
	if noSuchPath(err) {
		cl.path = "/api/v1/tokens/authn." + format + q
		body, err = c.doRaw(ctx, cl, nil)
	}
	if err != nil {
		var ae *APIError
		if errors.As(err, &ae) && ae.Code == "" && ae.shaped {
			switch ae.HTTPStatus {
			case http.StatusNotFound:
				ae.Code = codeNoAuthentication
			case http.StatusGone:
				ae.Code = codeAuthenticationExpired
			}
		}
		return nil, err
	}
	var a authnJSON
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '<' {
		format = "xml"
		var x authnXML
		err = xml.Unmarshal(body, &x)
		a = authnJSON{Requestor: x.Requestor, MVPD: x.MVPD, UserID: x.UserID, Expires: x.Expires}
	} else {
		format = "json"
		err = json.Unmarshal(body, &a)
	}
	if err != nil {
		return nil, &ProtocolError{Server: c.server, HTTPStatus: http.StatusOK, Problem: "the v1 authentication is not the expected " + format + ": " + err.Error()}
	}
	ms, err := strconv.ParseInt(strings.TrimSpace(a.Expires), 10, 64)
	if err != nil {
		return nil, &ProtocolError{Server: c.server, HTTPStatus: http.StatusOK, Problem: "expires is not epoch milliseconds: " + strconv.Quote(a.Expires)}
	}
	return &Authentication{Requestor: a.Requestor, MVPD: a.MVPD, UserID: a.UserID, Expires: Millis(ms), Format: format, Raw: body}, nil
}

// noSuchPath reports a 404 that is not an answer of the API: no JSON or XML error
// body, so the path itself is unknown to the server.
func noSuchPath(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.HTTPStatus == http.StatusNotFound && !ae.shaped
}

// Authn reads the device's TV provider authentication through the legacy v1 call, as
// an app that predates REST v2 would. It needs no service token: v1 knows the device
// by its key, so an unlinked device simply gets IsNoAuthentication.
func (d *Device) Authn(ctx context.Context, asXML bool) (*Authentication, error) {
	return d.client.GetAuthentication(ctx, d.sp, d.headers, asXML)
}
