package integration

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

// The MVPD sign-in, REST v2 profiles, the legacy v1 authn call and the Roku platform
// identity (issue 4), with client.Device against the real sandbox on loopback.

const mvpdAuthTTL = 30 * 24 * time.Hour // the sandbox's default

// TestMVPDFlow: the phone signs in with a TV provider → links the TV → the TV reads
// the authentication through v2 profiles and v1 authn (JSON and XML) → the phone
// unlinks the TV → the TV's v1 call is 404 → the authentication expires → 410.
func TestMVPDFlow(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ctx := context.Background()
			clk := newClock()
			base := startSandbox(t, driver, clk.Now)
			phone := openDevice(t, client.DeviceConfig{Name: "phone", Server: base, Now: clk.Now})
			tv := openDevice(t, client.DeviceConfig{Name: "tv", Server: base, Role: assets.RoleSecondary, Now: clk.Now})

			if _, err := phone.SignIn(ctx, "carol@example.com"); err != nil {
				t.Fatal(client.Explain(err))
			}
			if _, err := phone.Authn(ctx, false); !client.IsNoAuthentication(err) {
				t.Fatalf("v1 before any MVPD sign-in: %v, want 404", err)
			}
			login, err := phone.MVPDSignIn(ctx, "Comcast_SSO", "carol-xfinity")
			if err != nil {
				t.Fatalf("MVPD sign-in: %s", client.Explain(err))
			}
			wantExpiry := clk.Now().Add(mvpdAuthTTL)
			if login.MVPD != "Comcast_SSO" || login.UserID != "carol-xfinity" || !login.NotAfter.Time().Equal(wantExpiry) {
				t.Fatalf("login = %+v, want expiry %v", login, wantExpiry)
			}
			checkProfile(t, "phone", phone, "regular", "carol-xfinity")

			linkTV(t, ctx, phone, tv)
			checkProfile(t, "tv", tv, "serviceTokenSSO", "carol-xfinity")

			for _, asXML := range []bool{false, true} {
				a, err := tv.Authn(ctx, asXML)
				if err != nil {
					t.Fatalf("tv v1 (xml %v): %s", asXML, client.Explain(err))
				}
				if a.Requestor != "demo" || a.MVPD != "Comcast_SSO" || a.UserID != "carol-xfinity" || !a.Expires.Time().Equal(wantExpiry) {
					t.Errorf("tv v1 (xml %v) = %+v", asXML, a)
				}
			}
			checkRawV1(t, base, tv.State().Key, wantExpiry)

			if _, err := phone.Unlink(ctx, tv.State().Key); err != nil {
				t.Fatal(client.Explain(err))
			}
			if _, err := tv.Authn(ctx, true); !client.IsNoAuthentication(err) {
				t.Errorf("unlinked tv v1: %v, want 404", err)
			}
			if _, err := tv.Profiles(ctx); !client.IsUnlinked(err) {
				t.Errorf("unlinked tv profiles: %v, want unlinked", err)
			}
			if _, err := phone.Authn(ctx, false); err != nil {
				t.Errorf("the phone lost its authentication with the tv's unlink: %s", client.Explain(err))
			}

			clk.Set(wantExpiry.Add(-time.Second))
			if _, err := phone.Authn(ctx, false); err != nil {
				t.Fatalf("v1 one second before expiry: %s", client.Explain(err))
			}
			clk.Set(wantExpiry)
			for _, asXML := range []bool{false, true} {
				_, err := phone.Authn(ctx, asXML)
				if !client.IsAuthenticationExpired(err) || !strings.Contains(client.Explain(err), "expired") {
					t.Errorf("v1 at expiry (xml %v): %v, want 410", asXML, err)
				}
			}
		})
	}
}

func checkProfile(t *testing.T, name string, d *client.Device, wantType, wantUser string) {
	t.Helper()
	p, err := d.Profiles(context.Background())
	if err != nil {
		t.Fatalf("%s profiles: %s", name, client.Explain(err))
	}
	got, ok := p.Profiles["Comcast_SSO"]
	if len(p.Profiles) != 1 || !ok || got.Type != wantType || got.UserID() != wantUser || got.Issuer != "Comcast_SSO" ||
		got.Attributes["userID"].State != "plain" || got.NotAfter <= got.NotBefore {
		t.Fatalf("%s profiles = %+v, want one Comcast_SSO of type %s for %s", name, p.Profiles, wantType, wantUser)
	}
}

