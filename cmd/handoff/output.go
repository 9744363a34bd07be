package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

// output prints what one device command has to say: with --json one JSON object on
// stdout (the API's answer plus "device", or the error object plus "device"),
// otherwise a few lines for a person. Its methods return the exit code.
type output struct {
	e       *env
	command string // "mvpd signin"
	json    bool
	device  string
	// storeKind is the keystore the device was opened from, once it was: a step that
	// finds no sign-in in the memory store says why.
	storeKind string
}

// ok prints a success: with --json the API's answer as received (raw) with the
// device's name added, or resp encoded when the answer is not one the server sent
// whole (raw is nil); otherwise human text.
func (o output) ok(raw json.RawMessage, resp any, human func(w io.Writer)) error {
	if !o.json {
		human(o.e.stdout)
		return nil
	}
	obj, err := answerJSON(raw, resp, o.device)
	if err != nil {
		return o.fail(&client.ProtocolError{Problem: "its answer could not be printed as JSON"})
	}
	o.e.stdout.Write(obj)
	return nil
}

// answerJSON is the one line --json prints for an answer: raw (or resp encoded)
// with "device", made safe for a terminal.
func answerJSON(raw json.RawMessage, resp any, device string) ([]byte, error) {
	var obj []byte
	var err error
	switch {
	case device != "":
		obj, err = client.WithDevice(raw, resp, device)
	case len(bytes.TrimSpace(raw)) > 0: // status answers for every device, not one
		obj = raw
	default:
		obj, err = json.Marshal(resp)
	}
	if err != nil {
		return nil, err
	}
	return append(present.SafeJSON(bytes.TrimSpace(obj)), '\n'), nil
}

// fail prints an error and returns it as reported. The explanation goes to stderr in
// both modes; with --json the error object also goes to stdout.
func (o output) fail(err error) error {
	msg := explain(err)
	if errors.Is(err, client.ErrNotSignedIn) && o.storeKind == "memory" {
		msg += " " + memoryStoreHint
	}
	fmt.Fprintln(o.e.stderr, "handoff:", msg)
	if o.json {
		o.e.stdout.Write(o.errorJSON(err, msg))
	}
	var usage *usageError
	switch {
	case !errors.As(err, &usage) && !client.IsBadInput(err):
	case o.command == "":
		fmt.Fprintln(o.e.stderr, "Run 'handoff help' to see the commands and the flags they share.")
	default:
		fmt.Fprintf(o.e.stderr, "Run 'handoff %s --help' for its flags.\n", o.command)
	}
	return &reportedError{err: err}
}

// memoryStoreHint says why a device of the memory keystore is not signed in: every
// command is a new process, and that store lives only as long as one.
const memoryStoreHint = "Its secrets are in the memory keystore: the previous command kept them in memory only, " +
	"and they went when it ended. To keep them between commands, unlock an OS keyring, " +
	"or choose --keystore kernel (Linux) or --keystore file (plain text)."

// errorJSON is the one line --json prints for an error: the server's error body as
// received, with "device", when it sent one; otherwise the envelope of errorObject
// with msg, the explanation stderr shows.
func (o output) errorJSON(err error, msg string) []byte {
	var apiErr *client.APIError
	if errors.As(err, &apiErr) && len(apiErr.Raw) > 0 && o.device != "" {
		if obj, werr := answerJSON(apiErr.Raw, nil, o.device); werr == nil {
			return obj
		}
	}
	obj := errorObject(err, o.device)
	obj.Error.Message = msg
	var buf bytes.Buffer
	_ = present.EncodeJSON(&buf, obj)
	return buf.Bytes()
}

// apiErrorJSON is the SSO service's error envelope; every error is printed in it, so
// that a script reads error.code whatever went wrong.
type apiErrorJSON struct {
	Status string `json:"status"`
	Error  struct {
		Status     int    `json:"status,omitempty"`
		Code       string `json:"code"`
		Message    string `json:"message"`
		Action     string `json:"action,omitempty"`
		HelpURL    string `json:"helpUrl,omitempty"`
		Trace      string `json:"trace,omitempty"`
		RetryAfter int    `json:"retryAfter,omitempty"` // seconds, from Retry-After
	} `json:"error"`
	Device string `json:"device,omitempty"` // none when no command was found
}

