package sandbox

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"time"
)

// The admin API (/sandbox/admin/…) makes the sandbox a test instrument: its clock,
// its faults, its state. It takes a bearer admin token, and only from loopback unless
// the sandbox serves the LAN (Config.AdminRemote). Its errors are in the SSO envelope.

const adminPrefix = "/sandbox/admin/"

// maxClockShift bounds clock set and advance: far enough for any expiry (30-day MVPD
// authentications, a year of key rotation), short of time.Duration's 292 years.
const maxClockShift = 100 * 365 * 24 * time.Hour

var (
	errAdminRemote   = newError(403, "forbidden", "The admin API answers only on loopback; run the command on the sandbox's machine (or start it with --lan)", actionNone)
	errAdminNoToken  = newError(401, "unauthorized", "The admin API needs its token: send Authorization: Bearer <admin token> (handoff serve prints it; HANDOFF_ADMIN_TOKEN for the CLI)", actionCheckHeaders)
	errAdminBadToken = newError(401, "unauthorized", "The admin token is wrong; use the one this sandbox printed on start", actionCheckHeaders)
	errAdminBody     = newError(400, "request_invalid", "The body must be a JSON object of the documented shape (GET /sandbox/openapi.json)", actionCheckRequestBody)
	errAdminDuration = newError(400, "request_invalid", `"by" must be a positive Go duration of at most 100 years, such as 90s, 10m or 36h`, actionCheckRequestBody)
	errAdminTooFar   = newError(400, "request_invalid", "The clock would be more than 100 years ahead; advance it by less, or reset it first (POST /sandbox/admin/clock/reset)", actionCheckRequestBody)
	errAdminTime     = newError(400, "request_invalid", `"time" must be an RFC 3339 time within 100 years of now, such as 2027-01-01T12:00:00Z`, actionCheckRequestBody)
	errNoSuchFault   = newError(404, "not_found", "There is no fault with that id; GET /sandbox/admin/faults lists them", actionNone)
	errStoreNoAdmin  = newError(501, "not_implemented", "This sandbox's store cannot count or reset its records", actionNone)
)

// adminToken is the configured token, or 256 random bits.
func adminToken(configured string) string {
	if configured != "" {
		return configured
	}
	return base64.RawURLEncoding.EncodeToString(newSecret())
}

// AdminToken is the bearer token of the admin API, for `handoff serve` to print and
// keep for the local CLI.
func (s *Server) AdminToken() string { return s.admin }

func (s *Server) routeAdmin(route func(string, map[string]http.HandlerFunc)) {
	route(adminPrefix+"clock", map[string]http.HandlerFunc{http.MethodGet: s.adminOnly(s.handleClock)})
	route(adminPrefix+"clock/advance", map[string]http.HandlerFunc{http.MethodPost: s.adminOnly(s.handleClockAdvance)})
	route(adminPrefix+"clock/set", map[string]http.HandlerFunc{http.MethodPost: s.adminOnly(s.handleClockSet)})
	route(adminPrefix+"clock/reset", map[string]http.HandlerFunc{http.MethodPost: s.adminOnly(s.handleClockReset)})
	route(adminPrefix+"faults", map[string]http.HandlerFunc{
		http.MethodGet:    s.adminOnly(s.handleFaults),
		http.MethodPost:   s.adminOnly(s.handleAddFault),
		http.MethodDelete: s.adminOnly(s.handleClearFaults),
	})
	route(adminPrefix+"faults/{id}", map[string]http.HandlerFunc{http.MethodDelete: s.adminOnly(s.handleRemoveFault)})
	route(adminPrefix+"state", map[string]http.HandlerFunc{http.MethodGet: s.adminOnly(s.handleState)})
	route(adminPrefix+"reset", map[string]http.HandlerFunc{http.MethodPost: s.adminOnly(s.handleReset)})
}

// adminOnly lets through a loopback caller (any caller with AdminRemote) that holds
// the admin token.
func (s *Server) adminOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if e := s.checkAdmin(r); e != nil {
			if e != errAdminRemote {
				w.Header().Set("WWW-Authenticate", `Bearer realm="handoff sandbox admin"`)
			}
			writeError(w, e)
			return
		}
		h(w, r)
	}
}

// checkAdmin refuses a caller beyond loopback first, so that the token is not even
// tried from the network.
func (s *Server) checkAdmin(r *http.Request) *apiError {
	if !s.cfg.AdminRemote && !loopbackCaller(r.RemoteAddr) {
		return errAdminRemote
	}
	tok := bearer(r)
	switch {
	case tok == "":
		return errAdminNoToken
	case subtle.ConstantTimeCompare([]byte(tok), []byte(s.admin)) != 1:
		return errAdminBadToken
	}
	return nil
}

// loopbackCaller says whether a RemoteAddr ("127.0.0.1:5555", "[::1]:5555") is on
// loopback; anything unparsable is not.
func loopbackCaller(remoteAddr string) bool {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return false
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}

