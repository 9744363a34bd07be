package sandbox

import (
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// refusal carries an error of the catalogue out of a store transaction, which it
// rolls back.
type refusal struct{ e *apiError }

func (r refusal) Error() string { return r.e.code }

// sso checks the service provider in the path before the endpoint runs.
func (s *Server) sso(h func(w http.ResponseWriter, r *http.Request, sp string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sp := r.PathValue("sp")
		switch {
		case !validServiceProvider(sp):
			writeError(w, errBadSP)
		case len(s.cfg.ServiceProviders) > 0 && !slices.Contains(s.cfg.ServiceProviders, sp):
			writeError(w, errUnknownSP)
		default:
			h(w, r, sp)
		}
	}
}

// transact runs fn in one store transaction, after checking the access token in it.
// A refusal rolls back and is written as such; any other error is internal_error.
// It reports whether fn committed.
func (s *Server) transact(w http.ResponseWriter, r *http.Request, now time.Time, fn func(Tx) error) bool {
	err := s.store.Update(func(tx Tx) error {
		ae, err := s.checkAccessToken(tx, r, now)
		if err != nil {
			return err
		}
		if ae != nil {
			return refusal{ae}
		}
		return fn(tx)
	})
	var ref refusal
	switch {
	case err == nil:
		return true
	case errors.As(err, &ref):
		if ref.e == errNoAccessToken || ref.e == errBadAccessToken {
			w.Header().Set("WWW-Authenticate", `Bearer realm="handoff sandbox"`)
		}
		writeError(w, ref.e)
	default:
		s.internal(w, r, err)
	}
	return false
}

// optionalDeviceKey parses AP-Device-Identifier where it may be absent.
func optionalDeviceKey(r *http.Request) *apiError {
	if _, err := parseDeviceIdentifier(r.Header.Get("AP-Device-Identifier")); errors.Is(err, errDeviceIDBad) {
		return errBadDeviceID
	}
	return nil
}

// member finds the linked device a verified token speaks for and marks it seen.
func member(tx Tx, c serviceClaims, now time.Time) (Device, error) {
	d, err := tx.Device(c.Subject, c.DeviceKey)
	if errors.Is(err, ErrNotFound) || err == nil && d.JoinID != joinIDOf(c.ID) {
		return Device{}, refusal{errUnlinkedDevice}
	}
	if err != nil {
		return Device{}, err
	}
	d.LastSeen = now
	return d, tx.PutDevice(d)
}

// serviceTokenHeader reads AD-Service-Token and verifies it, or gives the endpoint's
// own missing-header error.
func (s *Server) serviceTokenHeader(r *http.Request, missing *apiError, grace time.Duration) (serviceClaims, *apiError) {
	raw := r.Header.Get("AD-Service-Token")
	if raw == "" {
		return serviceClaims{}, missing
	}
	return s.verifyServiceToken(raw, grace)
}

type serviceTokenBody struct {
	Status    string `json:"status"`
	Token     string `json:"serviceToken"`
	NotBefore int64  `json:"notBefore"`
	NotAfter  int64  `json:"notAfter"`
}

func (s *Server) writeServiceToken(w http.ResponseWriter, r *http.Request, status int, key Key, d Device, now time.Time) {
	tok, err := s.signServiceToken(key, d, now)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	label := "CREATED"
	if status == http.StatusOK {
		label = "OK"
	}
	writeJSON(w, status, serviceTokenBody{Status: label, Token: tok.Token, NotBefore: tok.NotBefore.UnixMilli(), NotAfter: tok.NotAfter.UnixMilli()})
}

// clientAddress is the peer's IP, for the link-code limiter.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return "addr:" + r.RemoteAddr
	}
	return "addr:" + host
}

