package sandbox

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// admin calls the admin API with the server's token.
func (ts *testServer) admin(t testing.TB, method, path, body string) reply {
	t.Helper()
	h := map[string]string{"Authorization": "Bearer " + ts.AdminToken()}
	if body != "" {
		h["Content-Type"] = "application/json"
	}
	return ts.do(t, method, adminPrefix+path, h, body)
}

// advance moves the sandbox clock through the admin API (not the test's own clock).
func (ts *testServer) advance(t testing.TB, d time.Duration) {
	t.Helper()
	if r := ts.admin(t, "POST", "clock/advance", jsonBody(map[string]string{"by": d.String()})); r.status != 200 {
		t.Fatalf("clock advance %s: %d %s", d, r.status, r.raw)
	}
}

func TestAdminRefusesWithoutTheToken(t *testing.T) {
	ts := startServer(t, "memory", "", Config{AdminToken: "s3cret-admin"})
	if ts.AdminToken() != "s3cret-admin" {
		t.Fatalf("AdminToken() = %q, want the configured one", ts.AdminToken())
	}
	for name, h := range map[string]map[string]string{
		"missing":      nil,
		"wrong":        {"Authorization": "Bearer s3cret-admix"},
		"other scheme": {"Authorization": "Basic czNjcmV0LWFkbWlu"},
		"access token": {"Authorization": "Bearer " + ts.accessToken(t)},
	} {
		for _, p := range []string{"clock", "faults", "state"} {
			r := ts.do(t, "GET", adminPrefix+p, h, "")
			checkEnvelope(t, r, 401, "unauthorized", "check_headers")
			if r.header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s token on %s: no WWW-Authenticate", name, p)
			}
		}
	}
	if r := ts.do(t, "POST", adminPrefix+"reset", nil, ""); r.status != 401 {
		t.Errorf("reset without a token: %d", r.status)
	}
	if r := ts.admin(t, "GET", "clock", ""); r.status != 200 || r.str("now") == "" {
		t.Fatalf("with the token, over loopback: %d %s", r.status, r.raw)
	}
}

func TestAdminRandomTokenWhenNoneGiven(t *testing.T) {
	a, b := startServer(t, "memory", "", Config{}), startServer(t, "memory", "", Config{})
	if len(a.AdminToken()) < 40 || a.AdminToken() == b.AdminToken() {
		t.Fatalf("random admin tokens %q and %q: want two different 256-bit tokens", a.AdminToken(), b.AdminToken())
	}
}

func TestAdminLoopbackOnly(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:5000": true, "127.9.9.9:1": true, "[::1]:5000": true, "[::ffff:127.0.0.1]:80": true,
		"192.168.1.20:5000": false, "10.0.0.1:1": false, "[fe80::1]:5000": false, "[2001:db8::1]:443": false,
		"0.0.0.0:1": false, "localhost:80": false, "": false, "garbage": false,
	} {
		if got := loopbackCaller(addr); got != want {
			t.Errorf("loopbackCaller(%q) = %v, want %v", addr, got, want)
		}
	}
	for _, remote := range []bool{false, true} {
		ts := startServer(t, "memory", "", Config{AdminToken: "tok", AdminRemote: remote})
		req, _ := http.NewRequest("GET", "http://sandbox"+adminPrefix+"clock", nil)
		req.Header.Set("Authorization", "Bearer tok")
		req.RemoteAddr = "192.168.1.20:40000"
		e := ts.checkAdmin(req)
		if remote && e != nil || !remote && e != errAdminRemote {
			t.Errorf("AdminRemote %v, a LAN caller with the token: %v", remote, e)
		}
		req.Header.Del("Authorization")
		if e := ts.checkAdmin(req); !remote && e != errAdminRemote || remote && e != errAdminNoToken {
			t.Errorf("AdminRemote %v, a LAN caller without a token: %v (refused before the token is read)", remote, e)
		}
	}
}

