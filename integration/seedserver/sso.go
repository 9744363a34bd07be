package seedserver

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	var body struct {
		SoftwareStatement string `json:"software_statement"`
	}
	if json.NewDecoder(r.Body).Decode(&body) != nil || body.SoftwareStatement == "" {
		s.oauthError(w, 400, "invalid_request", "software_statement is required")
		return
	}
	if !s.statementValid(body.SoftwareStatement) {
		s.oauthError(w, 400, "invalid_software_statement", "the software statement is not one this service issued")
		return
	}
	id, secret := hex.EncodeToString(randomBytes(12)), hex.EncodeToString(randomBytes(24))
	s.mu.Lock()
	s.clients[id] = secret
	s.mu.Unlock()
	s.writeJSON(w, 201, map[string]any{"client_id": id, "client_secret": secret, "client_id_issued_at": s.now().Unix(),
		"redirect_uris": []string{}, "grant_types": []string{"client_credentials"}, "scopes": []string{"api:client:v2"}})
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if r.ParseForm() != nil || r.PostForm.Get("grant_type") != "client_credentials" {
		s.oauthError(w, 400, "unsupported_grant_type", "grant_type must be client_credentials")
		return
	}
	s.mu.Lock()
	secret, ok := s.clients[r.PostForm.Get("client_id")]
	s.mu.Unlock()
	if !ok || secret != r.PostForm.Get("client_secret") {
		s.oauthError(w, 401, "invalid_client", "unknown client")
		return
	}
	tok := hex.EncodeToString(randomBytes(24))
	s.mu.Lock()
	s.access[tok] = s.now().Add(6 * time.Hour)
	s.mu.Unlock()
	s.writeJSON(w, 201, map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": 6 * 3600, "created_at": s.now().UnixMilli()})
}

func (s *Server) oauthError(w http.ResponseWriter, status int, code, desc string) {
	s.mu.Lock()
	s.refused++
	s.mu.Unlock()
	s.writeJSON(w, status, map[string]any{"error": code, "error_description": desc})
}

// sso wraps an SSO-service endpoint: method, Accept and the bearer access token.
func (s *Server) sso(h http.HandlerFunc, methods ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !slices.Contains(methods, r.Method) {
			w.Header().Set("Allow", strings.Join(methods, ", "))
			s.ssoError(w, r, 405, "method_not_allowed", "Method not allowed", "none")
			return
		}
		if a := r.Header.Get("Accept"); a != "" && !acceptsJSON(a) {
			s.ssoError(w, r, 406, "not_acceptable", "This API answers application/json", "none")
			return
		}
		if !s.bearerValid(r) {
			s.ssoError(w, r, 401, "unauthorized", "Unauthorized access", "none")
			return
		}
		h(w, r)
	}
}

func acceptsJSON(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		mt, _, _ := mime.ParseMediaType(strings.TrimSpace(part))
		if mt == "application/json" || mt == "application/*" || mt == "*/*" {
			return true
		}
	}
	return false
}

func (s *Server) bearerValid(r *http.Request) bool {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.access[tok]
	return ok && s.now().Before(exp)
}

// deviceKey reads AP-Device-Identifier: "fingerprint <Base64>".
func deviceKey(r *http.Request) (key string, present, ok bool) {
	v := r.Header.Get("AP-Device-Identifier")
	if v == "" {
		return "", false, false
	}
	scheme, payload, found := strings.Cut(v, " ")
	if !found || scheme != "fingerprint" || payload == "" {
		return "", true, false
	}
	if _, err := base64.StdEncoding.DecodeString(payload); err != nil {
		return "", true, false
	}
	return payload, true, true
}