// errorObject is the JSON printed for an error: the API's own error object when the
// server refused, otherwise one in the same shape whose code says what happened
// ("usage", "unreachable").
func errorObject(err error, device string) apiErrorJSON {
	var out apiErrorJSON
	out.Device = device
	var apiErr *client.APIError
	switch {
	case errors.As(err, &apiErr):
		out.Status = apiErr.Status
		if out.Status == "" {
			out.Status = statusName(apiErr.HTTPStatus)
		}
		out.Error.Status = apiErr.HTTPStatus
		out.Error.Code = apiErr.Code
		out.Error.Message = apiErr.Message
		out.Error.Action = apiErr.Action
		out.Error.HelpURL = apiErr.HelpURL
		out.Error.Trace = apiErr.Trace
		out.Error.RetryAfter = int(apiErr.RetryAfter.Seconds())
	default:
		out.Status, out.Error.Code = localError(err)
		out.Error.Message = explain(err)
	}
	return out
}

// localError names an error that no server sent, in the envelope's words.
func localError(err error) (status, code string) {
	var (
		usage       *usageError
		setup       *setupError
		interrupted *interruptedError
		notDone     *notDoneError
		store       *client.StoreError
		unreachable *client.UnreachableError
		protocol    *client.ProtocolError
	)
	switch {
	case errors.As(err, &usage), client.IsBadInput(err):
		return "USAGE_ERROR", "usage"
	case errors.As(err, &interrupted):
		return "INTERRUPTED", "interrupted"
	case errors.As(err, &notDone):
		return notDone.status, notDone.code
	case errors.Is(err, client.ErrNotSignedIn):
		return "NOT_SIGNED_IN", "not_signed_in"
	case errors.As(err, &setup):
		return "SETUP_ERROR", "setup"
	case errors.As(err, &store):
		return "KEYSTORE_ERROR", "keystore_unavailable"
	case errors.As(err, &unreachable) && unreachable.Timeout, errors.Is(err, context.DeadlineExceeded):
		return "UNREACHABLE", "timeout"
	case errors.As(err, &unreachable):
		return "UNREACHABLE", "unreachable"
	case errors.As(err, &protocol):
		return "BAD_ANSWER", "bad_answer"
	}
	return "INTERNAL_ERROR", "internal"
}

// statusName writes an HTTP status as the SSO envelope does: 401 → "UNAUTHORIZED".
func statusName(code int) string {
	text := http.StatusText(code)
	if text == "" {
		return fmt.Sprintf("HTTP_%d", code)
	}
	return strings.ToUpper(strings.NewReplacer(" ", "_", "-", "_").Replace(text))
}

// explain is the one line a person reads about an error: ours as written, the
// client's through client.Explain (never a Go error string), with the API's code and
// trace id so that a refusal can be found in the server's log.
func explain(err error) string {
	var (
		usage       *usageError
		setup       *setupError
		interrupted *interruptedError
		notDone     *notDoneError
		screen      *screenError
	)
	switch {
	case errors.As(err, &screen):
		return screen.msg
	case errors.As(err, &interrupted):
		return "Interrupted: nothing more was asked of the server; what it had already answered is saved."
	case errors.As(err, &usage):
		return usage.msg
	case errors.As(err, &setup):
		return setup.msg
	case errors.As(err, &notDone):
		return notDone.msg
	}
	msg := client.Explain(err)
	var apiErr *client.APIError
	if errors.As(err, &apiErr) && apiErr.Code != "" {
		code, trace := present.Safe(apiErr.Code), present.Safe(apiErr.Trace)
		if !strings.Contains(msg, code) {
			msg += " [" + code
			if trace != "" && !strings.Contains(msg, trace) {
				msg += ", trace " + trace
			}
			msg += "]"
		}
	}
	return msg
}
