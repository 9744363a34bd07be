package sandbox

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"

	"github.com/handoff-sso/handoff/assets"
)

// REST v2 decisions/authorize: may this device play these resources? The answer is a
// decision per resource, with a media token when the TV provider permits it. The
// simulated MVPD permits every resource except those whose id starts with "denied",
// so that a walkthrough can show both decisions.

const (
	// mediaTokenTTL is the media token's documented default life.
	mediaTokenTTL = 7 * time.Minute
	// maxResources is the preauthorization ceiling the public guide gives; authorize
	// is usually asked for one.
	maxResources   = 5
	maxResourceLen = 256
	deniedPrefix   = "denied"
)

var (
	errNoDecisionDevice = newError(400, "header_missing", "AP-Device-Identifier header is required for decisions", actionCheckHeaders)
	errBadResources     = newError(400, "invalid_parameter_resources", "The body must be JSON {\"resources\":[…]} with 1 to 5 resource ids of 1 to 256 printable characters", actionCheckRequestBody)
	errTooManyResources = newError(400, "too_many_resources", "At most 5 resources can be decided in one request", actionCheckRequestBody)
	errProfileMissing   = newError(403, "authenticated_profile_missing", "This device has no TV provider authentication: sign in first (on this device, with a code on a second screen, or by joining a profile that has one)", actionAuthentication)
	errProfileExpired   = newError(403, "authenticated_profile_expired", "This device's TV provider authentication has expired: sign in again", actionAuthentication)
)

type decisionsRequest struct {
	Resources []string `json:"resources"`
}

type mediaToken struct {
	IssuedAt        int64  `json:"issuedAt"`
	NotBefore       int64  `json:"notBefore"`
	NotAfter        int64  `json:"notAfter"`
	SerializedToken string `json:"serializedToken"`
}

type decisionError struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Action  string `json:"action"`
	HelpURL string `json:"helpUrl"`
}

type decision struct {
	Resource        string         `json:"resource"`
	ServiceProvider string         `json:"serviceProvider"`
	MVPD            string         `json:"mvpd"`
	Source          string         `json:"source"`
	Authorized      bool           `json:"authorized"`
	Token           *mediaToken    `json:"token,omitempty"`
	Error           *decisionError `json:"error,omitempty"`
}

type decisionsBody struct {
	Decisions []decision `json:"decisions"`
}

// mediaTokenClaims are what the sandbox's media token says; only the sandbox can
// check it, as only Adobe's verifier library can check a real one.
type mediaTokenClaims struct {
	jwt.Claims
	Resource string `json:"resource"`
	MVPD     string `json:"mvpd"`
}

func readResources(r *http.Request) ([]string, *apiError) {
	var req decisionsRequest
	if !isJSON(r) || decodeJSON(r, &req) != nil {
		return nil, errBadResources
	}
	if len(req.Resources) > maxResources {
		return nil, errTooManyResources
	}
	if len(req.Resources) == 0 {
		return nil, errBadResources
	}
	for _, res := range req.Resources {
		if res == "" || len(res) > maxResourceLen || strings.ContainsFunc(res, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			return nil, errBadResources
		}
	}
	return req.Resources, nil
}

// decidingAuth is the authentication a decision rests on: the caller's profile (with
// a service token) or every profile the device key is in (without one), the given
// MVPD's or else the one that lasts longest.
func (s *Server) decidingAuth(tx Tx, r *http.Request, deviceKey, mvpd string, now time.Time) (MVPDAuth, error) {
	var profiles []string
	if header(r, hdrServiceToken) != "" {
		d, err := s.callerSeen(tx, r, errTokenMissingV2, 0, now)
		if err != nil {
			return MVPDAuth{}, err
		}
		profiles = []string{d.ProfileID}
	} else {
		memberships, err := tx.DevicesByKey(deviceKey)
		if err != nil {
			return MVPDAuth{}, err
		}
		for _, d := range memberships {
			profiles = append(profiles, d.ProfileID)
		}
	}
	var best MVPDAuth
	found, expired := false, false
	for _, p := range profiles {
		auths, err := tx.MVPDAuths(p)
		if err != nil {
			return MVPDAuth{}, err
		}
		for _, a := range auths {
			switch {
			case mvpd != "" && a.MVPD != mvpd:
			case !now.Before(a.NotAfter):
				expired = true
			case !found || a.NotAfter.After(best.NotAfter):
				best, found = a, true
			}
		}
	}
	switch {
	case found:
		return best, nil
	case expired:
		return MVPDAuth{}, refusal{errProfileExpired}
	}
	return MVPDAuth{}, refusal{errProfileMissing}
}

// mediaTokenKey signs media tokens: derived from the link-code key, so it survives a
// restart without a key of its own, and apart from service tokens' keys, so a media
// token can never pass for one.
func (s *Server) mediaTokenKey() Key {
	m := hmac.New(sha256.New, s.keys.linkCode.Secret)
	m.Write([]byte("media-token"))
	return Key{Purpose: "media-token", ID: "media", Secret: m.Sum(nil)}
}

func (s *Server) decide(sp, resource string, a MVPDAuth, now time.Time) (decision, error) {
	d := decision{Resource: resource, ServiceProvider: sp, MVPD: a.MVPD, Source: "mvpd"}
	if strings.HasPrefix(strings.ToLower(resource), deniedPrefix) {
		d.Error = &decisionError{Status: 403, Code: "authorization_denied_by_mvpd",
			Message: "The TV provider denied this resource (the sandbox's MVPD denies every resource whose id starts with \"denied\")",
			Action:  actionNone, HelpURL: helpURL}
		return d, nil
	}
	claims := mediaTokenClaims{Claims: jwt.Claims{Issuer: "mediatoken", Subject: a.UserID, Audience: jwt.Audience{sp}, ID: uuid.NewString(),
		IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(mediaTokenTTL))},
		Resource: resource, MVPD: a.MVPD}
	tok, err := signJWT(s.mediaTokenKey(), claims)
	if err != nil {
		return d, err
	}
	d.Authorized = true
	d.Token = &mediaToken{IssuedAt: now.UnixMilli(), NotBefore: now.UnixMilli(), NotAfter: now.Add(mediaTokenTTL).UnixMilli(),
		SerializedToken: base64.StdEncoding.EncodeToString([]byte(tok))}
	return d, nil
}

// handleAuthorize is POST decisions/authorize[/{mvpd}].
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	now, sp := s.now(), r.PathValue("sp")
	mvpd, known := r.PathValue("mvpd"), true
	if mvpd != "" {
		var m assets.MVPD
		m, known = assets.LookupMVPD(mvpd)
		mvpd = m.ID
	}
	deviceKey, devErr := parseDeviceIdentifier(header(r, hdrDeviceID))
	resources, bodyErr := readResources(r)
	var out decisionsBody
	ok := s.transactAs(w, r, now, writeV2Error, func(tx Tx) error {
		switch {
		case errors.Is(devErr, errDeviceIDMissing):
			return refusal{errNoDecisionDevice}
		case devErr != nil:
			return refusal{errBadDeviceID}
		case !known:
			return refusal{errUnknownMVPD}
		case bodyErr != nil:
			return refusal{bodyErr}
		}
		a, err := s.decidingAuth(tx, r, deviceKey, mvpd, now)
		if err != nil {
			return err
		}
		for _, res := range resources {
			d, err := s.decide(sp, res, a, now)
			if err != nil {
				return err
			}
			out.Decisions = append(out.Decisions, d)
		}
		return nil
	})
	if ok {
		writeJSON(w, http.StatusOK, out)
	}
}
