package sandbox

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

func checkOAuth(t *testing.T, r reply, status int, code string) {
	t.Helper()
	if r.status != status || r.str("error") != code || r.str("error_description") == "" {
		t.Fatalf("got %d %s, want %d error %q with a description", r.status, r.raw, status, code)
	}
}

func TestRegistrationErrors(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	jsonCT := map[string]string{"Content-Type": "application/json"}
	st := ts.do(t, "GET", "/sandbox/software-statement", nil, "").str("software_statement")
	forged := st[:strings.LastIndex(st, ".")+1] + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

	checkOAuth(t, ts.do(t, "POST", "/o/client/register", nil, `{"software_statement":"x"}`), 400, "invalid_request")
	checkOAuth(t, ts.do(t, "POST", "/o/client/register", jsonCT, `{`), 400, "invalid_request")
	checkOAuth(t, ts.do(t, "POST", "/o/client/register", jsonCT, `{}`), 400, "invalid_request")
	checkOAuth(t, ts.do(t, "POST", "/o/client/register", jsonCT, jsonBody(map[string]string{"software_statement": st, "redirect_uri": "not a url"})), 400, "invalid_request")
	checkOAuth(t, ts.do(t, "POST", "/o/client/register", jsonCT, `{"software_statement":"garbage"}`), 400, "invalid_software_statement")
	checkOAuth(t, ts.do(t, "POST", "/o/client/register", jsonCT, jsonBody(map[string]string{"software_statement": forged})), 400, "unapproved_software_statement")

	reg := ts.do(t, "POST", "/o/client/register", map[string]string{"Content-Type": "application/json", "X-Device-Info": deviceInfo(map[string]string{"model": "x"})},
		jsonBody(map[string]string{"software_statement": st, "redirect_uri": "https://app.example/cb"}))
	if reg.status != 201 || reg.str("client_id") == "" || reg.str("client_secret") == "" {
		t.Fatalf("register: %d %s", reg.status, reg.raw)
	}
	for _, k := range []string{"client_id_issued_at", "redirect_uris", "grant_types", "scopes"} {
		if _, ok := reg.body[k]; !ok {
			t.Errorf("register answer lacks %s: %s", k, reg.raw)
		}
	}
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	id, secret := reg.str("client_id"), reg.str("client_secret")
	enc := func(v url.Values) string { return v.Encode() }
	checkOAuth(t, ts.do(t, "POST", "/o/client/token", jsonCT, `{}`), 400, "invalid_request")
	checkOAuth(t, ts.do(t, "POST", "/o/client/token", form, enc(url.Values{"client_id": {id}, "grant_type": {"client_credentials"}})), 400, "invalid_request")
	checkOAuth(t, ts.do(t, "POST", "/o/client/token", form, enc(url.Values{"client_id": {id}, "client_secret": {secret}, "grant_type": {"password"}})), 400, "unsupported_grant_type")
	checkOAuth(t, ts.do(t, "POST", "/o/client/token", form, enc(url.Values{"client_id": {id}, "client_secret": {"wrong"}, "grant_type": {"client_credentials"}})), 401, "invalid_client")
	checkOAuth(t, ts.do(t, "POST", "/o/client/token", form, enc(url.Values{"client_id": {"nobody"}, "client_secret": {secret}, "grant_type": {"client_credentials"}})), 401, "invalid_client")

	tok := ts.do(t, "POST", "/o/client/token", form, enc(url.Values{"client_id": {id}, "client_secret": {secret}, "grant_type": {"client_credentials"}}))
	if tok.status != 201 || tok.str("token_type") != "bearer" || tok.body["expires_in"] != float64(6*3600) {
		t.Fatalf("token: %d %s", tok.status, tok.raw)
	}

	// Secrets are kept only as hashes.
	_ = ts.store.View(func(tx Tx) error {
		c, err := tx.Client(id)
		if err != nil || c.SecretHash == secret || c.SecretHash != secretHash(secret) {
			t.Errorf("client record %+v holds the secret in a wrong form (err %v)", c, err)
		}
		if _, err := tx.AccessToken(tok.str("access_token")); err == nil {
			t.Error("an access token is stored in plain text")
		}
		return nil
	})
}

func TestClosedRegistration(t *testing.T) {
	ts := startServer(t, "memory", "", Config{NoOpenRegistration: true})
	checkEnvelope(t, ts.do(t, "GET", "/sandbox/software-statement", nil, ""), 404, "not_found", "none")
}

func TestAccessTokenExpiry(t *testing.T) {
	ts := startServer(t, "memory", "", Config{AccessTokenTTL: time.Hour})
	phone := device{key: deviceKey("phone"), access: ts.accessToken(t)}
	ts.serviceToken(t, phone, "alice")
	ts.clock.Advance(time.Hour)
	r := ts.do(t, "POST", "/api/demo/serviceToken", phone.headers("X-SSO-ID", "alice"), "")
	checkEnvelope(t, r, 401, "unauthorized", "none")
	if !strings.HasPrefix(r.header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
	}
}
