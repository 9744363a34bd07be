package sandbox

import (
	"encoding/json"
	"encoding/xml"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// startLogin joins the phone to profile "alice" and starts a sign-in with mvpd.
func startLogin(t *testing.T, ts *testServer, phone device, mvpd string) (token string, session reply) {
	t.Helper()
	token = ts.serviceToken(t, phone, "alice")
	session = ts.do(t, "POST", "/api/v2/demo/sessions",
		phone.headers("AD-Service-Token", token, "Content-Type", "application/x-www-form-urlencoded"),
		url.Values{"mvpd": {mvpd}, "domainName": {"example.com"}, "redirectUrl": {"https://example.com/done"}}.Encode())
	if session.status != 201 {
		t.Fatalf("sessions: %d %s", session.status, session.raw)
	}
	return token, session
}

func TestMVPDLoginInABrowser(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ts := startServer(t, driver, "", Config{})
			phone := device{key: deviceKey("phone"), access: ts.accessToken(t)}
			token, s := startLogin(t, ts, phone, "cox")
			code := s.str("code")
			nb, _ := s.body["notBefore"].(float64)
			na, _ := s.body["notAfter"].(float64)
			if s.str("actionName") != "authenticate" || s.str("actionType") != "interactive" || s.str("mvpd") != "Cox" ||
				s.str("serviceProvider") != "demo" || len(code) != mvpdLoginCodeLen || s.str("url") != "/sandbox/mvpd-login/"+code ||
				s.str("sessionId") == "" || time.Duration(na-nb)*time.Millisecond != mvpdLoginTTL {
				t.Fatalf("session = %s", s.raw)
			}
			browser := map[string]string{"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
			form := map[string]string{"Accept": "text/html", "Content-Type": "application/x-www-form-urlencoded"}

			p := ts.raw(t, "GET", "/sandbox/mvpd-login/"+strings.ToLower(code), browser, "")
			if p.status != 200 || !strings.HasPrefix(p.header.Get("Content-Type"), "text/html") ||
				!strings.Contains(p.body, `action="/sandbox/mvpd-login/`+code+`"`) || !strings.Contains(p.body, "Sign in to Cox") {
				t.Fatalf("login page: %d %s\n%s", p.status, p.header, p.body)
			}
			p = ts.raw(t, "POST", "/sandbox/mvpd-login/"+code, form, url.Values{"userId": {"not valid!"}}.Encode())
			if p.status != 400 || !strings.Contains(p.body, `role="alert"`) || !strings.Contains(p.body, "<form") {
				t.Fatalf("bad user id: %d\n%s", p.status, p.body)
			}
			p = ts.raw(t, "POST", "/sandbox/mvpd-login/"+code, form, url.Values{"userId": {"alice.cox"}}.Encode())
			if p.status != 200 || !strings.Contains(p.body, "Signed in to Cox") || !strings.Contains(p.body, "alice.cox") {
				t.Fatalf("sign-in: %d\n%s", p.status, p.body)
			}
			for _, method := range []string{"GET", "POST"} {
				p = ts.raw(t, method, "/sandbox/mvpd-login/"+code, form, url.Values{"userId": {"again"}}.Encode())
				if p.status != 404 || !strings.Contains(p.body, "no longer works") {
					t.Errorf("%s on a spent code: %d\n%s", method, p.status, p.body)
				}
			}
			prof := ts.do(t, "GET", "/api/v2/demo/profiles/Cox", phone.headers("AD-Service-Token", token), "")
			cox, _ := prof.body["profiles"].(map[string]any)["Cox"].(map[string]any)
			if prof.status != 200 || cox["type"] != "regular" || cox["issuer"] != "Cox" {
				t.Fatalf("profiles after the browser sign-in: %d %s", prof.status, prof.raw)
			}
			other := ts.do(t, "GET", "/api/v2/demo/profiles/Dish", phone.headers("AD-Service-Token", token), "")
			if other.status != 200 || len(other.body["profiles"].(map[string]any)) != 0 {
				t.Errorf("profiles of another MVPD: %d %s", other.status, other.raw)
			}
		})
	}
}

