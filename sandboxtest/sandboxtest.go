// Package sandboxtest runs the handoff sandbox SSO service inside a Go test, in the
// way of net/http/httptest: New starts it on a loopback port and closes it with the
// test, and its helpers drive the sandbox's admin API (clock, faults, state) and make
// signed-in devices over real HTTP, so that an app's integration tests can make link
// codes expire, tokens lapse and calls fail without waiting or mocking.
//
//	sb := sandboxtest.New(t)
//	phone := sb.SignedInDevice("alice")
//	code := sb.LinkCode(phone)
//	// ... the TV app under test redeems code against sb.URL ...
//	sb.Advance(10 * time.Minute) // and now the code has expired
package sandboxtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/sandbox"
)

// ServiceProvider is the service provider the helpers use ({sp} in the paths).
const ServiceProvider = "demo"

// Sandbox is a sandbox serving on loopback for one test.
type Sandbox struct {
	URL        string // "http://127.0.0.1:PORT"
	AdminToken string // bearer token of /sandbox/admin/
	Server     *sandbox.Server

	t       testing.TB
	http    *http.Client
	devices int // how many SignedInDevice made, for their names
}

type options struct {
	cfg sandbox.Config
}

// Option changes how New starts the sandbox.
type Option func(*options)

// WithConfig starts the sandbox with cfg (its lifetimes, service providers, …).
// Without DataDir it keeps everything in memory; a seed given by WithSeed stays.
func WithConfig(cfg sandbox.Config) Option {
	return func(o *options) {
		seed := o.cfg.Seed
		o.cfg = cfg
		if cfg.Seed == nil {
			o.cfg.Seed = seed
		}
	}
}

// WithSeed makes link codes and identifiers reproducible: the same calls in the same
// order get the same codes.
func WithSeed(seed uint64) Option { return func(o *options) { o.cfg.Seed = &seed } }

// New starts a sandbox on 127.0.0.1 (any free port) and stops it when the test ends.
func New(t testing.TB, opts ...Option) *Sandbox {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.cfg.DataDir == "" && o.cfg.Store == "" {
		o.cfg.Memory = true
	}
	srv, err := sandbox.New(o.cfg)
	if err != nil {
		t.Fatalf("sandboxtest: %v", err)
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		_ = srv.Shutdown(context.Background())
		t.Fatalf("sandboxtest: %v", err)
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{}}
	t.Cleanup(func() {
		client.CloseIdleConnections()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("sandboxtest: shutting the sandbox down: %v", err)
		}
	})
	return &Sandbox{URL: base, AdminToken: srv.AdminToken(), Server: srv, t: t, http: client}
}

// call sends a JSON request (body nil: none) and decodes a JSON answer into out; a
// status other than want fails the test.
func (s *Sandbox) call(method, path string, header http.Header, body any, want int, out any) {
	s.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			s.t.Fatalf("sandboxtest: %v", err)
		}
		rd = bytes.NewReader(raw)
	}
	s.send(method, path, header, rd, "application/json", body != nil, want, out)
}

