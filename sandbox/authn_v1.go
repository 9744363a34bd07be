package sandbox

import (
	"net/http"
	"time"

	"github.com/handoff-sso/handoff/sandbox/authn"
)

// The legacy authentication token (§5, seed 004): GET /api/v1/tokens/authn, in JSON
// or XML, for a device known by its key alone. The deprecated deviceType, deviceUser
// and appId parameters are accepted and never read.

// v1Answer is what the v1 handler decided, written once the transaction is over.
type v1Answer struct {
	status int
	body   []byte
}

func (s *Server) handleAuthnV1(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	q := r.URL.Query()
	f := authn.SelectFormat(r.URL.Path, q.Get("format"), r.Header.Get("Accept"))
	requestor, deviceID := q.Get("requestor"), q.Get("deviceId")
	info := header(r, hdrDeviceInfo)
	if info == "" {
		info = q.Get("device_info")
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeV1(w, f, http.StatusMethodNotAllowed, authn.RenderError(f, authn.Error{Status: 405, Message: "This method is not allowed on this path: use GET"}))
		return
	}
	var ans v1Answer
	answer := func(status int, body []byte) error {
		ans = v1Answer{status, body}
		return nil
	}
	var seen []Device
	err := s.store.View(func(tx Tx) error {
		switch e, err := s.checkAccessToken(tx, r, now); {
		case err != nil:
			return err
		case e != nil:
			w.Header().Set("WWW-Authenticate", `Bearer realm="handoff sandbox"`)
			return answer(e.status, authn.RenderError(f, authn.Error{Status: e.status, Code: codeV2AccessToken, Message: e.message, Action: actionGetNewToken}))
		}
		switch {
		case requestor == "":
			return answer(400, authn.BadRequest(f, "The requestor parameter is required"))
		case s.checkServiceProvider(requestor) != nil:
			return answer(400, authn.BadRequest(f, "The requestor parameter must name a service provider this sandbox serves"))
		case deviceID == "":
			return answer(400, authn.BadRequest(f, "The deviceId parameter is required"))
		case info == "":
			return answer(400, authn.BadRequest(f, "X-Device-Info (or the device_info parameter) is required"))
		}
		if _, err := parseDeviceInfo(info); err != nil {
			return answer(400, authn.BadRequest(f, "X-Device-Info must be the Base64 of a JSON object"))
		}
		a, found, err := s.deviceAuthentication(tx, requestor, deviceID, now, &seen)
		switch {
		case err != nil:
			return err
		case !found:
			return answer(404, authn.NotFound(f))
		case !now.Before(a.NotAfter):
			return answer(410, authn.Expired(f))
		}
		return answer(200, authn.Render(f, authn.Authentication{Requestor: requestor, MVPD: a.MVPD, UserID: a.UserID, Expires: a.NotAfter}))
	})
	if err != nil {
		s.log.Error("internal error", "trace", w.Header().Get(headerRequestID), "method", r.Method, "path", logPath(r), "err", err)
		ans = v1Answer{500, authn.RenderError(f, authn.Error{Status: 500, Code: "internal_error", Message: "An internal error occurred"})}
	}
	for i := range seen {
		s.markSeen(&seen[i], now)
	}
	writeV1(w, f, ans.status, ans.body)
}

// writeV1Error writes an error of the catalogue in the v1 small shape.
func writeV1Error(w http.ResponseWriter, f authn.Format, e *apiError) {
	for k, v := range e.headers {
		w.Header().Set(k, v)
	}
	writeV1(w, f, e.status, authn.RenderError(f, authn.Error{Status: e.status, Message: e.message}))
}

func writeV1(w http.ResponseWriter, f authn.Format, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", f.ContentType())
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// deviceAuthentication is the authentication a device sees under service provider
// sp: across the profiles of sp it is linked to, the one that lasts longest. A device
// linked to none (never joined, or unlinked) has none; each linked device whose
// lastSeen is stale joins seen, for the caller to mark after the read.
func (s *Server) deviceAuthentication(tx Tx, sp, key string, now time.Time, seen *[]Device) (MVPDAuth, bool, error) {
	memberships, err := tx.DevicesByKey(key)
	if err != nil {
		return MVPDAuth{}, false, err
	}
	var best MVPDAuth
	found := false
	for _, d := range memberships {
		if serviceProviderOf(d.ProfileID) != sp {
			continue
		}
		if stale(d, now) {
			*seen = append(*seen, d)
		}
		auths, err := tx.MVPDAuths(d.ProfileID)
		if err != nil {
			return MVPDAuth{}, false, err
		}
		for _, a := range auths {
			if !found || a.NotAfter.After(best.NotAfter) {
				best, found = a, true
			}
		}
	}
	return best, found, nil
}