func TestMVPDLoginJSON(t *testing.T) {
	ts := startServer(t, "memory", "", Config{MVPDAuthTTL: time.Hour})
	phone := device{key: deviceKey("phone"), access: ts.accessToken(t)}
	token, s := startLogin(t, ts, phone, "Dish")
	path := s.str("url")
	js := map[string]string{"Content-Type": "application/json"}
	checkEnvelope(t, ts.do(t, "POST", path, js, "{"), 400, "request_invalid", "check_request_body")
	checkEnvelope(t, ts.do(t, "POST", path, js, `{"userId":""}`), 400, "request_invalid", "check_request_body")
	r := ts.do(t, "POST", path, js, `{"userId":"d-1"}`)
	na, _ := r.body["notAfter"].(float64)
	if r.status != 200 || r.str("status") != "OK" || r.str("mvpd") != "Dish" || r.str("userId") != "d-1" ||
		int64(na) != ts.clock.Now().Add(time.Hour).UnixMilli() {
		t.Fatalf("JSON sign-in: %d %s", r.status, r.raw)
	}
	checkEnvelope(t, ts.do(t, "POST", path, js, `{"userId":"d-1"}`), 404, "mvpd_login_not_found", "none")
	checkEnvelope(t, ts.do(t, "POST", "/sandbox/mvpd-login/AAAAAAAA", js, `{"userId":"x"}`), 404, "mvpd_login_not_found", "none")

	_, late := startLogin(t, ts, phone, "Dish")
	ts.clock.Advance(mvpdLoginTTL)
	checkEnvelope(t, ts.do(t, "POST", late.str("url"), js, `{"userId":"x"}`), 404, "mvpd_login_not_found", "none")

	// A second sign-in with the same MVPD replaces the first.
	_, again := startLogin(t, ts, phone, "Dish")
	if r := ts.do(t, "POST", again.str("url"), js, `{"userId":"d-2"}`); r.status != 200 {
		t.Fatalf("second sign-in: %d %s", r.status, r.raw)
	}
	prof := ts.do(t, "GET", "/api/v2/demo/profiles", phone.headers("AD-Service-Token", token), "")
	profiles, _ := prof.body["profiles"].(map[string]any)
	dish, _ := profiles["Dish"].(map[string]any)
	attrs, _ := dish["attributes"].(map[string]any)
	user, _ := attrs["userID"].(map[string]any)
	if len(profiles) != 1 || user["value"] != "d-2" {
		t.Fatalf("profiles after a second sign-in: %s", prof.raw)
	}
}

func TestSessionsErrors(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	phone := device{key: deviceKey("phone"), access: ts.accessToken(t)}
	token := ts.serviceToken(t, phone, "alice")
	form := func(body string, ctype string) reply {
		return ts.do(t, "POST", "/api/v2/demo/sessions", phone.headers("AD-Service-Token", token, "Content-Type", ctype), body)
	}
	for name, tc := range map[string]struct {
		r            reply
		status       int
		code, action string
	}{
		"no mvpd":      {form("domainName=x", "application/x-www-form-urlencoded"), 400, "invalid_parameter_mvpd", "check_request_body"},
		"unknown mvpd": {form("mvpd=Nope", "application/x-www-form-urlencoded"), 400, "invalid_parameter_mvpd", "none"},
		"JSON body":    {form(`{"mvpd":"Cox"}`, "application/json"), 400, "request_invalid", "check_request_body"},
		// Without a service token, POST sessions is the second-screen flow, which needs the TV's key.
		"no token, no device": {ts.do(t, "POST", "/api/v2/demo/sessions", map[string]string{"Authorization": "Bearer " + phone.access,
			"Content-Type": "application/x-www-form-urlencoded"}, "mvpd=Cox"), 400, "header_missing", "check_headers"},
		"no access token": {ts.do(t, "POST", "/api/v2/demo/sessions", map[string]string{"AD-Service-Token": token}, "mvpd=Cox"),
			401, "invalid_access_token_client_application", "get_new_token"},
	} {
		r := tc.r
		if r.status != tc.status || r.body["code"] != tc.code || r.body["action"] != tc.action || r.body["status"] != float64(tc.status) ||
			r.body["trace"] != r.header.Get("X-Request-Id") || r.body["helpUrl"] == "" || r.body["error"] != nil {
			t.Errorf("%s: %d %s, want flat v2 %d %s %s", name, r.status, r.raw, tc.status, tc.code, tc.action)
		}
	}
}

