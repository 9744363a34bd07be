package sandbox

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"
)

// checkEnvelope asserts the SSO error envelope of r: shape, status, code, action, and
// the trace id that equals X-Request-Id.
func checkEnvelope(t *testing.T, r reply, status int, code, action string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.raw)
	}
	if len(r.body) != 2 || r.str("status") != statusName(status) {
		t.Fatalf("envelope top level %v, want exactly status %q and error", r.body, statusName(status))
	}
	e, ok := r.body["error"].(map[string]any)
	if !ok || len(e) != 6 {
		t.Fatalf("error object %v, want status, code, message, action, helpUrl, trace", r.body["error"])
	}
	if got, _ := e["status"].(float64); int(got) != status {
		t.Errorf("error.status %v, want %d", e["status"], status)
	}
	if got := r.str("error", "code"); got != code {
		t.Errorf("code %q, want %q (%s)", got, code, r.str("error", "message"))
	}
	if got := r.str("error", "action"); got != action {
		t.Errorf("action %q, want %q", got, action)
	}
	if r.str("error", "message") == "" || r.str("error", "helpUrl") == "" {
		t.Errorf("message or helpUrl empty: %s", r.raw)
	}
	trace := r.str("error", "trace")
	if _, err := uuid.Parse(trace); err != nil || trace != r.header.Get("X-Request-Id") {
		t.Errorf("trace %q must be the UUID of X-Request-Id %q", trace, r.header.Get("X-Request-Id"))
	}
}

