package client

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestExplainEveryCode checks that every code of the spec (§1 and §3) gets its own
// line, and that no line is a Go error string.
func TestExplainEveryCode(t *testing.T) {
	generic := explainAPI(&APIError{HTTPStatus: 400, Code: "no_such_code_anywhere"})
	tests := []struct {
		err  *APIError
		want string // a fragment the line must hold
	}{
		{&APIError{HTTPStatus: 400, Code: "header_missing", Message: "AP-Device-Identifier header is required for POST requests", Trace: "tr"}, "bug in handoff"},
		{&APIError{HTTPStatus: 401, Code: "header_missing", Message: "AD-Service-Token header is required"}, "header is missing"},
		{&APIError{HTTPStatus: 400, Code: "invalid_parameter_code"}, "ask the phone for a new one"},
		{&APIError{HTTPStatus: 401, Code: "header_invalid"}, "sign in again"},
		{&APIError{HTTPStatus: 401, Code: "token_expired"}, "sign in again"},
		{&APIError{HTTPStatus: 400, Code: "token_invalid"}, "clock"},
		{&APIError{HTTPStatus: 401, Code: "unauthorized", unlinked: true}, "was unlinked"},
		{&APIError{HTTPStatus: 401, Code: "unauthorized"}, "access token"},
		{&APIError{HTTPStatus: 401, Code: "invalid_access_token_client_application"}, "access token"},
		{&APIError{HTTPStatus: 429, Code: "too_many_requests", RetryAfter: 42 * time.Second}, "wait 42s"},
		{&APIError{HTTPStatus: 429, Code: "too_many_requests"}, "wait a few minutes"},
		{&APIError{HTTPStatus: 400, Code: "request_null"}, "device keys"},
		{&APIError{HTTPStatus: 400, Code: "request_invalid", Message: "Devices list cannot be null or empty"}, "device keys"},
		{&APIError{HTTPStatus: 405, Code: "method_not_allowed"}, "--server"},
		{&APIError{HTTPStatus: 406, Code: "not_acceptable"}, "JSON"},
		{&APIError{HTTPStatus: 400, Code: "invalid_header_device_identifier"}, "identifier"},
		{&APIError{HTTPStatus: 400, Code: "invalid_header_device_info"}, "X-Device-Info"},
		{&APIError{HTTPStatus: 500, Code: "internal_error", Trace: "abc"}, "trace abc"},
		{&APIError{HTTPStatus: 503}, "failed"},
		{&APIError{HTTPStatus: 400, Code: "invalid_request"}, "registration"},
		{&APIError{HTTPStatus: 400, Code: "invalid_software_statement"}, "software statement"},
		{&APIError{HTTPStatus: 400, Code: "unapproved_software_statement"}, "software statement"},
		{&APIError{HTTPStatus: 401, Code: "invalid_client"}, "registers anew"},
		{&APIError{HTTPStatus: 400, Code: "unsupported_grant_type"}, "registration"},
		{&APIError{HTTPStatus: 404}, "--sp"},
	}
	for _, tt := range tests {
		got := Explain(fmt.Errorf("step: %w", tt.err))
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s %d: Explain = %q, want it to contain %q", tt.err.Code, tt.err.HTTPStatus, got, tt.want)
		}
		if got == generic || strings.Contains(got, "sso: HTTP") || strings.Contains(got, "step:") {
			t.Errorf("%s: Explain = %q is generic or a Go error string", tt.err.Code, got)
		}
	}
}

func TestExplainLocalErrors(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, ""},
		{ErrNotSignedIn, "not signed in"},
		{fmt.Errorf("x: %w", &InputError{Msg: "Type the 6-digit link code shown on the phone."}), "Type the 6-digit"},
		{&ProtocolError{Server: "http://s", HTTPStatus: 200, Problem: "json: cannot unmarshal"}, "does not understand"},
		{&StoreError{Kind: "keyring", Err: errors.New("dbus: connection refused")}, "keyring keystore"},
		{errors.New("open /secret: permission denied"), "Something unexpected"},
	}
	for _, tt := range tests {
		got := Explain(tt.err)
		if !strings.Contains(got, tt.want) {
			t.Errorf("Explain(%v) = %q, want %q", tt.err, got, tt.want)
		}
		if strings.Contains(got, "json:") || strings.Contains(got, "dbus") || strings.Contains(got, "permission denied") {
			t.Errorf("Explain(%v) = %q leaks a Go error string", tt.err, got)
		}
	}
}
