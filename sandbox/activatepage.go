package sandbox

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/sandbox/pages"
)

// The activation page (/sandbox/activate), the second screen of the code a TV shows:
// GET shows the form, POST activates the code and sends the browser on to the
// simulated MVPD login; with a JSON body it answers JSON, for the terminal app.

// maxActivationInput bounds the code prefilled from the URL.
const maxActivationInput = 16

type activateRequest struct {
	Code string `json:"code"`
	MVPD string `json:"mvpd"`
}

type activateBody struct {
	Status          string `json:"status"`
	URL             string `json:"url"` // the MVPD login page, from the server's root
	MVPD            string `json:"mvpd"`
	ServiceProvider string `json:"serviceProvider"`
	NotAfter        int64  `json:"notAfter"` // when the sign-in (and the code) ends
}

func providers(selected string) []pages.Provider {
	var out []pages.Provider
	for _, m := range assets.MVPDs() {
		out = append(out, pages.Provider{ID: m.ID, Name: m.Name, Selected: m.ID == selected})
	}
	return out
}

func (s *Server) writeActivatePage(w http.ResponseWriter, r *http.Request, status int, a pages.Activate) {
	if err := pages.WriteActivate(w, status, a); err != nil {
		s.log.Error("writing the activation page", "trace", w.Header().Get(headerRequestID), "err", err)
	}
}

func (s *Server) handleActivatePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	code := q.Get("code")
	if _, ok := normalizeActivationCode(code); !ok || len(code) > maxActivationInput {
		code = "" // the page asks for it instead of showing what is not a code
	}
	mvpd := ""
	if m, ok := assets.LookupMVPD(q.Get("mvpd")); ok {
		mvpd = m.ID
	}
	s.writeActivatePage(w, r, http.StatusOK, pages.Activate{Code: code, Providers: providers(mvpd)})
}

// handleActivate activates a code, under the brute-force limiter of link codes (only
// failures count, per client address).
func (s *Server) handleActivate(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	asJSON := isJSON(r)
	var req activateRequest
	if asJSON {
		if err := decodeJSON(r, &req); err != nil {
			writeError(w, errBadJSON)
			return
		}
	} else {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "The activation form could not be read: go back and submit it again.", http.StatusBadRequest)
			return
		}
		req = activateRequest{Code: r.PostForm.Get("code"), MVPD: r.PostForm.Get("mvpd")}
	}
	limited := []string{"activate:" + clientAddress(r)}
	var done activated
	var refused *apiError
	err := s.store.Update(func(tx Tx) error {
		refused = nil // afresh on each run (see Store.Update)
		if wait := s.limiter.blocked(now, limited...); wait > 0 {
			secs := int64((wait + time.Second - 1) / time.Second)
			refused = errTooMany.with("Retry-After", strconv.FormatInt(secs, 10))
			return nil
		}
		a, err := s.activate(tx, req.Code, req.MVPD, now)
		var ref refusal
		if errors.As(err, &ref) {
			if ref.e == errActivationGone {
				s.limiter.fail(now, limited...)
			}
			refused = ref.e
			return err // roll back whatever the activation wrote
		}
		done = a
		return err
	})
	if refused != nil {
		err = nil
	}
	switch {
	case err != nil && asJSON:
		s.internal(w, r, err)
	case err != nil:
		s.internalPage(w, r, err)
	case refused != nil && asJSON:
		writeError(w, refused)
	case refused != nil:
		for k, v := range refused.headers {
			w.Header().Set(k, v)
		}
		code := strings.TrimSpace(req.Code)
		if len(code) > maxActivationInput {
			code = ""
		}
		s.writeActivatePage(w, r, refused.status, pages.Activate{Code: code, Providers: providers(req.MVPD), Problem: refused.message + "."})
	case asJSON:
		writeJSON(w, http.StatusCreated, activateBody{Status: "CREATED", URL: "/sandbox/mvpd-login/" + done.loginCode,
			MVPD: done.login.MVPD, ServiceProvider: done.login.ServiceProvider, NotAfter: done.login.NotAfter.UnixMilli()})
	default:
		http.Redirect(w, r, "/sandbox/mvpd-login/"+done.loginCode, http.StatusSeeOther)
	}
}
