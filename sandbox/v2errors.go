package sandbox

import "net/http"

// The REST v2 endpoints (§4) answer errors in the flat v2 object rather than the SSO
// envelope, and call a refused access token invalid_access_token_client_application.

type v2ErrorBody struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Action  string `json:"action"`
	HelpURL string `json:"helpUrl"`
	Trace   string `json:"trace"`
}

const codeV2AccessToken = "invalid_access_token_client_application"

// writeV2Error writes e as the flat v2 object with the request's trace id.
func writeV2Error(w http.ResponseWriter, e *apiError) {
	for k, v := range e.headers {
		w.Header().Set(k, v)
	}
	code := e.code
	if e == errNoAccessToken || e == errBadAccessToken {
		code = codeV2AccessToken
	}
	writeJSON(w, e.status, v2ErrorBody{
		Status: e.status, Code: code, Message: e.message, Action: e.action,
		HelpURL: helpURL, Trace: w.Header().Get(headerRequestID),
	})
}

// v2 wraps a REST v2 handler: the service provider is checked as for the SSO
// service, and refused in the v2 shape.
func (s *Server) v2(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if e := s.checkServiceProvider(r.PathValue("sp")); e != nil {
			writeV2Error(w, e)
			return
		}
		h(w, r)
	}
}
