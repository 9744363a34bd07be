package sandbox

import (
	"net/url"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// join is POST serviceToken under sp with the headers given.
func (ts *testServer) join(t *testing.T, sp string, d device, kv ...string) reply {
	t.Helper()
	return ts.do(t, "POST", "/api/"+sp+"/serviceToken", d.headers(kv...), "")
}

// TestServiceProvidersApart: a token, a link code or an X-SSO-ID of one {sp} gives
// nothing under another.
func TestServiceProvidersApart(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ts := startServer(t, driver, "", Config{})
			access := ts.accessToken(t)
			phone := device{key: deviceKey("phone"), access: access}
			espn := ts.join(t, "espn", phone, "X-SSO-ID", "alice").str("serviceToken")
			for _, c := range []struct{ method, path string }{
				{"GET", "/api/hbo/list"}, {"GET", "/api/hbo/serviceToken"}, {"POST", "/api/hbo/link"},
			} {
				checkEnvelope(t, ts.do(t, c.method, c.path, phone.headers("AD-Service-Token", espn), ""), 401, "header_invalid", "get_new_token")
			}
			r := ts.do(t, "GET", "/api/v2/hbo/profiles", phone.headers("AD-Service-Token", espn), "")
			if r.status != 401 || r.str("code") != "header_invalid" {
				t.Errorf("v2 profiles under hbo with an espn token: %d %s", r.status, r.raw)
			}

			code := ts.do(t, "POST", "/api/espn/link", phone.headers("AD-Service-Token", espn), "").str("code")
			tv := device{key: deviceKey("tv"), access: access}
			checkEnvelope(t, ts.join(t, "hbo", tv, "X-SSO-LINK", code), 400, "invalid_parameter_code", "none")
			if r := ts.join(t, "espn", tv, "X-SSO-LINK", code); r.status != 201 {
				t.Fatalf("the espn code under espn, after a try under hbo: %d %s", r.status, r.raw)
			}

			// The same X-SSO-ID under hbo is another profile: espn's devices are not in it.
			hbo := ts.join(t, "hbo", device{key: deviceKey("laptop"), access: access}, "X-SSO-ID", "alice").str("serviceToken")
			list := ts.do(t, "GET", "/api/hbo/list", device{key: deviceKey("laptop"), access: access}.headers("AD-Service-Token", hbo), "")
			if devices, _ := list.body["devices"].(map[string]any); list.status != 200 || len(devices) != 1 {
				t.Errorf("alice under hbo lists %s, want the laptop alone", list.raw)
			}
		})
	}
}

// TestPlatformProfileUnreachableByID: the common identifier of a Roku subscriber's
// profile, sent as X-SSO-ID, joins a profile of its own, not the subscriber's.
func TestPlatformProfileUnreachableByID(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	access := ts.accessToken(t)
	ct := ts.do(t, "POST", "/sandbox/roku/connect-token", map[string]string{"Content-Type": "application/json"}, `{"subscriberId":"s-1","format":"jws"}`)
	roku := device{key: deviceKey("roku"), access: access}
	rokuTok := ts.join(t, "demo", roku, headerRokuToken, ct.str("token")).str("serviceToken")
	parsed, err := jwt.ParseSigned(rokuTok, []jose.SignatureAlgorithm{jose.HS256})
	if err != nil {
		t.Fatal(err)
	}
	var c serviceClaims
	if err := parsed.UnsafeClaimsWithoutVerification(&c); err != nil || !strings.HasPrefix(c.Subject, "roku-") {
		t.Fatalf("Roku token claims %+v (%v)", c, err)
	}
	intruder := device{key: deviceKey("intruder"), access: access}
	tok := ts.join(t, "demo", intruder, "X-SSO-ID", c.Subject).str("serviceToken")
	list := ts.do(t, "GET", "/api/demo/list", intruder.headers("AD-Service-Token", tok), "")
	devices, _ := list.body["devices"].(map[string]any)
	if _, joined := devices[roku.key]; list.status != 200 || joined || len(devices) != 1 {
		t.Fatalf("X-SSO-ID %q reached the Roku subscriber's profile: %s", c.Subject, list.raw)
	}
}

// TestAuthnV1ScopedToRequestor: the legacy call reads only the authentications of
// the requestor's profiles.
func TestAuthnV1ScopedToRequestor(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	phone := device{key: deviceKey("phone"), access: ts.accessToken(t)}
	_, s := startLogin(t, ts, phone, "Cox")
	if r := ts.do(t, "POST", s.str("url"), map[string]string{"Content-Type": "application/json"}, `{"userId":"u-1"}`); r.status != 200 {
		t.Fatalf("sign-in: %d %s", r.status, r.raw)
	}
	for requestor, want := range map[string]int{"demo": 200, "hbo": 404} {
		q := "?requestor=" + requestor + "&deviceId=" + url.QueryEscape(phone.key) + "&device_info=" + url.QueryEscape(deviceInfo(map[string]string{"osName": "iOS"}))
		if p := ts.raw(t, "GET", "/api/v1/tokens/authn.json"+q, map[string]string{"Authorization": "Bearer " + phone.access}, ""); p.status != want {
			t.Errorf("v1 authn for requestor %s: %d %s, want %d", requestor, p.status, p.body, want)
		}
	}
	// The unauthorized correction is the SSO service's: v1 keeps get_new_token.
	if p := ts.raw(t, "GET", "/api/v1/tokens/authn.json?requestor=demo", nil, ""); p.status != 401 || !strings.Contains(p.body, `"get_new_token"`) {
		t.Errorf("v1 authn without an access token: %d %s", p.status, p.body)
	}
}
