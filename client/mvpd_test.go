package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/handoff-sso/handoff/keystore"
)

// The MVPD, v1 and Roku calls against the real sandbox are tested in package
// integration; these cover what the client decides on its own.

func TestGetAuthenticationParsesBothFormats(t *testing.T) {
	f := newFakeSSO(t)
	var asked, accepts []string
	f.endpoint = func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.Path+"?"+r.URL.RawQuery)
		accepts = append(accepts, r.Header.Get("Accept"))
		if r.Header.Get("Accept") == "application/xml" {
			w.Header().Set("Content-Type", "application/xml")
			_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<authentication><expires>1601114932000</expires><userId>u1</userId><mvpd>Cox</mvpd><requestor>demo</requestor></authentication>`))
			return
		}
		writeJSON(w, 200, map[string]string{"requestor": "demo", "mvpd": "Cox", "userId": "u1", "expires": "1601114932000"})
	}
	c, err := New(f.URL, Options{})
	if err != nil {
		t.Fatal(err)
	}
	dev := DeviceHeaders{Key: "a2V5+/=="}
	for _, asXML := range []bool{false, true} {
		a, err := c.GetAuthentication(context.Background(), "demo", dev, asXML)
		if err != nil {
			t.Fatal(err)
		}
		if a.MVPD != "Cox" || a.UserID != "u1" || a.Requestor != "demo" || a.Expires != 1601114932000 || (a.Format == "xml") != asXML || len(a.Raw) == 0 {
			t.Fatalf("xml=%v: %+v", asXML, a)
		}
	}
	// Seed 004's path, the format asked with Accept.
	if len(asked) != 2 || !strings.HasPrefix(asked[0], "/api/v1/tokens/authn?") || !strings.HasPrefix(asked[1], "/api/v1/tokens/authn?") ||
		!strings.Contains(asked[0], "deviceId=a2V5%2B%2F%3D%3D") || !strings.Contains(asked[0], "requestor=demo") ||
		accepts[0] != "application/json" || accepts[1] != "application/xml" {
		t.Fatalf("asked %q with Accept %q", asked, accepts)
	}
}

// A server that knows only the older suffix paths answers the seed's path with a
// plain-text 404: the client then tries the suffix; a server with neither is said to
// have no such endpoint, not to lack an authentication.
func TestGetAuthenticationSuffixFallback(t *testing.T) {
	f := newFakeSSO(t)
	var asked []string
	suffixes := true
	f.endpoint = func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.Path)
		if !suffixes || !strings.HasSuffix(r.URL.Path, ".json") {
			http.NotFound(w, r)
			return
		}
		writeJSON(w, 200, map[string]string{"requestor": "demo", "mvpd": "Cox", "userId": "u1", "expires": "1601114932000"})
	}
	c, _ := New(f.URL, Options{})
	a, err := c.GetAuthentication(context.Background(), "demo", DeviceHeaders{Key: "a2V5"}, false)
	if err != nil || a.UserID != "u1" {
		t.Fatalf("suffix fallback: %+v, %v", a, err)
	}
	if strings.Join(asked, " ") != "/api/v1/tokens/authn /api/v1/tokens/authn.json" {
		t.Errorf("asked %q", asked)
	}
	suffixes = false
	_, err = c.GetAuthentication(context.Background(), "demo", DeviceHeaders{Key: "a2V5"}, false)
	if IsNoAuthentication(err) || !strings.Contains(Explain(err), "no such endpoint") {
		t.Errorf("no v1 at all: %v → %q", err, Explain(err))
	}
}

func TestGetAuthenticationErrors(t *testing.T) {
	f := newFakeSSO(t)
	status, body := 0, ""
	f.endpoint = func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
	c, _ := New(f.URL, Options{})
	dev := DeviceHeaders{Key: "a2V5"}
	for _, tc := range []struct {
		status         int
		body           string
		xml            bool
		notFound, gone bool
		message        string
	}{
		{404, `{"status":404,"message":"Not Found"}`, false, true, false, "Not Found"},
		{404, `<?xml version="1.0"?><error><status>404</status><message>Not found</message></error>`, true, true, false, "Not found"},
		{410, `{"status":410,"message":"Authentication token expired"}`, false, false, true, "Authentication token expired"},
		{200, `{"requestor":"demo","expires":"soon"}`, false, false, false, ""},
	} {
		status, body = tc.status, tc.body
		_, err := c.GetAuthentication(context.Background(), "demo", dev, tc.xml)
		if err == nil {
			t.Fatalf("%d %s: no error", tc.status, tc.body)
		}
		if IsNoAuthentication(err) != tc.notFound || IsAuthenticationExpired(err) != tc.gone {
			t.Errorf("%d: notFound=%v gone=%v (%v)", tc.status, IsNoAuthentication(err), IsAuthenticationExpired(err), err)
		}
		var ae *APIError
		if tc.message != "" && (!errors.As(err, &ae) || ae.Message != tc.message) {
			t.Errorf("%d: message of %v, want %q", tc.status, err, tc.message)
		}
		if msg := Explain(err); strings.Contains(msg, "no such endpoint") {
			t.Errorf("%d: Explain says %q", tc.status, msg)
		}
	}
}

func TestLocalPathStaysOnTheServer(t *testing.T) {
	c, _ := New("http://127.0.0.1:8765", Options{})
	for in, want := range map[string]string{
		"/sandbox/mvpd-login/ABC":                        "/sandbox/mvpd-login/ABC",
		"http://127.0.0.1:8765/sandbox/mvpd-login/ABC?x": "/sandbox/mvpd-login/ABC?x",
	} {
		if got, err := c.localPath(in); err != nil || got != want {
			t.Errorf("localPath(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"https://mvpd.example/login", "http://127.0.0.1:9999/x", "relative/path", "::"} {
		if _, err := c.localPath(in); !IsBadInput(err) {
			t.Errorf("localPath(%q) = %v, want an input error", in, err)
		}
	}
}

func TestMVPDAndRokuStepsCheckInputFirst(t *testing.T) {
	f := newFakeSSO(t)
	tv, err := OpenDevice(DeviceConfig{Name: "tv", Server: f.URL, Preset: "tizen", Store: keystore.NewMemory()})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := tv.RokuSignIn(ctx, "sub-1"); !IsBadInput(err) || !strings.Contains(Explain(err), "Roku") {
		t.Errorf("RokuSignIn on a Samsung TV: %v", err)
	}
	if _, err := tv.MVPDSignIn(ctx, "Cox", "u1"); err != ErrNotSignedIn {
		t.Errorf("MVPDSignIn without a token: %v", err)
	}
	if _, err := tv.Profiles(ctx); err != ErrNotSignedIn {
		t.Errorf("Profiles without a token: %v", err)
	}
	if _, err := tv.SignOut(ctx); err != ErrNotSignedIn {
		t.Errorf("SignOut without a token: %v", err)
	}
	if _, err := tv.Client().GetProfiles(ctx, "demo", tv.Headers(), ProfileCredential{}, ""); !IsBadInput(err) {
		t.Errorf("GetProfiles with no credential: %v", err)
	}
	if f.calls.Load() != 0 {
		t.Fatalf("%d calls reached the server", f.calls.Load())
	}
}
