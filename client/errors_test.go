package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestErrorShapes reads each of the four error shapes from a real HTTP answer.
func TestErrorShapes(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header map[string]string
		body   string
		want   APIError
	}{
		{"sso envelope", 400, nil,
			`{"status":"BAD_REQUEST","error":{"status":400,"code":"header_missing","message":"x-sso-id or x-sso-link header is required for POST requests","action":"check_headers","helpUrl":"https://help","trace":"t-1"}}`,
			APIError{HTTPStatus: 400, Status: "BAD_REQUEST", Code: "header_missing", Message: "x-sso-id or x-sso-link header is required for POST requests", Action: "check_headers", HelpURL: "https://help", Trace: "t-1"}},
		{"flat v2", 401, nil,
			`{"status":401,"code":"invalid_access_token_client_application","message":"expired","action":"get_new_token","helpUrl":"h","trace":"t-2"}`,
			APIError{HTTPStatus: 401, Code: "invalid_access_token_client_application", Message: "expired", Action: "get_new_token", HelpURL: "h", Trace: "t-2"}},
		{"v1 small, trace from header", 404, map[string]string{"X-Request-Id": "t-3"},
			`{"status":404,"message":"Not Found"}`,
			APIError{HTTPStatus: 404, Message: "Not Found", Trace: "t-3"}},
		{"oauth", 401, map[string]string{"X-Request-Id": "t-4"},
			`{"error":"invalid_client","error_description":"unknown client"}`,
			APIError{HTTPStatus: 401, Code: "invalid_client", Message: "unknown client", Trace: "t-4"}},
		{"429 with Retry-After", 429, map[string]string{"Retry-After": "42"},
			`{"status":"TOO_MANY_REQUESTS","error":{"status":429,"code":"too_many_requests","message":"slow down","action":"retry","trace":"t-5"}}`,
			APIError{HTTPStatus: 429, Status: "TOO_MANY_REQUESTS", Code: "too_many_requests", Message: "slow down", Action: "retry", Trace: "t-5", RetryAfter: 42 * time.Second}},
		{"not JSON", 502, map[string]string{"X-Request-Id": "t-6"}, `<html>bad gateway</html>`,
			APIError{HTTPStatus: 502, Trace: "t-6"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			c, err := New(srv.URL, Options{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.FetchSoftwareStatement(context.Background())
			var ae *APIError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v (%T), want *APIError", err, err)
			}
			got := *ae
			if json.Valid([]byte(tt.body)) != (got.Raw != nil) {
				t.Errorf("raw error body %q", got.Raw)
			}
			got.shaped, got.Raw = false, nil // shaped: told apart in TestGetAuthenticationSuffixFallback
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *ae, tt.want)
			}
			if !strings.Contains(ae.Error(), "HTTP") || Explain(err) == "" {
				t.Errorf("Error() = %q, Explain = %q", ae.Error(), Explain(err))
			}
			if IsRefused(err) != (tt.status < 500) || IsUnavailable(err) != (tt.status >= 500) {
				t.Errorf("IsRefused=%v IsUnavailable=%v for %d", IsRefused(err), IsUnavailable(err), tt.status)
			}
		})
	}
}

func TestRetryAfterHTTPDate(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	if got := retryAfter(now.Add(90*time.Second).Format(http.TimeFormat), now); got != 90*time.Second {
		t.Errorf("retryAfter(date) = %v, want 90s", got)
	}
	if got := retryAfter("soon", now); got != 0 {
		t.Errorf("retryAfter(soon) = %v, want 0", got)
	}
}

func TestUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	c, err := New(url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateServiceToken(context.Background(), "demo", DeviceHeaders{Key: "k"}, Identity{SSOID: "alice"})
	if !IsUnavailable(err) || IsRefused(err) {
		t.Fatalf("err = %v: want unavailable", err)
	}
	want := "Cannot reach the SSO service at " + url + ": is `handoff serve` running?"
	if got := Explain(err); got != want {
		t.Errorf("Explain = %q, want %q", got, want)
	}
}

func TestTimeoutIsUnavailable(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	c, err := New(srv.URL, Options{HTTPClient: &http.Client{Timeout: 50 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.FetchSoftwareStatement(context.Background())
	var ue *UnreachableError
	if !errors.As(err, &ue) || !ue.Timeout || !IsUnavailable(err) {
		t.Fatalf("err = %#v: want a timeout", err)
	}
	if !strings.Contains(Explain(err), "did not answer in time") {
		t.Errorf("Explain = %q", Explain(err))
	}
}

func TestCancelled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer srv.Close()
	c, _ := New(srv.URL, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	_, err := c.FetchSoftwareStatement(ctx)
	if !errors.Is(err, context.Canceled) || Explain(err) != "Cancelled." {
		t.Fatalf("err = %v, Explain = %q", err, Explain(err))
	}
}

func TestBadServerURL(t *testing.T) {
	for _, s := range []string{"", "127.0.0.1:8765", "ftp://x", "http://", "http://u:p@h/", "http://h/?q=1"} {
		_, err := New(s, Options{})
		if !IsBadInput(err) || !strings.Contains(Explain(err), "http://127.0.0.1:8765") {
			t.Errorf("New(%q): err = %v", s, err)
		}
	}
	c, err := New("http://127.0.0.1:8765/", Options{})
	if err != nil || c.Server() != "http://127.0.0.1:8765" {
		t.Errorf("New with a trailing slash: %v, %q", err, c.Server())
	}
}

func TestOversizedAnswer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"software_statement":"` + strings.Repeat("a", maxResponseBody) + `"}`))
	}))
	defer srv.Close()
	c, _ := New(srv.URL, Options{})
	_, err := c.FetchSoftwareStatement(context.Background())
	var pe *ProtocolError
	if !errors.As(err, &pe) || !IsUnavailable(err) {
		t.Fatalf("err = %v: want a ProtocolError", err)
	}
}
