package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

// secondScreenTypes is the client type each JSON success answer of the second-screen
// sign-in must decode into (the regcode is read in JSON and XML by TestTVCodeFlows).
var secondScreenTypes = map[string]func() any{
	"POST /api/v2/demo/sessions":            func() any { return &client.MVPDSession{} },
	"GET /api/v2/demo/profiles/code/":       func() any { return &client.Profiles{} },
	"POST /sandbox/activate":                func() any { return &client.Activation{} },
	"POST /sandbox/mvpd-login/":             func() any { return &client.MVPDLogin{} },
	"POST /api/v2/demo/decisions/authorize": func() any { return &client.Decisions{} },
	"GET /api/v1/tokens/authn":              nil, // the v1 body, read by GetAuthentication (seed 004's path)
	"POST /reggie/v1/demo/regcode.json":     nil,
	"POST /o/client/register":               nil, // covered by TestContract
	"POST /o/client/token":                  nil,
	"GET /sandbox/software-statement":       nil,
}

// routeOf names an answer by its method and path, with a code in the path cut off.
func routeOf(a captured) string {
	for _, prefix := range []string{"/api/v2/demo/profiles/code/", "/sandbox/mvpd-login/"} {
		if strings.HasPrefix(a.path, prefix) {
			return a.method + " " + prefix
		}
	}
	return a.method + " " + a.path
}

// TestContractSecondScreen checks each JSON answer of the second-screen sign-in both
// ways, as TestContract does for the SSO service: it decodes into the client's type
// with no unknown field, and it sends every field the client's type reads.
func TestContractSecondScreen(t *testing.T) {
	ctx := context.Background()
	base := startSandbox(t, "memory", nil)
	tr := &capture{}
	hc := &http.Client{Transport: tr}
	tv := openDevice(t, client.DeviceConfig{Name: "tv", Server: base, HTTPClient: hc, Role: assets.RoleSecondary})
	phone := openDevice(t, client.DeviceConfig{Name: "phone", Server: base, HTTPClient: hc})
	for _, legacy := range []bool{false, true} {
		code, err := tv.ShowCode(ctx, legacy, "")
		mustStep(t)(code, err)
		mustStep(t)(tv.PollCodeSignIn(ctx, code))
		mustStep(t)(phone.ActivateCode(ctx, code.Code, "Cox", "contract-user"))
		mustStep(t)(tv.PollCodeSignIn(ctx, code))
	}
	mustStep(t)(tv.Authorize(ctx, "live"))

	seen := map[string]bool{}
	for _, a := range tr.seen {
		route := routeOf(a)
		mk, known := secondScreenTypes[route]
		switch {
		case !known:
			t.Errorf("%s %d: no client type for this answer", route, a.status)
			continue
		case mk == nil || a.status == http.StatusNotFound && strings.Contains(route, "/api/v1/"):
			continue
		case a.status >= 300:
			t.Errorf("%s: %d %s", route, a.status, a.body)
			continue
		}
		seen[route] = true
		dec := json.NewDecoder(bytes.NewReader(a.body))
		dec.DisallowUnknownFields()
		v := mk()
		if err := dec.Decode(v); err != nil {
			t.Errorf("%s %d: %v\n%s", route, a.status, err, a.body)
		}
		checkAllFieldsSent(t, route, reflect.TypeOf(v).Elem(), a.body)
		if ds, ok := v.(*client.Decisions); ok {
			var raw struct{ Decisions []json.RawMessage }
			_ = json.Unmarshal(a.body, &raw)
			for _, d := range raw.Decisions {
				var m map[string]json.RawMessage
				_ = json.Unmarshal(d, &m)
				for _, f := range []string{"resource", "serviceProvider", "mvpd", "source", "authorized", "token"} {
					if _, ok := m[f]; !ok {
						t.Errorf("a permit decision lacks %q: %s", f, d)
					}
				}
			}
			if len(ds.Decisions) != 1 {
				t.Errorf("decisions: %+v", ds)
			}
		}
	}
	for route, mk := range secondScreenTypes {
		if mk != nil && !seen[route] {
			t.Errorf("%s was never exercised", route)
		}
	}
}
