package sandbox

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/sandbox/authn"
)

// The legacy v1 registration code (POST /reggie/v1/{requestor}/regcode): the TV asks
// for a code and shows it; once a second screen has activated it and signed in, seed
// 004's GET /api/v1/tokens/authn for the TV's deviceId answers 200 instead of 404.

// maxRegcodeTTL is the documented ceiling of the ttl parameter (36000 s); above it
// the call is a 400.
const maxRegcodeTTL = 10 * time.Hour

// regcodePrefix starts every regcode path; the requestor and "regcode" (with an
// optional format suffix) follow.
const regcodePrefix = "/reggie/v1/"

// regcodePaths are the regcode call's routes: the format from the query or Accept, or
// from the suffix.
var regcodePaths = []string{regcodePrefix + "{requestor}/regcode", regcodePrefix + "{requestor}/regcode.json", regcodePrefix + "{requestor}/regcode.xml"}

// isRegcodePath says whether path is the regcode call, so that the frame refuses it in
// the v1 shape.
func isRegcodePath(path string) bool {
	rest, ok := strings.CutPrefix(path, regcodePrefix)
	if !ok {
		return false
	}
	_, last, ok := strings.Cut(rest, "/")
	return ok && (last == "regcode" || last == "regcode.json" || last == "regcode.xml")
}

func v1Format(r *http.Request) authn.Format {
	return authn.SelectFormat(r.URL.Path, r.FormValue("format"), r.Header.Get("Accept"))
}

// regcodeParam reads a parameter from the query or the form body, as v1 clients send
// either.
func regcodeParam(r *http.Request, name string) string {
	return strings.TrimSpace(r.FormValue(name))
}

func (s *Server) handleRegcode(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	if r.Method != http.MethodPost {
		f := authn.SelectFormat(r.URL.Path, r.URL.Query().Get("format"), r.Header.Get("Accept"))
		w.Header().Set("Allow", "POST")
		writeV1(w, f, http.StatusMethodNotAllowed, authn.RenderError(f, authn.Error{Status: 405, Message: "This method is not allowed on this path: use POST"}))
		return
	}
	formErr := r.ParseForm()
	f := v1Format(r)
	requestor := r.PathValue("requestor")
	deviceID, mvpdID, ttlParam := regcodeParam(r, "deviceId"), regcodeParam(r, "mvpd"), regcodeParam(r, "ttl")
	infoRaw := header(r, hdrDeviceInfo)
	if infoRaw == "" {
		infoRaw = regcodeParam(r, "device_info")
	}
	var ans v1Answer
	answer := func(status int, body []byte) error {
		ans = v1Answer{status, body}
		return nil
	}
	err := s.store.Update(func(tx Tx) error {
		switch e, err := s.checkAccessToken(tx, r, now); {
		case err != nil:
			return err
		case e != nil:
			w.Header().Set("WWW-Authenticate", `Bearer realm="handoff sandbox"`)
			return answer(e.status, authn.RenderError(f, authn.Error{Status: e.status, Code: codeV2AccessToken, Message: e.message, Action: e.action}))
		}
		ttl := activationTTL
		switch {
		case formErr != nil:
			var mbe *http.MaxBytesError
			if errors.As(formErr, &mbe) {
				return answer(http.StatusRequestEntityTooLarge, authn.RenderError(f, authn.Error{Status: 413, Message: "The request body is too large"}))
			}
			return answer(400, authn.BadRequest(f, "The parameters could not be read: send them in the query or as a form body"))
		case s.checkServiceProvider(requestor) != nil:
			return answer(400, authn.BadRequest(f, "The requestor in the path must name a service provider this sandbox serves"))
		case deviceID == "" || len(deviceID) > maxDeviceKey:
			return answer(400, authn.BadRequest(f, "The deviceId parameter is required (at most 512 characters)"))
		case infoRaw == "":
			return answer(400, authn.BadRequest(f, "X-Device-Info (or the device_info parameter) is required"))
		case ttlParam != "":
			secs, err := strconv.Atoi(ttlParam)
			if err != nil || secs < 1 || time.Duration(secs)*time.Second > maxRegcodeTTL {
				return answer(400, authn.BadRequest(f, "ttl must be a whole number of seconds from 1 to 36000"))
			}
			ttl = time.Duration(secs) * time.Second
		}
		info, err := parseDeviceInfo(infoRaw)
		if err != nil {
			return answer(400, authn.BadRequest(f, "X-Device-Info must be the Base64 of a JSON object"))
		}
		if mvpdID != "" {
			m, ok := assets.LookupMVPD(mvpdID)
			if !ok {
				return answer(400, authn.BadRequest(f, "This sandbox does not know that TV provider; it knows "+assets.MVPDIDs()))
			}
			mvpdID = m.ID
		}
		c := ActivationCode{Kind: ActivationRegcode, ID: s.newID(), ServiceProvider: requestor, DeviceKey: deviceID,
			MVPD: mvpdID, NotBefore: now, NotAfter: now.Add(ttl)}.withAttributes(info.merge(fromUserAgent(header(r, hdrUserAgent))))
		code, c, err := s.newActivation(tx, c)
		if err != nil {
			return err
		}
		return answer(http.StatusCreated, authn.RenderRegcode(f, authn.Regcode{
			ID: c.ID, Code: code, Requestor: requestor, MVPD: c.MVPD, Generated: c.NotBefore, Expires: c.NotAfter,
			DeviceID: deviceID, DeviceType: c.HardwareType, RegistrationURL: activationPath,
		}))
	})
	if err != nil {
		s.log.Error("internal error", "trace", w.Header().Get(headerRequestID), "method", r.Method, "path", logPath(r), "err", err)
		ans = v1Answer{500, authn.RenderError(f, authn.Error{Status: 500, Code: "internal_error", Message: "An internal error occurred"})}
	}
	writeV1(w, f, ans.status, ans.body)
}
