package sandbox

import (
	"net/http"

	"github.com/handoff-sso/handoff/sandbox/pages"
)

// The sandbox's HTML pages: the MVPD login, the browser link page and the phone page
// (phonepage.go) (§7). Their errors are pages too, never the JSON envelope a browser
// would show raw.

// maxLinkCodeInput bounds the code prefilled from the URL ("123 456", "123-456").
const maxLinkCodeInput = 11

// handleLinkPage serves GET /sandbox/link?code=…&sp=…, the URL the phone's QR image
// carries: the page joins this browser to the profile as a secondary device.
func (s *Server) handleLinkPage(w http.ResponseWriter, r *http.Request) {
	if !s.pageAllowed(w, r) {
		return
	}
	sp, ok := s.pageServiceProvider(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	code := q.Get("code")
	if _, ok := normalizeLinkCode(code); !ok || len(code) > maxLinkCodeInput {
		code = "" // the page asks for it instead of showing what is not a code
	}
	if err := pages.WriteLink(w, http.StatusOK, pages.Link{Code: code, ServiceProvider: sp}); err != nil {
		s.log.Error("writing the link page", "trace", w.Header().Get(headerRequestID), "err", err)
	}
}

func (s *Server) writePage(w http.ResponseWriter, r *http.Request, status int, p pages.MVPDLogin) {
	if err := pages.WriteMVPDLogin(w, status, p); err != nil {
		s.log.Error("writing the MVPD login page", "trace", w.Header().Get(headerRequestID), "path", logPath(r), "err", err)
	}
}

// internalPage is internal for a browser: a plain sentence and the trace id.
func (s *Server) internalPage(w http.ResponseWriter, r *http.Request, err error) {
	trace := w.Header().Get(headerRequestID)
	s.log.Error("internal error", "trace", trace, "method", r.Method, "path", logPath(r), "err", err)
	http.Error(w, "The sandbox failed to answer (trace "+trace+"); its log has the details.", http.StatusInternalServerError)
}
