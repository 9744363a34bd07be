package sandbox

import (
	"net/http"

	"github.com/handoff-sso/handoff/sandbox/pages"
)

// handlePhonePage serves GET /sandbox/phone?sp=…: a browser plays the phone of the
// flow (it signs in with an identity, makes link codes a TV types, lists and unlinks
// the profile's devices) while a terminal plays the TV.
func (s *Server) handlePhonePage(w http.ResponseWriter, r *http.Request) {
	if !s.pageAllowed(w, r) {
		return
	}
	sp, ok := s.pageServiceProvider(w, r)
	if !ok {
		return
	}
	if err := pages.WritePhone(w, http.StatusOK, pages.Phone{ServiceProvider: sp}); err != nil {
		s.log.Error("writing the phone page", "trace", w.Header().Get(headerRequestID), "err", err)
	}
}

// pageAllowed serves the browser pages, which keep a device's secrets in the browser,
// to this machine, and to other devices only when the sandbox was exposed on purpose
// (--lan, --advertise); otherwise it answers 403 with what to do.
func (s *Server) pageAllowed(w http.ResponseWriter, r *http.Request) bool {
	if s.exposedOnPurpose() || fromLoopback(r.RemoteAddr) {
		return true
	}
	http.Error(w, "This sandbox serves its pages to this machine only. To open them from a phone or another computer, start it with --lan (or --advertise URL).", http.StatusForbidden)
	return false
}

// pageServiceProvider reads a page's sp parameter ("demo" when absent), answering 400
// when this sandbox does not serve it.
func (s *Server) pageServiceProvider(w http.ResponseWriter, r *http.Request) (string, bool) {
	sp := r.URL.Query().Get("sp")
	if sp == "" {
		sp = "demo"
	}
	if e := s.checkServiceProvider(sp); e != nil {
		http.Error(w, "The sp parameter must name a service provider this sandbox serves (1 to 64 of A-Z a-z 0-9 _ . -).", http.StatusBadRequest)
		return "", false
	}
	return sp, true
}
