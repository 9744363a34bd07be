package sandbox

import (
	"errors"
	"net/http"
	"time"

	"github.com/handoff-sso/handoff/assets"
)

// REST v2 profiles and logout (§4): what TV provider authentication a device can use,
// and the sign-out that ends it for the whole profile.

// Profile types, as the profiles answer shows them.
const (
	profileRegular      = "regular"
	profileServiceToken = "serviceTokenSSO"
	profilePlatform     = "platformSSO"
)

var (
	errProfilesCredential = newError(401, "header_missing", "AD-Service-Token or X-Roku-Reserved-Roku-Connect-Token header is required", actionCheckHeaders)
	errTwoCredentials     = newError(400, "request_invalid", "Send either AD-Service-Token or X-Roku-Reserved-Roku-Connect-Token, not both", actionCheckHeaders)
)

type profileAttribute struct {
	Value string `json:"value"`
	State string `json:"state"`
}

type profileEntry struct {
	NotBefore  int64                       `json:"notBefore"`
	NotAfter   int64                       `json:"notAfter"`
	Issuer     string                      `json:"issuer"`
	Type       string                      `json:"type"`
	Attributes map[string]profileAttribute `json:"attributes"`
}

type profilesBody struct {
	Profiles map[string]profileEntry `json:"profiles"`
}

// profileViewer is who asks: the profile, the asking device's key (may be empty
// through Roku), and whether the platform identity vouched for it.
type profileViewer struct {
	profileID string
	deviceKey string
	platform  bool
	member    *Device // the device a service token speaks for, to mark as seen
}

func (v profileViewer) typeOf(a MVPDAuth) string {
	switch {
	case v.deviceKey != "" && v.deviceKey == a.DeviceKey:
		return profileRegular
	case v.platform:
		return profilePlatform
	}
	return profileServiceToken
}

// viewer identifies the caller of a profiles call from its service token, or from
// its Roku connect token (a subscriber that never joined has no profile yet: "").
func (s *Server) viewer(tx Tx, r *http.Request, now time.Time) (profileViewer, error) {
	st, rokuTok := header(r, hdrServiceToken), r.Header.Get(headerRokuToken)
	switch {
	case st != "" && rokuTok != "":
		return profileViewer{}, refusal{errTwoCredentials}
	case st == "" && rokuTok == "":
		return profileViewer{}, refusal{errProfilesCredential}
	case rokuTok != "":
		id, e := s.verifyRokuToken(rokuTok)
		if e != nil {
			return profileViewer{}, refusal{e}
		}
		key, _ := parseDeviceIdentifier(header(r, hdrDeviceID))
		p, err := tx.PlatformSubscriber(platformRoku, r.PathValue("sp"), id.Subscriber)
		if errors.Is(err, ErrNotFound) {
			return profileViewer{deviceKey: key, platform: true}, nil
		}
		return profileViewer{profileID: p.ProfileID, deviceKey: key, platform: true}, err
	}
	c, e := s.verifyServiceToken(st, r.PathValue("sp"), 0, now)
	if e != nil {
		return profileViewer{}, refusal{e}
	}
	d, err := member(tx, c)
	if err != nil {
		return profileViewer{}, err
	}
	return profileViewer{profileID: d.ProfileID, deviceKey: d.Key, member: &d}, nil
}

func (s *Server) handleProfiles(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	only, known := r.PathValue("mvpd"), true
	if only != "" {
		var m assets.MVPD
		m, known = assets.LookupMVPD(only)
		only = m.ID
	}
	out := profilesBody{Profiles: map[string]profileEntry{}}
	var seen *Device
	ok := s.transactIn(s.store.View, w, r, now, writeV2Error, func(tx Tx) error {
		if e := optionalDeviceKey(r); e != nil {
			return refusal{e}
		}
		if !known {
			return refusal{errUnknownMVPD}
		}
		v, err := s.viewer(tx, r, now)
		if err != nil || v.profileID == "" {
			return err
		}
		seen = v.member
		auths, err := tx.MVPDAuths(v.profileID)
		if err != nil {
			return err
		}
		for _, a := range auths {
			if !now.Before(a.NotAfter) || (only != "" && a.MVPD != only) {
				continue
			}
			out.Profiles[a.MVPD] = profileEntry{
				NotBefore: a.NotBefore.UnixMilli(), NotAfter: a.NotAfter.UnixMilli(), Issuer: a.MVPD, Type: v.typeOf(a),
				Attributes: map[string]profileAttribute{"userID": {Value: a.UserID, State: "plain"}},
			}
		}
		return nil
	})
	if ok {
		if seen != nil {
			s.markSeen(seen, now)
		}
		writeJSON(w, http.StatusOK, out)
	}
}

type logoutEntry struct {
	ActionName      string `json:"actionName"`
	ActionType      string `json:"actionType"`
	MVPD            string `json:"mvpd"`
	ServiceProvider string `json:"serviceProvider"`
}

type logoutBody struct {
	Logouts map[string]logoutEntry `json:"logouts"`
}

// handleLogout ends the profile's TV provider authentications: every device of the
// profile has to sign in again (seed 003). The simulated MVPD has no logout page, so
// nothing is left to do ("none").
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	now, sp := s.now(), r.PathValue("sp")
	out := logoutBody{Logouts: map[string]logoutEntry{}}
	ok := s.transactAs(w, r, now, writeV2Error, func(tx Tx) error {
		d, err := s.callerSeen(tx, r, errTokenMissingV2, 0, now)
		if err != nil {
			return err
		}
		gone, err := tx.DeleteMVPDAuths(d.ProfileID)
		for _, a := range gone {
			out.Logouts[a.MVPD] = logoutEntry{ActionName: "logout", ActionType: "none", MVPD: a.MVPD, ServiceProvider: sp}
		}
		return err
	})
	if ok {
		writeJSON(w, http.StatusOK, out)
	}
}
