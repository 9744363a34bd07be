package sandbox

import (
	"net/http"
)

// linkBody is the answer of POST link.
type linkBody struct {
	Status    string `json:"status"`
	Code      string `json:"code"`
	NotBefore int64  `json:"notBefore"`
	NotAfter  int64  `json:"notAfter"`
}

// handleLink gives the caller's profile a new link code.
func (s *Server) handleLink(w http.ResponseWriter, r *http.Request) {
	now := s.now()
	var code string
	var rec LinkCode
	ok := s.batch(w, r, now, func(tx Tx) error {
		d, err := s.callerSeen(tx, r, errTokenMissingLink, 0, now)
		if err != nil {
			return err
		}
		code, rec, err = createLinkCode(tx, s.ids, s.keys.linkCode.Secret, r.PathValue("sp"), d.ProfileID, d.Key, now, s.cfg.LinkCodeTTL)
		return err
	})
	if ok {
		writeJSON(w, http.StatusCreated, linkBody{Status: "CREATED", Code: code, NotBefore: rec.NotBefore.UnixMilli(), NotAfter: rec.NotAfter.UnixMilli()})
	}
}
