package sandbox

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/handoff-sso/handoff/assets"
)

// REST v2's basic authentication flow performed within a secondary application: POST
// sessions from a TV that holds no service token answers with a code and the
// activation page; the TV polls GET profiles/code/{code} until the second screen has
// signed in.

// readCodeSessionForm reads the form of a basic-flow POST sessions: mvpd is optional
// here (the person picks it on the second screen); domainName and redirectUrl are
// accepted and unused.
func readCodeSessionForm(r *http.Request) (string, *apiError) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return "", errBadSessionsForm
	}
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", errBodyTooLarge
		}
		return "", errBadSessionsForm
	}
	id := strings.TrimSpace(r.PostForm.Get("mvpd"))
	if id == "" {
		return "", nil
	}
	m, ok := assets.LookupMVPD(id)
	if !ok {
		return "", errUnknownMVPD
	}
	return m.ID, nil
}

// activationURL is the activation page with the code filled in, from the server's
// root like every url the sandbox answers.
func activationURL(code string) string {
	return activationPath + "?" + url.Values{"code": {code}}.Encode()
}

// handleCreateCodeSession is POST sessions without AD-Service-Token: the TV is known
// by its AP-Device-Identifier alone.
func (s *Server) handleCreateCodeSession(w http.ResponseWriter, r *http.Request) {
	now, sp := s.now(), r.PathValue("sp")
	deviceKey, devErr := parseDeviceIdentifier(header(r, hdrDeviceID))
	info, infoErr := parseDeviceInfo(header(r, hdrDeviceInfo))
	mvpd, formErr := readCodeSessionForm(r)
	c := ActivationCode{Kind: ActivationSession, ID: s.newID(), ServiceProvider: sp, DeviceKey: deviceKey, MVPD: mvpd,
		NotBefore: now, NotAfter: now.Add(activationTTL)}.withAttributes(info.merge(fromUserAgent(header(r, hdrUserAgent))))
	var code string
	ok := s.transactAs(w, r, now, writeV2Error, func(tx Tx) error {
		switch {
		case errors.Is(devErr, errDeviceIDMissing):
			return refusal{errNoTVDeviceID}
		case devErr != nil:
			return refusal{errBadDeviceID}
		case infoErr != nil:
			return refusal{errBadDeviceInfo}
		case formErr != nil:
			return refusal{formErr}
		}
		var err error
		code, c, err = s.newActivation(tx, c)
		return err
	})
	if ok {
		writeJSON(w, http.StatusCreated, sessionBody{
			ActionName: "authenticate", ActionType: "interactive", URL: activationURL(code),
			Code: code, SessionID: c.ID, MVPD: c.MVPD, ServiceProvider: sp,
			NotBefore: c.NotBefore.UnixMilli(), NotAfter: c.NotAfter.UnixMilli(),
		})
	}
}

// handleProfileByCode is GET profiles/code/{code}: {"profiles":{}} while the second
// screen has not signed in, the TV's profile once it has. The code, not a service
// token, is the credential; it answers for the code's whole life, so that a poll whose
// answer was lost can ask again.
func (s *Server) handleProfileByCode(w http.ResponseWriter, r *http.Request) {
	now, sp := s.now(), r.PathValue("sp")
	out := profilesBody{Profiles: map[string]profileEntry{}}
	ok := s.transactIn(s.store.View, w, r, now, writeV2Error, func(tx Tx) error {
		c, live, err := s.liveActivation(tx, r.PathValue("code"), now)
		if err != nil {
			return err
		}
		if !live || c.ServiceProvider != sp {
			return refusal{errActivationGone}
		}
		a, done, err := activationAuth(tx, c)
		if err != nil || !done || !now.Before(a.NotAfter) {
			return err
		}
		out.Profiles[a.MVPD] = profileEntry{
			NotBefore: a.NotBefore.UnixMilli(), NotAfter: a.NotAfter.UnixMilli(), Issuer: a.MVPD, Type: profileRegular,
			Attributes: map[string]profileAttribute{"userID": {Value: a.UserID, State: "plain"}},
		}
		return nil
	})
	if ok {
		writeJSON(w, http.StatusOK, out)
	}
}