func TestClockAdminAPI(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	start := ts.clock.Now()
	r := ts.admin(t, "GET", "clock", "")
	if r.str("now") != start.Format(time.RFC3339Nano) || r.body["shifted"] != false || r.str("offset") != "0s" {
		t.Fatalf("clock at start: %s", r.raw)
	}
	r = ts.admin(t, "POST", "clock/advance", `{"by":"90m"}`)
	if r.status != 200 || r.str("offset") != "1h30m0s" || r.body["shifted"] != true || r.str("now") != start.Add(90*time.Minute).Format(time.RFC3339Nano) {
		t.Fatalf("advance 90m: %d %s", r.status, r.raw)
	}
	if ts.now() != start.Add(90*time.Minute) {
		t.Fatalf("the server's clock %s, want %s", ts.now(), start.Add(90*time.Minute))
	}
	r = ts.admin(t, "POST", "clock/set", `{"time":"2030-01-02T03:04:05Z"}`)
	if r.status != 200 || r.str("now") != "2030-01-02T03:04:05Z" {
		t.Fatalf("set: %d %s", r.status, r.raw)
	}
	ts.clock.Advance(time.Minute) // the admin clock is an offset: it runs on with the real one
	if want := time.Date(2030, 1, 2, 3, 5, 5, 0, time.UTC); !ts.now().Equal(want) {
		t.Fatalf("a minute after set: %s, want %s", ts.now(), want)
	}
	r = ts.admin(t, "POST", "clock/reset", "")
	if r.status != 200 || r.body["shifted"] != false || !ts.now().Equal(ts.clock.Now()) {
		t.Fatalf("reset: %d %s", r.status, r.raw)
	}
	for _, bad := range []string{`{"by":"-1m"}`, `{"by":"0s"}`, `{"by":"soon"}`, `{"by":"1000000h"}`, `{}`, `[1]`} {
		checkEnvelope(t, ts.admin(t, "POST", "clock/advance", bad), 400, "request_invalid", "check_request_body")
	}
	for _, bad := range []string{`{"time":"tomorrow"}`, `{"time":"2999-01-01T00:00:00Z"}`, `{}`} {
		checkEnvelope(t, ts.admin(t, "POST", "clock/set", bad), 400, "request_invalid", "check_request_body")
	}
}

// The sandbox clock drives every expiry: nothing here sleeps, and the test's own clock
// never moves.
func TestClockAdvanceExpiresEverything(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ts := startServer(t, driver, "", Config{})
			access := ts.accessToken(t)
			phone, tv := device{key: deviceKey("phone"), access: access}, device{key: deviceKey("tv"), access: access}
			tok := ts.serviceToken(t, phone, "alice")

			// A link code lives ten minutes.
			code := ts.linkCode(t, phone, tok)
			ts.advance(t, DefaultLinkCodeTTL)
			checkEnvelope(t, ts.do(t, "POST", "/api/demo/serviceToken", tv.headers("X-SSO-LINK", code), ""), 400, "invalid_parameter_code", "none")

			// A TV provider sign-in, then its authentication lives thirty days.
			_, s := ts.startLoginWith(t, phone, tok)
			if r := ts.do(t, "POST", s.str("url"), map[string]string{"Content-Type": "application/json"}, `{"userId":"alice-tv"}`); r.status != 200 {
				t.Fatalf("MVPD login: %d %s", r.status, r.raw)
			}
			v1 := func() page {
				q := url.Values{"requestor": {"demo"}, "deviceId": {phone.key}, "device_info": {deviceInfo(map[string]string{"model": "x"})}}
				return ts.raw(t, "GET", "/api/v1/tokens/authn.json?"+q.Encode(), map[string]string{"Authorization": "Bearer " + access}, "")
			}
			if p := v1(); p.status != 200 {
				t.Fatalf("v1 authn before expiry: %d %s", p.status, p.body)
			}

			// The service token expires after an hour and refreshes within its grace.
			ts.advance(t, DefaultServiceTokenTTL)
			checkEnvelope(t, ts.do(t, "GET", "/api/demo/list", phone.headers("AD-Service-Token", tok), ""), 401, "token_expired", "get_new_token")
			r := ts.do(t, "GET", "/api/demo/serviceToken", phone.headers("AD-Service-Token", tok), "")
			if r.status != 200 {
				t.Fatalf("refresh within grace: %d %s", r.status, r.raw)
			}
			// The access token lives six hours.
			ts.advance(t, DefaultAccessTokenTTL-DefaultServiceTokenTTL)
			checkEnvelope(t, ts.do(t, "POST", "/api/demo/serviceToken", phone.headers("X-SSO-ID", "alice"), ""), 401, "unauthorized", "none")

			// Past its refresh grace, the first service token is dead.
			ts.advance(t, DefaultRefreshGrace)
			phone.access = ts.accessToken(t)
			checkEnvelope(t, ts.do(t, "GET", "/api/demo/serviceToken", phone.headers("AD-Service-Token", tok), ""), 401, "token_expired", "get_new_token")

			// The MVPD authentication ends thirty days after the sign-in.
			ts.advance(t, DefaultMVPDAuthTTL-DefaultAccessTokenTTL-DefaultRefreshGrace)
			access = ts.accessToken(t)
			if p := v1(); p.status != 410 {
				t.Fatalf("v1 authn after thirty days: %d %s, want 410", p.status, p.body)
			}
		})
	}
}

// startLoginWith starts an MVPD sign-in with an existing service token.
func (ts *testServer) startLoginWith(t *testing.T, phone device, tok string) (string, reply) {
	t.Helper()
	s := ts.do(t, "POST", "/api/v2/demo/sessions",
		phone.headers("AD-Service-Token", tok, "Content-Type", "application/x-www-form-urlencoded"), url.Values{"mvpd": {"cox"}}.Encode())
	if s.status != 201 {
		t.Fatalf("sessions: %d %s", s.status, s.raw)
	}
	return tok, s
}

