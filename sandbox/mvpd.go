package sandbox

import (
	"crypto/rand"
	"errors"
	"io"
	"math/big"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/sandbox/pages"
)

// The TV provider sign-in (§4, seed 003 step 3): POST sessions starts it for the
// caller's profile, and the sandbox's simulated MVPD login page completes it.

const (
	// mvpdLoginTTL is how long a started sign-in waits for the person.
	mvpdLoginTTL = 30 * time.Minute
	// mvpdLoginAlphabet has no 0/O or 1/I, for codes read off a screen; eight of its
	// 32 symbols are 40 bits, out of reach of guessing in half an hour.
	mvpdLoginAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	mvpdLoginCodeLen  = 8
	maxUserIDLen      = 128
)

var (
	errTokenMissingV2  = newError(401, "header_missing", "AD-Service-Token header is required", actionCheckHeaders)
	errNoMVPD          = newError(400, "invalid_parameter_mvpd", "The mvpd parameter is required: one of the sandbox's TV providers", actionCheckRequestBody)
	errUnknownMVPD     = newError(400, "invalid_parameter_mvpd", "This sandbox does not know that TV provider; it knows "+assets.MVPDIDs(), actionNone)
	errBadSessionsForm = newError(400, "request_invalid", "The body must be a form (application/x-www-form-urlencoded) with mvpd", actionCheckRequestBody)
	errLoginGone       = newError(404, "mvpd_login_not_found", "This TV provider sign-in is unknown, expired or already completed: start it again", actionNone)
	errBadUserID       = newError(400, "request_invalid", "userId must be 1 to 128 letters, digits, dots, dashes, underscores or @", actionCheckRequestBody)
)

// hashMVPDLogin keys the login code's hash apart from link codes' under the same key.
func (s *Server) hashMVPDLogin(code string) string {
	return hashLinkCode(s.keys.linkCode.Secret, "", "mvpd-login:"+code)
}

func randomLoginCode(rnd io.Reader) string {
	var b strings.Builder
	for range mvpdLoginCodeLen {
		n, _ := rand.Int(rnd, big.NewInt(int64(len(mvpdLoginAlphabet)))) // neither crypto/rand.Reader nor a seeded source fails
		b.WriteByte(mvpdLoginAlphabet[n.Int64()])
	}
	return b.String()
}

// normalizeLoginCode accepts the code in any case; anything else is no code.
func normalizeLoginCode(in string) (string, bool) {
	code := strings.ToUpper(strings.TrimSpace(in))
	if len(code) != mvpdLoginCodeLen {
		return "", false
	}
	for i := range len(code) {
		if !strings.ContainsRune(mvpdLoginAlphabet, rune(code[i])) {
			return "", false
		}
	}
	return code, true
}

func validUserID(id string) bool {
	if id == "" || len(id) > maxUserIDLen {
		return false
	}
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("._-@", r):
		default:
			return false
		}
	}
	return true
}

type sessionBody struct {
	ActionName      string `json:"actionName"`
	ActionType      string `json:"actionType"`
	URL             string `json:"url"`
	Code            string `json:"code"`
	SessionID       string `json:"sessionId"`
	MVPD            string `json:"mvpd"`
	ServiceProvider string `json:"serviceProvider"`
	NotBefore       int64  `json:"notBefore"`
	NotAfter        int64  `json:"notAfter"`
}

// readSessionsForm reads the form of POST sessions; domainName and redirectUrl are
// accepted and unused (the simulated login ends on its own page).
func readSessionsForm(r *http.Request) (assets.MVPD, *apiError) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return assets.MVPD{}, errBadSessionsForm
	}
	if err := r.ParseForm(); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return assets.MVPD{}, errBodyTooLarge
		}
		return assets.MVPD{}, errBadSessionsForm
	}
	id := strings.TrimSpace(r.PostForm.Get("mvpd"))
	if id == "" {
		return assets.MVPD{}, errNoMVPD
	}
	m, ok := assets.LookupMVPD(id)
	if !ok {
		return assets.MVPD{}, errUnknownMVPD
	}
	return m, nil
}

