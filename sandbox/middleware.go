package sandbox

import (
	"encoding/json"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
)

const (
	headerRequestID = "X-Request-Id"
	maxBodyBytes    = 64 << 10
	maxHeaderBytes  = 8 << 10
)

// recorder remembers the status a handler wrote, for the log line.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// frame gives every request its trace id, the checks that hold for every path (header
// size, body size, Accept), a recover that turns a panic into internal_error, and one
// log line. The log line holds no header value, body or query: only what routing saw.
func (s *Server) frame(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		trace := uuid.NewString()
		w.Header().Set(headerRequestID, trace)
		rec := &recorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("handler panic", "trace", trace, "method", r.Method, "path", logPath(r))
				if rec.status == 0 {
					writeError(rec, errInternal)
				}
			}
			s.log.Info("request",
				"trace", trace, "method", r.Method, "path", logPath(r),
				"status", rec.status, "latency", time.Since(start), "sp", r.PathValue("sp"))
		}()
		switch {
		case headerSize(r.Header) > maxHeaderBytes:
			writeError(rec, errHeadersTooLarge)
		case !acceptsJSON(r.Header.Values("Accept")) && !choosesOwnFormat(r.URL.Path):
			writeError(rec, errNotAcceptable)
		default:
			r.Body = http.MaxBytesReader(rec, r.Body, maxBodyBytes)
			next.ServeHTTP(rec, r)
		}
	})
}

func headerSize(h http.Header) int {
	n := 0
	for k, vs := range h {
		for _, v := range vs {
			n += len(k) + len(v) + 4 // ": " and CRLF
		}
	}
	return n
}

// acceptsJSON says whether the Accept headers (none means anything) allow
// application/json.
func acceptsJSON(values []string) bool {
	if len(values) == 0 {
		return true
	}
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			media, params, err := mime.ParseMediaType(part)
			if err != nil {
				continue
			}
			if q := strings.TrimSpace(params["q"]); q == "0" || q == "0.0" || q == "0.00" || q == "0.000" {
				continue
			}
			switch media {
			case "application/json", "application/*", "*/*":
				return true
			}
		}
	}
	return false
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body = []byte(`{"status":"INTERNAL_SERVER_ERROR","error":{"status":500,"code":"internal_error","message":"An internal error occurred","action":"none","helpUrl":"` + helpURL + `","trace":"` + w.Header().Get(headerRequestID) + `"}}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// internal logs err under the request's trace id and answers internal_error, so that
// no Go error text ever reaches the wire.
func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("internal error", "trace", w.Header().Get(headerRequestID), "method", r.Method, "path", r.URL.Path, "err", err)
	writeError(w, errInternal)
}