// checkRawV1 calls the v1 endpoint as a legacy app would, without the client: the
// format chosen by nothing (XML), Accept, the format parameter; device_info as a query
// parameter; the deprecated parameters; the error bodies. Bodies are parsed, never
// compared as strings.
func checkRawV1(t *testing.T, base, deviceKey string, wantExpiry time.Time) {
	t.Helper()
	access := rawAccessToken(t, base)
	info := base64.StdEncoding.EncodeToString([]byte(`{"primaryHardwareType":"TV","osName":"Tizen"}`))
	get := func(path string, q url.Values, accept string, withInfo bool) (int, string, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+path+"?"+q.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+access)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		if withInfo {
			req.Header.Set("X-Device-Info", info)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Content-Type"), b
	}
	q := url.Values{"requestor": {"demo"}, "deviceId": {deviceKey}, "deviceType": {"Roku"}, "deviceUser": {"x"}, "appId": {"legacy"}}
	wantMS := wantExpiry.UnixMilli()

	status, ctype, body := get("/api/v1/tokens/authn", q, "", true)
	var x struct {
		XMLName   xml.Name `xml:"authentication"`
		Expires   int64    `xml:"expires"`
		UserID    string   `xml:"userId"`
		MVPD      string   `xml:"mvpd"`
		Requestor string   `xml:"requestor"`
	}
	if err := xml.Unmarshal(body, &x); status != 200 || !strings.HasPrefix(ctype, "application/xml") || err != nil ||
		x.Expires != wantMS || x.UserID != "carol-xfinity" || x.MVPD != "Comcast_SSO" || x.Requestor != "demo" {
		t.Errorf("v1 with no format: %d %s %+v (%v)\n%s", status, ctype, x, err, body)
	}

	withInfo := url.Values{"device_info": {info}}
	for k, v := range q {
		withInfo[k] = v
	}
	for _, tc := range []struct {
		name, path, accept string
		q                  url.Values
	}{
		{"Accept", "/api/v1/tokens/authn", "application/json", q},
		{"format", "/api/v1/tokens/authn", "application/xml", withParam(q, "format", "json")},
		{"suffix", "/api/v1/tokens/authn.json", "", q},
	} {
		status, ctype, body := get(tc.path, tc.q, tc.accept, true)
		var j struct{ Requestor, MVPD, UserID, Expires string }
		if err := json.Unmarshal(body, &j); status != 200 || !strings.HasPrefix(ctype, "application/json") || err != nil ||
			j.Expires != strconv.FormatInt(wantMS, 10) || j.UserID != "carol-xfinity" || j.MVPD != "Comcast_SSO" || j.Requestor != "demo" {
			t.Errorf("v1 JSON by %s: %d %s %+v (%v)\n%s", tc.name, status, ctype, j, err, body)
		}
	}
	if status, _, body := get("/api/v1/tokens/authn.json", withInfo, "", false); status != 200 {
		t.Errorf("v1 with device_info as a parameter: %d %s", status, body)
	}

	for _, tc := range []struct {
		name   string
		q      url.Values
		info   bool
		status int
	}{
		{"no requestor", withParam(q, "requestor", ""), true, 400},
		{"no deviceId", withParam(q, "deviceId", ""), true, 400},
		{"no device info", q, false, 400},
		{"unknown device", withParam(q, "deviceId", "bm90LWEtZGV2aWNl"), true, 404},
	} {
		for _, suffix := range []string{".json", ".xml"} {
			status, _, body := get("/api/v1/tokens/authn"+suffix, tc.q, "", tc.info)
			var e struct {
				Status  int    `json:"status" xml:"status"`
				Message string `json:"message" xml:"message"`
			}
			var err error
			if suffix == ".json" {
				err = json.Unmarshal(body, &e)
			} else {
				err = xml.Unmarshal(body, &e)
			}
			if status != tc.status || err != nil || e.Status != tc.status || e.Message == "" {
				t.Errorf("v1 %s (%s): %d %+v (%v)\n%s", tc.name, suffix, status, e, err, body)
			}
		}
	}
}

func withParam(q url.Values, k, v string) url.Values {
	out := url.Values{}
	for key, vs := range q {
		out[key] = vs
	}
	if v == "" {
		out.Del(k)
	} else {
		out.Set(k, v)
	}
	return out
}

// rawAccessToken registers an application by hand (DCR) and returns its access token.
func rawAccessToken(t *testing.T, base string) string {
	t.Helper()
	var ss struct {
		SoftwareStatement string `json:"software_statement"`
	}
	rawJSON(t, http.MethodGet, base+"/sandbox/software-statement", "", nil, &ss)
	body, _ := json.Marshal(map[string]string{"software_statement": ss.SoftwareStatement})
	var reg struct{ ClientID, ClientSecret string }
	var regRaw map[string]any
	rawJSON(t, http.MethodPost, base+"/o/client/register", "application/json", body, &regRaw)
	reg.ClientID, _ = regRaw["client_id"].(string)
	reg.ClientSecret, _ = regRaw["client_secret"].(string)
	form := url.Values{"client_id": {reg.ClientID}, "client_secret": {reg.ClientSecret}, "grant_type": {"client_credentials"}}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	rawJSON(t, http.MethodPost, base+"/o/client/token", "application/x-www-form-urlencoded", []byte(form.Encode()), &tok)
	if tok.AccessToken == "" {
		t.Fatal("no access token")
	}
	return tok.AccessToken
}

