package sandbox

import (
	"errors"
	"fmt"
	mathrand "math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/handoff-sso/handoff/sandbox/authn"
)

// Faults make the sandbox fail on purpose: a fault names a route as the spec writes
// it ("POST /api/{sp}/link") and answers a status in that API's own error shape,
// waits, or drops the connection — every time, the next N times, or at a rate.

// maxFaultDelay bounds --delay so that a typo cannot hang a client for hours.
const maxFaultDelay = 5 * time.Minute

// FaultSpec is what the admin API is asked to add.
type FaultSpec struct {
	Route  string  `json:"route"`            // "METHOD PATH", PATH with the spec's {wildcards}
	Status int     `json:"status,omitempty"` // 400..599; 0 with Drop or Delay
	Times  int     `json:"times,omitempty"`  // fail the next Times calls, then clear; 0: no count
	Rate   float64 `json:"rate,omitempty"`   // fail each call with this probability (0 < Rate ≤ 1); 0: every call
	Delay  string  `json:"delay,omitempty"`  // a Go duration to wait before answering (or dropping)
	Drop   bool    `json:"drop,omitempty"`   // close the connection without an answer
}

// fault is a FaultSpec made ready to match.
type fault struct {
	id       string
	spec     FaultSpec
	method   string   // "" matches any method
	segments []string // the path split on "/", wildcards as "{}"
	delay    time.Duration
	left     int // calls left to fail when spec.Times > 0
	fired    int
}

// faultView is how the admin API shows a fault.
type faultView struct {
	ID string `json:"id"`
	FaultSpec
	Remaining *int `json:"remaining,omitempty"` // calls left to fail, with times
	Fired     int  `json:"fired"`               // calls failed so far
}

func (f *fault) view() faultView {
	v := faultView{ID: f.id, FaultSpec: f.spec, Fired: f.fired}
	if f.spec.Times > 0 {
		left := f.left
		v.Remaining = &left
	}
	return v
}

// parseFault checks a spec against the routes the sandbox documents, and says what
// is wrong in words a tester can act on.
func parseFault(spec FaultSpec) (*fault, error) {
	method, path, ok := strings.Cut(strings.TrimSpace(spec.Route), " ")
	if !ok {
		method, path = "", strings.TrimSpace(spec.Route)
	}
	method, path = strings.ToUpper(method), strings.TrimSpace(path)
	f := &fault{spec: spec, method: method, segments: routeSegments(path), left: spec.Times}
	f.spec.Route = strings.TrimSpace(method + " " + path)
	switch {
	case !strings.HasPrefix(path, "/"):
		return nil, errors.New(`route must be "METHOD PATH" with PATH as in the spec, e.g. "POST /api/{sp}/link"`)
	case strings.HasPrefix(path, adminPrefix):
		return nil, errors.New("the admin API cannot be faulted (it is how faults are cleared)")
	case !documentedRoute(method, f.segments):
		return nil, fmt.Errorf("the sandbox serves no route %q; GET /sandbox/openapi.json lists them (e.g. POST /api/{sp}/link)", f.spec.Route)
	case spec.Status != 0 && (spec.Status < 400 || spec.Status > 599):
		return nil, fmt.Errorf("status must be an error status, 400 to 599 (got %d)", spec.Status)
	case spec.Status != 0 && spec.Drop:
		return nil, errors.New("choose either a status or drop: a dropped connection has no status")
	case spec.Times < 0:
		return nil, fmt.Errorf("times must be positive (got %d)", spec.Times)
	case spec.Times > 0 && spec.Rate != 0:
		return nil, errors.New("choose either times or rate, not both")
	case spec.Rate < 0 || spec.Rate > 1:
		return nil, fmt.Errorf("rate must be a probability above 0 and at most 1 (got %g)", spec.Rate)
	}
	if spec.Delay != "" {
		d, err := time.ParseDuration(spec.Delay)
		if err != nil || d < 0 || d > maxFaultDelay {
			return nil, fmt.Errorf("delay must be a Go duration from 0 to %s, such as 500ms or 2s (got %q)", maxFaultDelay, spec.Delay)
		}
		f.delay = d
	}
	if spec.Status == 0 && !spec.Drop && f.delay == 0 {
		return nil, errors.New("a fault needs a status, a delay or drop")
	}
	return f, nil
}

// routeSegments splits a path; every {wildcard} becomes "{}", whatever its name, so
// that "/api/{provider}/link" is the spec's "/api/{sp}/link".
func routeSegments(path string) []string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			segs[i] = "{}"
		}
	}
	return segs
}

// matches says whether a request is on the fault's route: a wildcard takes one
// non-empty segment, as in the sandbox's ServeMux; GET takes HEAD too.
func (f *fault) matches(method, path string) bool {
	if f.method != "" && f.method != method && !(f.method == http.MethodGet && method == http.MethodHead) {
		return false
	}
	segs := strings.Split(path, "/")
	if len(segs) != len(f.segments) {
		return false
	}
	for i, s := range f.segments {
		if s == "{}" && segs[i] != "" || s == segs[i] {
			continue
		}
		return false
	}
	return true
}

// faultSet is the live faults, in the order they were added: the first that matches
// and fires answers.
type faultSet struct {
	mu     sync.Mutex
	armed  atomic.Int32 // len(faults), so that a request checks for none without the lock
	faults []*fault
	next   int
	draw   *mathrand.Rand // for rates; seeded with --seed
}