func (s *Server) handleCreateServiceToken(w http.ResponseWriter, r *http.Request, _ string) {
	now := s.now()
	key, err := s.signingKey(now)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	deviceKey, devErr := parseDeviceIdentifier(r.Header.Get("AP-Device-Identifier"))
	info, infoErr := parseDeviceInfo(r.Header.Get("X-Device-Info"))
	attrs := info.merge(fromUserAgent(r.Header.Get("User-Agent")))
	ssoID, link := r.Header.Get("X-SSO-ID"), r.Header.Get("X-SSO-LINK")
	var joined Device
	ok := s.transact(w, r, now, func(tx Tx) error {
		switch {
		case errors.Is(devErr, errDeviceIDBad):
			return refusal{errBadDeviceID}
		case infoErr != nil:
			return refusal{errBadDeviceInfo}
		case ssoID != "" && link != "":
			return refusal{errBothIdentities}
		case ssoID == "" && link == "" && !(s.cfg.AllowDeviceIDFallback && devErr == nil):
			return refusal{errNoIdentity}
		case devErr != nil:
			return refusal{errNoDeviceID}
		}
		kind := DeviceRegular
		profileID := ssoID
		if link != "" {
			kind = DeviceSSO
			var err error
			if profileID, err = s.redeem(tx, r, link, deviceKey, now); err != nil {
				return err
			}
		} else if ssoID == "" {
			profileID = deviceKey
		} else if !validSSOID(ssoID) {
			return refusal{errBadSSOID}
		}
		var err error
		joined, err = join(tx, profileID, deviceKey, kind, attrs, now)
		return err
	})
	if ok {
		s.writeServiceToken(w, r, http.StatusCreated, key, joined, now)
	}
}

// redeem spends a link code, under the brute-force limiter (only failures count), and
// returns the profile that made it.
func (s *Server) redeem(tx Tx, r *http.Request, input, deviceKey string, now time.Time) (string, error) {
	keys := []string{"device:" + deviceKey, clientAddress(r)}
	if wait := s.limiter.blocked(now, keys...); wait > 0 {
		secs := int64((wait + time.Second - 1) / time.Second)
		return "", refusal{errTooMany.with("Retry-After", strconv.FormatInt(secs, 10))}
	}
	code, ok := normalizeLinkCode(input)
	var rec LinkCode
	if ok {
		var err error
		if rec, ok, err = redeemLinkCode(tx, s.keys.linkCode.Secret, code, now); err != nil {
			return "", err
		}
	}
	if !ok {
		s.limiter.fail(now, keys...)
		return "", refusal{errBadLinkCode}
	}
	return rec.ProfileID, nil
}

// join makes deviceKey a member of the profile (creating it on first use). A device
// that is a member already keeps its join id, so its earlier tokens stay good.
func join(tx Tx, profileID, deviceKey, kind string, a deviceAttributes, now time.Time) (Device, error) {
	if _, err := tx.Profile(profileID); errors.Is(err, ErrNotFound) {
		if err := tx.PutProfile(Profile{ID: profileID, CreatedAt: now}); err != nil {
			return Device{}, err
		}
	} else if err != nil {
		return Device{}, err
	}
	d, err := tx.Device(profileID, deviceKey)
	if errors.Is(err, ErrNotFound) {
		d = Device{ProfileID: profileID, Key: deviceKey, JoinID: randomHex(8), JoinedAt: now}
	} else if err != nil {
		return Device{}, err
	}
	d.Type, d.LastSeen = kind, now
	d.HardwareType, d.Model, d.Manufacturer = a.HardwareType, a.Model, a.Manufacturer
	d.OS, d.OSVersion, d.UserAgent = a.OS, a.OSVersion, a.UserAgent
	return d, tx.PutDevice(d)
}

