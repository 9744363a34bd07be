package sandbox

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/handoff-sso/handoff/sandbox/roku"
)

// Platform identity (§6, seed 000): the sandbox plays Roku's identity service
// (POST /sandbox/roku/connect-token) and accepts its tokens in
// X-Roku-Reserved-Roku-Connect-Token on POST serviceToken and on v2 profiles.

const (
	headerRokuToken = "X-Roku-Reserved-Roku-Connect-Token"
	platformRoku    = "roku"
	purposeRoku     = "roku-identity"
)

var (
	errBadConnectTokenRequest = newError(400, "request_invalid", `The body must be JSON {"subscriberId","deviceId","format":"jws"|"jwe"}`, actionCheckRequestBody)
	errPlatformAndOther       = newError(400, "request_invalid", "Send one identity: X-Roku-Reserved-Roku-Connect-Token, X-SSO-ID or X-SSO-LINK", actionCheckHeaders)
)

// rokuIdentity holds the simulated Roku service. Its RSA key is slow to make, so it
// is made (and stored, so tokens outlive a restart) on first use, not at startup.
type rokuIdentity struct {
	mu  sync.Mutex
	svc *roku.Service
}

func (s *Server) rokuService() (*roku.Service, error) {
	s.roku.mu.Lock()
	defer s.roku.mu.Unlock()
	if s.roku.svc != nil {
		return s.roku.svc, nil
	}
	var keys *roku.Keys
	var err error
	if k, ok := s.keys.other(purposeRoku); ok {
		keys, err = roku.ParseKeys(k.Secret)
	} else {
		keys, err = s.newRokuKeys()
	}
	if err != nil {
		return nil, err
	}
	s.roku.svc = roku.New(keys, s.cfg.Now)
	return s.roku.svc, nil
}

// newRokuKeys makes and saves the keys; an RSA key takes a while, which is why it is
// made on first use and not at start.
func (s *Server) newRokuKeys() (*roku.Keys, error) {
	fresh, err := roku.GenerateKeys()
	if err != nil {
		return nil, err
	}
	b, err := fresh.MarshalBinary()
	if err != nil {
		return nil, err
	}
	if _, err := s.keys.addOther(Key{Purpose: purposeRoku, ID: newKeyID(), Secret: b, CreatedAt: s.now()}); err != nil {
		return nil, err
	}
	return fresh, nil
}

// verifyRokuToken checks a connect token; every refusal is 401 header_invalid with
// the check that failed. A sandbox that cannot load its keys refuses as internal.
func (s *Server) verifyRokuToken(raw string) (roku.Identity, *apiError) {
	svc, err := s.rokuService()
	if err != nil {
		s.log.Error("loading the Roku identity keys", "err", err)
		return roku.Identity{}, errInternal
	}
	id, err := svc.Verify(raw)
	var re *roku.Error
	if errors.As(err, &re) {
		return roku.Identity{}, newError(401, "header_invalid", re.Reason, actionGetNewToken)
	}
	if err != nil {
		return roku.Identity{}, errInternal
	}
	return id, nil
}

// rokuSubscriber is the subscriber a POST serviceToken's connect token names ("" when
// the request carries none).
func (s *Server) rokuSubscriber(raw string) (string, *apiError) {
	if raw == "" {
		return "", nil
	}
	id, e := s.verifyRokuToken(raw)
	return id.Subscriber, e
}

// platformProfile is the profile of a platform subscriber under sp, made on its first
// join, in the platform's namespace.
func (s *Server) platformProfile(tx Tx, platform, sp, subscriber string, now time.Time) (string, error) {
	p, err := tx.PlatformSubscriber(platform, sp, subscriber)
	if err == nil {
		return p.ProfileID, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return "", err
	}
	p = PlatformSubscriber{Platform: platform, ServiceProvider: sp, Subscriber: subscriber,
		ProfileID: profileID(platform, sp, platform+"-"+s.newID()), CreatedAt: now}
	return p.ProfileID, tx.PutPlatformSubscriber(p)
}

type connectTokenRequest struct {
	SubscriberID string `json:"subscriberId"`
	DeviceID     string `json:"deviceId"`
	Format       string `json:"format"`
}

type connectTokenBody struct {
	Token        string `json:"token"`
	Format       string `json:"format"`
	SubscriberID string `json:"subscriberId"`
	DeviceID     string `json:"deviceId"`
	NotAfter     int64  `json:"notAfter"`
}

// handleConnectToken is the simulated Roku identity service. It stands outside the
// SSO service, so it asks for no access token.
func (s *Server) handleConnectToken(w http.ResponseWriter, r *http.Request) {
	var req connectTokenRequest
	if !isJSON(r) || decodeJSON(r, &req) != nil {
		writeError(w, errBadConnectTokenRequest)
		return
	}
	format, err := roku.ParseFormat(req.Format)
	if err != nil {
		writeError(w, errBadConnectTokenRequest)
		return
	}
	svc, err := s.rokuService()
	if err != nil {
		s.internal(w, r, err)
		return
	}
	tok, id, err := svc.Issue(strings.TrimSpace(req.SubscriberID), req.DeviceID, format)
	var ie *roku.InputError
	if errors.As(err, &ie) {
		writeError(w, newError(400, "request_invalid", ie.Msg, actionCheckRequestBody))
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, connectTokenBody{Token: tok, Format: string(format), SubscriberID: id.Subscriber,
		DeviceID: id.DeviceID, NotAfter: id.Expiry.UnixMilli()})
}
