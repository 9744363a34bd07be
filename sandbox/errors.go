package sandbox

import (
	"fmt"
	"net/http"
	"strings"
)

// helpURL is where every SSO error points, as in the seed's samples.
const helpURL = "https://experienceleague.adobe.com/docs/pass/authentication/auth-features/error-reportn/enhanced-error-codes.html"

// Actions a client can take on an error, from the seed's catalogue.
const (
	actionNone             = "none"
	actionCheckHeaders     = "check_headers"
	actionCheckRequestBody = "check_request_body"
	actionGetNewToken      = "get_new_token"
	actionRetry            = "retry"
)

// apiError is one error of the SSO service's catalogue, ready to be written.
type apiError struct {
	status  int
	code    string
	message string
	action  string
	headers map[string]string // e.g. Allow, Retry-After
}

func newError(status int, code, message, action string) *apiError {
	return &apiError{status: status, code: code, message: message, action: action}
}

func (e *apiError) with(header, value string) *apiError {
	c := *e
	c.headers = map[string]string{header: value}
	return &c
}

// The catalogue of §3, named for where each entry is used.
var (
	// unauthorized carries "none", as the seed's general catalogue says (spec §1,
	// correction 2026-12); a client still renews its access token once on it.
	errNoAccessToken      = newError(401, "unauthorized", "An access token is required: send Authorization: Bearer <access_token>", actionNone)
	errBadAccessToken     = newError(401, "unauthorized", "The access token is unknown or expired", actionNone)
	errUnlinkedDevice     = newError(401, "unauthorized", "This device is no longer linked to the profile", actionNone)
	errNoIdentity         = newError(400, "header_missing", "x-sso-id or x-sso-link header is required for POST requests", actionCheckHeaders)
	errNoDeviceID         = newError(400, "header_missing", "AP-Device-Identifier header is required for POST requests", actionCheckHeaders)
	errBothIdentities     = newError(400, "request_invalid", "Send either X-SSO-ID or X-SSO-LINK, not both", actionCheckHeaders)
	errBadSSOID           = newError(400, "request_invalid", "X-SSO-ID must be 1 to 256 printable characters", actionCheckHeaders)
	errBadDeviceID        = newError(400, "invalid_header_device_identifier", "AP-Device-Identifier must be 'fingerprint <standard Base64 of the device id>'", actionNone)
	errBadDeviceInfo      = newError(400, "invalid_header_device_info", "X-Device-Info must be the Base64 of a JSON object", actionNone)
	errBadDeviceInfoField = newError(400, "invalid_header_device_info", "X-Device-Info fields must be at most 256 bytes of printable text (no control characters)", actionNone)
	errBadLinkCode        = newError(400, "invalid_parameter_code", "The link code is unknown, expired or already used", actionNone)
	errTokenMissingGET    = newError(400, "header_missing", "AD-Service-Token header is required for GET requests", actionCheckHeaders)
	errTokenSignature     = newError(401, "header_invalid", "Invalid JWT signature in AD-Service-Token", actionGetNewToken)
	errTokenUnparsable    = newError(401, "header_invalid", "JWT signature validation error", actionGetNewToken)
	errTokenNoSubject     = newError(401, "header_invalid", "JWT subject (sub) is missing or empty in AD-Service-Token", actionGetNewToken)
	errTokenOtherSP       = newError(401, "header_invalid", "The service token was issued for another service provider", actionGetNewToken)
	errTokenExpired       = newError(401, "token_expired", "The service token has expired", actionGetNewToken)
	errTokenIssuer        = newError(400, "token_invalid", "The service token was not issued by the SSO service", actionGetNewToken)
	errTokenNotYet        = newError(400, "token_invalid", "The service token is not valid yet (nbf is in the future)", actionGetNewToken)
	errTokenClaims        = newError(400, "token_invalid", "The service token lacks its device or token id", actionGetNewToken)
	errRequestNull        = newError(400, "request_null", "The request object cannot be null", actionNone)
	errNoDevices          = newError(400, "request_invalid", "Devices list cannot be null or empty", actionCheckRequestBody)
	errBadContentType     = newError(400, "request_invalid", "Content-Type must be application/json", actionCheckRequestBody)
	errBadJSON            = newError(400, "request_invalid", "The request body is not valid JSON of the expected shape", actionCheckRequestBody)
	errBodyTooLarge       = newError(400, "request_invalid", "The request body is larger than 64 KiB", actionCheckRequestBody)
	errHeadersTooLarge    = newError(400, "request_invalid", "The request headers are larger than 8 KiB", actionCheckHeaders)
	errBadSP              = newError(400, "invalid_parameter_service_provider", "The service provider in the path must be 1 to 64 of A-Z a-z 0-9 _ . -", actionNone)
	errUnknownSP          = newError(400, "invalid_parameter_service_provider", "This sandbox does not serve that service provider", actionNone)
	errNotAcceptable      = newError(406, "not_acceptable", "Accept must allow application/json", actionNone)
	errMethod             = newError(405, "method_not_allowed", "This method is not allowed on this path", actionNone)
	errNotFound           = newError(404, "not_found", "There is nothing at this path", actionNone)
	errClosedStatement    = newError(404, "not_found", "Open registration is off on this sandbox (it was started with --no-open-registration)", actionNone)
	errTooMany            = newError(429, "too_many_requests", "Too many failed link codes; wait before trying again", actionRetry)
	errInternal           = newError(500, "internal_error", "An internal error occurred", actionNone)
)