type clockBody struct {
	Now          string `json:"now"`          // RFC 3339, nanoseconds
	NowMillis    int64  `json:"nowMillis"`    // the same, as the wire's timestamps
	Offset       string `json:"offset"`       // Go duration from the real clock: "0s", "1h30m0s", "-2h0m0s"
	OffsetMillis int64  `json:"offsetMillis"` // the same in milliseconds
	Shifted      bool   `json:"shifted"`
}

func (s *Server) clockReading() clockBody {
	now, off := s.clock.reading()
	return clockBody{Now: now.UTC().Format(time.RFC3339Nano), NowMillis: now.UnixMilli(),
		Offset: off.String(), OffsetMillis: off.Milliseconds(), Shifted: off != 0}
}

func (s *Server) handleClock(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.clockReading())
}

func (s *Server) handleClockAdvance(w http.ResponseWriter, r *http.Request) {
	var req struct {
		By string `json:"by"`
	}
	if e := readAdminBody(r, &req); e != nil {
		writeError(w, e)
		return
	}
	d, err := time.ParseDuration(req.By)
	if err != nil || d <= 0 || d > maxClockShift {
		writeError(w, errAdminDuration)
		return
	}
	switch err := s.clock.advance(d); {
	case errors.Is(err, errShiftTooFar):
		writeError(w, errAdminTooFar)
		return
	case err != nil:
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.clockReading())
}

func (s *Server) handleClockSet(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Time string `json:"time"`
	}
	if e := readAdminBody(r, &req); e != nil {
		writeError(w, e)
		return
	}
	t, err := time.Parse(time.RFC3339Nano, req.Time)
	if err != nil || t.Sub(s.clock.base()).Abs() > maxClockShift {
		writeError(w, errAdminTime)
		return
	}
	if err := s.clock.set(t); err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.clockReading())
}

func (s *Server) handleClockReset(w http.ResponseWriter, r *http.Request) {
	if err := s.clock.reset(); err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.clockReading())
}

type faultsBody struct {
	Faults []faultView `json:"faults"`
}

func (s *Server) handleFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, faultsBody{Faults: s.faults.list()})
}

func (s *Server) handleAddFault(w http.ResponseWriter, r *http.Request) {
	var spec FaultSpec
	if e := readAdminBody(r, &spec); e != nil {
		writeError(w, e)
		return
	}
	f, err := parseFault(spec)
	if err != nil {
		writeError(w, newError(400, "request_invalid", err.Error(), actionCheckRequestBody))
		return
	}
	writeJSON(w, http.StatusCreated, s.faults.add(f))
}

func (s *Server) handleClearFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]int{"cleared": s.faults.clear()})
}

func (s *Server) handleRemoveFault(w http.ResponseWriter, r *http.Request) {
	f, ok := s.faults.remove(r.PathValue("id"))
	if !ok {
		writeError(w, errNoSuchFault)
		return
	}
	writeJSON(w, http.StatusOK, f)
}

// stateBody is what the sandbox holds, in counts: never a code, token or id.
type stateBody struct {
	StoreCounts
	Faults int       `json:"faults"`
	Seeded bool      `json:"seeded"`
	Clock  clockBody `json:"clock"`
	Data   string    `json:"data"` // the store file, or "memory"
}

func (s *Server) state() (stateBody, error) {
	st, ok := s.store.(adminStore)
	if !ok {
		return stateBody{}, errNoAdminStore
	}
	c, err := st.Counts(s.now())
	return stateBody{StoreCounts: c, Faults: s.faults.count(), Seeded: s.Seeded(), Clock: s.clockReading(), Data: s.store.Location()}, err
}

func (s *Server) writeState(w http.ResponseWriter, r *http.Request, status int) {
	body, err := s.state()
	switch {
	case err == errNoAdminStore:
		writeError(w, errStoreNoAdmin)
	case err != nil:
		s.internal(w, r, err)
	default:
		writeJSON(w, status, body)
	}
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request) {
	s.writeState(w, r, http.StatusOK)
}

// handleReset empties the store but for its keys (tokens signed before stay
// verifiable, and die on their devices being gone), and forgives the limiter.
func (s *Server) handleReset(w http.ResponseWriter, r *http.Request) {
	st, ok := s.store.(adminStore)
	if !ok {
		writeError(w, errStoreNoAdmin)
		return
	}
	if err := st.Reset(); err != nil {
		s.internal(w, r, err)
		return
	}
	s.limiter.reset()
	s.log.Info("admin reset: the store is empty but for its keys")
	s.writeState(w, r, http.StatusOK)
}

// readAdminBody decodes a JSON object; an empty body is an empty object.
func readAdminBody(r *http.Request, v any) *apiError {
	if r.ContentLength == 0 && r.Header.Get("Content-Type") == "" {
		return nil
	}
	if !isJSON(r) {
		return errBadContentType
	}
	if err := decodeJSON(r, v); err != nil {
		return errAdminBody
	}
	return nil
}