func (s *Server) handleCreateSession(w http.ResponseWriter, r *http.Request) {
	if header(r, hdrServiceToken) == "" {
		s.handleCreateCodeSession(w, r) // a TV without a service token: the second-screen flow
		return
	}
	now, sp := s.now(), r.PathValue("sp")
	mvpd, formErr := readSessionsForm(r)
	code := randomLoginCode(s.ids)
	login := MVPDLogin{Hash: s.hashMVPDLogin(code), SessionID: s.newID(), ServiceProvider: sp,
		MVPD: mvpd.ID, NotBefore: now, NotAfter: now.Add(mvpdLoginTTL)}
	ok := s.transactAs(w, r, now, writeV2Error, func(tx Tx) error {
		d, err := s.callerSeen(tx, r, errTokenMissingV2, 0, now)
		if err != nil {
			return err
		}
		if formErr != nil {
			return refusal{formErr}
		}
		login.ProfileID, login.DeviceKey = d.ProfileID, d.Key
		return tx.PutMVPDLogin(login)
	})
	if ok {
		writeJSON(w, http.StatusCreated, sessionBody{
			ActionName: "authenticate", ActionType: "interactive", URL: "/sandbox/mvpd-login/" + code,
			Code: code, SessionID: login.SessionID, MVPD: mvpd.ID, ServiceProvider: sp,
			NotBefore: login.NotBefore.UnixMilli(), NotAfter: login.NotAfter.UnixMilli(),
		})
	}
}

// liveLogin finds the sign-in a code stands for, if it has not ended.
func (s *Server) liveLogin(tx Tx, rawCode string, now time.Time) (MVPDLogin, bool, error) {
	code, ok := normalizeLoginCode(rawCode)
	if !ok {
		return MVPDLogin{}, false, nil
	}
	l, err := tx.MVPDLogin(s.hashMVPDLogin(code))
	if errors.Is(err, ErrNotFound) {
		return MVPDLogin{}, false, nil
	}
	if err != nil {
		return MVPDLogin{}, false, err
	}
	return l, now.Before(l.NotAfter), nil
}

func mvpdName(id string) string {
	if m, ok := assets.LookupMVPD(id); ok {
		return m.Name
	}
	return id
}

// handleMVPDLoginPage shows the simulated MVPD's sign-in form.
func (s *Server) handleMVPDLoginPage(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	code := r.PathValue("code")
	var l MVPDLogin
	var live bool
	err := s.store.View(func(tx Tx) error {
		var err error
		l, live, err = s.liveLogin(tx, code, now)
		return err
	})
	if err != nil {
		s.internalPage(w, r, err)
		return
	}
	if !live {
		s.writePage(w, r, http.StatusNotFound, pages.MVPDLogin{Gone: true})
		return
	}
	s.writePage(w, r, http.StatusOK, pages.MVPDLogin{
		Code: strings.ToUpper(code), MVPDID: l.MVPD, MVPDName: mvpdName(l.MVPD), ServiceProvider: l.ServiceProvider,
		UserID: suggestedUserID(l.MVPD), NotAfter: l.NotAfter,
	})
}

// suggestedUserID prefills the form so that a demo is one click.
func suggestedUserID(mvpd string) string {
	n, _ := rand.Int(rand.Reader, big.NewInt(10000))
	return strings.ToLower(strings.ReplaceAll(mvpd, "_", "-")) + "-user-" + n.String()
}

type mvpdLoginRequest struct {
	UserID string `json:"userId"`
}

type mvpdLoginBody struct {
	Status          string `json:"status"`
	MVPD            string `json:"mvpd"`
	UserID          string `json:"userId"`
	ServiceProvider string `json:"serviceProvider"`
	NotAfter        int64  `json:"notAfter"`
}

