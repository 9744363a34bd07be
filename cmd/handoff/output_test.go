package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/client"
)

func TestExitCode(t *testing.T) {
	refused := &client.APIError{HTTPStatus: 401, Code: "unauthorized"}
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"success", nil, exitOK},
		{"usage", usagef("redeem needs the code"), exitUsage},
		{"bad link code", mustFail(client.NormalizeLinkCode("12#456")), exitUsage},
		{"keystore", &client.StoreError{Kind: "keyring", Err: errors.New("locked")}, exitUsage},
		{"400", &client.APIError{HTTPStatus: 400, Code: "invalid_parameter_code"}, exitRefused},
		{"401", refused, exitRefused},
		{"401 wrapped", fmt.Errorf("refresh: %w", refused), exitRefused},
		{"429", &client.APIError{HTTPStatus: 429, Code: "too_many_requests"}, exitRefused},
		{"not signed in", client.ErrNotSignedIn, exitRefused},
		{"500", &client.APIError{HTTPStatus: 500, Code: "internal_error"}, exitUnreachable},
		{"503", &client.APIError{HTTPStatus: 503}, exitUnreachable},
		{"connection refused", &client.UnreachableError{Server: "http://127.0.0.1:1", Err: errors.New("refused")}, exitUnreachable},
		{"timeout", &client.UnreachableError{Server: "http://127.0.0.1:1", Timeout: true, Err: context.DeadlineExceeded}, exitUnreachable},
		{"unreadable answer", &client.ProtocolError{Server: "http://x", HTTPStatus: 200, Problem: "not JSON"}, exitUnreachable},
		{"deadline", context.DeadlineExceeded, exitUnreachable},
		{"keystore unusable", &setupError{msg: "keyring unavailable"}, exitUsage},
		{"no terminal", &setupError{msg: "the interactive screen needs a terminal"}, exitUsage},
		{"link code expired", &notDoneError{code: "link_code_expired"}, exitRefused},
		{"already reported", &reportedError{err: refused}, exitRefused},
		{"Ctrl-C", fmt.Errorf("%w: %w", &interruptedError{signal: syscall.SIGINT}, context.Canceled), 130},
		{"SIGTERM", &interruptedError{signal: syscall.SIGTERM}, 143},
	} {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("%s: exitCode = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func mustFail(_ string, err error) error {
	if err == nil {
		panic("expected an error")
	}
	return err
}

func TestErrorObjectKeepsTheAPIError(t *testing.T) {
	err := fmt.Errorf("refresh: %w", &client.APIError{
		HTTPStatus: 401, Status: "UNAUTHORIZED", Code: "unauthorized", Message: "device unlinked",
		Action: "get_new_token", HelpURL: "https://example.com/help", Trace: "7d3c", RetryAfter: 0,
	})
	got := roundTrip(t, errorObject(err, "tv"))
	want := map[string]any{
		"status": "UNAUTHORIZED",
		"error": map[string]any{
			"status": 401.0, "code": "unauthorized", "message": "device unlinked",
			"action": "get_new_token", "helpUrl": "https://example.com/help", "trace": "7d3c",
		},
		"device": "tv",
	}
	if !jsonEqual(got, want) {
		t.Errorf("error object = %v, want %v", got, want)
	}
}

func TestErrorObjectNamesLocalFailures(t *testing.T) {
	for _, tc := range []struct {
		err          error
		status, code string
	}{
		{&client.APIError{HTTPStatus: 429, Code: "too_many_requests", Message: "slow down", RetryAfter: 30 * time.Second}, "TOO_MANY_REQUESTS", "too_many_requests"},
		{usagef("give device keys or --all-others, not both"), "USAGE_ERROR", "usage"},
		{mustFail(client.NormalizeLinkCode("123")), "USAGE_ERROR", "usage"},
		{client.ErrNotSignedIn, "NOT_SIGNED_IN", "not_signed_in"},
		{&client.UnreachableError{Server: "http://127.0.0.1:1", Err: errors.New("dial tcp: connection refused")}, "UNREACHABLE", "unreachable"},
		{&client.UnreachableError{Server: "http://127.0.0.1:1", Timeout: true, Err: context.DeadlineExceeded}, "UNREACHABLE", "timeout"},
		{&client.ProtocolError{Server: "http://x", HTTPStatus: 200}, "BAD_ANSWER", "bad_answer"},
		{&client.StoreError{Kind: "keyring", Err: errors.New("dbus: locked")}, "KEYSTORE_ERROR", "keystore_unavailable"},
	} {
		obj := errorObject(tc.err, "phone")
		if obj.Status != tc.status || obj.Error.Code != tc.code || obj.Device != "phone" {
			t.Errorf("%v: status %q code %q device %q, want %q %q phone", tc.err, obj.Status, obj.Error.Code, obj.Device, tc.status, tc.code)
		}
		if obj.Error.Message == "" {
			t.Errorf("%v: no message", tc.err)
		}
		for _, leak := range []string{"dial tcp", "dbus:", "sso:"} {
			if strings.Contains(obj.Error.Message, leak) {
				t.Errorf("%v: message %q shows a Go error string", tc.err, obj.Error.Message)
			}
		}
	}
	if obj := errorObject(&client.APIError{HTTPStatus: 429, RetryAfter: 30 * time.Second}, "tv"); obj.Error.RetryAfter != 30 {
		t.Errorf("retryAfter = %d, want 30", obj.Error.RetryAfter)
	}
}

func TestStatusName(t *testing.T) {
	for code, want := range map[int]string{400: "BAD_REQUEST", 401: "UNAUTHORIZED", 405: "METHOD_NOT_ALLOWED", 406: "NOT_ACCEPTABLE", 429: "TOO_MANY_REQUESTS", 500: "INTERNAL_SERVER_ERROR", 599: "HTTP_599"} {
		if got := statusName(code); got != want {
			t.Errorf("statusName(%d) = %q, want %q", code, got, want)
		}
	}
}

func TestOutputOKPrintsTheAnswerWithTheDevice(t *testing.T) {
	var stdout, stderr bytes.Buffer
	o := output{e: &env{stdout: &stdout, stderr: &stderr}, command: "signin", json: true, device: "phone"}
	tok := &client.ServiceToken{Status: "CREATED", Token: "eyJ.x.y", NotBefore: 1700000000000, NotAfter: 1700003600000}
	if err := o.ok(nil, tok, func(io.Writer) { t.Error("human output in --json mode") }); err != nil {
		t.Fatalf("ok: %v", err)
	}
	var got map[string]any
	dec := json.NewDecoder(&stdout)
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if dec.More() {
		t.Error("more than one JSON value on stdout")
	}
	want := map[string]any{"status": "CREATED", "serviceToken": "eyJ.x.y", "notBefore": 1700000000000.0, "notAfter": 1700003600000.0, "device": "phone"}
	if !jsonEqual(got, want) {
		t.Errorf("stdout = %v, want %v", got, want)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr = %q, want nothing", stderr.String())
	}

	stdout.Reset()
	o.json = false
	o.ok(nil, tok, func(w io.Writer) { fmt.Fprintln(w, "signed in") })
	if stdout.String() != "signed in\n" {
		t.Errorf("human stdout = %q", stdout.String())
	}
}

func TestOutputFail(t *testing.T) {
	refused := &client.APIError{HTTPStatus: 400, Status: "BAD_REQUEST", Code: "invalid_parameter_code", Message: "code not found", Trace: "abc-123"}
	var stdout, stderr bytes.Buffer
	o := output{e: &env{stdout: &stdout, stderr: &stderr}, command: "redeem", json: true, device: "tv"}
	if code := exitCode(o.fail(refused)); code != exitRefused {
		t.Errorf("exit %d, want %d", code, exitRefused)
	}
	var got apiErrorJSON
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("stdout %q: %v", stdout.String(), err)
	}
	if got.Error.Code != "invalid_parameter_code" || got.Error.Trace != "abc-123" || got.Device != "tv" || got.Status != "BAD_REQUEST" {
		t.Errorf("error object = %+v", got)
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "handoff: The link code is wrong") || !strings.Contains(lines[0], "invalid_parameter_code") {
		t.Errorf("stderr = %q, want one explanation line with the code", stderr.String())
	}

	stdout.Reset()
	stderr.Reset()
	o.json = false
	if code := exitCode(o.fail(usagef("redeem needs the code the phone shows"))); code != exitUsage {
		t.Errorf("usage exit %d", code)
	}
	if stdout.Len() != 0 {
		t.Errorf("human failure wrote stdout: %q", stdout.String())
	}
	if !strings.Contains(stderr.String(), "redeem needs the code") || !strings.Contains(stderr.String(), "handoff redeem --help") {
		t.Errorf("stderr = %q", stderr.String())
	}
}

func roundTrip(t *testing.T, v any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func jsonEqual(a, b any) bool {
	ra, _ := json.Marshal(a)
	rb, _ := json.Marshal(b)
	return bytes.Equal(ra, rb)
}

func TestNotSignedInInTheMemoryStoreSaysWhy(t *testing.T) {
	var stdout, stderr bytes.Buffer
	o := output{e: &env{stdout: &stdout, stderr: &stderr}, command: "link", json: true, device: "phone", storeKind: "memory"}
	if code := exitCode(o.fail(client.ErrNotSignedIn)); code != exitRefused {
		t.Errorf("exit %d, want %d", code, exitRefused)
	}
	for _, want := range []string{"previous command kept them in memory only", "--keystore kernel", "--keystore file"} {
		if !strings.Contains(stderr.String(), want) || !strings.Contains(stdout.String(), want) {
			t.Errorf("stderr %q / JSON %q do not say %q", stderr.String(), stdout.String(), want)
		}
	}
	stderr.Reset()
	o.storeKind = "file"
	o.fail(client.ErrNotSignedIn)
	if strings.Contains(stderr.String(), "memory") {
		t.Errorf("a file-store device is told about memory: %q", stderr.String())
	}
}
