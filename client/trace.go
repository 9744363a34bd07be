package client

import (
	"bytes"
	"encoding/json"
	"net/http"
	"time"
	"unicode/utf8"
)

// Exchange is one HTTP request and its response, secrets redacted, for the trace hook.
type Exchange struct {
	Device         string // the device name that made it ("" for a bare Client)
	Started        time.Time
	Latency        time.Duration
	Method         string
	URL            string // path and query; query secrets redacted
	RequestHeader  http.Header
	RequestBody    []byte
	Status         int // 0 when no response came
	ResponseHeader http.Header
	ResponseBody   []byte
	Err            string         // Explain(err) when the exchange failed on the network
	Tokens         []DecodedToken // JWTs seen in headers and bodies, decoded (header and claims only)
	// unredacted is the exchange as it went over the wire, kept only for a client
	// opened with RevealSecrets (--reveal-secrets): what a curl command or a HAR
	// file the user asked to hold secrets needs. Nothing prints it by itself.
	unredacted *Exchange
}

// Unredacted is the exchange with its secrets, when the client was opened with
// RevealSecrets; otherwise it is x, redacted.
func (x Exchange) Unredacted() Exchange {
	if x.unredacted == nil {
		return x
	}
	return *x.unredacted
}

// DecodedToken is a JWT found in an exchange: where it was, and its header and claims.
type DecodedToken struct {
	Where  string // "AD-Service-Token header", "response serviceToken", …
	Header map[string]any
	Claims map[string]any
}

// record hands the trace hook a redacted copy of one exchange. Nothing of the live
// request or response is shared with the hook.
func (c *Client) record(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte, started time.Time, err error) {
	if c.trace == nil {
		return
	}
	r := &redactor{}
	x := Exchange{
		Device:  c.device,
		Started: started,
		Latency: time.Since(started),
		Method:  req.Method,
	}
	x.RequestHeader = r.header(req.Header, "")
	x.URL = r.url(req.URL)
	x.RequestBody = r.body(reqBody, req.Header.Get("Content-Type"), "request ")
	if resp != nil {
		x.Status = resp.StatusCode
		x.ResponseHeader = r.header(resp.Header, "response ")
		x.ResponseBody = r.body(respBody, resp.Header.Get("Content-Type"), "response ")
	}
	if err != nil {
		x.Err = Explain(err)
	}
	r.scrub(&x)
	x.Tokens = r.tokens
	if c.revealSecrets {
		raw := x
		raw.URL = req.URL.RequestURI()
		raw.RequestHeader, raw.RequestBody = req.Header.Clone(), bytes.Clone(reqBody)
		if resp != nil {
			raw.ResponseHeader, raw.ResponseBody = resp.Header.Clone(), bytes.Clone(respBody)
		}
		x.unredacted = &raw
	}
	c.trace(x)
}

// MarshalJSON writes the bodies as text (they are JSON, forms or HTML, already
// redacted) rather than Base64, so that a trace printed with --json stays readable.
// A body that is not UTF-8 stays Base64.
func (x Exchange) MarshalJSON() ([]byte, error) {
	type plain Exchange // no methods: no recursion
	return json.Marshal(struct {
		plain
		RequestBody  any
		ResponseBody any
	}{plain(x), bodyJSON(x.RequestBody), bodyJSON(x.ResponseBody)})
}

func bodyJSON(b []byte) any {
	if b == nil {
		return nil
	}
	if utf8.Valid(b) {
		return string(b)
	}
	return b
}
