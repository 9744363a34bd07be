package sandbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// clock is the injected clock of the tests: it moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// drivers are the store drivers every server-level test runs against.
var drivers = []string{"memory", "bbolt"}

// testServer is a sandbox behind a real loopback socket.
type testServer struct {
	*Server
	URL   string
	clock *clock
	http  *http.Client
	dir   string
}

// startServer serves cfg on httptest (a real socket). driver "bbolt" puts the store in
// dir (a fresh temp dir when "").
func startServer(t testing.TB, driver, dir string, cfg Config) *testServer {
	t.Helper()
	c := newClock()
	if cfg.Now == nil {
		cfg.Now = c.Now
	}
	switch driver {
	case "memory":
		cfg.Memory = true
	case "bbolt":
		if dir == "" {
			dir = t.TempDir()
		}
		cfg.DataDir = dir
	default:
		t.Fatalf("unknown driver %q", driver)
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	hs := httptest.NewServer(s.Handler())
	ts := &testServer{Server: s, URL: hs.URL, clock: c, http: hs.Client(), dir: dir}
	t.Cleanup(func() {
		hs.Close()
		_ = s.Shutdown(t.Context())
	})
	return ts
}

// startOnStore serves cfg (defaulted) on an open store, for tests that wrap a store
// to count or fail its transactions.
func startOnStore(t testing.TB, cfg Config, store Store) *testServer {
	t.Helper()
	s, err := newWithStore(cfg.withDefaults(), store, &memoryKeys{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Shutdown(context.Background()) })
	hs := httptestServer(t, s.Handler())
	return &testServer{Server: s, URL: hs.URL, http: hs.Client(), clock: newClock()}
}

// reply is a decoded answer.
type reply struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

func (r reply) str(path ...string) string {
	var v any = r.body
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[p]
	}
	s, _ := v.(string)
	return s
}

// page is an answer that is not JSON (HTML, XML).
type page struct {
	status int
	header http.Header
	body   string
}

func (ts *testServer) raw(t testing.TB, method, path string, headers map[string]string, body string) page {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := ts.http.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	checkContract(t, resp, b)
	return page{resp.StatusCode, resp.Header, string(b)}
}

// do sends a request and decodes its JSON answer.
func (ts *testServer) do(t testing.TB, method, path string, headers map[string]string, body string) reply {
	t.Helper()
	p := ts.raw(t, method, path, headers, body)
	r := reply{status: p.status, header: p.header, raw: []byte(p.body)}
	if len(r.raw) > 0 && method != http.MethodHead {
		if err := json.Unmarshal(r.raw, &r.body); err != nil {
			t.Fatalf("%s %s: body is not a JSON object: %v: %q", method, path, err, r.raw)
		}
	}
	return r
}

// accessToken registers a client and returns a fresh access token.
func (ts *testServer) accessToken(t testing.TB) string {
	t.Helper()
	st := ts.do(t, "GET", "/sandbox/software-statement", nil, "")
	if st.status != 200 {
		t.Fatalf("software statement: %d %s", st.status, st.raw)
	}
	body, _ := json.Marshal(map[string]string{"software_statement": st.str("software_statement")})
	reg := ts.do(t, "POST", "/o/client/register", map[string]string{"Content-Type": "application/json"}, string(body))
	if reg.status != 201 {
		t.Fatalf("register: %d %s", reg.status, reg.raw)
	}
	form := url.Values{"client_id": {reg.str("client_id")}, "client_secret": {reg.str("client_secret")}, "grant_type": {"client_credentials"}}
	tok := ts.do(t, "POST", "/o/client/token", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, form.Encode())
	if tok.status != 201 {
		t.Fatalf("token: %d %s", tok.status, tok.raw)
	}
	return tok.str("access_token")
}

// deviceKey makes a device key the way the spec says: Base64 of a SHA-256.
func deviceKey(name string) string {
	sum := sha256.Sum256([]byte(name))
	return base64.StdEncoding.EncodeToString(sum[:])
}

func deviceInfo(fields map[string]string) string {
	raw, _ := json.Marshal(fields)
	return base64.StdEncoding.EncodeToString(raw)
}

// device is a simulated device for the tests: its key and its headers.
type device struct {
	key, access string
}

func (d device) headers(extra ...string) map[string]string {
	h := map[string]string{
		"Authorization":        "Bearer " + d.access,
		"AP-Device-Identifier": "fingerprint " + d.key,
	}
	for i := 0; i+1 < len(extra); i += 2 {
		h[extra[i]] = extra[i+1]
	}
	return h
}

// serviceToken joins profile ssoID with X-SSO-ID and returns the token.
func (ts *testServer) serviceToken(t testing.TB, d device, ssoID string) string {
	t.Helper()
	r := ts.do(t, "POST", "/api/demo/serviceToken", d.headers("X-SSO-ID", ssoID), "")
	if r.status != 201 {
		t.Fatalf("serviceToken: %d %s", r.status, r.raw)
	}
	return r.str("serviceToken")
}

func (ts *testServer) linkCode(t testing.TB, d device, token string) string {
	t.Helper()
	r := ts.do(t, "POST", "/api/demo/link", d.headers("AD-Service-Token", token), "")
	if r.status != 201 {
		t.Fatalf("link: %d %s", r.status, r.raw)
	}
	return r.str("code")
}

// jsonBody is a helper for request bodies.
func jsonBody(v any) string {
	var b bytes.Buffer
	_ = json.NewEncoder(&b).Encode(v)
	return b.String()
}

func httptestServer(t testing.TB, h http.Handler) *httptest.Server {
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return hs
}
