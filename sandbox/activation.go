package sandbox

import (
	"crypto/rand"
	"errors"
	"io"
	"math/big"
	"strings"
	"time"

	"github.com/handoff-sso/handoff/assets"
)

// The second-screen sign-in (docs/second-screen.md): a TV that holds no service token
// asks for a code — a REST v2 session (basic flow) or a legacy v1 registration code —
// and shows it; a browser activates the code on /sandbox/activate, signs in on the
// simulated MVPD login, and the TV finds the authentication (profiles/code, or the v1
// authn call of seed 004).

const (
	// activationPath is the activation page the TV tells the person to open.
	activationPath = "/sandbox/activate"
	// activationTTL is a code's default life (the v1 regcode's documented default).
	activationTTL = 30 * time.Minute
	// activationCodeLen symbols of mvpdLoginAlphabet are 35 bits: typed on a phone,
	// out of reach of guessing within a code's life.
	activationCodeLen = 7
	// actionAuthentication is the v2 action that asks the person to sign in again.
	actionAuthentication = "authentication"
)

var (
	errActivationGone = newError(404, "invalid_parameter_code", "This code is unknown or expired: ask the TV for a new code", actionNone)
	errActivationUsed = newError(409, "invalid_parameter_code", "This code was already used to sign in: ask the TV for a new code", actionNone)
	errNoActivateMVPD = newError(400, "invalid_parameter_mvpd", "Choose a TV provider: one of "+assets.MVPDIDs(), actionCheckRequestBody)
	errNoTVDeviceID   = newError(400, "header_missing", "AP-Device-Identifier header is required to ask for a code", actionCheckHeaders)
)

func (s *Server) hashActivation(code string) string {
	return hashLinkCode(s.keys.linkCode.Secret, "", "activation:"+code)
}

func randomActivationCode(rnd io.Reader) string {
	var b strings.Builder
	for range activationCodeLen {
		n, _ := rand.Int(rnd, big.NewInt(int64(len(mvpdLoginAlphabet)))) // crypto/rand and the seeded source never fail
		b.WriteByte(mvpdLoginAlphabet[n.Int64()])
	}
	return b.String()
}

// normalizeActivationCode accepts what a person types: any case, spaces and dashes
// dropped. Anything else is no code.
func normalizeActivationCode(in string) (string, bool) {
	code := strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(in)))
	if len(code) != activationCodeLen {
		return "", false
	}
	for i := range len(code) {
		if !strings.ContainsRune(mvpdLoginAlphabet, rune(code[i])) {
			return "", false
		}
	}
	return code, true
}

// newActivation stores c under a fresh code, unique among live codes, and returns the
// code in clear (it exists nowhere else) with the record as stored.
func (s *Server) newActivation(tx Tx, c ActivationCode) (string, ActivationCode, error) {
	for range 16 {
		code := randomActivationCode(s.ids)
		c.Hash = s.hashActivation(code)
		old, err := tx.ActivationCode(c.Hash)
		switch {
		case err == nil && c.NotBefore.Before(old.NotAfter):
			continue
		case err != nil && !errors.Is(err, ErrNotFound):
			return "", c, err
		}
		return code, c, tx.PutActivationCode(c)
	}
	return "", c, errors.New("no free activation code after 16 draws")
}

// liveActivation finds the code's record if it has not expired.
func (s *Server) liveActivation(tx Tx, raw string, now time.Time) (ActivationCode, bool, error) {
	code, ok := normalizeActivationCode(raw)
	if !ok {
		return ActivationCode{}, false, nil
	}
	c, err := tx.ActivationCode(s.hashActivation(code))
	if errors.Is(err, ErrNotFound) {
		return ActivationCode{}, false, nil
	}
	if err != nil {
		return ActivationCode{}, false, err
	}
	return c, now.Before(c.NotAfter), nil
}