func TestAuthnV1Negotiation(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	access := ts.accessToken(t)
	q := "?requestor=demo&deviceId=" + url.QueryEscape(deviceKey("nobody")) + "&device_info=" + url.QueryEscape(deviceInfo(map[string]string{"osName": "Roku OS"}))
	auth := map[string]string{"Authorization": "Bearer " + access}
	for _, tc := range []struct {
		name, method, path, accept string
		status                     int
		json                       bool
	}{
		{"Accept xml only", "GET", "/api/v1/tokens/authn" + q, "application/xml", 404, false},
		{"Accept text/plain", "GET", "/api/v1/tokens/authn" + q, "text/plain", 406, false},
		{"Accept anything", "GET", "/api/v1/tokens/authn" + q, "text/html, */*;q=0.8", 404, false},
		{"Accept json", "GET", "/api/v1/tokens/authn" + q, "application/json", 404, true},
		{"POST", "POST", "/api/v1/tokens/authn.json" + q, "", 405, true},
		{"no access token", "GET", "/api/v1/tokens/authn.xml" + q, "", 401, false},
	} {
		h := map[string]string{"Accept": tc.accept}
		if tc.name != "no access token" {
			h["Authorization"] = auth["Authorization"]
		}
		p := ts.raw(t, tc.method, tc.path, h, "")
		var e struct {
			Status int    `json:"status" xml:"status"`
			Code   string `json:"code" xml:"code"`
		}
		var err error
		if tc.json {
			err = json.Unmarshal([]byte(p.body), &e)
		} else {
			err = xml.Unmarshal([]byte(p.body), &e)
		}
		if p.status != tc.status || err != nil || e.Status != tc.status {
			t.Errorf("%s: %d %s (%v)\n%s", tc.name, p.status, p.header.Get("Content-Type"), err, p.body)
		}
		if tc.status == 401 && (e.Code != "invalid_access_token_client_application" || p.header.Get("WWW-Authenticate") == "") {
			t.Errorf("%s: code %q", tc.name, e.Code)
		}
		if tc.status == 405 && p.header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s: Allow %q", tc.name, p.header.Get("Allow"))
		}
	}
}

func TestConnectTokenErrors(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	js := map[string]string{"Content-Type": "application/json"}
	for _, body := range []string{"{", `{"format":"jws"}`, `{"subscriberId":"s","format":"jwt"}`, `{"subscriberId":"a b"}`} {
		checkEnvelope(t, ts.do(t, "POST", "/sandbox/roku/connect-token", js, body), 400, "request_invalid", "check_request_body")
	}
	r := ts.do(t, "POST", "/sandbox/roku/connect-token", js, `{"subscriberId":"s-1","deviceId":"d-1"}`)
	if r.status != 201 || r.str("format") != "jws" || r.str("subscriberId") != "s-1" || r.str("deviceId") != "d-1" || strings.Count(r.str("token"), ".") != 2 {
		t.Fatalf("connect token: %d %s", r.status, r.raw)
	}
}

// TestRokuKeysSurviveRestart: a connect token issued before a restart still joins.
func TestRokuKeysSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	first := startServer(t, "bbolt", dir, Config{})
	js := map[string]string{"Content-Type": "application/json"}
	jwe := first.do(t, "POST", "/sandbox/roku/connect-token", js, `{"subscriberId":"s-1","format":"jwe"}`).str("token")
	if err := first.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	second := startServer(t, "bbolt", dir, Config{})
	roku := device{key: deviceKey("roku"), access: second.accessToken(t)}
	if r := second.do(t, "POST", "/api/demo/serviceToken", roku.headers(headerRokuToken, jwe), ""); r.status != 201 {
		t.Fatalf("join with a token from before the restart: %d %s", r.status, r.raw)
	}
}

// TestRokuJoinRefusals: the checks around the header on POST serviceToken.
func TestRokuJoinRefusals(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	roku := device{key: deviceKey("roku"), access: ts.accessToken(t)}
	tok := ts.do(t, "POST", "/sandbox/roku/connect-token", map[string]string{"Content-Type": "application/json"}, `{"subscriberId":"s"}`).str("token")
	checkEnvelope(t, ts.do(t, "POST", "/api/demo/serviceToken", roku.headers(headerRokuToken, tok, "X-SSO-ID", "alice"), ""), 400, "request_invalid", "check_headers")
	checkEnvelope(t, ts.do(t, "POST", "/api/demo/serviceToken", roku.headers(headerRokuToken, tok+"x"), ""), 401, "header_invalid", "get_new_token")
	noKey := map[string]string{"Authorization": "Bearer " + roku.access, headerRokuToken: tok}
	checkEnvelope(t, ts.do(t, "POST", "/api/demo/serviceToken", noKey, ""), 400, "header_missing", "check_headers")
	r := ts.do(t, "GET", "/api/v2/demo/profiles", roku.headers(headerRokuToken, tok, "AD-Service-Token", "a.b.c"), "")
	if r.status != 400 || r.body["code"] != "request_invalid" {
		t.Errorf("both credentials on profiles: %d %s", r.status, r.raw)
	}
	// A subscriber whose devices never joined has no profile: nothing to show.
	if r := ts.do(t, "GET", "/api/v2/demo/profiles", roku.headers(headerRokuToken, tok), ""); r.status != 200 || len(r.body["profiles"].(map[string]any)) != 0 {
		t.Errorf("profiles of a new subscriber: %d %s", r.status, r.raw)
	}
}