func TestClockAdvanceOpensTheLimiter(t *testing.T) {
	ts := startServer(t, "memory", "", Config{LinkFailureLimit: 3})
	tv := device{key: deviceKey("tv"), access: ts.accessToken(t)}
	redeem := func() reply {
		return ts.do(t, "POST", "/api/demo/serviceToken", tv.headers("X-SSO-LINK", "000000"), "")
	}
	for range 3 {
		redeem()
	}
	r := redeem()
	checkEnvelope(t, r, 429, "too_many_requests", "retry")
	wait, _ := strconv.Atoi(r.header.Get("Retry-After"))
	ts.advance(t, time.Duration(wait)*time.Second)
	checkEnvelope(t, redeem(), 400, "invalid_parameter_code", "none")
}

func TestStateCountsAndReset(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ts := startServer(t, driver, "", Config{LinkCodeTTL: time.Minute})
			access := ts.accessToken(t)
			phone, tv := device{key: deviceKey("phone"), access: access}, device{key: deviceKey("tv"), access: access}
			tok := ts.serviceToken(t, phone, "alice")
			ts.serviceToken(t, device{key: deviceKey("laptop"), access: access}, "bob")
			code := ts.linkCode(t, phone, tok)
			ts.linkCode(t, phone, tok)
			if r := ts.do(t, "POST", "/api/demo/serviceToken", tv.headers("X-SSO-LINK", code), ""); r.status != 201 {
				t.Fatalf("redeem: %d %s", r.status, r.raw)
			}
			want := map[string]float64{"profiles": 2, "devices": 3, "linkCodes": 1, "clients": 1, "accessTokens": 1, "mvpdLogins": 0, "faults": 0}
			st := ts.admin(t, "GET", "state", "")
			for k, v := range want {
				if st.body[k] != v {
					t.Errorf("state %s = %v, want %v (%s)", k, st.body[k], v, st.raw)
				}
			}
			if got := string(st.raw); strings.Contains(got, code) || strings.Contains(got, access) || strings.Contains(got, tok) {
				t.Fatalf("state shows a secret: %s", got)
			}
			ts.advance(t, time.Minute)
			if st := ts.admin(t, "GET", "state", ""); st.body["linkCodes"] != 0.0 {
				t.Errorf("a code past its minute still counts: %s", st.raw)
			}

			r := ts.admin(t, "POST", "reset", "")
			for _, k := range []string{"profiles", "devices", "linkCodes", "clients", "accessTokens"} {
				if r.body[k] != 0.0 {
					t.Errorf("after reset %s = %v: %s", k, r.body[k], r.raw)
				}
			}
			checkEnvelope(t, ts.do(t, "GET", "/api/demo/list", phone.headers("AD-Service-Token", tok), ""), 401, "unauthorized", "none")
			// The keys stayed: a new client's tokens work at once, and the store is usable.
			phone.access = ts.accessToken(t)
			ts.serviceToken(t, phone, "alice")
		})
	}
}

// Going back in time: what was issued before the jump still works; a token issued in
// the sandbox's "future" is not valid yet. Every answer says the clock is shifted.
func TestClockResetAfterAJumpAhead(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	phone := device{key: deviceKey("phone"), access: ts.accessToken(t)}
	before := ts.serviceToken(t, phone, "alice")
	if r := ts.do(t, "GET", "/sandbox/healthz", nil, ""); r.header.Get("X-Sandbox-Clock-Offset") != "" {
		t.Fatalf("an unshifted clock sends X-Sandbox-Clock-Offset %q", r.header.Get("X-Sandbox-Clock-Offset"))
	}
	ts.advance(t, 3*time.Hour) // the access token is still good (6h)
	ahead := ts.serviceToken(t, phone, "alice")
	if r := ts.do(t, "GET", "/sandbox/healthz", nil, ""); r.header.Get("X-Sandbox-Clock-Offset") != "3h0m0s" {
		t.Fatalf("X-Sandbox-Clock-Offset %q, want 3h0m0s", r.header.Get("X-Sandbox-Clock-Offset"))
	}
	ts.admin(t, "POST", "clock/reset", "")
	if r := ts.do(t, "GET", "/api/demo/list", phone.headers("AD-Service-Token", ahead), ""); r.status != 400 || r.str("error", "code") != "token_invalid" {
		t.Fatalf("a token from 3h ahead after reset: %d %s, want token_invalid (not valid yet)", r.status, r.raw)
	}
	if r := ts.do(t, "GET", "/api/demo/list", phone.headers("AD-Service-Token", before), ""); r.status != 200 {
		t.Fatalf("a token from before the jump after reset: %d %s", r.status, r.raw)
	}
}