// activationAuth is the authentication the code's sign-in made, once it is complete.
func activationAuth(tx Tx, c ActivationCode) (MVPDAuth, bool, error) {
	if c.ActivatedAt.IsZero() {
		return MVPDAuth{}, false, nil
	}
	auths, err := tx.MVPDAuths(c.ProfileID)
	if err != nil {
		return MVPDAuth{}, false, err
	}
	for _, a := range auths {
		if a.MVPD == c.MVPD && a.DeviceKey == c.DeviceKey && !a.NotBefore.Before(c.ActivatedAt) {
			return a, true, nil
		}
	}
	return MVPDAuth{}, false, nil
}

// activated is what activating a code gives the second screen: the MVPD login to
// open, and what it is for.
type activated struct {
	loginCode string
	code      ActivationCode
	login     MVPDLogin
}

// activate starts the TV provider sign-in for the TV that showed the code: the TV
// joins a profile of its own (or keeps the first it is in), and the MVPD login's
// authentication goes to that profile, for the TV. A code whose sign-in completed is
// spent; one that was activated but not signed in can be activated again (the person
// picked the wrong provider). mvpdID empty means the one the TV asked for.
func (s *Server) activate(tx Tx, rawCode, mvpdID string, now time.Time) (activated, error) {
	c, live, err := s.liveActivation(tx, rawCode, now)
	if err != nil {
		return activated{}, err
	}
	if !live {
		return activated{}, refusal{errActivationGone}
	}
	switch _, done, err := activationAuth(tx, c); {
	case err != nil:
		return activated{}, err
	case done:
		return activated{}, refusal{errActivationUsed}
	}
	if mvpdID = strings.TrimSpace(mvpdID); mvpdID == "" {
		mvpdID = c.MVPD
	}
	if mvpdID == "" {
		return activated{}, refusal{errNoActivateMVPD}
	}
	m, ok := assets.LookupMVPD(mvpdID)
	if !ok {
		return activated{}, refusal{errUnknownMVPD}
	}
	if c.ProfileID == "" {
		if c.ProfileID, err = s.tvProfile(tx, c, now); err != nil {
			return activated{}, err
		}
	}
	c.MVPD, c.ActivatedAt = m.ID, now
	if err := tx.PutActivationCode(c); err != nil {
		return activated{}, err
	}
	loginCode := randomLoginCode(s.ids)
	ends := now.Add(mvpdLoginTTL)
	if c.NotAfter.Before(ends) {
		ends = c.NotAfter // the sign-in ends with the code the TV is polling for
	}
	login := MVPDLogin{Hash: s.hashMVPDLogin(loginCode), SessionID: c.ID, ProfileID: c.ProfileID, DeviceKey: c.DeviceKey,
		ServiceProvider: c.ServiceProvider, MVPD: m.ID, NotBefore: now, NotAfter: ends}
	return activated{loginCode: loginCode, code: c, login: login}, tx.PutMVPDLogin(login)
}

// tvProfile is the profile a code's TV signs in for: the first it is a member of
// under the code's service provider, or a new one of its own (in the second screen's
// namespace, which no X-SSO-ID reaches) with the TV as its regular device.
func (s *Server) tvProfile(tx Tx, c ActivationCode, now time.Time) (string, error) {
	memberships, err := tx.DevicesByKey(c.DeviceKey)
	if err != nil {
		return "", err
	}
	for _, m := range memberships {
		if _, sp, _, ok := splitProfileID(m.ProfileID); ok && sp == c.ServiceProvider {
			return m.ProfileID, nil
		}
	}
	id := profileID(nsSecondScreen, c.ServiceProvider, "tv-"+s.newID())
	a := deviceAttributes{HardwareType: c.HardwareType, Model: c.Model, Manufacturer: c.Manufacturer, OS: c.OS, OSVersion: c.OSVersion, UserAgent: c.UserAgent}
	_, err = join(tx, id, c.DeviceKey, DeviceRegular, a, s.cfg.MaxDevicesPerProfile, now)
	return id, err
}

// withAttributes copies what the TV said of itself into its code, for the device list
// once it joins.
func (c ActivationCode) withAttributes(a deviceAttributes) ActivationCode {
	c.HardwareType, c.Model, c.Manufacturer = a.HardwareType, a.Model, a.Manufacturer
	c.OS, c.OSVersion, c.UserAgent = a.OS, a.OSVersion, a.UserAgent
	return c
}