func (s *Server) serviceToken(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		s.refresh(w, r)
		return
	}
	key, present, ok := deviceKey(r)
	switch {
	case !present:
		s.ssoError(w, r, 400, "header_missing", "AP-Device-Identifier header is required for POST requests", "check_headers")
		return
	case !ok:
		s.ssoError(w, r, 400, "invalid_header_device_identifier", "AP-Device-Identifier is not fingerprint <Base64>", "none")
		return
	}
	info, err := deviceInfo(r.Header.Get("X-Device-Info"))
	if err != nil {
		s.ssoError(w, r, 400, "invalid_header_device_info", "X-Device-Info is not Base64 of a JSON object", "none")
		return
	}
	ssoID, code := r.Header.Get("X-SSO-ID"), r.Header.Get("X-SSO-LINK")
	s.mu.Lock()
	var profileID, via string
	switch {
	case ssoID != "":
		profileID, via = ssoID, "regular"
	case code != "":
		lc, live := s.codes[code]
		delete(s.codes, code)
		if !live || !s.now().Before(lc.notAfter) {
			s.mu.Unlock()
			s.ssoError(w, r, 400, "invalid_parameter_code", "Link code is unknown, expired or already used", "none")
			return
		}
		profileID, via = lc.profile, "sso"
	default:
		s.mu.Unlock()
		s.ssoError(w, r, 400, "header_missing", "x-sso-id or x-sso-link header is required for POST requests", "check_headers")
		return
	}
	s.profileLocked(profileID)
	s.devices[key] = &member{key: key, profile: profileID, via: via, info: info, ua: r.Header.Get("User-Agent"), lastSeen: s.now()}
	s.mu.Unlock()
	s.issue(w, 201, "CREATED", profileID, key)
}

func deviceInfo(v string) (map[string]any, error) {
	if v == "" {
		return map[string]any{}, nil
	}
	raw, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, fmt.Errorf("not a JSON object")
	}
	return m, nil
}

func (s *Server) issue(w http.ResponseWriter, status int, word, sub, key string) {
	now := s.now()
	exp := now.Add(s.cfg.TokenTTL)
	tok := s.signer.sign(map[string]any{"iss": "ssoservicetoken", "sub": sub, "nbf": now.Unix(), "iat": now.Unix(), "exp": exp.Unix(),
		"jti": newTrace(), "did": key})
	s.writeJSON(w, status, map[string]any{"status": word, "serviceToken": tok, "notBefore": now.UnixMilli(), "notAfter": exp.UnixMilli()})
}

// caller is the device behind a valid service token.
type caller struct {
	claims map[string]any
	sub    string
	key    string
}

// checkToken reads AD-Service-Token; grace is how long after exp it still counts.
// It writes the refusal itself and returns false.
func (s *Server) checkToken(w http.ResponseWriter, r *http.Request, missingStatus int, grace time.Duration) (caller, bool) {
	tok := r.Header.Get("AD-Service-Token")
	if tok == "" {
		s.ssoError(w, r, missingStatus, "header_missing", "AD-Service-Token header is required", "check_headers")
		return caller{}, false
	}
	claims, err := s.signer.verify(tok)
	if err != nil {
		s.ssoError(w, r, 401, "header_invalid", "Invalid JWT signature in AD-Service-Token", "get_new_token")
		return caller{}, false
	}
	sub, _ := claims["sub"].(string)
	if sub == "" {
		s.ssoError(w, r, 401, "header_invalid", "JWT subject (sub) is missing or empty in AD-Service-Token", "get_new_token")
		return caller{}, false
	}
	if iss, _ := claims["iss"].(string); iss != "ssoservicetoken" {
		s.ssoError(w, r, 400, "token_invalid", "The token is not valid", "get_new_token")
		return caller{}, false
	}
	exp, _ := claims["exp"].(float64)
	if !s.now().Before(time.Unix(int64(exp), 0).Add(grace)) {
		s.ssoError(w, r, 401, "token_expired", "The token has expired", "get_new_token")
		return caller{}, false
	}
	key, _ := claims["did"].(string)
	s.mu.Lock()
	m, ok := s.devices[key]
	gone := !ok || m.unlinked || m.profile != sub
	if !gone {
		m.lastSeen = s.now()
	}
	s.mu.Unlock()
	if gone {
		s.ssoError(w, r, 401, "unauthorized", "Unauthorized access", "none")
		return caller{}, false
	}
	return caller{claims: claims, sub: sub, key: key}, true
}