func (s *Sandbox) send(method, path string, header http.Header, body io.Reader, contentType string, hasBody bool, want int, out any) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.URL+path, body)
	if err != nil {
		s.t.Fatalf("sandboxtest: %v", err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if hasBody {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := s.http.Do(req)
	if err != nil {
		s.t.Fatalf("sandboxtest: %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatalf("sandboxtest: %s %s: reading the answer: %v", method, path, err)
	}
	if resp.StatusCode != want {
		s.t.Fatalf("sandboxtest: %s %s answered %d, want %d: %s", method, path, resp.StatusCode, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			s.t.Fatalf("sandboxtest: %s %s: %v: %s", method, path, err, raw)
		}
	}
}

func (s *Sandbox) admin(method, path string, body any, want int, out any) {
	s.t.Helper()
	s.call(method, "/sandbox/admin/"+path, http.Header{"Authorization": {"Bearer " + s.AdminToken}}, body, want, out)
}

// Clock is the sandbox clock, as GET /sandbox/admin/clock shows it.
type Clock struct {
	Now          time.Time `json:"now"`
	OffsetMillis int64     `json:"offsetMillis"`
	Shifted      bool      `json:"shifted"`
}

// Offset is how far the sandbox clock is from the real one.
func (c Clock) Offset() time.Duration { return time.Duration(c.OffsetMillis) * time.Millisecond }

// Clock reads the sandbox clock.
func (s *Sandbox) Clock() Clock {
	s.t.Helper()
	var c Clock
	s.admin("GET", "clock", nil, 200, &c)
	return c
}

// Now is the sandbox's time: what every expiry is measured against.
func (s *Sandbox) Now() time.Time {
	s.t.Helper()
	return s.Clock().Now
}

// Advance moves the sandbox clock forward by d (positive): link codes, service
// tokens, access tokens and MVPD authentications expire as if d had passed.
func (s *Sandbox) Advance(d time.Duration) Clock {
	s.t.Helper()
	var c Clock
	s.admin("POST", "clock/advance", map[string]string{"by": d.String()}, 200, &c)
	return c
}

// SetClock makes the sandbox clock read tm (it runs on from there).
func (s *Sandbox) SetClock(tm time.Time) Clock {
	s.t.Helper()
	var c Clock
	s.admin("POST", "clock/set", map[string]string{"time": tm.Format(time.RFC3339Nano)}, 200, &c)
	return c
}

// ResetClock puts the sandbox clock back on the real one.
func (s *Sandbox) ResetClock() Clock {
	s.t.Helper()
	var c Clock
	s.admin("POST", "clock/reset", nil, 200, &c)
	return c
}

// AddFault makes calls on a route fail (see sandbox.FaultSpec) and returns its id.
func (s *Sandbox) AddFault(f sandbox.FaultSpec) string {
	s.t.Helper()
	var out struct {
		ID string `json:"id"`
	}
	s.admin("POST", "faults", f, 201, &out)
	return out.ID
}

// ClearFaults removes every fault.
func (s *Sandbox) ClearFaults() {
	s.t.Helper()
	s.admin("DELETE", "faults", nil, 200, nil)
}

// State is what the sandbox holds, in counts.
type State struct {
	sandbox.StoreCounts
	Faults int  `json:"faults"`
	Seeded bool `json:"seeded"`
}

// State counts the sandbox's records.
func (s *Sandbox) State() State {
	s.t.Helper()
	var st State
	s.admin("GET", "state", nil, 200, &st)
	return st
}

// Reset empties the sandbox's store (its keys stay).
func (s *Sandbox) Reset() {
	s.t.Helper()
	s.admin("POST", "reset", nil, 200, nil)
}

// AccessToken registers a new client (DCR) and returns an access token for it, as an
// app does on its first start.
func (s *Sandbox) AccessToken() string {
	s.t.Helper()
	var st struct {
		Statement string `json:"software_statement"`
	}
	s.call("GET", "/sandbox/software-statement", nil, nil, 200, &st)
	var reg struct {
		ID     string `json:"client_id"`
		Secret string `json:"client_secret"`
	}
	s.call("POST", "/o/client/register", nil, map[string]string{"software_statement": st.Statement}, 201, &reg)
	form := url.Values{"client_id": {reg.ID}, "client_secret": {reg.Secret}, "grant_type": {"client_credentials"}}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	s.send("POST", "/o/client/token", nil, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded", true, 201, &tok)
	return tok.AccessToken
}

// Device is a device that joined a profile: what an app keeps after signing in.
type Device struct {
	Name         string // what the key was made from
	Key          string // the device key: standard Base64 of a SHA-256
	ProfileID    string // the common identifier (X-SSO-ID) it joined with
	AccessToken  string
	ServiceToken string
}

// DeviceKey is the key a device named name has: standard Base64 of its SHA-256, as
// the spec makes one.
func DeviceKey(name string) string {
	sum := sha256.Sum256([]byte(name))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// Header is what the device sends on the SSO service: its access token, its
// identifier and its service token.
func (d Device) Header() http.Header {
	return http.Header{
		"Authorization":        {"Bearer " + d.AccessToken},
		"Ap-Device-Identifier": {"fingerprint " + d.Key},
		"Ad-Service-Token":     {d.ServiceToken},
	}
}

// SignedInDevice makes a device (a phone) that joined profile ssoID with its own
// client: it holds an access token and a service token.
func (s *Sandbox) SignedInDevice(ssoID string) Device {
	s.t.Helper()
	s.devices++
	d := Device{Name: fmt.Sprintf("sandboxtest phone %d", s.devices), ProfileID: ssoID, AccessToken: s.AccessToken()}
	d.Key = DeviceKey(d.Name)
	h := http.Header{"Authorization": {"Bearer " + d.AccessToken}, "Ap-Device-Identifier": {"fingerprint " + d.Key}, "X-Sso-Id": {ssoID}}
	var tok struct {
		Token string `json:"serviceToken"`
	}
	s.call("POST", "/api/"+ServiceProvider+"/serviceToken", h, nil, 201, &tok)
	d.ServiceToken = tok.Token
	return d
}

// LinkCode asks for a link code for d's profile: the six digits a TV redeems.
func (s *Sandbox) LinkCode(d Device) string {
	s.t.Helper()
	var out struct {
		Code string `json:"code"`
	}
	s.call("POST", "/api/"+ServiceProvider+"/link", d.Header(), nil, 201, &out)
	return out.Code
}