// countingStore counts read-write transactions.
type countingStore struct {
	Store
	updates atomic.Int64
}

func (c *countingStore) Update(fn func(Tx) error) error {
	c.updates.Add(1)
	return c.Store.Update(fn)
}

// TestRokuProfilesWriteNothing: reading profiles through the Roku header opens no
// read-write transaction (on bbolt, each one is an fsync).
func TestRokuProfilesWriteNothing(t *testing.T) {
	cs := &countingStore{Store: NewMemoryStore()}
	ts := startOnStore(t, Config{}, cs)
	roku := device{key: deviceKey("roku"), access: ts.accessToken(t)}
	tok := ts.do(t, "POST", "/sandbox/roku/connect-token", map[string]string{"Content-Type": "application/json"}, `{"subscriberId":"s"}`).str("token")
	if r := ts.do(t, "POST", "/api/demo/serviceToken", roku.headers(headerRokuToken, tok), ""); r.status != 201 {
		t.Fatalf("Roku join: %d %s", r.status, r.raw)
	}
	before := cs.updates.Load()
	for i, h := range []map[string]string{roku.headers(headerRokuToken, tok), roku.headers(headerRokuToken, tok+"x"), roku.headers()} {
		if r := ts.do(t, "GET", "/api/v2/demo/profiles", h, ""); r.status != []int{200, 401, 401}[i] {
			t.Errorf("profiles call %d: %d %s", i, r.status, r.raw)
		}
	}
	if n := cs.updates.Load() - before; n != 0 {
		t.Errorf("profiles through the Roku header opened %d read-write transactions", n)
	}
}

func TestLinkPage(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	for _, tc := range []struct {
		query, wantCode, wantSP string
		status                  int
	}{
		{"?code=123456", "123456", "demo", 200},
		{"?code=123-456&sp=other.sp", "123-456", "other.sp", 200},
		{"?code=%3Cscript%3E", "", "demo", 200},
		{"", "", "demo", 200},
		{"?sp=bad!sp", "", "", 400},
	} {
		p := ts.raw(t, "GET", "/sandbox/link"+tc.query, map[string]string{"Accept": "text/html"}, "")
		if p.status != tc.status {
			t.Errorf("%s: %d\n%s", tc.query, p.status, p.body)
			continue
		}
		if tc.status == 200 && (!strings.Contains(p.body, `data-code="`+tc.wantCode+`"`) || !strings.Contains(p.body, `data-sp="`+tc.wantSP+`"`) ||
			!strings.Contains(p.header.Get("Content-Security-Policy"), "default-src 'none'")) {
			t.Errorf("%s: page lacks code %q / sp %q", tc.query, tc.wantCode, tc.wantSP)
		}
	}
}

// TestLogHidesMVPDLoginCode: the login code is a credential; the log shows its place.
func TestLogHidesMVPDLoginCode(t *testing.T) {
	var out lockedBuffer
	ts := startServer(t, "memory", "", Config{Logger: slog.New(slog.NewJSONHandler(&out, nil))})
	phone := device{key: deviceKey("phone"), access: ts.accessToken(t)}
	_, s := startLogin(t, ts, phone, "Cox")
	ts.raw(t, "GET", s.str("url"), nil, "")
	ts.do(t, "POST", s.str("url"), map[string]string{"Content-Type": "application/json"}, `{"userId":"u"}`)
	logs := out.String()
	if strings.Contains(logs, s.str("code")) || strings.Count(logs, "/sandbox/mvpd-login/<code>") != 2 {
		t.Fatalf("log lines:\n%s", logs)
	}
}

// TestInternalErrorLogHidesMVPDLoginCode: the log line of a failed MVPD login masks
// the code in its path, as the request line does.
func TestInternalErrorLogHidesMVPDLoginCode(t *testing.T) {
	var out lockedBuffer
	fs := &failingStore{Store: NewMemoryStore()}
	ts := startOnStore(t, Config{Logger: slog.New(slog.NewJSONHandler(&out, nil))}, fs)
	fs.fail = true
	r := ts.do(t, "POST", "/sandbox/mvpd-login/QZ7K4M2P", map[string]string{"Content-Type": "application/json"}, `{"userId":"u"}`)
	logs := out.String()
	if r.status != 500 || !strings.Contains(logs, `"msg":"internal error"`) || strings.Contains(logs, "QZ7K4M2P") {
		t.Fatalf("%d; log lines:\n%s", r.status, logs)
	}
}
