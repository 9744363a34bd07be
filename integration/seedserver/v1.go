package seedserver

import (
	"encoding/xml"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// authn is the legacy v1 authentication token (seed 004). suffix is the format the
// path names ("" at the seed's own path: format= then Accept decide, XML when
// nothing says).
func (s *Server) authn(suffix string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		format := suffix
		if format == "" {
			format = v1Format(r)
		}
		q := r.URL.Query()
		requestor, key := q.Get("requestor"), q.Get("deviceId")
		if !s.bearerValid(r) {
			s.v1Error(w, format, 401, "Unauthorized")
			return
		}
		if requestor == "" || key == "" {
			s.v1Error(w, format, 400, "Missing requestor or deviceId")
			return
		}
		s.mu.Lock()
		var a *mvpdAuthn
		if m, ok := s.devices[key]; ok && !m.unlinked {
			a = s.profiles[m.profile].mvpd
		}
		s.mu.Unlock()
		switch {
		case a == nil:
			s.v1Error(w, format, 404, "Not Found")
			return
		case !s.now().Before(a.notAfter):
			s.v1Error(w, format, 410, "Authentication token expired")
			return
		}
		expires := strconv.FormatInt(a.notAfter.UnixMilli(), 10)
		if format == "json" {
			s.writeJSON(w, 200, map[string]any{"requestor": requestor, "mvpd": a.mvpd, "userId": a.userID, "expires": expires})
			return
		}
		type authentication struct {
			XMLName   xml.Name `xml:"authentication"`
			Expires   string   `xml:"expires"`
			UserID    string   `xml:"userId"`
			MVPD      string   `xml:"mvpd"`
			Requestor string   `xml:"requestor"`
		}
		writeXML(w, 200, authentication{Expires: expires, UserID: a.userID, MVPD: a.mvpd, Requestor: requestor})
	}
}

// v1Format: a format= parameter, else the first of JSON or XML the Accept header
// names, else XML (seed 004).
func v1Format(r *http.Request) string {
	if f := r.URL.Query().Get("format"); f == "json" || f == "xml" {
		return f
	}
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, _ := mime.ParseMediaType(strings.TrimSpace(part))
		switch mt {
		case "application/json":
			return "json"
		case "application/xml", "text/xml":
			return "xml"
		}
	}
	return "xml"
}

func (s *Server) v1Error(w http.ResponseWriter, format string, status int, message string) {
	s.mu.Lock()
	s.refused++
	s.mu.Unlock()
	if format == "json" {
		s.writeJSON(w, status, map[string]any{"status": status, "message": message})
		return
	}
	type errorBody struct {
		XMLName xml.Name `xml:"error"`
		Status  int      `xml:"status"`
		Message string   `xml:"message"`
	}
	writeXML(w, status, errorBody{Status: status, Message: message})
}

func writeXML(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(v)
}
