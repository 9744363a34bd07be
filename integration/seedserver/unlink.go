package seedserver

import (
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"strings"
)

func (s *Server) unlink(w http.ResponseWriter, r *http.Request) {
	c, ok := s.checkToken(w, r, 401, 0)
	if !ok {
		return
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		s.ssoError(w, r, 400, "request_invalid", "Content-Type must be application/json", "check_request_body")
		return
	}
	var body *struct {
		Devices []string `json:"devices"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		s.ssoError(w, r, 400, "request_invalid", "The request body is not valid JSON", "check_request_body")
		return
	}
	if body == nil {
		s.ssoError(w, r, 400, "request_null", "The request object cannot be null", "none")
		return
	}
	if len(body.Devices) == 0 {
		s.ssoError(w, r, 400, "request_invalid", "Devices list cannot be null or empty", "check_request_body")
		return
	}
	unlinked := []string{}
	s.mu.Lock()
	for _, k := range body.Devices {
		if m, ok := s.devices[k]; ok && m.profile == c.sub && !m.unlinked {
			m.unlinked = true
			unlinked = append(unlinked, k)
			continue
		}
		if raw, err := base64.StdEncoding.DecodeString(k); err == nil && strings.HasPrefix(string(raw), "extra-"+c.sub+"-") {
			if gone := s.profiles[c.sub].padGone(); !gone[k] {
				gone[k] = true
				unlinked = append(unlinked, k)
			}
		}
	}
	s.mu.Unlock()
	s.writeJSON(w, 200, map[string]any{"status": "OK", "unlinkedDevices": unlinked})
}
