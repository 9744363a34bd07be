package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

// captured is one raw answer of the sandbox, as the wire carried it.
type captured struct {
	method, path string
	status       int
	header       http.Header
	body         []byte
}

// capture is a transport that keeps a copy of every answer.
type capture struct {
	mu   sync.Mutex
	seen []captured
}

func (c *capture) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	c.mu.Lock()
	c.seen = append(c.seen, captured{r.Method, r.URL.Path, resp.StatusCode, resp.Header.Clone(), body})
	c.mu.Unlock()
	return resp, nil
}

// successTypes is the client type each success answer must decode into.
var successTypes = map[string]func() any{
	"GET /sandbox/software-statement": func() any {
		return &struct {
			SoftwareStatement string `json:"software_statement"`
		}{}
	},
	"POST /o/client/register":     func() any { return &client.ClientRegistration{} },
	"POST /o/client/token":        func() any { return &client.AccessTokenGrant{} },
	"POST /api/demo/serviceToken": func() any { return &client.ServiceToken{} },
	"GET /api/demo/serviceToken":  func() any { return &client.ServiceToken{} },
	"POST /api/demo/link":         func() any { return &client.LinkCode{} },
	"GET /api/demo/list":          func() any { return &client.DeviceList{} },
	"POST /api/demo/unlink":       func() any { return &client.UnlinkResult{} },
}

// errorEnvelope is the spec's SSO error envelope, exactly.
type errorEnvelope struct {
	Status string `json:"status"`
	Error  struct {
		Status  int    `json:"status"`
		Code    string `json:"code"`
		Message string `json:"message"`
		Action  string `json:"action"`
		HelpURL string `json:"helpUrl"`
		Trace   string `json:"trace"`
	} `json:"error"`
}

// TestContract drives every endpoint through client.Device and checks each answer
// of the sandbox both ways: it decodes into the client's type with no unknown field,
// and it sends every field the client's type reads.
func TestContract(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ctx := context.Background()
			url := startSandbox(t, driver, nil)
			tr := &capture{}
			hc := &http.Client{Transport: tr}
			phone := openDevice(t, client.DeviceConfig{Name: "phone", Server: url, HTTPClient: hc})
			tv := openDevice(t, client.DeviceConfig{Name: "tv", Server: url, HTTPClient: hc, Role: assets.RoleSecondary})
			mustStep(t)(phone.SignIn(ctx, "carol"))
			lc, err := phone.Link(ctx)
			mustStep(t)(lc, err)
			mustStep(t)(tv.Redeem(ctx, lc.Code))
			mustStep(t)(tv.Refresh(ctx))
			mustStep(t)(phone.Devices(ctx))
			mustStep(t)(phone.Unlink(ctx, tv.State().Key))
			_, errCode := tv.Redeem(ctx, lc.Code) // spent: 400 invalid_parameter_code
			_, errGone := tv.Devices(ctx)         // unlinked: 401 unauthorized
			if !client.IsCodeRejected(errCode) || !client.IsUnlinked(errGone) {
				t.Fatalf("refusals: %v / %v", errCode, errGone)
			}

			seen := map[string]bool{}
			for _, a := range tr.seen {
				route := a.method + " " + a.path
				if a.header.Get("X-Request-Id") == "" {
					t.Errorf("%s: no X-Request-Id", route)
				}
				if a.status >= 400 {
					checkErrorEnvelope(t, route, a)
					continue
				}
				mk, ok := successTypes[route]
				if !ok {
					t.Errorf("%s: no client type for this answer", route)
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
			}
			for route := range successTypes {
				if !seen[route] {
					t.Errorf("%s was never exercised", route)
				}
			}
		})
	}
}

func mustStep(t *testing.T) func(any, error) {
	return func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(client.Explain(err))
		}
	}
}

func checkErrorEnvelope(t *testing.T, route string, a captured) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(a.body))
	dec.DisallowUnknownFields()
	var e errorEnvelope
	if err := dec.Decode(&e); err != nil {
		t.Errorf("%s %d: not the SSO error envelope: %v\n%s", route, a.status, err, a.body)
		return
	}
	if e.Error.Status != a.status || e.Error.Code == "" || e.Error.Action == "" || e.Error.Trace != a.header.Get("X-Request-Id") || e.Status != strings.ToUpper(strings.ReplaceAll(http.StatusText(a.status), " ", "_")) {
		t.Errorf("%s: envelope %+v does not match status %d and trace %s", route, e, a.status, a.header.Get("X-Request-Id"))
	}
}

// checkAllFieldsSent: each JSON field of the client type is in the body (and, for a
// map of structs, in each of its values), so that a field renamed on one side only is
// caught.
func checkAllFieldsSent(t *testing.T, route string, typ reflect.Type, body []byte) {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Errorf("%s: %v", route, err)
		return
	}
	for i := range typ.NumField() {
		f := typ.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue // kept by the client (the raw answer), not read from a field
		}
		raw, ok := m[name]
		if !ok {
			t.Errorf("%s: the sandbox never sends %q, which client.%s reads", route, name, typ.Name())
			continue
		}
		if f.Type.Kind() == reflect.Map && f.Type.Elem().Kind() == reflect.Struct {
			var entries map[string]json.RawMessage
			_ = json.Unmarshal(raw, &entries)
			for _, e := range entries {
				checkAllFieldsSent(t, route+" "+name, f.Type.Elem(), e)
			}
		}
	}
}