// validSSOID bounds a common identifier: 1 to 256 printable characters.
func validSSOID(id string) bool {
	if len(id) == 0 || len(id) > 256 {
		return false
	}
	for _, r := range id {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

var (
	errTokenMissingLink   = newError(401, "header_missing", "AD-Service-Token header is required for link requests", actionCheckHeaders)
	errTokenMissingUnlink = newError(401, "header_missing", "AD-Service-Token header is required for unlink requests", actionCheckHeaders)
	errTokenMissingList   = newError(401, "header_missing", "AD-Service-Token header is required for list requests", actionCheckHeaders)
)

func (s *Server) handleRefreshServiceToken(w http.ResponseWriter, r *http.Request, _ string) {
	now := s.now()
	key, err := s.signingKey(now)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	var d Device
	ok := s.transact(w, r, now, func(tx Tx) error {
		if e := optionalDeviceKey(r); e != nil {
			return refusal{e}
		}
		c, e := s.serviceTokenHeader(r, errTokenMissingGET, s.cfg.RefreshGrace)
		if e != nil {
			return refusal{e}
		}
		var err error
		d, err = member(tx, c, now)
		return err
	})
	if ok {
		s.writeServiceToken(w, r, http.StatusOK, key, d, now)
	}
}

type linkBody struct {
	Status    string `json:"status"`
	Code      string `json:"code"`
	NotBefore int64  `json:"notBefore"`
	NotAfter  int64  `json:"notAfter"`
}

func (s *Server) handleLink(w http.ResponseWriter, r *http.Request, _ string) {
	now := s.now()
	var code string
	var rec LinkCode
	ok := s.transact(w, r, now, func(tx Tx) error {
		if e := optionalDeviceKey(r); e != nil {
			return refusal{e}
		}
		c, e := s.serviceTokenHeader(r, errTokenMissingLink, 0)
		if e != nil {
			return refusal{e}
		}
		d, err := member(tx, c, now)
		if err != nil {
			return err
		}
		code, rec, err = createLinkCode(tx, s.keys.linkCode.Secret, d.ProfileID, d.Key, now, s.cfg.LinkCodeTTL)
		return err
	})
	if ok {
		writeJSON(w, http.StatusCreated, linkBody{Status: "CREATED", Code: code, NotBefore: rec.NotBefore.UnixMilli(), NotAfter: rec.NotAfter.UnixMilli()})
	}
}

type unlinkRequest struct {
	Devices *[]string `json:"devices"`
}

type unlinkBody struct {
	Status          string   `json:"status"`
	UnlinkedDevices []string `json:"unlinkedDevices"`
}

// readUnlinkRequest reads the body of POST unlink, or says which catalogue error it is.
func readUnlinkRequest(r *http.Request) ([]string, *apiError) {
	if r.ContentLength == 0 && r.Header.Get("Content-Type") == "" {
		return nil, errRequestNull
	}
	if !isJSON(r) {
		return nil, errBadContentType
	}
	var req *unlinkRequest
	if err := decodeJSON(r, &req); err != nil {
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			return nil, errBodyTooLarge
		case errors.Is(err, io.EOF):
			return nil, errRequestNull
		}
		return nil, errBadJSON
	}
	if req == nil {
		return nil, errRequestNull
	}
	if req.Devices == nil || len(*req.Devices) == 0 {
		return nil, errNoDevices
	}
	return *req.Devices, nil
}

func (s *Server) handleUnlink(w http.ResponseWriter, r *http.Request, _ string) {
	now := s.now()
	keys, bodyErr := readUnlinkRequest(r)
	unlinked := []string{}
	ok := s.transact(w, r, now, func(tx Tx) error {
		if e := optionalDeviceKey(r); e != nil {
			return refusal{e}
		}
		c, e := s.serviceTokenHeader(r, errTokenMissingUnlink, 0)
		if e != nil {
			return refusal{e}
		}
		d, err := member(tx, c, now)
		if err != nil {
			return err
		}
		if bodyErr != nil {
			return refusal{bodyErr}
		}
		for _, k := range keys {
			if slices.Contains(unlinked, k) {
				continue
			}
			if _, err := tx.Device(d.ProfileID, k); errors.Is(err, ErrNotFound) {
				continue
			} else if err != nil {
				return err
			}
			if err := tx.DeleteDevice(d.ProfileID, k); err != nil {
				return err
			}
			unlinked = append(unlinked, k)
		}
		return nil
	})
	if ok {
		writeJSON(w, http.StatusOK, unlinkBody{Status: "OK", UnlinkedDevices: unlinked})
	}
}

type listEntry struct {
	DeviceType   string `json:"deviceType"`
	Model        string `json:"model"`
	OS           string `json:"os"`
	OSVersion    string `json:"osVersion"`
	Manufacturer string `json:"manufacturer"`
	UserAgent    string `json:"userAgent"`
	LastSeen     int64  `json:"lastSeen"`
	Type         string `json:"type"`
}

type listBody struct {
	Devices map[string]listEntry `json:"devices"`
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request, _ string) {
	now := s.now()
	var out listBody
	ok := s.transact(w, r, now, func(tx Tx) error {
		if e := optionalDeviceKey(r); e != nil {
			return refusal{e}
		}
		c, e := s.serviceTokenHeader(r, errTokenMissingList, 0)
		if e != nil {
			return refusal{e}
		}
		d, err := member(tx, c, now)
		if err != nil {
			return err
		}
		devices, err := tx.Devices(d.ProfileID)
		if err != nil {
			return err
		}
		out.Devices = make(map[string]listEntry, len(devices))
		for _, d := range devices {
			out.Devices[d.Key] = listEntry{
				DeviceType: d.HardwareType, Model: d.Model, OS: d.OS, OSVersion: d.OSVersion,
				Manufacturer: d.Manufacturer, UserAgent: d.UserAgent, LastSeen: d.LastSeen.UnixMilli(), Type: d.Type,
			}
		}
		return nil
	})
	if ok {
		writeJSON(w, http.StatusOK, out)
	}
}
