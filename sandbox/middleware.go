package sandbox

import (
	"context"
	"encoding/json"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/handoff-sso/handoff/sandbox/authn"
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

// frameState is what frame allocates for a request, in one piece rather than two.
type frameState struct {
	rec         recorder
	traceHeader [1]string // X-Request-Id's values
}

// frame gives every request its trace id, the checks that hold for every path (header
// size, body size, Accept), a recover that turns a panic into internal_error, and one
// log line. The log line holds no header value, body or query: only what routing saw.
func (s *Server) frame(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		trace := newTraceID()
		st := &frameState{rec: recorder{ResponseWriter: w}, traceHeader: [1]string{trace}}
		w.Header()[headerRequestID] = st.traceHeader[:] // canonical already
		rec := &st.rec
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("handler panic", "trace", trace, "method", r.Method, "path", logPath(r))
				if rec.status == 0 {
					refusalFor(r)(rec, errInternal)
				}
			}
			s.logRequest(r, trace, rec.status, start)
		}()
		switch {
		case headerSize(r.Header) > maxHeaderBytes:
			refusalFor(r)(rec, errHeadersTooLarge)
		case !acceptable(r):
			refusalFor(r)(rec, errNotAcceptable)
		default:
			if r.Body != http.NoBody { // net/http's body of a request without one
				r.Body = http.MaxBytesReader(rec, r.Body, maxBodyBytes)
			}
			next.ServeHTTP(rec, r)
		}
	})
}

// logRequest writes the request's line. It goes to the handler itself, as a record
// without a source position: Logger.Info would box every value in an any and walk the
// stack for a position no handler here prints, on every request.
func (s *Server) logRequest(r *http.Request, trace string, status int, start time.Time) {
	h, ctx := s.log.Handler(), context.Background()
	if !h.Enabled(ctx, slog.LevelInfo) {
		return
	}
	now := time.Now()
	line := RequestLine{At: now, Trace: trace, Method: r.Method, Path: logPath(r), Status: status, Latency: now.Sub(start), SP: r.PathValue("sp")}
	// As Logger.Info, a sink that fails loses the line, not the answer.
	if lh, ok := h.(RequestLineHandler); ok {
		_ = lh.HandleRequestLine(line)
		return
	}
	_ = h.Handle(ctx, line.Record())
}

// RequestLine is what the log says of one request: only what routing saw.
type RequestLine struct {
	At               time.Time
	Trace            string
	Method, Path, SP string
	Status           int
	Latency          time.Duration
}

// Record is the line as the slog record a handler is given.
func (l RequestLine) Record() slog.Record {
	rec := slog.NewRecord(l.At, slog.LevelInfo, "request", 0)
	rec.AddAttrs(slog.String("trace", l.Trace), slog.String("method", l.Method), slog.String("path", l.Path),
		slog.Int("status", l.Status), slog.Duration("latency", l.Latency), slog.String("sp", l.SP))
	return rec
}

// RequestLineHandler is what Config.Logger's handler may also be, to be given each
// request's line as its values rather than as a record: a record allocates its
// attributes past the fifth, and reading them back costs as much again. The handler
// writes what it would write for line.Record().
type RequestLineHandler interface {
	HandleRequestLine(line RequestLine) error
}

// refusalFor is how the frame refuses a request on r's path: each API in its own error
// shape (the flat v2 object, the v1 small shape in the format asked for), everything
// else in the SSO envelope.
func refusalFor(r *http.Request) func(http.ResponseWriter, *apiError) {
	switch {
	case isV2Path(r.URL.Path):
		return writeV2Error
	case slices.Contains(v1AuthnPaths, r.URL.Path) || isRegcodePath(r.URL.Path):
		f := authn.SelectFormat(r.URL.Path, r.URL.Query().Get("format"), r.Header.Get("Accept"))
		return func(w http.ResponseWriter, e *apiError) { writeV1Error(w, f, e) }
	}
	return writeError
}

// isV2Path says whether path is under a REST v2 endpoint, /api/v2/{sp}/…, and not the
// SSO service of a provider named v2 (/api/v2/link).
func isV2Path(path string) bool {
	rest, ok := strings.CutPrefix(path, "/api/v2/")
	return ok && strings.Contains(rest, "/")
}

// acceptable says whether the request's Accept allows what the path answers: JSON or
// XML on the v1 call, JSON on every other API. The HTML pages answer any Accept.
func acceptable(r *http.Request) bool {
	accept := r.Header.Values("Accept")
	switch p := r.URL.Path; {
	case slices.Contains(v1AuthnPaths, p) || isRegcodePath(p):
		return authn.Acceptable(strings.Join(accept, ","))
	case p == "/sandbox/link" || p == "/sandbox/phone" || p == activationPath || strings.HasPrefix(p, "/sandbox/mvpd-login/"):
		return true
	}
	return acceptsJSON(accept)
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
	writeRawJSON(w, status, body)
}

var (
	contentTypeJSON = []string{"application/json"}
	cacheNoStore    = []string{"no-store"}
)

// writeRawJSON writes body, JSON already, with the headers of every JSON answer.
func writeRawJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	// Set by key, canonical already, from shared slices: net/http only reads them, and
	// an Add would copy (their capacity is their length).
	h["Content-Type"] = contentTypeJSON
	h["Cache-Control"] = cacheNoStore
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// internal logs err under the request's trace id and answers internal_error, so that
// no Go error text ever reaches the wire.
func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("internal error", "trace", w.Header().Get(headerRequestID), "method", r.Method, "path", logPath(r), "err", err)
	writeError(w, errInternal)
}
