// Package seedserver is a minimal SSO service written from the seed documents
// (shared/seeds/) and shared/spec/sso-service.md alone, never from the sandbox's code,
// so that tests show the client drives any server that follows the seed. Each switch
// of Variants turns on one thing the seed allows and the sandbox does not do.
package seedserver

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Variants are the switches, each a reading of the seed the sandbox does not take.
type Variants struct {
	// NoSandbox: no /sandbox/ endpoint; the software statement comes from the
	// programmer's dashboard (SoftwareStatement), as on the real service.
	NoSandbox bool
	// AlphanumericCodes: link codes of capitals and digits ("numérique ou
	// alphanumérique"), like 6ZJV85.
	AlphanumericCodes bool
	// TypedAttributes: list attributes of other JSON types ("chaîne, entier,
	// booléen, …"): osVersion as a number, booleans, nested objects.
	TypedAttributes bool
	// V1PathOnly: the v1 authentication only at seed 004's path, with the format
	// from Accept or format=; the .json/.xml suffixes are unknown paths.
	V1PathOnly bool
	// PlainText404: the server has no v1 API at all; that path, like every unknown
	// one, answers Go's text/plain "404 page not found".
	PlainText404 bool
	// TokenTTL is the service tokens' life (0: 1 h, the seed's samples); Grace the
	// refresh grace after expiry (0: 24 h).
	TokenTTL, Grace time.Duration
	// UnknownFields: every answer carries fields the spec does not name.
	UnknownFields bool
	// Alg signs the service tokens: "HS256" (the seed's sample, default), "RS256"
	// or "ES256".
	Alg string
	// ExtraDevices pads every profile's list with that many made-up devices, each
	// with ExtraBytes of attributes (0: 256): a list of several MiB.
	ExtraDevices, ExtraBytes int
	// Hostile: list attributes and error messages carry terminal escape sequences
	// (title, clipboard, screen clear), C1 controls and bidi overrides.
	Hostile bool
}

// Config is a server's switches and clock.
type Config struct {
	Variants
	Now func() time.Time // nil: time.Now
}

// Server is the SSO service: an http.Handler. Safe for concurrent use.
type Server struct {
	cfg    Config
	mux    *http.ServeMux
	signer *signer
	// dashboard signs the software statements that registration accepts.
	dashboard []byte

	mu       sync.Mutex
	clients  map[string]string    // client id → secret
	access   map[string]time.Time // access token → expiry
	profiles map[string]*profile  // common identifier → profile
	devices  map[string]*member   // device key → member
	codes    map[string]linkCode  // live link codes
	refused  int                  // refused requests, for tests to read
}

type profile struct {
	id   string
	mvpd *mvpdAuthn
	// padUnlinked are the made-up devices (Variants.ExtraDevices) unlinked so far.
	padUnlinked map[string]bool
}

func (p *profile) padGone() map[string]bool {
	if p.padUnlinked == nil {
		p.padUnlinked = map[string]bool{}
	}
	return p.padUnlinked
}

type mvpdAuthn struct {
	mvpd, userID string
	notAfter     time.Time
}

// member is one device of a profile.
type member struct {
	key      string
	profile  string
	via      string // regular, sso
	info     map[string]any
	ua       string
	lastSeen time.Time
	unlinked bool
}

type linkCode struct {
	profile  string
	notAfter time.Time
}

// New makes a server.
func New(cfg Config) (*Server, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.TokenTTL == 0 {
		cfg.TokenTTL = time.Hour
	}
	if cfg.Grace == 0 {
		cfg.Grace = 24 * time.Hour
	}
	sg, err := newSigner(cfg.Alg)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, signer: sg, dashboard: randomBytes(32),
		clients: map[string]string{}, access: map[string]time.Time{},
		profiles: map[string]*profile{}, devices: map[string]*member{}, codes: map[string]linkCode{},
	}
	s.routes()
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Request-Id", newTrace())
	if len(r.Header) > 0 && headerSize(r.Header) > 8<<10 {
		s.ssoError(w, r, 400, "header_too_large", "Request headers exceed 8 KiB", "none")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	s.mux.ServeHTTP(w, r)
}

func (s *Server) routes() {
	m := http.NewServeMux()
	if !s.cfg.NoSandbox {
		m.HandleFunc("GET /sandbox/software-statement", func(w http.ResponseWriter, r *http.Request) {
			s.writeJSON(w, 200, map[string]any{"software_statement": string(s.SoftwareStatement())})
		})
	}
	m.HandleFunc("POST /o/client/register", s.register)
	m.HandleFunc("POST /o/client/token", s.token)
	m.HandleFunc("/api/{sp}/serviceToken", s.sso(s.serviceToken, "GET", "POST"))
	m.HandleFunc("/api/{sp}/link", s.sso(s.link, "POST"))
	m.HandleFunc("/api/{sp}/list", s.sso(s.list, "GET"))
	m.HandleFunc("/api/{sp}/unlink", s.sso(s.unlink, "POST"))
	if !s.cfg.PlainText404 {
		m.HandleFunc("GET /api/v1/tokens/authn", s.authn(""))
		if !s.cfg.V1PathOnly {
			m.HandleFunc("GET /api/v1/tokens/authn.json", s.authn("json"))
			m.HandleFunc("GET /api/v1/tokens/authn.xml", s.authn("xml"))
		}
	}
	s.mux = m
}

// Authenticate gives a profile a TV provider authentication, as a real MVPD's sign-in
// (outside the seed) would.
func (s *Server) Authenticate(ssoID, mvpd, userID string, notAfter time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.profileLocked(ssoID)
	p.mvpd = &mvpdAuthn{mvpd: mvpd, userID: userID, notAfter: notAfter}
}

// Refused counts the requests the server refused, so a test can tell that a step
// was cured by a retry rather than never refused.
func (s *Server) Refused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

func (s *Server) profileLocked(id string) *profile {
	p, ok := s.profiles[id]
	if !ok {
		p = &profile{id: id}
		s.profiles[id] = p
	}
	return p
}

func (s *Server) now() time.Time { return s.cfg.Now() }

func (s *Server) writeJSON(w http.ResponseWriter, status int, v map[string]any) {
	if s.cfg.UnknownFields {
		v["revision"] = "1.0.0"
		v["servedBy"] = map[string]any{"region": "eu-west-1", "weight": 0.5, "canary": false}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// hostileText is what a hostile member or server puts in a string.
const hostileText = "\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\x1b[2J\u009b31m\u202eevil\r\n"

// ssoError writes the SSO service's error envelope (seed 003, "Codes d'erreur").
func (s *Server) ssoError(w http.ResponseWriter, r *http.Request, status int, code, message, action string) {
	s.mu.Lock()
	s.refused++
	s.mu.Unlock()
	trace := w.Header().Get("X-Request-Id")
	if s.cfg.Hostile {
		message += " " + hostileText
		trace += hostileText
	}
	s.writeJSON(w, status, map[string]any{
		"status": strings.ToUpper(strings.ReplaceAll(http.StatusText(status), " ", "_")),
		"error": map[string]any{"status": status, "code": code, "message": message, "action": action,
			"helpUrl": "https://experienceleague.adobe.com/docs/pass/authentication/auth-features/error-reportn/enhanced-error-codes.html",
			"trace":   trace},
	})
}

func newTrace() string {
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

func headerSize(h http.Header) int {
	n := 0
	for k, vs := range h {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}
