package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Limits on what goes over the wire: the spec caps request bodies at 64 KiB. A
// profile's device list has no limit in the seed and reaches several MiB on a busy
// shared server; an answer past 32 MiB is refused rather than held in memory.
const (
	maxRequestBody  = 64 << 10
	maxResponseBody = 32 << 20
)

// Options configure a Client.
type Options struct {
	HTTPClient *http.Client // nil: a client with sane timeouts
	// Cache keeps the registration and access token between calls and runs; nil: memory.
	Cache RegistrationCache
	// SoftwareStatement for DCR, as the programmer's dashboard issued it (a JWT, or
	// the dashboard's JSON holding one); empty: the sandbox's
	// /sandbox/software-statement when the server offers it.
	SoftwareStatement []byte
	Trace             func(Exchange)
	// RevealSecrets keeps each traced exchange's secrets beside its redacted copy
	// (Exchange.Unredacted), for a user who asked for them (--reveal-secrets).
	RevealSecrets bool
	Now           func() time.Time
	UserAgent     string
	DeviceInfo    string // Base64 X-Device-Info sent on registration
}

// RegistrationCache keeps one application's client credentials and access token.
type RegistrationCache interface {
	LoadRegistration() (Registration, bool)
	SaveRegistration(Registration) error
}

// DeviceHeaders identify the calling device on each SSO request.
type DeviceHeaders struct {
	Key       string // AP-Device-Identifier payload (Base64 of SHA-256 of a UUID)
	Info      string // X-Device-Info (Base64 JSON)
	UserAgent string
}

// Identity is the one identity source of POST serviceToken.
type Identity struct {
	SSOID     string // X-SSO-ID
	LinkCode  string // X-SSO-LINK
	RokuToken string // X-Roku-Reserved-Roku-Connect-Token
}

// Client calls one server. Safe for concurrent use.
type Client struct {
	server    string // base URL without a trailing slash
	hc        *http.Client
	cache     RegistrationCache
	statement string
	trace     func(Exchange)
	// revealSecrets: see Options.RevealSecrets.
	revealSecrets bool
	now           func() time.Time
	userAgent     string
	deviceInfo    string
	device        string // names the device in each Exchange
	// access lets one call at a time register or renew the access token, so that
	// concurrent calls refused together renew once.
	access chan struct{}
}

const defaultUserAgent = "handoff-client"

// New makes a client for a server base URL ("http://127.0.0.1:8765").
func New(server string, opts Options) (*Client, error) {
	base, err := parseServer(server)
	if err != nil {
		return nil, err
	}
	c := &Client{
		server:        base,
		hc:            opts.HTTPClient,
		cache:         opts.Cache,
		statement:     strings.TrimSpace(string(opts.SoftwareStatement)),
		trace:         opts.Trace,
		revealSecrets: opts.RevealSecrets,
		now:           opts.Now,
		userAgent:     opts.UserAgent,
		deviceInfo:    opts.DeviceInfo,
		access:        make(chan struct{}, 1),
	}
	if c.hc == nil {
		c.hc = defaultHTTPClient()
	}
	if c.cache == nil {
		c.cache = &memoryCache{}
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.userAgent == "" {
		c.userAgent = defaultUserAgent
	}
	return c, nil
}

// Server is the base URL the client calls.
func (c *Client) Server() string { return c.server }

func parseServer(server string) (string, error) {
	bad := &InputError{Msg: fmt.Sprintf("The server address %q is not a base URL: give one like http://127.0.0.1:8765.", server)}
	u, err := url.Parse(strings.TrimSpace(server))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", bad
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), nil
}