// craft signs claims with the server's current service-token key (or another secret).
func craft(t *testing.T, ts *testServer, claims serviceClaims, secret []byte) string {
	t.Helper()
	key, err := ts.signingKey(ts.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if secret != nil {
		key.Secret = secret
	}
	tok, err := signJWT(key, claims)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// claimsFor are valid claims for a linked device at now.
func claimsFor(t *testing.T, ts *testServer, profile, key string, now time.Time) serviceClaims {
	t.Helper()
	var d Device
	if err := ts.store.View(func(tx Tx) error {
		var err error
		d, err = tx.Device(profileID(nsSSO, "demo", profile), key)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return serviceClaims{
		Claims: jwt.Claims{
			Issuer: serviceTokenIssuer, Subject: profile, Audience: jwt.Audience{"demo"}, ID: d.JoinID + ".x",
			NotBefore: jwt.NewNumericDate(now), IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(time.Hour)),
		},
		DeviceKey: key,
		Namespace: nsSSO,
	}
}

func TestErrorCatalogue(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ts := startServer(t, driver, "", Config{})
			access := ts.accessToken(t)
			phone := device{key: deviceKey("phone"), access: access}
			good := ts.serviceToken(t, phone, "alice")
			now := ts.clock.Now()
			claims := func(edit func(*serviceClaims)) string {
				c := claimsFor(t, ts, "alice", phone.key, now)
				edit(&c)
				return craft(t, ts, c, nil)
			}
			wrongKey := craft(t, ts, claimsFor(t, ts, "alice", phone.key, now), []byte("not the server's secret, 32 bytes!"))
			noSub := claims(func(c *serviceClaims) { c.Subject = "" })
			wrongIss := claims(func(c *serviceClaims) { c.Issuer = "someone-else" })
			future := claims(func(c *serviceClaims) { c.NotBefore = jwt.NewNumericDate(now.Add(2 * time.Minute)) })
			nearFuture := claims(func(c *serviceClaims) { c.NotBefore = jwt.NewNumericDate(now.Add(30 * time.Second)) })
			expiredInGrace := claims(func(c *serviceClaims) { c.Expiry = jwt.NewNumericDate(now.Add(-time.Hour)) })
			expiredPastGrace := claims(func(c *serviceClaims) { c.Expiry = jwt.NewNumericDate(now.Add(-25 * time.Hour)) })
			strangerJoin := claims(func(c *serviceClaims) { c.ID = "otherjoin.x" })
			h := func(kv ...string) map[string]string { return phone.headers(kv...) }
			noAuth := func(kv ...string) map[string]string {
				m := h(kv...)
				delete(m, "Authorization")
				return m
			}
			json := "application/json"

			rows := []struct {
				name         string
				method, path string
				headers      map[string]string
				body         string
				status       int
				code, action string
				allow        string
			}{
				{"no access token", "POST", "/api/demo/serviceToken", noAuth("X-SSO-ID", "alice"), "", 401, "unauthorized", "none", ""},
				{"unknown access token", "POST", "/api/demo/serviceToken", h("X-SSO-ID", "alice", "Authorization", "Bearer nope"), "", 401, "unauthorized", "none", ""},
				{"access token on list missing", "GET", "/api/demo/list", noAuth("AD-Service-Token", good), "", 401, "unauthorized", "none", ""},
				{"neither sso id nor link", "POST", "/api/demo/serviceToken", h(), "", 400, "header_missing", "check_headers", ""},
				{"no device identifier", "POST", "/api/demo/serviceToken", map[string]string{"Authorization": "Bearer " + access, "X-SSO-ID": "alice"}, "", 400, "header_missing", "check_headers", ""},
				{"device identifier other scheme", "POST", "/api/demo/serviceToken", h("X-SSO-ID", "alice", "AP-Device-Identifier", "serial "+phone.key), "", 400, "invalid_header_device_identifier", "none", ""},
				{"device identifier empty payload", "POST", "/api/demo/serviceToken", h("X-SSO-ID", "alice", "AP-Device-Identifier", "fingerprint "), "", 400, "invalid_header_device_identifier", "none", ""},
				{"device identifier not base64", "POST", "/api/demo/serviceToken", h("X-SSO-ID", "alice", "AP-Device-Identifier", "fingerprint not*base64!"), "", 400, "invalid_header_device_identifier", "none", ""},
				{"device info not base64", "POST", "/api/demo/serviceToken", h("X-SSO-ID", "alice", "X-Device-Info", "%%%"), "", 400, "invalid_header_device_info", "none", ""},
				{"device info not an object", "POST", "/api/demo/serviceToken", h("X-SSO-ID", "alice", "X-Device-Info", "WzEsMl0="), "", 400, "invalid_header_device_info", "none", ""},
				{"link code unknown", "POST", "/api/demo/serviceToken", h("X-SSO-LINK", "000000"), "", 400, "invalid_parameter_code", "none", ""},
				{"link code not digits", "POST", "/api/demo/serviceToken", h("X-SSO-LINK", "12ab56"), "", 400, "invalid_parameter_code", "none", ""},
				{"GET without service token", "GET", "/api/demo/serviceToken", h(), "", 400, "header_missing", "check_headers", ""},
				{"GET bad signature", "GET", "/api/demo/serviceToken", h("AD-Service-Token", wrongKey), "", 401, "header_invalid", "get_new_token", ""},
				{"GET unparsable", "GET", "/api/demo/serviceToken", h("AD-Service-Token", "not.a.jwt"), "", 401, "header_invalid", "get_new_token", ""},
				{"GET no subject", "GET", "/api/demo/serviceToken", h("AD-Service-Token", noSub), "", 401, "header_invalid", "get_new_token", ""},
				{"GET expired past grace", "GET", "/api/demo/serviceToken", h("AD-Service-Token", expiredPastGrace), "", 401, "token_expired", "get_new_token", ""},
				{"GET wrong issuer", "GET", "/api/demo/serviceToken", h("AD-Service-Token", wrongIss), "", 400, "token_invalid", "get_new_token", ""},
				{"GET nbf in the future", "GET", "/api/demo/serviceToken", h("AD-Service-Token", future), "", 400, "token_invalid", "get_new_token", ""},
				{"GET token of an old membership", "GET", "/api/demo/serviceToken", h("AD-Service-Token", strangerJoin), "", 401, "unauthorized", "none", ""},
				{"link without service token", "POST", "/api/demo/link", h(), "", 401, "header_missing", "check_headers", ""},
				{"link bad signature", "POST", "/api/demo/link", h("AD-Service-Token", wrongKey), "", 401, "header_invalid", "get_new_token", ""},
				{"link expired (no grace)", "POST", "/api/demo/link", h("AD-Service-Token", expiredInGrace), "", 401, "token_expired", "get_new_token", ""},
				{"unlink without service token", "POST", "/api/demo/unlink", h("Content-Type", json), `{"devices":["x"]}`, 401, "header_missing", "check_headers", ""},
				{"unlink no subject", "POST", "/api/demo/unlink", h("AD-Service-Token", noSub, "Content-Type", json), `{"devices":["x"]}`, 401, "header_invalid", "get_new_token", ""},
				{"unlink body absent", "POST", "/api/demo/unlink", h("AD-Service-Token", good), "", 400, "request_null", "none", ""},
				{"unlink body null", "POST", "/api/demo/unlink", h("AD-Service-Token", good, "Content-Type", json), "null", 400, "request_null", "none", ""},
				{"unlink devices absent", "POST", "/api/demo/unlink", h("AD-Service-Token", good, "Content-Type", json), "{}", 400, "request_invalid", "check_request_body", ""},
				{"unlink devices null", "POST", "/api/demo/unlink", h("AD-Service-Token", good, "Content-Type", json), `{"devices":null}`, 400, "request_invalid", "check_request_body", ""},
				{"unlink devices empty", "POST", "/api/demo/unlink", h("AD-Service-Token", good, "Content-Type", json), `{"devices":[]}`, 400, "request_invalid", "check_request_body", ""},
				{"unlink wrong content type", "POST", "/api/demo/unlink", h("AD-Service-Token", good, "Content-Type", "text/plain"), `{"devices":["x"]}`, 400, "request_invalid", "check_request_body", ""},
				{"unlink malformed JSON", "POST", "/api/demo/unlink", h("AD-Service-Token", good, "Content-Type", json), `{"devices":[`, 400, "request_invalid", "check_request_body", ""},
				{"unlink body over 64 KiB", "POST", "/api/demo/unlink", h("AD-Service-Token", good, "Content-Type", json), `{"devices":["` + strings.Repeat("a", 70<<10) + `"]}`, 400, "request_invalid", "check_request_body", ""},
				{"list without service token", "GET", "/api/demo/list", h(), "", 401, "header_missing", "check_headers", ""},
				{"list unparsable", "GET", "/api/demo/list", h("AD-Service-Token", "eyJhbGciOiJub25lIn0.e30."), "", 401, "header_invalid", "get_new_token", ""},
				{"wrong method on list", "DELETE", "/api/demo/list", h(), "", 405, "method_not_allowed", "none", "GET, HEAD"},
				{"wrong method on serviceToken", "PUT", "/api/demo/serviceToken", h(), "", 405, "method_not_allowed", "none", "GET, HEAD, POST"},
				{"wrong method on link", "GET", "/api/demo/link", h(), "", 405, "method_not_allowed", "none", "POST"},
				{"wrong method on unlink", "GET", "/api/demo/unlink", h(), "", 405, "method_not_allowed", "none", "POST"},
				{"Accept refuses JSON", "GET", "/api/demo/list", h("AD-Service-Token", good, "Accept", "text/html"), "", 406, "not_acceptable", "none", ""},
				{"headers over 8 KiB", "GET", "/api/demo/list", h("AD-Service-Token", good, "X-Padding", strings.Repeat("p", 9<<10)), "", 400, "request_invalid", "check_headers", ""},
				{"service provider malformed", "GET", "/api/bad*name/list", h("AD-Service-Token", good), "", 400, "invalid_parameter_service_provider", "none", ""},
				{"service provider too long", "GET", "/api/" + strings.Repeat("s", 65) + "/list", h("AD-Service-Token", good), "", 400, "invalid_parameter_service_provider", "none", ""},
			}
			for _, row := range rows {
				t.Run(row.name, func(t *testing.T) {
					r := ts.do(t, row.method, row.path, row.headers, row.body)
					checkEnvelope(t, r, row.status, row.code, row.action)
					if row.allow != "" && r.header.Get("Allow") != row.allow {
						t.Errorf("Allow %q, want %q", r.header.Get("Allow"), row.allow)
					}
				})
			}

			// What must still pass: nbf within the skew, an expired token within the
			// refresh grace on GET, and Accept values that allow JSON.
			for _, tok := range []string{nearFuture, expiredInGrace} {
				if r := ts.do(t, "GET", "/api/demo/serviceToken", h("AD-Service-Token", tok), ""); r.status != 200 || r.str("status") != "OK" {
					t.Errorf("GET serviceToken: %d %s", r.status, r.raw)
				}
			}
			for _, accept := range []string{"*/*", "application/*", "application/json; charset=utf-8", "text/html, application/json;q=0.5"} {
				if r := ts.do(t, "GET", "/api/demo/list", h("AD-Service-Token", good, "Accept", accept), ""); r.status != 200 {
					t.Errorf("Accept %q: %d %s", accept, r.status, r.raw)
				}
			}
		})
	}
}

