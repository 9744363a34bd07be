package client

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// APIError is a refusal by the server: the SSO envelope, the flat v2 object, the v1
// small shape, or the OAuth shape of the DCR calls, all read into one type.
type APIError struct {
	HTTPStatus int           // 400, 401, …
	Status     string        // "BAD_REQUEST" (SSO envelope) when sent
	Code       string        // "header_missing", or the OAuth "error"
	Message    string        // the message, or the OAuth "error_description"
	Action     string        // "check_headers", "get_new_token", "retry", "none", …
	HelpURL    string        //
	Trace      string        // error.trace, or the X-Request-Id header
	RetryAfter time.Duration // from Retry-After on 429
	// Raw is the error body as received when it is JSON, for --json to print.
	Raw json.RawMessage

	// shaped: the body was in one of the known error shapes. A 404 without one is a
	// path the server does not have, not an answer of the API.
	shaped bool

	// unlinked is set by the client, not the server: a 401 "unauthorized" on a call
	// that carried a service token and a just-issued access token can only mean that
	// the service token's device was unlinked.
	unlinked bool
}

// Error is for developers and logs; people get Explain.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sso: HTTP %d", e.HTTPStatus)
	if e.Code != "" {
		fmt.Fprintf(&b, " %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.Action != "" {
		fmt.Fprintf(&b, " (action %s)", e.Action)
	}
	if e.Trace != "" {
		fmt.Fprintf(&b, " [trace %s]", e.Trace)
	}
	return b.String()
}

// UnreachableError is a call that got no HTTP answer: connection refused, DNS, timeout.
type UnreachableError struct {
	Server  string // base URL
	Timeout bool
	Err     error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("sso: cannot reach %s: %v", e.Server, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// ProtocolError is a success answer the client cannot read (not JSON, a field
// missing): the server at the other end does not speak the contract.
type ProtocolError struct {
	Server     string
	HTTPStatus int
	Trace      string
	Problem    string // what was wrong, for developers
}

func (e *ProtocolError) Error() string {
	return fmt.Sprintf("sso: unexpected answer from %s (HTTP %d, trace %s): %s", e.Server, e.HTTPStatus, e.Trace, e.Problem)
}

// NoSoftwareStatementError is a registration that cannot start: the caller gave no
// software statement and the server offers none (a real server's comes from the
// programmer's dashboard).
type NoSoftwareStatementError struct {
	Server string
}

func (e *NoSoftwareStatementError) Error() string {
	return fmt.Sprintf("dcr: %s offers no software statement and none was given", e.Server)
}

// InputError is input a person typed that cannot be sent (a malformed link code). Its
// message already says what to do.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

// StoreError is a failure to read or write a device's record in its keystore.
type StoreError struct {
	Kind    string // the store's Kind()
	Account string
	Err     error
}

func (e *StoreError) Error() string {
	return fmt.Sprintf("keystore %s: account %s: %v", e.Kind, e.Account, e.Err)
}

func (e *StoreError) Unwrap() error { return e.Err }

// ErrNotSignedIn is returned by the steps that need a service token when the device
// holds none.
var ErrNotSignedIn = errors.New("client: this device holds no service token")

// IsUnlinked reports whether the service refused a call because this device was
// unlinked from its profile. The device keeps its key and can sign in again.
func IsUnlinked(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.unlinked
}

// IsRefused reports a 4xx answer: the server understood the request and said no
// (the CLI's exit code 1).
func IsRefused(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.HTTPStatus >= 400 && ae.HTTPStatus < 500
}

// IsUnavailable reports that the server could not be reached, timed out, failed (5xx)
// or answered something unreadable (the CLI's exit code 3).
func IsUnavailable(err error) bool {
	var ae *APIError
	var ue *UnreachableError
	var pe *ProtocolError
	switch {
	case errors.As(err, &ae):
		return ae.HTTPStatus >= 500
	case errors.As(err, &ue), errors.As(err, &pe):
		return true
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// IsBadInput reports input a person must correct before anything is sent.
func IsBadInput(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

// IsCodeRejected reports that a link code was refused: unknown, expired or used.
func IsCodeRejected(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Code == "invalid_parameter_code"
}

// errorBody is every error shape the client knows, read at once: the SSO envelope
// ({"status":"BAD_REQUEST","error":{…}}), the flat v2 object, the v1 small shape
// ({"status":404,"message":…}) and OAuth ({"error":"invalid_client",…}).
type errorBody struct {
	Status           json.RawMessage `json:"status"`
	Error            json.RawMessage `json:"error"`
	ErrorDescription string          `json:"error_description"`
	Code             string          `json:"code"`
	Message          string          `json:"message"`
	Action           string          `json:"action"`
	HelpURL          string          `json:"helpUrl"`
	Trace            string          `json:"trace"`
}

type errorDetail struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Action  string `json:"action"`
	HelpURL string `json:"helpUrl"`
	Trace   string `json:"trace"`
}

// parseAPIError reads a non-2xx answer. A body in no known shape still gives an
// APIError with the HTTP status, so that nothing of the answer is lost.
func parseAPIError(status int, header http.Header, body []byte, now time.Time) *APIError {
	e := &APIError{HTTPStatus: status}
	var b errorBody
	if json.Unmarshal(body, &b) == nil {
		e.shaped = true
		if json.Valid(body) {
			e.Raw = bytes.TrimSpace(body)
		}
		var top string
		if json.Unmarshal(b.Status, &top) == nil {
			e.Status = top
		}
		var d errorDetail
		var oauth string
		switch {
		case json.Unmarshal(b.Error, &d) == nil && len(b.Error) > 0 && b.Error[0] == '{':
			e.Code, e.Message, e.Action, e.HelpURL, e.Trace = d.Code, d.Message, d.Action, d.HelpURL, d.Trace
		case json.Unmarshal(b.Error, &oauth) == nil && oauth != "":
			e.Code, e.Message = oauth, b.ErrorDescription
		default:
			e.Code, e.Message, e.Action, e.HelpURL, e.Trace = b.Code, b.Message, b.Action, b.HelpURL, b.Trace
		}
	}
	var x v1XMLError
	if e.Code == "" && e.Message == "" && xml.Unmarshal(body, &x) == nil {
		e.Code, e.Message, e.Action, e.shaped = x.Code, x.Message, x.Action, true
	}
	if e.Trace == "" {
		e.Trace = header.Get("X-Request-Id")
	}
	e.RetryAfter = retryAfter(header.Get("Retry-After"), now)
	return e
}

// v1XMLError is the v1 small shape in XML: <error><status/><message/></error>, with
// the enhanced code and action when the server sends them.
type v1XMLError struct {
	XMLName xml.Name `xml:"error"`
	Code    string   `xml:"code"`
	Message string   `xml:"message"`
	Action  string   `xml:"action"`
}

func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now).Round(time.Second)
	}
	return 0
}
