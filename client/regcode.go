package client

import (
	"cmp"
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The legacy v1 registration code (POST /reggie/v1/{requestor}/regcode), the code a
// TV showed before REST v2; its sign-in is read with the v1 authn call (seed 004),
// which answers 404 until the second screen is done.

type regcodeInfo struct {
	DeviceID        string `json:"deviceId" xml:"deviceId"`
	RegistrationURL string `json:"registrationURL" xml:"registrationURL"`
}

type regcodeBody struct {
	XMLName   xml.Name    `json:"-" xml:"regcode"`
	ID        string      `json:"id" xml:"id"`
	Code      string      `json:"code" xml:"code"`
	Requestor string      `json:"requestor" xml:"requestor"`
	MVPD      string      `json:"mvpd" xml:"mvpd"`
	Generated Millis      `json:"generated" xml:"generated"`
	Expires   Millis      `json:"expires" xml:"expires"`
	Info      regcodeInfo `json:"info" xml:"info"`
}

// CreateRegcode is POST /reggie/v1/{requestor}/regcode for the device's key, in XML
// or JSON (the path suffix says which). mvpd may be empty; ttl zero is the server's
// default (30 minutes in the public guide; at most 10 hours).
func (c *Client) CreateRegcode(ctx context.Context, requestor string, dev DeviceHeaders, mvpd string, ttl time.Duration, asXML bool) (*TVCode, error) {
	if err := checkSP(requestor); err != nil {
		return nil, err
	}
	if dev.Key == "" {
		return nil, &InputError{Msg: "A registration code needs this device's key (deviceId)."}
	}
	if ttl < 0 || ttl > 10*time.Hour || ttl%time.Second != 0 {
		return nil, &InputError{Msg: "A registration code lives a whole number of seconds, at most 10 hours."}
	}
	q := url.Values{"deviceId": {dev.Key}}
	if mvpd = strings.TrimSpace(mvpd); mvpd != "" {
		q.Set("mvpd", mvpd)
	}
	if ttl > 0 {
		q.Set("ttl", strconv.FormatInt(int64(ttl/time.Second), 10))
	}
	format := "json"
	if asXML {
		format = "xml"
	}
	cl := call{method: http.MethodPost, path: "/reggie/v1/" + requestor + "/regcode." + format, header: deviceHeader(dev),
		body: []byte(q.Encode()), ctype: "application/x-www-form-urlencoded", accept: "application/" + format, auth: true}
	raw, err := c.doRaw(ctx, cl, nil)
	if err != nil {
		return nil, err
	}
	var b regcodeBody
	if asXML {
		err = xml.Unmarshal(raw, &b)
	} else {
		err = json.Unmarshal(raw, &b)
	}
	if err != nil || b.Code == "" {
		problem := "no code in the registration code"
		if err != nil {
			problem = "the registration code is not the expected " + format + ": " + err.Error()
		}
		return nil, &ProtocolError{Server: c.server, HTTPStatus: http.StatusCreated, Problem: problem}
	}
	activation := c.absolute(cmp.Or(b.Info.RegistrationURL, "/sandbox/activate"))
	return &TVCode{Code: b.Code, ActivationURL: activation, ActivationPageURL: withCode(activation, b.Code),
		Legacy: true, ID: b.ID, MVPD: b.MVPD, ServiceProvider: cmp.Or(b.Requestor, requestor), NotBefore: b.Generated, NotAfter: b.Expires}, nil
}

// withCode adds the code to an activation URL's query, for a QR image.
func withCode(activation, code string) string {
	u, err := url.Parse(activation)
	if err != nil {
		return activation
	}
	q := u.Query()
	q.Set("code", code)
	u.RawQuery = q.Encode()
	return u.String()
}
