package client

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeSSO is a small server speaking the wire contract, for unit tests of the client's
// own behaviour (renewal, caching, parsing, redaction). The client against the real
// sandbox is tested in package integration.
type fakeSSO struct {
	*httptest.Server
	statements, registers, tokens, calls atomic.Int32

	mu        sync.Mutex
	clients   map[string]string // client id → secret
	access    map[string]bool   // live access tokens
	unlinked  map[string]bool   // device keys
	expiresIn int64
	// endpoint, when set, answers every /api/ call instead of the default.
	endpoint http.HandlerFunc
}

func newFakeSSO(t *testing.T) *fakeSSO {
	f := &fakeSSO{clients: map[string]string{}, access: map[string]bool{}, unlinked: map[string]bool{}, expiresIn: 3600}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /sandbox/software-statement", func(w http.ResponseWriter, r *http.Request) {
		f.statements.Add(1)
		writeJSON(w, 200, map[string]string{"software_statement": fakeJWT(map[string]any{"iss": "sandbox", "software_id": "x"})})
	})
	mux.HandleFunc("POST /o/client/register", func(w http.ResponseWriter, r *http.Request) {
		n := f.registers.Add(1)
		id, secret := fmt.Sprintf("client-%d", n), fmt.Sprintf("secret-%d-0123456789abcdef0123", n)
		f.mu.Lock()
		f.clients[id] = secret
		f.mu.Unlock()
		writeJSON(w, 201, map[string]any{"client_id": id, "client_secret": secret, "client_id_issued_at": 1, "redirect_uris": []string{}, "grant_types": []string{"client_credentials"}, "scopes": []string{"api:client:v2"}})
	})
	mux.HandleFunc("POST /o/client/token", func(w http.ResponseWriter, r *http.Request) {
		n := f.tokens.Add(1)
		_ = r.ParseForm()
		f.mu.Lock()
		defer f.mu.Unlock()
		if s, ok := f.clients[r.PostForm.Get("client_id")]; !ok || s != r.PostForm.Get("client_secret") {
			writeJSON(w, 401, map[string]string{"error": "invalid_client", "error_description": "unknown client"})
			return
		}
		tok := fmt.Sprintf("access-%d-0123456789abcdef0123456789", n)
		f.access[tok] = true
		writeJSON(w, 201, map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": f.expiresIn, "created_at": 1})
	})
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		f.calls.Add(1)
		f.mu.Lock()
		ok := len(r.Header.Get("Authorization")) > 7 && f.access[r.Header.Get("Authorization")[7:]]
		endpoint := f.endpoint
		f.mu.Unlock()
		if !ok {
			ssoError(w, 401, "unauthorized", "access token missing, unknown or expired", "get_new_token")
			return
		}
		if endpoint != nil {
			endpoint(w, r)
			return
		}
		f.serve(w, r)
	})
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

// serve is a minimal SSO service: one profile, service tokens that carry the device key.
func (f *fakeSSO) serve(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get("AP-Device-Identifier")
	if len(key) > 12 {
		key = key[12:]
	}
	if st := r.Header.Get("AD-Service-Token"); st != "" {
		c, err := DecodeClaims(st)
		f.mu.Lock()
		gone := err == nil && f.unlinked[c.DeviceKey]
		f.mu.Unlock()
		if err != nil || gone {
			ssoError(w, 401, "unauthorized", "device unlinked", "get_new_token")
			return
		}
	}
	now := time.Now()
	switch r.Method + " " + r.URL.Path[len("/api/demo"):] {
	case "POST /serviceToken", "GET /serviceToken":
		if r.Method == "POST" && r.Header.Get("X-SSO-LINK") != "" && r.Header.Get("X-SSO-LINK") != "123456" {
			ssoError(w, 400, "invalid_parameter_code", "link code unknown", "none")
			return
		}
		f.mu.Lock()
		delete(f.unlinked, key)
		f.mu.Unlock()
		tok := fakeJWT(map[string]any{"iss": "ssoservicetoken", "sub": "alice", "iat": now.Unix(), "nbf": now.Unix(), "exp": now.Add(time.Hour).Unix(), "did": key})
		writeJSON(w, 201, map[string]any{"status": "CREATED", "serviceToken": tok, "notBefore": now.UnixMilli(), "notAfter": now.Add(time.Hour).UnixMilli()})
	case "POST /link":
		writeJSON(w, 201, map[string]any{"status": "CREATED", "code": "123456", "notBefore": now.UnixMilli(), "notAfter": now.Add(10 * time.Minute).UnixMilli()})
	case "GET /list":
		writeJSON(w, 200, map[string]any{"devices": map[string]any{key: map[string]any{"type": "regular", "lastSeen": now.UnixMilli()}}})
	case "POST /unlink":
		var body struct{ Devices []string }
		_ = json.NewDecoder(r.Body).Decode(&body)
		f.mu.Lock()
		for _, k := range body.Devices {
			f.unlinked[k] = true
		}
		f.mu.Unlock()
		writeJSON(w, 200, map[string]any{"status": "OK", "unlinkedDevices": body.Devices})
	default:
		ssoError(w, 405, "method_not_allowed", "no", "none")
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Request-Id", "5f0c6f8e-0000-4000-8000-000000000001")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func ssoError(w http.ResponseWriter, status int, code, msg, action string) {
	writeJSON(w, status, map[string]any{"status": "X", "error": map[string]any{"status": status, "code": code, "message": msg, "action": action, "trace": "trace-1"}})
}

// fakeJWT makes an unsigned-looking JWT with a long fake signature, enough for
// decoding and redaction tests.
func fakeJWT(claims map[string]any) string {
	h, _ := json.Marshal(map[string]any{"alg": "HS256", "typ": "JWT", "kid": "k1"})
	c, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding
	return enc.EncodeToString(h) + "." + enc.EncodeToString(c) + "." + enc.EncodeToString(func() []byte { s := sha256.Sum256(c); return s[:] }())
}
