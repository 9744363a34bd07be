package client

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// SandboxInfo is the sandbox's GET /sandbox/info: where other devices reach it.
type SandboxInfo struct {
	PublicURL    string `json:"publicUrl"`              // the base URL devices are sent to
	Loopback     bool   `json:"loopback"`               // PublicURL is on loopback: a phone cannot open it
	LANURL       string `json:"lanUrl,omitempty"`       // with --lan: the LAN address it also serves on
	LANInterface string `json:"lanInterface,omitempty"` // with --lan: that address's interface
	Advertised   bool   `json:"advertised"`             // PublicURL was set with --advertise
	LinkPage     string `json:"linkPage"`
	PhonePage    string `json:"phonePage"`
	Version      string `json:"version"`
}

// SandboxInfo asks the sandbox where other devices reach it (GET /sandbox/info). A
// real server, or a sandbox older than the endpoint, refuses it with an *APIError.
func (c *Client) SandboxInfo(ctx context.Context) (*SandboxInfo, error) {
	var in SandboxInfo
	if err := c.do(ctx, call{method: http.MethodGet, path: "/sandbox/info"}, &in); err != nil {
		return nil, err
	}
	public, err := parseServer(in.PublicURL)
	if err != nil || !plainASCII(public) {
		return nil, &ProtocolError{Server: c.server, HTTPStatus: http.StatusOK, Problem: "publicUrl is not a base URL"}
	}
	in.PublicURL = public
	return &in, nil
}

// PublicServer is the base URL other devices are sent to: the link page a QR image
// carries and the phone page live under it.
type PublicServer struct {
	URL string
	// Loopback: URL is an address of this machine only; a phone that scans it tries to
	// reach itself. The sandbox must be started with --lan (or --advertise URL).
	Loopback bool
	// Offered: the server said where it is reached (GET /sandbox/info); false: URL is
	// the one this client calls, as no better one is known.
	Offered bool
}

// LinkURL is the link page for a code under this server (see LinkURL).
func (p PublicServer) LinkURL(sp, code string) string { return LinkURL(p.URL, sp, code) }

// PhoneURL is the sandbox's phone page, where a browser plays the phone of the flow.
func (p PublicServer) PhoneURL(sp string) string {
	u := strings.TrimRight(p.URL, "/") + "/sandbox/phone"
	if sp != "" && sp != DefaultServiceProvider {
		u += "?" + url.Values{"sp": {sp}}.Encode()
	}
	return u
}

// PublicServer says where other devices reach the server: the sandbox's publicUrl when
// it offers one, else the URL this client calls. Only a network failure is an error;
// a server that does not answer GET /sandbox/info gets the fallback. It asks each
// time, so that a sandbox restarted with --lan is seen at the next link code.
func (c *Client) PublicServer(ctx context.Context) (PublicServer, error) {
	in, err := c.SandboxInfo(ctx)
	var apiErr *APIError
	var protoErr *ProtocolError
	switch {
	case err == nil:
		return PublicServer{URL: in.PublicURL, Loopback: IsLoopbackURL(in.PublicURL), Offered: true}, nil
	case errors.As(err, &apiErr), errors.As(err, &protoErr):
		return PublicServer{URL: c.server, Loopback: IsLoopbackURL(c.server)}, nil
	}
	return PublicServer{}, err
}

// PublicServer says where other devices reach the device's server (see
// Client.PublicServer).
func (d *Device) PublicServer(ctx context.Context) (PublicServer, error) {
	return d.client.PublicServer(ctx)
}

// IsLoopbackURL says whether a URL's host is this machine only ("localhost",
// 127.0.0.0/8, ::1), which a phone cannot open.
func IsLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// plainASCII holds for printable ASCII without spaces: a URL that goes into a QR image
// and onto a terminal needs no other character (an IDN host is spelt in punycode), and
// refusing the rest keeps bidi and escape tricks off the screen.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