// errProfileFull refuses a join to a profile that holds max devices already.
func errProfileFull(max int) *apiError {
	return newError(400, "request_invalid", fmt.Sprintf("This profile already has %d devices, the most this sandbox allows: unlink one (POST unlink) before another joins", max), actionNone)
}

// Each endpoint names itself when AD-Service-Token is missing, as the seed's catalogue does.
var (
	errTokenMissingLink   = newError(401, "header_missing", "AD-Service-Token header is required for link requests", actionCheckHeaders)
	errTokenMissingUnlink = newError(401, "header_missing", "AD-Service-Token header is required for unlink requests", actionCheckHeaders)
	errTokenMissingList   = newError(401, "header_missing", "AD-Service-Token header is required for list requests", actionCheckHeaders)
)

type errorBody struct {
	Status string      `json:"status"`
	Error  errorDetail `json:"error"`
}

// errorDetail is the error inside the SSO envelope, and the whole flat v2 error.
type errorDetail struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Action  string `json:"action"`
	HelpURL string `json:"helpUrl"`
	Trace   string `json:"trace"`
}

// statusName is the HTTP reason in upper snake case: 400 → BAD_REQUEST.
func statusName(status int) string {
	return strings.ToUpper(strings.ReplaceAll(http.StatusText(status), " ", "_"))
}

// writeError writes e in the SSO envelope with the request's trace id.
func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, errorBody{Status: statusName(e.status), Error: e.detail(w, e.code)})
}

// detail sets e's headers on w and gives its body under code, with the request's
// trace id.
func (e *apiError) detail(w http.ResponseWriter, code string) errorDetail {
	for k, v := range e.headers {
		w.Header().Set(k, v)
	}
	return errorDetail{
		Status: e.status, Code: code, Message: e.message, Action: e.action,
		HelpURL: helpURL, Trace: w.Header().Get(headerRequestID),
	}
}

// oauthError is the error shape of the DCR endpoints.
type oauthError struct {
	status      int
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func newOAuthError(status int, code, description string) *oauthError {
	return &oauthError{status: status, Error: code, Description: description}
}

func writeOAuthError(w http.ResponseWriter, e *oauthError) {
	if e.status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="handoff sandbox"`)
	}
	writeJSON(w, e.status, e)
}