// handleMVPDLogin completes a sign-in: from the HTML form (an HTML answer), or as
// JSON {"userId"} for the terminal app (a JSON answer in the SSO envelope). The code
// is spent and the profile gets the authentication, replacing one of the same MVPD.
func (s *Server) handleMVPDLogin(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	asJSON := isJSON(r)
	var userID string
	if asJSON {
		var req mvpdLoginRequest
		if err := decodeJSON(r, &req); err != nil {
			writeError(w, errBadJSON)
			return
		}
		userID = strings.TrimSpace(req.UserID)
	} else {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "The sign-in form could not be read: go back and submit it again.", http.StatusBadRequest)
			return
		}
		userID = strings.TrimSpace(r.PostForm.Get("userId"))
	}
	var auth MVPDAuth
	var login MVPDLogin
	gone, badUser := false, false
	err := s.store.Update(func(tx Tx) error {
		gone, badUser = false, false // afresh on each run (see Store.Update)
		l, live, err := s.liveLogin(tx, r.PathValue("code"), now)
		if err != nil {
			return err
		}
		login = l
		switch {
		case !live:
			gone = true
			return nil
		case !validUserID(userID):
			badUser = true
			return nil
		}
		if err := tx.DeleteMVPDLogin(l.Hash); err != nil {
			return err
		}
		auth = MVPDAuth{ProfileID: l.ProfileID, MVPD: l.MVPD, UserID: userID, ServiceProvider: l.ServiceProvider,
			DeviceKey: l.DeviceKey, NotBefore: now, NotAfter: now.Add(s.cfg.MVPDAuthTTL)}
		return tx.PutMVPDAuth(auth)
	})
	switch {
	case err != nil && asJSON:
		s.internal(w, r, err)
	case err != nil:
		s.internalPage(w, r, err)
	case gone && asJSON:
		writeError(w, errLoginGone)
	case gone:
		s.writePage(w, r, http.StatusNotFound, pages.MVPDLogin{Gone: true})
	case badUser && asJSON:
		writeError(w, errBadUserID)
	case badUser:
		s.writePage(w, r, http.StatusBadRequest, pages.MVPDLogin{
			Code: strings.ToUpper(r.PathValue("code")), MVPDID: login.MVPD, MVPDName: mvpdName(login.MVPD),
			ServiceProvider: login.ServiceProvider, UserID: userID, NotAfter: login.NotAfter,
			Problem: "Type a user id of 1 to 128 letters, digits, dots, dashes, underscores or @.",
		})
	case asJSON:
		writeJSON(w, http.StatusOK, mvpdLoginBody{Status: "OK", MVPD: auth.MVPD, UserID: auth.UserID,
			ServiceProvider: auth.ServiceProvider, NotAfter: auth.NotAfter.UnixMilli()})
	default:
		s.writePage(w, r, http.StatusOK, pages.MVPDLogin{MVPDID: auth.MVPD, MVPDName: mvpdName(auth.MVPD),
			ServiceProvider: auth.ServiceProvider, UserID: auth.UserID, Done: true, AuthNotAfter: auth.NotAfter})
	}
}

// v1AuthnPaths are the legacy call with and without its format suffix.
var v1AuthnPaths = []string{"/api/v1/tokens/authn", "/api/v1/tokens/authn.json", "/api/v1/tokens/authn.xml"}

// logPath is the path for the log line: the MVPD login code in it is a credential
// (whoever holds it signs the profile in), so it is masked. The mask works on the
// cleaned, decoded path in any case, so that no spelling of it (//sandbox/…, ./,
// percent-encoding, capitals) carries the code past it.
func logPath(r *http.Request) string {
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if strings.Contains(p, "//") || strings.Contains(p, "/.") || len(p) > 1 && strings.HasSuffix(p, "/") {
		p = path.Clean(p) // only then: Clean walks the whole path even when it is clean
	}
	const segment = "/mvpd-login/"
	if i := indexFold(p, segment); i >= 0 {
		return p[:i] + segment + "<code>"
	}
	if before, _, ok := strings.Cut(p, "/profiles/code/"); ok && isV2Path(p) {
		return before + "/profiles/code/<code>" // the TV's activation code reads its profile
	}
	return p
}

// indexFold is strings.Index of the ASCII sub in s, ignoring case, without the copy
// strings.ToLower makes of every request's path.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i] == sub[0] && strings.EqualFold(s[i:i+len(sub)], sub) { // sub starts with "/", which has no other case
			return i
		}
	}
	return -1
}
