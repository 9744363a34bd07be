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

// view is transactIn a read-only transaction, with the SSO error shape.
func (s *Server) view(w http.ResponseWriter, r *http.Request, now time.Time, fn func(Tx) error) bool {
	return s.transactIn(s.store.View, w, r, now, writeError, fn)
}

// batch is transactIn a Batch, with the SSO error shape: fn may run more than once
// (Store.Batch).
func (s *Server) batch(w http.ResponseWriter, r *http.Request, now time.Time, fn func(Tx) error) bool {
	return s.transactIn(s.store.Batch, w, r, now, writeError, fn)
}

// transactAs is transactIn an Update, for an API whose errors have another shape
// (REST v2).
func (s *Server) transactAs(w http.ResponseWriter, r *http.Request, now time.Time, writeErr func(http.ResponseWriter, *apiError), fn func(Tx) error) bool {
	return s.transactIn(s.store.Update, w, r, now, writeErr, fn)
}

// transactIn runs fn in the transaction run gives (s.store.View for a call that
// writes nothing, so that the durable store does not sync to disk for it), after
// checking the access token in it. A refusal rolls back and is written with writeErr;
// any other error is internal_error. It reports whether fn committed.
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
	if err == nil {
		return true
	}
	var ref refusal // declared here, since errors.As moves it to the heap
	switch {
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
	if _, err := parseDeviceIdentifier(header(r, hdrDeviceID)); errors.Is(err, errDeviceIDBad) {
		return errBadDeviceID
	}
	return nil
}

// seenEvery is how stale a device's stored lastSeen may get: a call writes it only
// when it is at least this old, so that a read-only call (list, GET serviceToken,
// profiles) commits nothing on the durable store almost every time, and a restart
// loses at most this much of it.
const seenEvery = time.Minute

// member finds the linked device a verified token speaks for. It writes nothing: the
// caller marks the device as seen, in its write transaction (seenIn) or after its read
// one (markSeen).
func member(tx Tx, c serviceClaims) (Device, error) {
	d, err := tx.Device(c.profileID(), c.DeviceKey)
	if errors.Is(err, ErrNotFound) || err == nil && d.JoinID != joinIDOf(c.ID) {
		return Device{}, refusal{errUnlinkedDevice}
	}
	return d, err
}

// stale says whether d's stored lastSeen is due to be written at now.
func stale(d Device, now time.Time) bool { return !now.Before(d.LastSeen.Add(seenEvery)) }

// seenIn marks d as seen at now inside a write transaction, when its lastSeen is stale.
func seenIn(tx Tx, d *Device, now time.Time) error {
	if !stale(*d, now) {
		return nil
	}
	d.LastSeen = now
	return tx.TouchDevice(d.ProfileID, d.Key, d.JoinID, now)
}

// markSeen marks d as seen at now after a read-only call, when its lastSeen is stale,
// in a write of its own (shared with other requests' by Batch). A failure is logged,
// not answered: the call itself succeeded, and the next one tries again.
func (s *Server) markSeen(d *Device, now time.Time) {
	if !stale(*d, now) {
		return
	}
	err := s.store.Batch(func(tx Tx) error { return tx.TouchDevice(d.ProfileID, d.Key, d.JoinID, now) })
	if err != nil {
		s.log.Error("marking a device as seen", "err", err)
		return
	}
	d.LastSeen = now
}

// caller is the linked device that calls with its service token: it checks
// AP-Device-Identifier (when sent) and AD-Service-Token (missing: the endpoint's own
// error; expired: accepted within grace). It writes nothing (see member).
func (s *Server) caller(tx Tx, r *http.Request, missing *apiError, grace time.Duration, now time.Time) (Device, error) {
	if e := optionalDeviceKey(r); e != nil {
		return Device{}, refusal{e}
	}
	c, e := s.serviceTokenHeader(r, missing, grace, now)
	if e != nil {
		return Device{}, refusal{e}
	}
	return member(tx, c)
}

// callerSeen is caller in a write transaction, marking the device as seen there.
func (s *Server) callerSeen(tx Tx, r *http.Request, missing *apiError, grace time.Duration, now time.Time) (Device, error) {
	d, err := s.caller(tx, r, missing, grace, now)
	if err != nil {
		return d, err
	}
	return d, seenIn(tx, &d, now)
}

// serviceTokenHeader reads AD-Service-Token and verifies it, or gives the endpoint's
// own missing-header error.
func (s *Server) serviceTokenHeader(r *http.Request, missing *apiError, grace time.Duration, now time.Time) (serviceClaims, *apiError) {
	raw := header(r, hdrServiceToken)
	if raw == "" {
		return serviceClaims{}, missing
	}
	return s.verifyServiceToken(raw, r.PathValue("sp"), grace, now)
}
