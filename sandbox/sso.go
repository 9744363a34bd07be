package sandbox

import (
	"errors"
	"net/http"
	"slices"
	"time"
)

// refusal carries an error of the catalogue out of a store transaction, which it
// rolls back.
type refusal struct{ e *apiError }

func (r refusal) Error() string { return r.e.code }

// sso checks the service provider in the path before the endpoint runs.
func (s *Server) sso(h http.HandlerFunc) http.HandlerFunc { return s.servingSP(writeError, h) }

// servingSP checks the service provider in the path before h runs, and refuses it
// with writeErr, in the shape of h's API.
func (s *Server) servingSP(writeErr func(http.ResponseWriter, *apiError), h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if e := s.checkServiceProvider(r.PathValue("sp")); e != nil {
			writeErr(w, e)
			return
		}
		h(w, r)
	}
}

// checkServiceProvider refuses a malformed name, or one outside the allow-list.
func (s *Server) checkServiceProvider(sp string) *apiError {
	switch {
	case !validServiceProvider(sp):
		return errBadSP
	case len(s.cfg.ServiceProviders) > 0 && !slices.Contains(s.cfg.ServiceProviders, sp):
		return errUnknownSP
	}
	return nil
}

// transact runs fn in one store transaction, after checking the access token in it.
// A refusal rolls back and is written as such; any other error is internal_error.
// It reports whether fn committed.
func (s *Server) transact(w http.ResponseWriter, r *http.Request, now time.Time, fn func(Tx) error) bool {
	return s.transactAs(w, r, now, writeError, fn)
}

// transactAs is transact for an API whose errors have another shape (REST v2).
func (s *Server) transactAs(w http.ResponseWriter, r *http.Request, now time.Time, writeErr func(http.ResponseWriter, *apiError), fn func(Tx) error) bool {
	return s.transactIn(s.store.Update, w, r, now, writeErr, fn)
}

// transactIn is transactAs in the transaction run gives: s.store.View for a call that
// writes nothing, so that the durable store does not sync to disk for it.
func (s *Server) transactIn(run func(func(Tx) error) error, w http.ResponseWriter, r *http.Request, now time.Time, writeErr func(http.ResponseWriter, *apiError), fn func(Tx) error) bool {
	err := run(func(tx Tx) error {
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
		writeErr(w, ref.e)
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
	d, err := tx.Device(c.profileID(), c.DeviceKey)
	if errors.Is(err, ErrNotFound) || err == nil && d.JoinID != joinIDOf(c.ID) {
		return Device{}, refusal{errUnlinkedDevice}
	}
	if err != nil {
		return Device{}, err
	}
	d.LastSeen = now
	return d, tx.PutDevice(d)
}

// caller is the linked device that calls with its service token, marked as seen: it
// checks AP-Device-Identifier (when sent) and AD-Service-Token (missing: the endpoint's
// own error; expired: accepted within grace).
func (s *Server) caller(tx Tx, r *http.Request, missing *apiError, grace time.Duration, now time.Time) (Device, error) {
	if e := optionalDeviceKey(r); e != nil {
		return Device{}, refusal{e}
	}
	c, e := s.serviceTokenHeader(r, missing, grace)
	if e != nil {
		return Device{}, refusal{e}
	}
	return member(tx, c, now)
}

// serviceTokenHeader reads AD-Service-Token and verifies it, or gives the endpoint's
// own missing-header error.
func (s *Server) serviceTokenHeader(r *http.Request, missing *apiError, grace time.Duration) (serviceClaims, *apiError) {
	raw := r.Header.Get("AD-Service-Token")
	if raw == "" {
		return serviceClaims{}, missing
	}
	return s.verifyServiceToken(raw, r.PathValue("sp"), grace)
}