func (s *Server) refresh(w http.ResponseWriter, r *http.Request) {
	c, ok := s.checkToken(w, r, 400, s.cfg.Grace)
	if !ok {
		return
	}
	s.issue(w, 200, "OK", c.sub, c.key)
}

const alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"

func (s *Server) link(w http.ResponseWriter, r *http.Request) {
	c, ok := s.checkToken(w, r, 401, 0)
	if !ok {
		return
	}
	now := s.now()
	var code string
	s.mu.Lock()
	for {
		b := randomBytes(6)
		for i := range b {
			if s.cfg.AlphanumericCodes {
				b[i] = alnum[int(b[i])%len(alnum)]
			} else {
				b[i] = '0' + b[i]%10
			}
		}
		if _, taken := s.codes[string(b)]; !taken {
			code = string(b)
			break
		}
	}
	s.codes[code] = linkCode{profile: c.sub, notAfter: now.Add(10 * time.Minute)}
	s.mu.Unlock()
	s.writeJSON(w, 201, map[string]any{"status": "CREATED", "code": code, "notBefore": now.UnixMilli(), "notAfter": now.Add(10 * time.Minute).UnixMilli()})
}

// deviceTypes maps X-Device-Info primaryHardwareType to the list's deviceType (the
// seed sample's words).
var deviceTypes = map[string]string{"MobilePhone": "mobile", "Tablet": "tablet", "TV": "smartTV", "SetTopBox": "setTopBox",
	"MediaPlayer": "mediaPlayer", "GamesConsole": "gamesConsole", "Desktop": "desktop"}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	c, ok := s.checkToken(w, r, 401, 0)
	if !ok {
		return
	}
	devices := map[string]any{}
	s.mu.Lock()
	for _, m := range s.devices {
		if m.profile == c.sub && !m.unlinked {
			devices[m.key] = s.entry(m)
		}
	}
	s.mu.Unlock()
	s.pad(devices, c.sub)
	s.writeJSON(w, 200, map[string]any{"devices": devices})
}

func (s *Server) entry(m *member) map[string]any {
	str := func(k string) string { v, _ := m.info[k].(string); return v }
	dt, ok := deviceTypes[str("primaryHardwareType")]
	if !ok {
		dt = "unknown"
	}
	e := map[string]any{"deviceType": dt, "model": str("model"), "os": str("osName"), "osVersion": str("osVersion"),
		"manufacturer": str("manufacturer"), "userAgent": m.ua, "lastSeen": m.lastSeen.UnixMilli(), "type": m.via}
	if s.cfg.TypedAttributes {
		if f, err := strconv.ParseFloat(str("osVersion"), 64); err == nil {
			e["osVersion"] = f
		}
		e["hdr"] = true
		e["screen"] = map[string]any{"width": 3840, "height": 2160}
		e["lastSeen"] = float64(m.lastSeen.UnixMilli())
	}
	if s.cfg.UnknownFields {
		e["firmwareBuild"] = "A.1"
	}
	if s.cfg.Hostile {
		e["model"] = str("model") + hostileText
		e["nickname"] = hostileText
	}
	return e
}

// pad adds the made-up devices of Variants.ExtraDevices, the same ones on every
// call for a profile, so that unlinking them is seen.
func (s *Server) pad(devices map[string]any, sub string) {
	if s.cfg.ExtraDevices == 0 {
		return
	}
	size := s.cfg.ExtraBytes
	if size == 0 {
		size = 256
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	gone := s.profiles[sub].padGone()
	rng := rand.New(rand.NewPCG(uint64(len(sub)), 7))
	for i := range s.cfg.ExtraDevices {
		key := base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "extra-%s-%07d", sub, i))
		if gone[key] {
			continue
		}
		note := make([]byte, size)
		for j := range note {
			note[j] = alnum[rng.IntN(len(alnum))]
		}
		devices[key] = map[string]any{"deviceType": "smartTV", "model": fmt.Sprintf("Panel %d", i), "os": "Tizen", "osVersion": "7.0",
			"lastSeen": int64(1623840000000 + i), "type": "sso", "note": string(note)}
	}
}