func rawJSON(t *testing.T, method, u, ctype string, body []byte, out any) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(string(body)))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode/100 != 2 {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("%s %s: %d %s", method, u, res.StatusCode, b)
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}

// TestMVPDLogout: a sign-out from any device ends the authentication for every device
// of the profile, in v2 and in v1.
func TestMVPDLogout(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ctx := context.Background()
			base := startSandbox(t, driver, nil)
			phone := openDevice(t, client.DeviceConfig{Name: "phone", Server: base})
			tv := openDevice(t, client.DeviceConfig{Name: "tv", Server: base, Role: assets.RoleSecondary})
			if _, err := phone.SignIn(ctx, "dave"); err != nil {
				t.Fatal(client.Explain(err))
			}
			if _, err := phone.MVPDSignIn(ctx, "dish", "dave-dish"); err != nil {
				t.Fatal(client.Explain(err))
			}
			lc, _ := phone.Link(ctx)
			if _, err := tv.Redeem(ctx, lc.Code); err != nil {
				t.Fatal(client.Explain(err))
			}
			out, err := tv.SignOut(ctx)
			if err != nil {
				t.Fatalf("sign-out from the tv: %s", client.Explain(err))
			}
			if a, ok := out.Logouts["Dish"]; len(out.Logouts) != 1 || !ok || a.ActionName != "logout" || a.ServiceProvider != "demo" {
				t.Fatalf("logouts = %+v", out.Logouts)
			}
			for name, d := range map[string]*client.Device{"phone": phone, "tv": tv} {
				if p, err := d.Profiles(ctx); err != nil || len(p.Profiles) != 0 {
					t.Errorf("%s profiles after sign-out = %+v, %v", name, p, err)
				}
				if _, err := d.Authn(ctx, false); !client.IsNoAuthentication(err) {
					t.Errorf("%s v1 after sign-out: %v, want 404", name, err)
				}
			}
			if out, err := phone.SignOut(ctx); err != nil || len(out.Logouts) != 0 {
				t.Errorf("second sign-out = %+v, %v", out, err)
			}
		})
	}
}

// TestMVPDErrors: the v2 calls refuse in the flat v2 object.
func TestMVPDErrors(t *testing.T) {
	ctx := context.Background()
	base := startSandbox(t, "memory", nil)
	phone := openDevice(t, client.DeviceConfig{Name: "phone", Server: base})
	if _, err := phone.SignIn(ctx, "erin"); err != nil {
		t.Fatal(client.Explain(err))
	}
	var ae *client.APIError
	if _, err := phone.MVPDSignIn(ctx, "NoSuchProvider", "erin"); !errors.As(err, &ae) || ae.HTTPStatus != 400 || ae.Code != "invalid_parameter_mvpd" {
		t.Errorf("unknown MVPD: %v", err)
	}
	if _, err := phone.Client().GetProfiles(ctx, "demo", phone.Headers(), client.ProfileCredential{RokuToken: "x.y.z"}, "NoSuchProvider"); !errors.As(err, &ae) || ae.Code != "invalid_parameter_mvpd" {
		t.Errorf("profiles of an unknown MVPD: %v", err)
	}

	access := rawAccessToken(t, base)
	for _, tc := range []struct {
		name, method, path string
		header             map[string]string
		status             int
		code               string
	}{
		{"profiles without a token", "GET", "/api/v2/demo/profiles", nil, 401, "header_missing"},
		{"profiles with a forged token", "GET", "/api/v2/demo/profiles", map[string]string{"AD-Service-Token": "a.b.c"}, 401, "header_invalid"},
		{"profiles without an access token", "GET", "/api/v2/demo/profiles", map[string]string{"Authorization": ""}, 401, "invalid_access_token_client_application"},
		{"logout without a token", "DELETE", "/api/v2/demo/logout", nil, 401, "header_missing"},
		// Without a service token, sessions is the TV's second-screen flow (docs/second-screen.md), which needs the TV's key.
		{"sessions without a token or a device", "POST", "/api/v2/demo/sessions", nil, 400, "header_missing"},
		{"profiles with a bad sp", "GET", "/api/v2/bad!sp/profiles", nil, 400, "invalid_parameter_service_provider"},
		{"logout with GET", "GET", "/api/v2/demo/logout", nil, 405, "method_not_allowed"},
	} {
		req, _ := http.NewRequest(tc.method, base+tc.path, nil)
		req.Header.Set("Authorization", "Bearer "+access)
		for k, v := range tc.header {
			req.Header.Set(k, v)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		err = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if err != nil || res.StatusCode != tc.status || body["code"] != tc.code || body["status"] != float64(tc.status) ||
			body["trace"] != res.Header.Get("X-Request-Id") || body["error"] != nil {
			t.Errorf("%s: %d %v (%v), want a flat v2 %d %s", tc.name, res.StatusCode, body, err, tc.status, tc.code)
		}
	}
}
