package client

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Explain turns any error of this package into one line a person can act on
// ("The link code is wrong, expired or already used: ask the phone for a new one.").
// It never shows a Go error string, and every piece of it that a server wrote (a
// message, a trace id) is made terminal-safe with TerminalSafe.
func Explain(err error) string {
	if err == nil {
		return ""
	}
	var (
		ie *InputError
		ae *APIError
		ue *UnreachableError
		pe *ProtocolError
		se *StoreError
		te *TVCodeError
		ns *NoSoftwareStatementError
	)
	switch {
	case errors.As(err, &ie):
		// Written here from what a person typed, quoted with %q (which escapes
		// controls): escaping again would double every backslash.
		return ie.Msg
	case errors.As(err, &te):
		return te.explain()
	case errors.As(err, &ns):
		return fmt.Sprintf("The server at %s offers no software statement to register with (a real server's comes from the programmer dashboard): give it with --software-statement FILE (- reads stdin) or in HANDOFF_SOFTWARE_STATEMENT.", TerminalSafe(ns.Server))
	case errors.Is(err, ErrNotSignedIn):
		return "This device is not signed in: sign in on the phone, or type a link code on the TV, first."
	case errors.As(err, &ae):
		return explainAPI(ae)
	case errors.As(err, &ue):
		if ue.Timeout {
			return fmt.Sprintf("The SSO service at %s did not answer in time: check that it is running and not overloaded, then try again.", TerminalSafe(ue.Server))
		}
		return fmt.Sprintf("Cannot reach the SSO service at %s: is `handoff serve` running?", TerminalSafe(ue.Server))
	case errors.As(err, &pe):
		return fmt.Sprintf("The server at %s answered something handoff does not understand (HTTP %d%s): check that --server points at an SSO service.", TerminalSafe(pe.Server), pe.HTTPStatus, traceSuffix(pe.Trace))
	case errors.As(err, &se):
		return fmt.Sprintf("Could not read or save this device's secrets in the %s keystore: unlock the keyring, or run with --keystore memory.", se.Kind)
	case errors.Is(err, context.Canceled):
		return "Cancelled."
	case errors.Is(err, context.DeadlineExceeded):
		return "The request took too long and was stopped: try again."
	}
	return "Something unexpected went wrong inside handoff: open the trace view to see the last exchange, and report it if it happens again."
}

func traceSuffix(trace string) string {
	if trace == "" {
		return ""
	}
	return ", trace " + TerminalSafe(trace)
}

// reauthLine is said whenever the service no longer accepts this device's service
// token: the cure is the same for every cause.
const reauthLine = "sign in again on the phone, or type a new link code on the TV."

func explainAPI(e *APIError) string {
	t := traceSuffix(e.Trace)
	msg := TerminalSafe(e.Message)
	switch e.Code {
	case "invalid_parameter_code":
		return "The link code is wrong, expired or already used: ask the phone for a new one."
	case "too_many_requests":
		wait := "a few minutes"
		if e.RetryAfter > 0 {
			wait = e.RetryAfter.Round(time.Second).String()
		}
		return fmt.Sprintf("Too many wrong link codes from this device: wait %s, then try again.", wait)
	case "unauthorized", "invalid_access_token_client_application":
		if e.unlinked {
			return "This device was unlinked from its profile: " + reauthLine
		}
		return fmt.Sprintf("The service refused handoff's access token even after renewing it (HTTP %d%s): the server may have lost its data; try again.", e.HTTPStatus, t)
	case "token_expired":
		return "This device's service token expired beyond its refresh grace: " + reauthLine
	case "header_invalid":
		return "The service does not accept this device's token (signed by another server, or by a sandbox that lost its keys): " + reauthLine
	case "token_invalid":
		return "The service says this device's token is not valid yet or not its own (is this computer's clock right?): " + reauthLine
	case "header_missing":
		return fmt.Sprintf("The service says a header is missing (%s): this is a bug in handoff; please report it%s.", msg, withTrace(e.Trace))
	case "invalid_header_device_identifier":
		return fmt.Sprintf("The service refused this device's identifier (HTTP %d%s): forget the device to make a new identity.", e.HTTPStatus, t)
	case "invalid_header_device_info":
		return fmt.Sprintf("The service could not read this device's X-Device-Info (HTTP %d%s): choose another preset, and report it.", e.HTTPStatus, t)
	case "request_null", "request_invalid":
		return fmt.Sprintf("The service refused the unlink request (%s): name one or more device keys from the device list.", msg)
	case "method_not_allowed":
		return fmt.Sprintf("The server does not accept this call (HTTP 405%s): check that --server points at an SSO service.", t)
	case "invalid_client":
		return "The service no longer knows this device's client registration: try again, and handoff registers anew."
	case "invalid_software_statement", "unapproved_software_statement":
		return "The service refused the software statement: on the sandbox leave it empty; on a real server use the one from your programmer dashboard."
	case "invalid_request", "unsupported_grant_type":
		return fmt.Sprintf("The service refused handoff's client registration (%s): this is a bug in handoff; please report it%s.", msg, withTrace(e.Trace))
	case codeNoAuthentication:
		return "This device has no TV provider authentication: sign in with a TV provider on the phone (a device unlinked from the profile loses it too)."
	case codeAuthenticationExpired:
		return "The TV provider authentication has expired: sign in with the TV provider again on the phone."
	case "invalid_parameter_mvpd":
		return fmt.Sprintf("The service does not know that TV provider (%s): pick one from the list.", msg)
	case "authenticated_profile_missing":
		return "This device has no TV provider authentication: show a TV code and sign in on a second screen, or join a profile that has one."
	case "authenticated_profile_expired":
		return "This device's TV provider authentication has expired: show a TV code and sign in again on a second screen."
	case "mvpd_login_not_found":
		return "The TV provider sign-in is unknown, expired or already completed: start it again."
	case "internal_error":
		return fmt.Sprintf("The SSO service failed (HTTP %d%s): try again; the server's log has the details under that trace id.", e.HTTPStatus, t)
	}
	switch {
	case e.HTTPStatus == 406:
		return fmt.Sprintf("The server will not answer in JSON (HTTP 406%s): check that --server points at an SSO service.", t)
	case e.HTTPStatus == 404:
		return fmt.Sprintf("The server has no such endpoint (HTTP 404%s): check --server and --sp.", t)
	case e.HTTPStatus == 429:
		return explainAPI(&APIError{Code: "too_many_requests", RetryAfter: e.RetryAfter})
	case e.HTTPStatus >= 500:
		return fmt.Sprintf("The SSO service failed (HTTP %d%s): try again; the server's log has the details under that trace id.", e.HTTPStatus, t)
	case e.Message != "":
		return fmt.Sprintf("The service refused the request: %s (HTTP %d%s).", msg, e.HTTPStatus, t)
	}
	return fmt.Sprintf("The service refused the request (HTTP %d%s).", e.HTTPStatus, t)
}

func withTrace(trace string) string {
	if trace == "" {
		return ""
	}
	return " with trace " + TerminalSafe(trace)
}
