package sandbox

import "net/http"

// The REST v2 endpoints (§4) answer errors in the flat v2 object (the SSO envelope's
// inner error alone), and call a refused access token
// invalid_access_token_client_application.

const codeV2AccessToken = "invalid_access_token_client_application"

// writeV2Error writes e as the flat v2 object with the request's trace id.
func writeV2Error(w http.ResponseWriter, e *apiError) {
	code := e.code
	if e == errNoAccessToken || e == errBadAccessToken {
		// The correction that gives unauthorized the action none is the SSO
		// service's; the v2 code keeps get_new_token.
		v2 := *e
		v2.action = actionGetNewToken
		e, code = &v2, codeV2AccessToken
	}
	writeJSON(w, e.status, e.detail(w, code))
}

// v2 wraps a REST v2 handler: the service provider is checked as for the SSO
// service, and refused in the v2 shape.
func (s *Server) v2(h http.HandlerFunc) http.HandlerFunc { return s.servingSP(writeV2Error, h) }