func newFaultSet(seed *uint64) *faultSet {
	var k [32]byte
	if seed != nil {
		k = seedKey(*seed, 1)
	} else {
		k = [32]byte(newSecret())
	}
	return &faultSet{draw: mathrand.New(mathrand.NewChaCha8(k))}
}

func (fs *faultSet) add(f *fault) faultView {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.next++
	f.id = "f" + strconv.Itoa(fs.next)
	fs.faults = append(fs.faults, f)
	fs.armed.Store(int32(len(fs.faults)))
	return f.view()
}

func (fs *faultSet) list() []faultView {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	out := make([]faultView, 0, len(fs.faults))
	for _, f := range fs.faults {
		out = append(out, f.view())
	}
	return out
}

// clear drops every fault and says how many there were.
func (fs *faultSet) clear() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	n := len(fs.faults)
	fs.faults = nil
	fs.armed.Store(int32(len(fs.faults)))
	return n
}

// remove drops one fault by id.
func (fs *faultSet) remove(id string) (faultView, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.faults {
		if f.id == id {
			fs.faults = slices.Delete(fs.faults, i, i+1)
			fs.armed.Store(int32(len(fs.faults)))
			return f.view(), true
		}
	}
	return faultView{}, false
}

// take decides whether a request fails: the first matching fault that fires counts
// the call (and goes once its times are spent) and is returned.
func (fs *faultSet) take(method, path string) (fault, bool) {
	if fs.armed.Load() == 0 {
		return fault{}, false
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, f := range fs.faults {
		if !f.matches(method, path) {
			continue
		}
		if f.spec.Rate > 0 && fs.draw.Float64() >= f.spec.Rate {
			continue
		}
		f.fired++
		if f.spec.Times > 0 {
			f.left--
			if f.left == 0 {
				fs.faults = slices.Delete(fs.faults, i, i+1)
				fs.armed.Store(int32(len(fs.faults)))
			}
		}
		return *f, true
	}
	return fault{}, false
}

func (fs *faultSet) count() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return len(fs.faults)
}

// withFaults applies the live faults before routing. The admin API is never faulted.
func (s *Server) withFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, adminPrefix) {
			next.ServeHTTP(w, r)
			return
		}
		f, ok := s.faults.take(r.Method, r.URL.Path)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		s.log.Info("fault", "trace", w.Header().Get(headerRequestID), "fault", f.id, "route", f.spec.Route)
		if f.delay > 0 {
			t := time.NewTimer(f.delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		switch {
		case f.spec.Drop:
			drop(w)
		case f.spec.Status != 0:
			w.Header().Set("X-Sandbox-Fault", f.id)
			writeFault(w, r, f.spec.Status)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// drop closes the connection under the request without an answer.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // a connection that cannot be taken over is aborted
	}
	_ = conn.Close()
}

// Unwrap lets http.ResponseController reach the connection under the frame's recorder
// (for a dropped fault).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// faultMessage says, in every shape, that the failure was asked for.
const faultMessage = "The sandbox was told to fail this call (a fault added with its admin API)"

// faultError is the catalogue entry a faulted status answers with.
func faultError(status int) *apiError {
	code, action := snakeStatus(status), actionNone
	switch status {
	case http.StatusBadRequest:
		code = "request_invalid"
	case http.StatusUnauthorized:
		action = actionGetNewToken
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		action = actionRetry
	case http.StatusInternalServerError:
		code = "internal_error"
	}
	e := newError(status, code, faultMessage, action)
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		e = e.with("Retry-After", "1")
	}
	return e
}

// snakeStatus is the HTTP reason in lower snake case (503: service_unavailable), or
// "error" for a status without one.
func snakeStatus(status int) string {
	var b strings.Builder
	for _, r := range strings.ToLower(http.StatusText(status)) {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r == ' ' || r == '-':
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "error"
	}
	return b.String()
}

// oauthFaultCode is the RFC 6749 name of a status, for the DCR endpoints.
func oauthFaultCode(status int) string {
	switch {
	case status == http.StatusUnauthorized:
		return "invalid_client"
	case status == http.StatusServiceUnavailable:
		return "temporarily_unavailable"
	case status >= 500:
		return "server_error"
	}
	return "invalid_request"
}

// writeFault answers status in the error shape of the API the request is on.
func writeFault(w http.ResponseWriter, r *http.Request, status int) {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/o/client/"):
		writeOAuthError(w, newOAuthError(status, oauthFaultCode(status), faultMessage))
	case isV2Path(p):
		e := faultError(status)
		if status == http.StatusUnauthorized {
			e.code = codeV2AccessToken // what REST v2 calls a refused caller
		}
		writeV2Error(w, e)
	case slices.Contains(v1AuthnPaths, p) || isRegcodePath(p):
		f := authn.SelectFormat(p, r.URL.Query().Get("format"), r.Header.Get("Accept"))
		writeV1Error(w, f, faultError(status))
	case p == "/sandbox/link", p == "/sandbox/phone", (p == activationPath || strings.HasPrefix(p, "/sandbox/mvpd-login/")) && !isJSON(r):
		http.Error(w, faultMessage+" (HTTP "+strconv.Itoa(status)+").", status)
	default:
		writeError(w, faultError(status))
	}
}
