package sandbox

import (
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The second-screen sign-in, end to end over loopback: the TV asks for a code, the
// browser activates it and signs in on the MVPD login, the TV finds the authentication
// and can play.

func codeSession(t *testing.T, ts *testServer, tv device, form string) reply {
	t.Helper()
	return ts.do(t, "POST", "/api/v2/demo/sessions", tv.headers("Content-Type", "application/x-www-form-urlencoded",
		"X-Device-Info", deviceInfo(map[string]string{"primaryHardwareType": "TV", "model": "Bravia"})), form)
}

func activateJSON(t *testing.T, ts *testServer, code, mvpd string) reply {
	t.Helper()
	return ts.do(t, "POST", "/sandbox/activate", map[string]string{"Content-Type": "application/json"}, jsonBody(map[string]string{"code": code, "mvpd": mvpd}))
}

func signInJSON(t *testing.T, ts *testServer, loginURL, user string) {
	t.Helper()
	if r := ts.do(t, "POST", loginURL, map[string]string{"Content-Type": "application/json"}, jsonBody(map[string]string{"userId": user})); r.status != 200 {
		t.Fatalf("MVPD login: %d %s", r.status, r.raw)
	}
}

func authorize(t *testing.T, ts *testServer, d device, path string, resources ...string) reply {
	t.Helper()
	return ts.do(t, "POST", path, d.headers("Content-Type", "application/json"), jsonBody(map[string][]string{"resources": resources}))
}

func authnV1(t *testing.T, ts *testServer, d device, format string) page {
	t.Helper()
	q := url.Values{"requestor": {"demo"}, "deviceId": {d.key}, "device_info": {deviceInfo(map[string]string{"primaryHardwareType": "TV"})}}
	return ts.raw(t, "GET", "/api/v1/tokens/authn."+format+"?"+q.Encode(), map[string]string{"Authorization": "Bearer " + d.access}, "")
}

func TestSecondScreenV2(t *testing.T) {
	ts := startServer(t, "bbolt", "", Config{})
	tv := device{key: deviceKey("tv"), access: ts.accessToken(t)}
	s := codeSession(t, ts, tv, "domainName=tv.example&redirectUrl=x")
	code := s.str("code")
	if s.status != 201 || len(code) != activationCodeLen || s.str("url") != "/sandbox/activate?code="+code || s.str("sessionId") == "" ||
		s.str("actionName") != "authenticate" || s.str("mvpd") != "" {
		t.Fatalf("basic-flow session: %d %s", s.status, s.raw)
	}
	byCode := func() reply { return ts.do(t, "GET", "/api/v2/demo/profiles/code/"+code, tv.headers(), "") }
	if r := byCode(); r.status != 200 || len(r.body["profiles"].(map[string]any)) != 0 {
		t.Fatalf("profiles/code before the second screen: %d %s", r.status, r.raw)
	}
	if p := authnV1(t, ts, tv, "json"); p.status != 404 {
		t.Fatalf("v1 authn before the second screen: %d %s", p.status, p.body)
	}
	checkV2(t, authorize(t, ts, tv, "/api/v2/demo/decisions/authorize", "live"), 403, "authenticated_profile_missing", "authentication")

	page := ts.raw(t, "GET", s.str("url"), nil, "")
	if page.status != 200 || !strings.Contains(page.body, `value="`+code+`"`) || !strings.Contains(page.body, `<option value="Cox">`) {
		t.Fatalf("activation page: %d %s", page.status, page.body)
	}
	a := activateJSON(t, ts, strings.ToLower(code[:3])+"-"+code[3:], "Cox")
	if a.status != 201 || !strings.HasPrefix(a.str("url"), "/sandbox/mvpd-login/") || a.str("mvpd") != "Cox" {
		t.Fatalf("activate: %d %s", a.status, a.raw)
	}
	signInJSON(t, ts, a.str("url"), "tv-user")

	r := byCode()
	if r.status != 200 || r.str("profiles", "Cox", "attributes", "userID", "value") != "tv-user" || r.str("profiles", "Cox", "type") != "regular" {
		t.Fatalf("profiles/code after sign-in: %d %s", r.status, r.raw)
	}
	if p := authnV1(t, ts, tv, "json"); p.status != 200 || !strings.Contains(p.body, `"userId": "tv-user"`) {
		t.Fatalf("v1 authn after the second screen: %d %s", p.status, p.body)
	}
	checkEnvelope(t, activateJSON(t, ts, code, "Cox"), 409, "invalid_parameter_code", "none")

	d := authorize(t, ts, tv, "/api/v2/demo/decisions/authorize", "live", "denied-sports")
	decisions, _ := d.body["decisions"].([]any)
	if d.status != 200 || len(decisions) != 2 {
		t.Fatalf("decisions: %d %s", d.status, d.raw)
	}
	ok, no := decisions[0].(map[string]any), decisions[1].(map[string]any)
	tok, _ := ok["token"].(map[string]any)
	raw, _ := tok["serializedToken"].(string)
	jwt, err := base64.StdEncoding.DecodeString(raw)
	if ok["authorized"] != true || ok["mvpd"] != "Cox" || ok["resource"] != "live" || err != nil || strings.Count(string(jwt), ".") != 2 ||
		tok["notAfter"].(float64)-tok["notBefore"].(float64) != float64(mediaTokenTTL.Milliseconds()) {
		t.Errorf("permit decision: %v (token %q: %v)", ok, jwt, err)
	}
	if e, _ := no["error"].(map[string]any); no["authorized"] != false || no["token"] != nil || e["code"] != "authorization_denied_by_mvpd" {
		t.Errorf("deny decision: %v", no)
	}
	checkV2(t, authorize(t, ts, tv, "/api/v2/demo/decisions/authorize/Dish", "live"), 403, "authenticated_profile_missing", "authentication")
	if r := authorize(t, ts, tv, "/api/v2/demo/decisions/authorize/Cox", "live"); r.status != 200 {
		t.Errorf("decision with the TV's MVPD in the path: %d %s", r.status, r.raw)
	}
}

func TestSecondScreenRegcode(t *testing.T) {
	for _, format := range []string{"json", "xml"} {
		t.Run(format, func(t *testing.T) {
			ts := startServer(t, "memory", "", Config{})
			tv := device{key: deviceKey("roku-tv"), access: ts.accessToken(t)}
			q := url.Values{"deviceId": {tv.key}, "mvpd": {"Dish"}}
			p := ts.raw(t, "POST", "/reggie/v1/demo/regcode."+format+"?"+q.Encode(), map[string]string{"Authorization": "Bearer " + tv.access,
				"X-Device-Info": deviceInfo(map[string]string{"primaryHardwareType": "TV"})}, "")
			var rc struct {
				ID        string `json:"id" xml:"id"`
				Code      string `json:"code" xml:"code"`
				MVPD      string `json:"mvpd" xml:"mvpd"`
				Generated int64  `json:"generated" xml:"generated"`
				Expires   int64  `json:"expires" xml:"expires"`
				Info      struct {
					DeviceID        string `json:"deviceId" xml:"deviceId"`
					RegistrationURL string `json:"registrationURL" xml:"registrationURL"`
				} `json:"info" xml:"info"`
			}
			var err error
			if format == "xml" {
				err = xml.Unmarshal([]byte(p.body), &rc)
			} else {
				err = json.Unmarshal([]byte(p.body), &rc)
			}
			if p.status != 201 || err != nil || len(rc.Code) != activationCodeLen || rc.ID == "" || rc.MVPD != "Dish" || rc.Info.DeviceID != tv.key ||
				rc.Info.RegistrationURL != activationPath || rc.Expires-rc.Generated != activationTTL.Milliseconds() ||
				!strings.HasPrefix(p.header.Get("Content-Type"), "application/"+format) {
				t.Fatalf("regcode: %d %v %s", p.status, err, p.body)
			}
			if a := authnV1(t, ts, tv, format); a.status != 404 {
				t.Fatalf("authn before activation: %d %s", a.status, a.body)
			}
			// The browser: the form with the code and no provider (the TV asked for Dish), then the login form.
			login := ts.raw(t, "POST", "/sandbox/activate", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "code="+rc.Code)
			if login.status != 200 || !strings.Contains(login.body, "Sign in to") || !strings.Contains(login.body, "Dish") {
				t.Fatalf("activation form → MVPD login page: %d %s", login.status, login.body)
			}
			if a := authnV1(t, ts, tv, format); a.status != 404 {
				t.Fatalf("authn after activation, before sign-in: %d %s", a.status, a.body)
			}
			action := login.body[strings.Index(login.body, `action="`)+len(`action="`):]
			action = action[:strings.Index(action, `"`)]
			done := ts.raw(t, "POST", action, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "userId=dish-fan")
			if done.status != 200 || !strings.Contains(done.body, "dish-fan") {
				t.Fatalf("MVPD login: %d %s", done.status, done.body)
			}
			a := authnV1(t, ts, tv, format)
			if a.status != 200 || !strings.Contains(a.body, "dish-fan") || !strings.Contains(a.body, "Dish") {
				t.Fatalf("authn after sign-in: %d %s", a.status, a.body)
			}
			again := ts.raw(t, "POST", "/sandbox/activate", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "code="+rc.Code+"&mvpd=Cox")
			if again.status != 409 || !strings.Contains(again.body, "already used") {
				t.Errorf("second activation: %d %s", again.status, again.body)
			}
		})
	}
}

func TestActivationCodeExpiryAndLimits(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	tv := device{key: deviceKey("tv"), access: ts.accessToken(t)}
	regcode := func(ttl string) page {
		q := url.Values{"deviceId": {tv.key}, "ttl": {ttl}, "device_info": {deviceInfo(map[string]string{"primaryHardwareType": "TV"})}}
		return ts.raw(t, "POST", "/reggie/v1/demo/regcode.json", map[string]string{"Authorization": "Bearer " + tv.access,
			"Content-Type": "application/x-www-form-urlencoded"}, q.Encode())
	}
	for _, ttl := range []string{"0", "36001", "ten"} {
		if p := regcode(ttl); p.status != 400 || !strings.Contains(p.body, `"status": 400`) {
			t.Errorf("ttl %s: %d %s", ttl, p.status, p.body)
		}
	}
	if p := ts.raw(t, "POST", "/reggie/v1/demo/regcode.json?deviceId=x", nil, ""); p.status != 401 || !strings.Contains(p.body, "invalid_access_token_client_application") {
		t.Errorf("no access token: %d %s", p.status, p.body)
	}
	if p := ts.raw(t, "GET", "/reggie/v1/demo/regcode", nil, ""); p.status != 405 || p.header.Get("Allow") != "POST" || !strings.HasPrefix(p.body, "<?xml") {
		t.Errorf("GET regcode: %d %s", p.status, p.body)
	}
	p := regcode("60")
	var rc struct {
		Code string `json:"code"`
	}
	if p.status != 201 || json.Unmarshal([]byte(p.body), &rc) != nil {
		t.Fatalf("regcode ttl 60: %d %s", p.status, p.body)
	}
	s := codeSession(t, ts, tv, "mvpd=Cox")
	ts.clock.Advance(time.Minute)
	checkEnvelope(t, activateJSON(t, ts, rc.Code, "Cox"), 404, "invalid_parameter_code", "none")
	if r := activateJSON(t, ts, s.str("code"), ""); r.status != 201 || r.str("mvpd") != "Cox" {
		t.Fatalf("the session code still lives, with the MVPD the TV asked for: %d %s", r.status, r.raw)
	}
	ts.clock.Advance(activationTTL - time.Minute)
	checkV2(t, ts.do(t, "GET", "/api/v2/demo/profiles/code/"+s.str("code"), tv.headers(), ""), 404, "invalid_parameter_code", "none")
	checkEnvelope(t, activateJSON(t, ts, "ZZZZZZZ", "Cox"), 404, "invalid_parameter_code", "none")
	checkEnvelope(t, activateJSON(t, ts, "nope", "Cox"), 404, "invalid_parameter_code", "none")
	fresh := codeSession(t, ts, tv, "").str("code")
	checkEnvelope(t, activateJSON(t, ts, fresh, ""), 400, "invalid_parameter_mvpd", "check_request_body")
	checkEnvelope(t, activateJSON(t, ts, fresh, "Nope"), 400, "invalid_parameter_mvpd", "none")
}

func TestDecisionsForTheSeedsDevices(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	access := ts.accessToken(t)
	phone, tv := device{key: deviceKey("phone"), access: access}, device{key: deviceKey("tv"), access: access}
	tok := ts.serviceToken(t, phone, "alice")
	checkV2(t, authorize(t, ts, phone, "/api/v2/demo/decisions/authorize", "live"), 403, "authenticated_profile_missing", "authentication")
	s := ts.do(t, "POST", "/api/v2/demo/sessions", phone.headers("AD-Service-Token", tok, "Content-Type", "application/x-www-form-urlencoded"), "mvpd=Cox")
	signInJSON(t, ts, s.str("url"), "alice-cox")
	tvTok := ts.do(t, "POST", "/api/demo/serviceToken", tv.headers("X-SSO-LINK", ts.linkCode(t, phone, tok)), "").str("serviceToken")
	for name, r := range map[string]reply{
		"phone, service token":  ts.do(t, "POST", "/api/v2/demo/decisions/authorize", phone.headers("AD-Service-Token", tok, "Content-Type", "application/json"), `{"resources":["live"]}`),
		"TV, linked, its token": ts.do(t, "POST", "/api/v2/demo/decisions/authorize", tv.headers("AD-Service-Token", tvTok, "Content-Type", "application/json"), `{"resources":["live"]}`),
		"TV, linked, key only":  authorize(t, ts, tv, "/api/v2/demo/decisions/authorize", "live"),
	} {
		ds, _ := r.body["decisions"].([]any)
		if r.status != 200 || len(ds) != 1 || ds[0].(map[string]any)["authorized"] != true {
			t.Errorf("%s: %d %s", name, r.status, r.raw)
		}
	}
	for name, tc := range map[string]struct {
		r      reply
		status int
		code   string
	}{
		"no device":     {ts.do(t, "POST", "/api/v2/demo/decisions/authorize", map[string]string{"Authorization": "Bearer " + access, "Content-Type": "application/json"}, `{"resources":["a"]}`), 400, "header_missing"},
		"no resources":  {authorize(t, ts, tv, "/api/v2/demo/decisions/authorize"), 400, "invalid_parameter_resources"},
		"six resources": {authorize(t, ts, tv, "/api/v2/demo/decisions/authorize", "a", "b", "c", "d", "e", "f"), 400, "too_many_resources"},
		"form body":     {ts.do(t, "POST", "/api/v2/demo/decisions/authorize", tv.headers("Content-Type", "application/x-www-form-urlencoded"), "resources=a"), 400, "invalid_parameter_resources"},
		"unknown mvpd":  {authorize(t, ts, tv, "/api/v2/demo/decisions/authorize/Nope", "a"), 400, "invalid_parameter_mvpd"},
		"wrong method":  {ts.do(t, "GET", "/api/v2/demo/decisions/authorize", tv.headers(), ""), 405, "method_not_allowed"},
	} {
		if tc.r.status != tc.status || tc.r.body["code"] != tc.code {
			t.Errorf("%s: %d %s, want %d %s", name, tc.r.status, tc.r.raw, tc.status, tc.code)
		}
	}
	ts.clock.Advance(ts.Server.cfg.MVPDAuthTTL)
	tv.access = ts.accessToken(t)
	checkV2(t, authorize(t, ts, tv, "/api/v2/demo/decisions/authorize", "live"), 403, "authenticated_profile_expired", "authentication")
}

// checkV2 checks a refusal in the flat v2 shape.
func checkV2(t *testing.T, r reply, status int, code, action string) {
	t.Helper()
	if r.status != status || r.body["code"] != code || r.body["action"] != action || r.body["status"] != float64(status) ||
		r.body["trace"] != r.header.Get("X-Request-Id") || r.body["error"] != nil {
		t.Errorf("%d %s, want flat v2 %d %s %s", r.status, r.raw, status, code, action)
	}
}

// TestActivationCodeSurvivesRestart: a code shown before a restart of the durable
// store is activated after it, and the TV finds the sign-in.
func TestActivationCodeSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	first := startServer(t, "bbolt", dir, Config{})
	tv := device{key: deviceKey("tv"), access: first.accessToken(t)}
	code := codeSession(t, first, tv, "mvpd=Cox").str("code")
	if err := first.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	second := startServer(t, "bbolt", dir, Config{})
	a := activateJSON(t, second, code, "")
	if a.status != 201 {
		t.Fatalf("activate after restart: %d %s", a.status, a.raw)
	}
	signInJSON(t, second, a.str("url"), "after-restart")
	if r := second.do(t, "GET", "/api/v2/demo/profiles/code/"+code, tv.headers(), ""); r.str("profiles", "Cox", "attributes", "userID", "value") != "after-restart" {
		t.Fatalf("profiles/code after restart: %d %s", r.status, r.raw)
	}
}

// TestActivationCodeNotLogged: the code a TV shows reaches no log line, neither from
// profiles/code (where it is in the path) nor from the activation page (its query).
func TestActivationCodeNotLogged(t *testing.T) {
	var out lockedBuffer
	ts := startServer(t, "memory", "", Config{Logger: slog.New(slog.NewJSONHandler(&out, nil))})
	tv := device{key: deviceKey("tv"), access: ts.accessToken(t)}
	s := codeSession(t, ts, tv, "")
	code := s.str("code")
	ts.do(t, "GET", "/api/v2/demo/profiles/code/"+code, tv.headers(), "")
	ts.raw(t, "GET", s.str("url"), nil, "")
	a := activateJSON(t, ts, code, "Cox")
	signInJSON(t, ts, a.str("url"), "quiet")
	log := out.String()
	if !strings.Contains(log, "/profiles/code/<code>") || !strings.Contains(log, `"path":"/sandbox/activate"`) {
		t.Fatalf("the requests are not logged as expected:\n%s", log)
	}
	login := strings.TrimPrefix(a.str("url"), "/sandbox/mvpd-login/")
	for _, secret := range []string{code, login, tv.access} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds %q", secret)
		}
	}
}