// defaultHTTPClient bounds every phase of a call so that a silent server cannot hang
// the TUI, and keeps connections alive between the steps of the flow.
func defaultHTTPClient() *http.Client {
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: 15 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{
		Transport: t,
		Timeout:   30 * time.Second,
		// The SSO API never redirects; following one would carry the bearer elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

type memoryCache struct {
	mu  sync.Mutex
	reg *Registration
}

func (m *memoryCache) LoadRegistration() (Registration, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.reg == nil {
		return Registration{}, false
	}
	return *m.reg, true
}

func (m *memoryCache) SaveRegistration(r Registration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.reg = &r
	return nil
}

// call is one request to the server.
type call struct {
	method string
	path   string // path and query
	header http.Header
	body   []byte
	ctype  string
	// accept is the Accept header: what the caller asks for; "" is JSON.
	accept string
	// auth: the call needs the bearer access token.
	auth bool
	// serviceToken: the call carries AD-Service-Token, so that a refusal with a fresh
	// access token is about the device, not the application.
	serviceToken bool
}

// answer is what came back.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// do sends a call, renewing the access token once if the server refuses it, and
// decodes a 2xx body into out.
func (c *Client) do(ctx context.Context, cl call, out any) error {
	_, err := c.doRaw(ctx, cl, out)
	return err
}

// doRaw is do, and returns the 2xx body as received, for --json to print as it is.
func (c *Client) doRaw(ctx context.Context, cl call, out any) (json.RawMessage, error) {
	var bearer string
	fresh := false
	if cl.auth {
		var err error
		if bearer, fresh, err = c.accessToken(ctx, ""); err != nil {
			return nil, err
		}
	}
	a, err := c.send(ctx, cl, bearer)
	if err != nil {
		return nil, err
	}
	if cl.auth && !fresh && a.status == http.StatusUnauthorized && refusesAccessToken(c.parseError(a)) {
		if bearer, _, err = c.accessToken(ctx, bearer); err != nil {
			return nil, err
		}
		fresh = true
		if a, err = c.send(ctx, cl, bearer); err != nil {
			return nil, err
		}
	}
	if a.status < 200 || a.status > 299 {
		e := c.parseError(a)
		e.unlinked = cl.serviceToken && fresh && e.HTTPStatus == http.StatusUnauthorized && e.Code == "unauthorized"
		return nil, e
	}
	if out == nil {
		return a.body, nil
	}
	if err := json.Unmarshal(a.body, out); err != nil {
		return nil, &ProtocolError{Server: c.server, HTTPStatus: a.status, Trace: a.header.Get("X-Request-Id"), Problem: "body is not the expected JSON: " + err.Error()}
	}
	return a.body, nil
}

func (c *Client) parseError(a answer) *APIError {
	return parseAPIError(a.status, a.header, a.body, c.now())
}

func refusesAccessToken(e *APIError) bool {
	return e.Code == "unauthorized" || e.Code == "invalid_access_token_client_application"
}

func (c *Client) send(ctx context.Context, cl call, bearer string) (answer, error) {
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, c.server+cl.path, body)
	if err != nil {
		return answer{}, &InputError{Msg: fmt.Sprintf("Cannot build a request to %s: check --server.", c.server)}
	}
	for k, v := range cl.header {
		req.Header[k] = v
	}
	accept := cl.accept
	if accept == "" {
		accept = "application/json"
	}
	req.Header.Set("Accept", accept)
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	if cl.ctype != "" {
		req.Header.Set("Content-Type", cl.ctype)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	started := time.Now()
	resp, err := c.hc.Do(req)
	if err != nil {
		err = c.networkError(ctx, err)
		c.record(req, cl.body, nil, nil, started, err)
		return answer{}, err
	}
	defer resp.Body.Close()
	data, err := readBody(resp, maxResponseBody)
	if err != nil {
		err = c.networkError(ctx, err)
		c.record(req, cl.body, resp, nil, started, err)
		return answer{}, err
	}
	if len(data) > maxResponseBody {
		err := &ProtocolError{Server: c.server, HTTPStatus: resp.StatusCode, Trace: resp.Header.Get("X-Request-Id"), Problem: fmt.Sprintf("answer larger than %d MiB", maxResponseBody>>20)}
		c.record(req, cl.body, resp, data[:maxResponseBody], started, err)
		return answer{}, err
	}
	c.record(req, cl.body, resp, data, started, nil)
	return answer{status: resp.StatusCode, header: resp.Header, body: data}, nil
}

// readBody reads an answer as it streams in, up to limit+1 bytes so that a larger
// one is seen as such; the buffer grows with what arrives, not with what the server
// announces.
func readBody(resp *http.Response, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	if resp.ContentLength > 0 && resp.ContentLength <= limit {
		buf.Grow(int(resp.ContentLength))
	}
	_, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	return buf.Bytes(), err
}

func (c *Client) networkError(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return fmt.Errorf("client: %w", context.Canceled)
	}
	var ne net.Error
	timeout := errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
	return &UnreachableError{Server: c.server, Timeout: timeout, Err: err}
}

var spPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

func checkSP(sp string) error {
	if !spPattern.MatchString(sp) {
		return &InputError{Msg: fmt.Sprintf("The service provider %q is not valid: use 1 to 64 letters, digits, dots, dashes or underscores.", sp)}
	}
	return nil
}

// deviceHeader sets the identity headers of the calling device.
func deviceHeader(dev DeviceHeaders) http.Header {
	h := http.Header{}
	if dev.Key != "" {
		h.Set("AP-Device-Identifier", "fingerprint "+dev.Key)
	}
	if dev.Info != "" {
		h.Set("X-Device-Info", dev.Info)
	}
	if dev.UserAgent != "" {
		h.Set("User-Agent", dev.UserAgent)
	}
	return h
}