func TestServiceProviderAllowList(t *testing.T) {
	ts := startServer(t, "memory", "", Config{ServiceProviders: []string{"demo"}})
	access := ts.accessToken(t)
	phone := device{key: deviceKey("phone"), access: access}
	ts.serviceToken(t, phone, "alice")
	r := ts.do(t, "POST", "/api/other/serviceToken", phone.headers("X-SSO-ID", "alice"), "")
	checkEnvelope(t, r, 400, "invalid_parameter_service_provider", "none")
}

// failingStore fails every transaction after the keys are loaded, with an error text
// that must never reach the wire.
type failingStore struct {
	Store
	fail bool
}

func (f *failingStore) Update(fn func(Tx) error) error {
	if f.fail {
		return errors.New("disk on fire at /secret/path")
	}
	return f.Store.Update(fn)
}

func (f *failingStore) View(fn func(Tx) error) error {
	if f.fail {
		return errors.New("disk on fire at /secret/path")
	}
	return f.Store.View(fn)
}

func (f *failingStore) Batch(fn func(Tx) error) error {
	if f.fail {
		return errors.New("disk on fire at /secret/path")
	}
	return f.Store.Batch(fn)
}

func TestInternalErrorHidesDetails(t *testing.T) {
	fs := &failingStore{Store: NewMemoryStore()}
	ts := startOnStore(t, Config{}, fs)
	fs.fail = true
	r := ts.do(t, "POST", "/api/demo/serviceToken", map[string]string{"Authorization": "Bearer x", "X-SSO-ID": "a", "AP-Device-Identifier": "fingerprint " + deviceKey("a")}, "")
	checkEnvelope(t, r, http.StatusInternalServerError, "internal_error", "none")
	if strings.Contains(string(r.raw), "fire") || strings.Contains(string(r.raw), "/secret") {
		t.Fatalf("internal error leaked: %s", r.raw)
	}
}
